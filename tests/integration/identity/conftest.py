"""The identity provider against the real database (a schema of this run's own), served over
ASGI, on a clock the tests move; and helpers to sign in."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from contracts.roles import Role
from services.identity.app import users
from services.identity.app.unit import Provider
from services.identity.main import build_app, build_provider
from services.identity.settings import IdentitySettings
from shared.clock import SimulatedClock
from tests.harness import now
from tests.infra import Infra

ISSUER = "http://identity.test"
PASSWORD = "correct horse battery staple"


def identity_settings(infra: Infra, namespace: str, **overrides: object) -> IdentitySettings:
    base: dict[str, object] = {
        "database_url": infra.database_url,
        "db_schema": f"{namespace.replace('.', '_').rstrip('_')}_identity",
        "issuer": ISSUER,
        "free_login_failures": 3,
        "db_pool_size": 4,
    }
    return IdentitySettings(**{**base, **overrides})


@dataclass
class Identity:
    provider: Provider
    http: httpx.AsyncClient
    clock: SimulatedClock | None

    async def user(self, *roles: Role, password: str = PASSWORD, **kw: object) -> str:
        """A new user with these roles; returns the username."""
        username = f"u{uuid.uuid4().hex[:10]}"
        await users.add_user(self.provider, username, password, roles, **kw)  # type: ignore[arg-type]
        return username

    async def token(self, username: str, password: str = PASSWORD) -> httpx.Response:
        return await self.http.post(
            "/token", data={"grant_type": "password", "username": username, "password": password}
        )

    async def tokens(self, username: str, password: str = PASSWORD) -> dict[str, object]:
        response = await self.token(username, password)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def refresh(self, refresh_token: object) -> httpx.Response:
        return await self.http.post(
            "/token", data={"grant_type": "refresh_token", "refresh_token": str(refresh_token)}
        )

    async def bearer(self, *roles: Role) -> dict[str, str]:
        access = (await self.tokens(await self.user(*roles)))["access_token"]
        return {"Authorization": f"Bearer {access}"}

    def later(self, **delta: float) -> None:
        assert self.clock is not None, "use the 'moving' fixture to move the clock"
        self.clock.advance(timedelta(**delta))


@asynccontextmanager
async def serving(provider: Provider, clock: SimulatedClock | None) -> AsyncIterator[Identity]:
    await provider.start()
    app = build_app(provider, manage=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as client:
        yield Identity(provider, client, clock)
    await provider.stop()


@pytest.fixture(scope="session")
async def identity(infra: Infra, namespace: str) -> AsyncIterator[Identity]:
    """On the real clock: its tokens are checked by verifiers that read the system clock."""
    provider = build_provider(identity_settings(infra, namespace))
    async with serving(provider, None) as served:
        yield served


@pytest.fixture
async def moving(infra: Infra, namespace: str) -> AsyncIterator[Identity]:
    """The same schema, on a clock the test moves (``later``): for throttling and expiry."""
    clock = SimulatedClock(now())
    provider = build_provider(identity_settings(infra, namespace), clock=clock)
    async with serving(provider, clock) as served:
        yield served
