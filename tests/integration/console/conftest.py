"""The console in process over a real service served on a real port, the real broker and
database; signed-in people carry tokens of the test issuer, which the console and the service
both trust."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from contracts.roles import Role
from orderflow.services import ServiceProcess
from orderflow.supervisor import Supervisor
from services.console.main import build_app
from services.console.settings import ConsoleSettings
from services.customer_service import main as customer_service
from services.customer_service.settings import CustomerServiceSettings
from services.warehouse.main import build_runtime, routers
from services.warehouse.settings import WarehouseSettings
from shared.http import create_app
from shared.runtime import ServiceRuntime
from tests.harness import eventually, free_port, settings_for
from tests.identity import ISSUER
from tests.infra import Infra

NOWHERE = "http://127.0.0.1:9"
ORDERFLOW = str(Path(sys.executable).parent / "orderflow")


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
    customer_service: ServiceRuntime

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
async def console_customer_service(infra: Infra, namespace: str) -> AsyncIterator[ServiceRuntime]:
    settings = settings_for(
        CustomerServiceSettings, infra, f"{namespace}console.", "customer_service"
    )
    runtime = customer_service.build_runtime(settings)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


@pytest.fixture(scope="session")
async def console(
    console_warehouse: ServiceRuntime, console_customer_service: ServiceRuntime, infra: Infra
) -> AsyncIterator[Console]:
    """The console over a real warehouse and a real customer service (the other three are not
    running: their parts of the pages say so)."""
    warehouse_app = create_app(console_warehouse, routers(), manage_runtime=False)
    service_app = create_app(
        console_customer_service, customer_service.routers(), manage_runtime=False
    )
    async with serving(warehouse_app) as warehouse_url, serving(service_app) as service_url:
        settings = ConsoleSettings(
            auth_issuer=ISSUER.issuer,
            auth_jwks=ISSUER.jwks,
            amqp_url=infra.amqp_url,
            **{f"{name}_url": NOWHERE for name in ConsoleSettings().service_urls()},  # type: ignore[arg-type]
        )
        settings.warehouse_url = warehouse_url
        settings.customer_service_url = service_url
        built = build_app(settings)
        async with built.router.lifespan_context(built):
            yield Console(
                built, "http://127.0.0.1:8000", console_warehouse, console_customer_service
            )


# --- the real identity provider, for signing in through the login page ----------------


@pytest.fixture(scope="session")
def identity_env(infra: Infra, namespace: str) -> dict[str, str]:
    schema = f"{namespace.replace('.', '_').rstrip('_')}_console_identity"
    return {
        **os.environ,
        "IDENTITY_DATABASE_URL": infra.database_url,
        "IDENTITY_DB_SCHEMA": schema,
        "IDENTITY_ACCESS_TOKEN_TTL_S": "30",
        "IDENTITY_LOG_JSON": "true",
        "IDENTITY_LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
async def identity(identity_env: dict[str, str]) -> AsyncIterator[str]:
    """The provider as its own process on a free port; yields its issuer URL."""
    pytest.importorskip("services.identity.main", reason="no identity provider on this branch")
    process = ServiceProcess("identity", free_port())
    env = {**identity_env, "IDENTITY_ISSUER": process.base_url()}
    log_path = Path(tempfile.gettempdir()) / f"orderflow-console-identity-{process.port}.log"
    with log_path.open("w") as logs:
        supervisor = Supervisor([process], env=env, log_to=logs)
        await supervisor.start()
        try:
            await supervisor.wait_ready(within_s=60)
            yield process.base_url()
        finally:
            await supervisor.stop()


async def users(env: dict[str, str], *args: str, password: str | None = None) -> str:
    """``orderflow users ...`` against the provider's schema, as whoever runs the machine."""
    command = await asyncio.create_subprocess_exec(
        ORDERFLOW,
        "users",
        *args,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await command.communicate(f"{password}\n".encode() if password else None)
    assert command.returncode == 0, out.decode()
    return out.decode()


@dataclass
class Accounts:
    """The provider's user admin, as an operator made with ``orderflow users add``."""

    identity: str
    admin: tuple[str, str]

    async def add(self, role: Role, locale: str = "zh-CN") -> tuple[str, str]:
        """A new user of this role (``POST /users``): (username, password)."""
        username = f"{role.value.replace('_', '-')}.{uuid.uuid4().hex[:6]}"
        password = secrets.token_urlsafe(18)
        body = {
            "username": username,
            "password": password,
            "roles": [role.value],
            "name": f"{username} 测试",
            "locale": locale,
        }
        async with self._as_admin() as client:
            made = await client.post("/users", json=body)
        assert made.status_code == 201, made.text
        return username, password

    async def disable(self, username: str) -> None:
        async with self._as_admin() as client:
            done = await client.post(f"/users/{username}/disable")
        assert done.status_code == 200, done.text

    @asynccontextmanager
    async def _as_admin(self) -> AsyncIterator[httpx.AsyncClient]:
        # a token of its own each time: they live 30 s here
        async with httpx.AsyncClient(base_url=self.identity, timeout=30) as client:
            username, password = self.admin
            form = {"grant_type": "password", "username": username, "password": password}
            signed = await client.post("/token", data=form)
            assert signed.status_code == 200, signed.text
            client.headers["Authorization"] = f"Bearer {signed.json()['access_token']}"
            yield client


@pytest.fixture(scope="session")
async def accounts(identity: str, identity_env: dict[str, str]) -> Accounts:
    """The first operator made at the machine, as the README says; the rest by them."""
    admin = (f"admin.{uuid.uuid4().hex[:6]}", secrets.token_urlsafe(18))
    await users(
        identity_env, "add", admin[0], "--role", "operator", "--password-stdin", password=admin[1]
    )
    return Accounts(identity, admin)


@pytest.fixture(scope="session")
def new_user(accounts: Accounts):
    return accounts.add


@pytest.fixture(scope="session")
async def trusting_warehouse(
    infra: Infra, namespace: str, identity: str
) -> AsyncIterator[ServiceRuntime]:
    """A warehouse trusting the provider (its keys fetched from its JWKS), served on a port."""
    settings = settings_for(
        WarehouseSettings,
        infra,
        f"{namespace}signin.",
        "warehouse",
        auth_issuer=identity,
        auth_jwks="",
    )
    runtime = build_runtime(settings)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
