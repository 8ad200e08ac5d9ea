"""The console in process over a real service served on a real port, the real broker and
database; signed-in people carry tokens of the test issuer, which the console and the service
both trust."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from contracts.roles import Role
from services.console.main import build_app
from services.console.settings import ConsoleSettings
from services.warehouse.main import build_runtime, routers
from services.warehouse.settings import WarehouseSettings
from shared.http import create_app
from shared.runtime import ServiceRuntime
from tests.harness import eventually, free_port, settings_for
from tests.identity import ISSUER
from tests.infra import Infra

NOWHERE = "http://127.0.0.1:9"


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """``app`` over real HTTP on a free port of this machine, until the block ends."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        if task.done():
            task.result()  # raises what stopped it
        return server.started

    await eventually(started, timeout=30)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass
class Console:
    app: FastAPI
    base_url: str
    warehouse: ServiceRuntime

    @asynccontextmanager
    async def person(self, name: str, *roles: Role) -> AsyncIterator[Browser]:
        """A browser of this person's, signed in (the token in the console's cookie)."""
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
            host = client.base_url.host
            client.cookies.set("orderflow_access", ISSUER.token(name, *roles), domain=host)
            yield Browser(client)


@dataclass
class Browser:
    client: httpx.AsyncClient

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.client.get(path, params=params)

    async def post(self, path: str, body: dict[str, object]) -> httpx.Response:
        """As the console's script does: JSON, from the page's origin, with its CSRF token."""
        page = await self.client.get("/login")
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        assert token, page.text
        headers = {"Origin": str(self.client.base_url), "X-CSRF-Token": token.group(1)}
        return await self.client.post(path, json=body, headers=headers)


@pytest.fixture(scope="session")
async def console_warehouse(infra: Infra, namespace: str) -> AsyncIterator[ServiceRuntime]:
    """A warehouse of its own (its own queues and schema), served on a real port."""
    settings = settings_for(WarehouseSettings, infra, f"{namespace}console.", "warehouse")
    runtime = build_runtime(settings)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


@pytest.fixture(scope="session")
async def console(console_warehouse: ServiceRuntime, infra: Infra) -> AsyncIterator[Console]:
    app = create_app(console_warehouse, routers(), manage_runtime=False)
    async with serving(app) as warehouse_url:
        settings = ConsoleSettings(
            auth_issuer=ISSUER.issuer,
            auth_jwks=ISSUER.jwks,
            amqp_url=infra.amqp_url,
            **{f"{name}_url": NOWHERE for name in ConsoleSettings().service_urls()},  # type: ignore[arg-type]
        )
        settings.warehouse_url = warehouse_url
        built = build_app(settings)
        async with built.router.lifespan_context(built):
            yield Console(built, "http://127.0.0.1:8000", console_warehouse)
