"""Signing in to the console through the real identity provider (issue 16 items 1 and 7): the
password grant done by the console, the tokens in HttpOnly cookies, refreshed before expiry,
checked by the console and by a real service it calls as the person, revoked at sign-out.

The provider runs as its own process (``python -m services.identity``); its first operator is
made with ``orderflow users add``, the other users by that operator over the provider's API.
Its access tokens live 30 s here, less than the console's refresh margin, so every request of
the console refreshes: the refresh path is always taken."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from contracts.roles import Role
from services.console.domain.i18n import TEXTS
from services.console.main import build_app
from services.console.settings import ConsoleSettings
from services.warehouse.main import routers
from shared.http import create_app
from shared.runtime import ServiceRuntime
from tests.infra import Infra
from tests.integration.console.conftest import NOWHERE, serving

pytest.importorskip("services.identity.main", reason="the identity provider is not on this branch")

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
async def console(
    identity: str, trusting_warehouse: ServiceRuntime, infra: Infra
) -> AsyncIterator[object]:
    app = create_app(trusting_warehouse, routers(), manage_runtime=False)
    async with serving(app) as warehouse_url:
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


async def test_a_wrong_password_is_refused_and_sets_no_session(browser, new_user):
    username, _ = await new_user(Role.SALES_DESK)
    answer = await post(browser, "/login", {"username": username, "password": "not-it-at-all"})
    assert answer.status_code == 401
    assert answer.json()["detail"].startswith(TEXTS["login.refused"][0])
    assert "orderflow_access" not in cookies(answer)


async def test_the_operator_signs_in_acts_as_themself_at_a_service_and_signs_out(
    browser, new_user, identity, trusting_warehouse
):
    username, password = await new_user(Role.OPERATOR)
    await browser.get("/login")
    before = browser.cookies.get("orderflow_sid")
    signed = await post(
        browser, "/login", {"username": username, "password": password, "next": "/dead-letters"}
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["ok"] is True and signed.json()["redirect"] == "/dead-letters"
    set_now = cookies(signed)
    for name in ("orderflow_access", "orderflow_refresh", "orderflow_sid"):
        assert "HttpOnly" in set_now[name] and "SameSite=strict" in set_now[name], name
    assert browser.cookies.get("orderflow_sid") != before, "a new session id at sign-in"

    first_refresh = browser.cookies.get("orderflow_refresh")
    page = await browser.get("/dead-letters")
    assert page.status_code == 200, page.text
    assert f">{username} 测试</strong>" in page.text, "greeted by the account's display name"
    warehouse = trusting_warehouse
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


async def test_a_disabled_person_is_signed_out_at_the_next_request(browser, new_user, accounts):
    username, password = await new_user(Role.AUDITOR)
    assert (await post(browser, "/login", {"username": username, "password": password})).is_success
    assert (await browser.get("/dead-letters")).status_code == 200
    await accounts.disable(username)
    answer = await browser.get("/dead-letters")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert "Max-Age=0" in cookies(answer)["orderflow_access"]


async def test_the_accounts_language_is_the_consoles(browser, new_user):
    username, password = await new_user(Role.AUDITOR, locale="en")
    signed = await post(browser, "/login", {"username": username, "password": password})
    assert signed.json()["message"] == "已登录", "before sign-in: the console's default"
    page = await browser.get("/dead-letters")
    assert "Signed in as" in page.text and "Operations" in page.text
