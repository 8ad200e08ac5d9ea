"""Signing in to the console through the real identity provider (issue 16 items 1 and 7): the
password grant done by the console, the tokens in HttpOnly cookies, refreshed before expiry,
checked by the console and by a real service it calls as the person, revoked at sign-out.

The provider runs as its own process (``python -m services.identity``); its users are made with
``orderflow users add``. Its access tokens live 30 s here, less than the console's refresh
margin, so every request of the console refreshes: the refresh path is always taken."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from contracts.roles import Role
from orderflow.services import ServiceProcess
from orderflow.supervisor import Supervisor
from services.console.domain.i18n import TEXTS
from services.console.main import build_app
from services.console.settings import ConsoleSettings
from services.warehouse.main import build_runtime, routers
from services.warehouse.settings import WarehouseSettings
from shared.http import create_app
from shared.runtime import ServiceRuntime
from tests.harness import free_port, settings_for
from tests.infra import Infra
from tests.integration.console.conftest import NOWHERE, serving

pytest.importorskip("services.identity.main", reason="the identity provider is not on this branch")

BASE = "http://127.0.0.1:8000"
ORDERFLOW = str(Path(sys.executable).parent / "orderflow")


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
async def identity(identity_env: dict[str, str]) -> AsyncIterator[str]:
    """The provider as its own process on a free port; yields its issuer URL."""
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


@pytest.fixture(scope="module")
async def person(identity: str, identity_env: dict[str, str]):
    """Make a user with ``orderflow users add``: (username, password)."""

    async def make(role: Role, locale: str = "zh-CN") -> tuple[str, str]:
        username = f"{role.value.replace('_', '-')}.{uuid.uuid4().hex[:6]}"
        password = secrets.token_urlsafe(18)
        args = ["add", username, "--role", role.value, "--locale", locale, "--password-stdin"]
        await users(identity_env, *args, "--name", f"{username} 测试", password=password)
        return username, password

    return make


@pytest.fixture(scope="module")
async def warehouse(infra: Infra, namespace: str, identity: str) -> AsyncIterator[ServiceRuntime]:
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


@pytest.fixture(scope="module")
async def console(identity: str, warehouse: ServiceRuntime, infra: Infra) -> AsyncIterator[object]:
    async with serving(create_app(warehouse, routers(), manage_runtime=False)) as warehouse_url:
        urls = {f"{name}_url": NOWHERE for name in ConsoleSettings().service_urls()}
        settings = ConsoleSettings(
            auth_issuer=identity,
            amqp_url=infra.amqp_url,
            **{**urls, "warehouse_url": warehouse_url},  # type: ignore[arg-type]
        )
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            yield app


@pytest.fixture
async def browser(console) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=console)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


async def post(browser: httpx.AsyncClient, path: str, body: dict[str, object]) -> httpx.Response:
    page = await browser.get("/login")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert token
    headers = {"Origin": BASE, "X-CSRF-Token": token.group(1)}
    return await browser.post(path, json=body, headers=headers)


def cookies(answer: httpx.Response) -> dict[str, str]:
    """Each Set-Cookie of an answer: name -> the whole header."""
    return {c.split("=", 1)[0]: c for c in answer.headers.get_list("set-cookie")}


async def test_a_wrong_password_is_refused_and_sets_no_session(browser, person):
    username, _ = await person(Role.SALES_DESK)
    answer = await post(browser, "/login", {"username": username, "password": "not-it-at-all"})
    assert answer.status_code == 401
    assert answer.json()["detail"].startswith(TEXTS["login.refused"][0])
    assert "orderflow_access" not in cookies(answer)


async def test_the_operator_signs_in_acts_as_themself_at_a_service_and_signs_out(
    browser, person, identity, warehouse
):
    username, password = await person(Role.OPERATOR)
    await browser.get("/login")
    before = browser.cookies.get("orderflow_sid")
    signed = await post(
        browser, "/login", {"username": username, "password": password, "next": "/dead-letters"}
    )
    assert signed.status_code == 200, signed.text
    assert signed.json() == {"ok": True, "message": "已登录", "redirect": "/dead-letters"}
    set_now = cookies(signed)
    for name in ("orderflow_access", "orderflow_refresh", "orderflow_sid"):
        assert "HttpOnly" in set_now[name] and "SameSite=strict" in set_now[name], name
    assert browser.cookies.get("orderflow_sid") != before, "a new session id at sign-in"

    first_refresh = browser.cookies.get("orderflow_refresh")
    page = await browser.get("/dead-letters")
    assert page.status_code == 200, page.text
    assert f"{username} 测试" in page.text
    dlq = warehouse.topology.dead_letter_queue(warehouse.routes[0].queue)
    assert f"<li>{dlq}:" in page.text, "the warehouse took the person's token from the console"
    assert browser.cookies.get("orderflow_refresh") != first_refresh, "refreshed, rotated"

    last_refresh = browser.cookies.get("orderflow_refresh")
    out = await post(browser, "/logout", {})
    assert out.status_code == 200 and out.json()["redirect"] == "/login"
    assert (await browser.get("/dead-letters")).status_code == 303
    async with httpx.AsyncClient(base_url=identity) as provider:
        reused = await provider.post(
            "/token", data={"grant_type": "refresh_token", "refresh_token": str(last_refresh)}
        )
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


async def test_a_disabled_person_is_signed_out_at_the_next_request(browser, person, identity_env):
    username, password = await person(Role.AUDITOR)
    assert (await post(browser, "/login", {"username": username, "password": password})).is_success
    assert (await browser.get("/dead-letters")).status_code == 200
    await users(identity_env, "disable", username)
    answer = await browser.get("/dead-letters")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert "Max-Age=0" in cookies(answer)["orderflow_access"]


async def test_the_accounts_language_is_the_consoles(browser, person):
    username, password = await person(Role.AUDITOR, locale="en")
    signed = await post(browser, "/login", {"username": username, "password": password})
    assert signed.json()["message"] == "已登录", "before sign-in: the console's default"
    page = await browser.get("/dead-letters")
    assert "Signed in as" in page.text and "Operations" in page.text
