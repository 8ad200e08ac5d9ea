"""The identity provider as a process holds (``Provider``), and what a use case gets per unit of
work (``Work``): the repositories over one transaction and the time it runs at."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.adapters.crypto import PasswordHasher
from services.identity.adapters.repositories import (
    LoginFailureRepository,
    RefreshTokenRepository,
    SigningKeyRepository,
    UserRepository,
)
from services.identity.app.keys import KeyRing
from services.identity.domain.tokens import Throttle, TokenPolicy
from services.identity.settings import IdentitySettings
from shared import db
from shared.auth import Actor, TokenVerifier
from shared.clock import Clock, SystemClock
from shared.errors import Unauthenticated
from shared.metrics import KitMetrics
from shared.migrate import upgrade_async

log = structlog.get_logger("orderflow.identity")


class Work:
    """Repositories over one transaction; ``now`` read once when it opens."""

    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now
        self.users = UserRepository(session)
        self.refresh_tokens = RefreshTokenRepository(session)
        self.failures = LoginFailureRepository(session)
        self.keys = SigningKeyRepository(session)


class Provider:
    """Settings in; database, keys, hasher and policies out. Nothing connects until ``start``.

    Its clock is the real one whatever the settings' simulated clock says: every verifier checks
    a token's ``exp`` against its own system clock."""

    def __init__(
        self,
        settings: IdentitySettings,
        *,
        clock: Clock | None = None,
        migrations: Path | None = None,
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.migrations = migrations
        self.policy = TokenPolicy(
            issuer=settings.issuer,
            audience=settings.audience,
            access_ttl=timedelta(seconds=settings.access_token_ttl_s),
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_s),
        )
        self.throttle = Throttle(
            settings.free_login_failures, timedelta(seconds=settings.max_login_delay_s)
        )
        self.hasher = PasswordHasher()
        self.keys = KeyRing(
            settings.issuer, settings.audience, self.policy.access_ttl, settings.signing_key_file
        )
        self.metrics = KitMetrics()
        self.engine = db.make_engine(settings)
        self.sessions = db.make_sessionmaker(self.engine)

    @asynccontextmanager
    async def work(self) -> AsyncIterator[Work]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        async with self.sessions() as session, session.begin():
            yield Work(session, self.clock.now())

    async def start(self) -> None:
        """Migrate and load the signing keys (making the first one), waiting for the database
        while it is away, for up to ``startup_timeout_s``."""
        deadline = time.monotonic() + self.settings.startup_timeout_s
        attempt = 0
        while True:
            try:
                if self.migrations is not None:
                    await upgrade_async(self.settings, self.migrations)
                await self.signing_keys()
                break
            except Exception as exc:
                attempt += 1
                if not db.unavailable(exc) or time.monotonic() > deadline:
                    raise
                delay = min(5.0, 0.2 * 2**attempt)
                log.warning("database_unavailable_at_start", error=str(exc), retry_in_s=delay)
                await asyncio.sleep(delay)
        log.info("identity_started", issuer=self.settings.issuer, kid=self.keys.current_kid)

    async def stop(self) -> None:
        await self.engine.dispose()

    async def signing_keys(self) -> KeyRing:
        """The key ring, re-read from the database when it is older than a minute."""
        if self.keys.stale:
            async with self.work() as w:
                await self.keys.load(w.keys, w.now)
        return self.keys

    async def verify(self, token: str) -> Actor:
        """The caller of an admin route or of ``/userinfo``: a token this issuer signed."""
        verifier: TokenVerifier | None = (await self.signing_keys()).verifier
        if verifier is None:
            raise Unauthenticated("the issuer has no signing key yet")
        return await verifier.verify(token)

    async def readiness(self) -> dict[str, bool]:
        return {
            "database": await db.ping(self.engine),
            "signing_key": self.keys.current is not None,
        }
