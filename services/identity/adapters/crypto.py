"""Password hashes (argon2id through pwdlib) and the RSA key that signs tokens (PyJWT).

Hashing takes a deliberate ~0.2 s of CPU: it runs in a worker thread so the event loop keeps
answering other requests meanwhile.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
from functools import cached_property
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

ALGORITHM = "RS256"


class PasswordHasher:
    def __init__(self) -> None:
        self._hash = PasswordHash((Argon2Hasher(),))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, hashed: str | None) -> tuple[bool, str | None]:
        """(right, a new hash when the stored one uses weaker parameters than today's).

        An unknown user is checked against a hash of nothing, so the answer takes as long as for
        a known one and does not tell which usernames exist."""
        stored = hashed or self._nobody
        right, updated = await asyncio.to_thread(self._hash.verify_and_update, password, stored)
        return (right and hashed is not None), updated

    @cached_property
    def _nobody(self) -> str:
        return self._hash.hash(secrets.token_urlsafe(16))


class SigningKey:
    """An RSA key pair; its key id is the RFC 7638 thumbprint of the public key."""

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self._key = private_key

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def from_pem(cls, pem: str | bytes) -> SigningKey:
        key = serialization.load_pem_private_key(
            pem.encode() if isinstance(pem, str) else pem, password=None
        )
        if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
            raise ValueError("the signing key must be an RSA private key of at least 2048 bits")
        return cls(key)

    def pem(self) -> str:
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    @cached_property
    def public_jwk(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        essential = {"e": public["e"], "kty": "RSA", "n": public["n"]}
        canonical = json.dumps(essential, separators=(",", ":"), sort_keys=True).encode()
        kid = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()
        return {**essential, "kid": kid, "use": "sig", "alg": ALGORITHM}

    @property
    def kid(self) -> str:
        return str(self.public_jwk["kid"])

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.kid})


def new_refresh_token() -> str:
    """256 random bits: unguessable, so it is stored as a plain SHA-256 (no salt needed)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
