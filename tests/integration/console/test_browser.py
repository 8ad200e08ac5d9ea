"""The console in headless Chromium, served on a real port, people signing in through the real
identity provider on its login page; a real warehouse behind it (the other services are not
running, and the pages say so). The whole system's browser tests are in tests/e2e."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import aio_pika
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from contracts.roles import Role
from services.console.main import build_app
from services.console.settings import ConsoleSettings
from services.warehouse.main import routers
from shared import deadletters
from shared.http import create_app
from shared.runtime import ServiceRuntime
from tests.harness import eventually
from tests.infra import Infra
from tests.integration.console.conftest import NOWHERE, serving

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
EVIL = "http://evil.test"
WAIT_MS = 20_000
HAVE_CHROMIUM = Path(CHROMIUM).exists()

SignedIn = Callable[[Role], AbstractAsyncContextManager[Page]]


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh installs it)")
    async with async_playwright() as p:
        found = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield found
        await found.close()


@pytest.fixture(scope="module")
async def console_url(
    identity: str, trusting_warehouse: ServiceRuntime, infra: Infra
) -> AsyncIterator[str]:
    async with serving(create_app(trusting_warehouse, routers(), manage_runtime=False)) as wh:
        urls = {f"{name}_url": NOWHERE for name in ConsoleSettings().service_urls()}
        settings = ConsoleSettings(
            auth_issuer=identity,
            amqp_url=infra.amqp_url,
            refresh_s=1,
            **{**urls, "warehouse_url": wh},  # type: ignore[arg-type]
        )
        async with serving(build_app(settings)) as url:
            yield url


@pytest.fixture
def signed_in(browser: Browser, console_url: str, new_user) -> SignedIn:
    """A new user of this role, signed in on the login page of a browser of their own; script
    errors and Content-Security-Policy violations fail the test."""

    @asynccontextmanager
    async def open_as(role: Role) -> AsyncIterator[Page]:
        username, password = await new_user(role)
        context = await browser.new_context(base_url=console_url, locale="zh-CN")
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        try:
            await page.goto("/dead-letters")
            await page.locator("#login input[name=username]").fill(username)
            await page.locator("#login input[name=password]").fill(password)
            await page.locator("#login button[type=submit]").click()
            await page.wait_for_url("**/dead-letters", timeout=WAIT_MS)
            yield page
        finally:
            await context.close()
        assert errors == [], errors

    return open_as


@pytest.fixture
async def poison(trusting_warehouse: ServiceRuntime, infra: Infra) -> AsyncIterator[str]:
    """A malformed message the warehouse dead-lettered; yields its id."""
    queue = trusting_warehouse.routes[0].queue
    dlq = trusting_warehouse.topology.dead_letter_queue(queue)
    message_id = f"browser-poison-{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.default_exchange.publish(
            aio_pika.Message(b"{not json", message_id=message_id), routing_key=queue
        )

        async def dead() -> bool:
            letters = await deadletters.list_dead_letters(infra.amqp_url, dlq)
            return any(x.message_id == message_id for x in letters)

        await eventually(dead, timeout=60, interval=0.2)
        yield message_id
        for name in (queue, dlq):
            await (await channel.declare_queue(name, passive=True)).purge()


async def test_signing_in_on_the_page_and_out_again(browser, console_url, new_user):
    username, password = await new_user(Role.AUDITOR)
    context = await browser.new_context(base_url=console_url, locale="zh-CN")
    try:
        page = await context.new_page()
        answer = await page.goto("/dead-letters")
        assert answer is not None and "/login?next=%2Fdead-letters" in answer.url
        csp = answer.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"
        await page.locator("#login input[name=username]").fill(username)
        await page.locator("#login input[name=password]").fill("wrong-password-here")
        await page.locator("#login button[type=submit]").click()
        await expect(page.locator("#login .result.error")).to_contain_text("用户名或密码不正确")
        await page.locator("#login input[name=password]").fill(password)
        await page.locator("#login button[type=submit]").click()
        await page.wait_for_url("**/dead-letters", timeout=WAIT_MS)
        await expect(page.locator("#signed-in-as")).to_contain_text(f"{username} 测试")
        await page.locator("#lang-switch").click()
        await expect(page.locator("#signed-in-as")).to_contain_text("Signed in as")
        await page.locator("#logout button").click()
        await page.wait_for_url("**/login", timeout=WAIT_MS)
        await page.goto("/dead-letters")
        await expect(page.locator("#login")).to_be_visible()
    finally:
        await context.close()


async def test_the_operator_confirms_a_replay_on_the_page(signed_in, poison):
    async with signed_in(Role.OPERATOR) as page:
        row = page.locator(f"tr[data-message-id='{poison}']")
        await row.locator("button[type=submit]").click()
        step = row.locator(".confirm-step")
        await expect(step).to_contain_text("1 条消息")
        await expect(row.locator(".result.ok")).to_have_count(0)
        await step.locator(".confirm-yes").click()
        await expect(row.locator(".result.ok")).to_contain_text("重新投递 1", timeout=WAIT_MS)

        rebuild = page.locator("#rebuild")  # customer service is not running here
        await rebuild.locator("button[type=submit]").click()
        await rebuild.locator(".confirm-yes").click()
        await expect(rebuild.locator(".result.error")).to_contain_text("customer_service")


async def test_the_auditor_sees_dead_letters_but_no_replay(signed_in, poison):
    async with signed_in(Role.AUDITOR) as page:
        await expect(page.locator(f"tr[data-message-id='{poison}']")).to_be_visible()
        assert await page.locator("form[data-action='/act/dead-letters/replay']").count() == 0
        assert await page.locator("#rebuild").count() == 0


async def test_a_cross_site_text_plain_post_is_refused(signed_in, poison, console_url, infra):
    """Another site's form in the operator's browser, posting a JSON-looking text/plain body."""
    async with signed_in(Role.OPERATOR) as page:
        form = (
            "<!doctype html><html><body>"
            f'<form method="POST" enctype="text/plain" '
            f'action="{console_url}/act/dead-letters/replay">'
            f'<input name=\'{{"queue": "x", "message_id": "{poison}", "pad": "\' '
            "value='\"}'></form>"
            "<script>document.forms[0].submit()</script></body></html>"
        )
        await page.route(
            f"{EVIL}/**", lambda route: route.fulfill(content_type="text/html", body=form)
        )
        async with page.expect_response(lambda r: r.url.endswith("/replay")) as forged:
            await page.goto(f"{EVIL}/prize")
        assert (await forged.value).status == 403
        await page.goto("/dead-letters")
        await expect(page.locator(f"tr[data-message-id='{poison}']")).to_be_visible()
