"""The identity provider as a real HTTP server: a service's verifier, made from nothing but the
issuer's URL as its settings give it, fetches the keys itself and accepts the tokens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn

from contracts.roles import Role
from services.identity.app import users
from services.identity.app.unit import Provider
from services.identity.main import build_app, build_provider
from shared.auth import TokenVerifier
from shared.config import ServiceSettings
from shared.errors import Unauthenticated
from tests.harness import eventually, free_port
from tests.infra import Infra
from tests.integration.identity.conftest import PASSWORD, identity_settings


@pytest.fixture
async def served(infra: Infra, namespace: str) -> AsyncIterator[Provider]:
    port = free_port()
    provider = build_provider(
        identity_settings(infra, namespace, issuer=f"http://127.0.0.1:{port}")
    )
    config = uvicorn.Config(build_app(provider), host="127.0.0.1", port=port, log_config=None)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())

    async def up() -> bool:
        return server.started

    await eventually(up, timeout=30)
    yield provider
    server.should_exit = True
    await serving


async def test_a_service_verifies_tokens_with_the_keys_it_fetches(served: Provider):
    issuer = served.settings.issuer
    username = f"floor.{issuer.rsplit(':', 1)[1]}"
    await users.add_user(served, username, PASSWORD, [Role.SHOP_FLOOR])
    async with httpx.AsyncClient(base_url=issuer) as client:
        signed_in = await client.post(
            "/token", data={"grant_type": "password", "username": username, "password": PASSWORD}
        )
    assert signed_in.status_code == 200, signed_in.text
    access = signed_in.json()["access_token"]
    verifier = TokenVerifier(ServiceSettings(auth_issuer=issuer).auth_config())
    actor = await verifier.verify(access)
    assert actor.name == username and actor.roles == {"shop_floor"}
    with pytest.raises(Unauthenticated):
        await verifier.verify(access[:-4] + "AAAA")
