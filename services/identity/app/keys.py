"""The keys tokens are signed with: one current key, and the keys retired recently enough that
tokens they signed may still be valid (published in the JWKS until those tokens expire).

Generated at first start and kept in the schema, or read from a PEM file (production). A process
re-reads the table at most every ``RELOAD_S``, so a rotation reaches every replica.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from services.identity.adapters.crypto import SigningKey
from services.identity.adapters.repositories import SigningKeyRepository
from shared.auth import AuthConfig, TokenVerifier

RELOAD_S = 60.0
# Tokens a retired key signed stay valid up to their expiry plus the verifiers' clock leeway.
LEEWAY = timedelta(minutes=5)


class KeyRing:
    def __init__(self, issuer: str, audience: str, access_ttl: timedelta, key_file: str) -> None:
        self._issuer, self._audience = issuer, audience
        self._access_ttl = access_ttl
        self._key_file = key_file
        self.current: SigningKey | None = None
        self.published: list[SigningKey] = []
        self.verifier: TokenVerifier | None = None
        self._loaded_at = -1e9

    @property
    def current_kid(self) -> str | None:
        return None if self.current is None else self.current.kid

    @property
    def stale(self) -> bool:
        return self.current is None or time.monotonic() - self._loaded_at > RELOAD_S

    async def load(self, keys: SigningKeyRepository, now: datetime) -> None:
        if self._key_file:
            pem = await asyncio.to_thread(Path(self._key_file).read_bytes)
            self._set([SigningKey.from_pem(pem)])
            return
        since = now - self._access_ttl - LEEWAY
        rows = await keys.published(since)
        if not any(retired is None for _, _, retired in rows):
            await keys.lock()
            rows = await keys.published(since)
            if not any(retired is None for _, _, retired in rows):
                await self._generate(keys, now)
                rows = await keys.published(since)
        current = [SigningKey.from_pem(pem) for _, pem, retired in rows if retired is None]
        retired = [SigningKey.from_pem(pem) for _, pem, r in rows if r is not None]
        self._set(current[:1] + retired + current[1:])

    async def rotate(self, keys: SigningKeyRepository, now: datetime) -> str:
        """A new current key; the others retire and stay published while their tokens live."""
        if self._key_file:
            raise RuntimeError("the signing key comes from a file: replace the file to rotate it")
        kid = await self._generate(keys, now)
        await self.load(keys, now)
        return kid

    async def _generate(self, keys: SigningKeyRepository, now: datetime) -> str:
        key = SigningKey.generate()
        await keys.add(key.kid, key.pem(), now)
        await keys.retire_all_but(key.kid, now)
        return key.kid

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk for k in self.published]}

    def _set(self, keys: list[SigningKey]) -> None:
        self.current = keys[0]
        self.published = list({k.kid: k for k in keys}.values())
        config = AuthConfig(self._issuer, self._audience, jwks=json.dumps(self.jwks()))
        self.verifier = TokenVerifier(config)
        self._loaded_at = time.monotonic()
