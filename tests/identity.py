"""A token issuer of the test run's own: services under test trust its key, tests sign people in.

``ISSUER.headers("li.wei", Role.SALES_DESK)`` gives the Authorization header of a person with
those roles; ``settings_for`` (``tests.harness``) makes every service trust this issuer's key, given
inline as a JWKS document, so no process needs to serve it.
"""

from __future__ import annotations

import json
import time
import uuid
from functools import cached_property
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from contracts.roles import Role

ISSUER_URL = "https://issuer.test"
AUDIENCE = "orderflow"


class TestIssuer:
    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, issuer: str = ISSUER_URL, kid: str = "test-key") -> None:
        self.issuer = issuer
        self.kid = kid

    @cached_property
    def _key(self) -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @cached_property
    def jwks(self) -> str:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return json.dumps({"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]})

    def token(self, name: str, *roles: Role | str, ttl_s: int = 3600, **claims: Any) -> str:
        now = int(time.time())
        body = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": f"user-{name}",
            "preferred_username": name,
            "roles": [str(r) for r in roles],
            "iat": now,
            "exp": now + ttl_s,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(body, self._key, algorithm="RS256", headers={"kid": self.kid})

    def headers(self, name: str, *roles: Role | str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(name, *roles)}"}

    def settings(self) -> dict[str, object]:
        return {"auth_issuer": self.issuer, "auth_audience": AUDIENCE, "auth_jwks": self.jwks}


ISSUER = TestIssuer()
