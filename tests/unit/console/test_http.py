"""The console's own HTTP surface, in process (issue 16 item 7): sign-in required, roles
declared on every route, CSRF token and origin check on every POST, JSON only, security
headers, trusted hosts, session cookies, language.

No service and no identity provider runs here: every check below happens before the console
calls either (an unreachable one shows as such). Tokens are real, from the test issuer, and
checked by the console's real verifier; tests/integration/console runs the rest against real
services and the real identity provider."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI

from contracts.roles import Role
from services.console.domain.i18n import TEXTS
from services.console.main import build_app
from services.console.settings import ConsoleSettings
from shared.access import api_routes, declaration
from tests.identity import ISSUER

NOWHERE = "http://127.0.0.1:9"  # nothing listens on the discard port
BASE = "http://127.0.0.1:8000"
SELF = {"Origin": BASE}


def settings(**overrides: object) -> ConsoleSettings:
    found: dict[str, object] = {
        "auth_issuer": ISSUER.issuer,
        "auth_jwks": ISSUER.jwks,
        "auth_token_url": f"{NOWHERE}/token",
        "auth_revocation_url": f"{NOWHERE}/revoke",
        "session_secret": "a test secret of the console",
        **{f"{name}_url": NOWHERE for name in ConsoleSettings().service_urls()},
        **overrides,
    }
    return ConsoleSettings(**found)  # type: ignore[arg-type]


@pytest.fixture
async def app() -> AsyncIterator[FastAPI]:
    built = build_app(settings())
    async with built.router.lifespan_context(built):
        yield built


@pytest.fixture
async def web(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


def sign_in(client: httpx.AsyncClient, name: str, *roles: Role | str, **claims: object) -> None:
    """As the login would leave it: the access token in its cookie (for the console's host,
    as a cookie the console set would be)."""
    token = ISSUER.token(name, *roles, **claims)
    client.cookies.set("orderflow_access", token, domain=client.base_url.host)


async def csrf(client: httpx.AsyncClient) -> str:
    """The token of this client's session, from a page's meta tag."""
    page = await client.get("/login")
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


async def post(client: httpx.AsyncClient, path: str, body: object = None) -> httpx.Response:
    token = await csrf(client)
    headers = {**SELF, "X-CSRF-Token": token}
    return await client.post(path, json=body if body is not None else {}, headers=headers)


def _concrete(path: str) -> str:
    path = path.replace("/act/{service}/{path}", "/act/sales/orders")
    return re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000001", path)


async def test_anonymous_visitors_are_sent_to_the_login_page_and_back(web):
    answer = await web.get("/orders?customer=ningbo")
    assert answer.status_code == 303
    assert unquote(answer.headers["location"]) == "/login?next=/orders?customer=ningbo"
    login = await web.get(answer.headers["location"])
    assert login.status_code == 200
    assert 'name="next" value="/orders?customer=ningbo"' in login.text


async def test_every_route_declares_roles_anonymous_is_refused_and_no_role_is_forbidden(app, web):
    """Generated from the console's route table: a route added later is covered too."""
    checked = 0
    for route in api_routes(app):
        declared = declaration(route)
        assert declared is not None, route.path
        if declared.public:
            continue
        for method in route.methods or ():
            path = _concrete(route.path)
            web.cookies.delete("orderflow_access", domain=web.base_url.host)
            if method == "GET":
                anonymous = await web.get(path)
                assert anonymous.status_code == 303, path
                assert anonymous.headers["location"].startswith("/login?next=")
                sign_in(web, "nobody")
                refused = await web.get(path)
                assert refused.status_code == 403, path
                for role in declared.roles:
                    assert role in refused.text
            else:
                anonymous = await post(web, path)
                assert anonymous.status_code == 401, (path, anonymous.text)
                assert anonymous.json()["type"].endswith("unauthenticated")
                sign_in(web, "nobody")
                refused = await post(web, path)
                assert refused.status_code == 403, (path, refused.text)
                assert refused.json()["roles"] == sorted(declared.roles)
            checked += 1
    assert checked >= 9


async def test_operations_are_the_operators_and_the_auditor_only_reads_them(web):
    sign_in(web, "wang", Role.AUDITOR)
    assert (await post(web, "/act/timelines/rebuild")).status_code == 403
    replay = await post(web, "/act/dead-letters/replay", {"queue": "x.dlq"})
    assert replay.status_code == 403 and replay.json()["roles"] == ["operator"]
    sign_in(web, "li", Role.SALES_DESK, Role.SALES_MANAGER, Role.GENERAL_MANAGER)
    assert (await web.get("/dead-letters")).status_code == 403
    assert (await post(web, "/act/timelines/rebuild")).status_code == 403


async def test_a_timeline_rebuild_asks_for_confirmation_first(web):
    sign_in(web, "ops", Role.OPERATOR)
    asked = await post(web, "/act/timelines/rebuild")
    assert asked.status_code == 200
    assert asked.json()["ok"] is False and "时间线" in asked.json()["confirm"]
    # confirmed, it goes to customer service (not running here)
    done = await post(web, "/act/timelines/rebuild", {"confirm": True})
    assert done.status_code == 502 and "customer_service unreachable" in done.json()["detail"]


async def test_a_cross_site_text_plain_form_post_is_refused_before_any_route(web):
    """What an HTML form on another site can send without asking the server first."""
    sign_in(web, "zhao", Role.SALES_MANAGER)
    token = await csrf(web)
    forged = await web.post(
        "/act/sales/orders/00000000-0000-0000-0000-000000000001/approve",
        content='{"notes": "x", "padding=": ""}',
        headers={
            "Origin": "http://evil.test",
            "Content-Type": "text/plain",
            "X-CSRF-Token": token,
        },
    )
    assert forged.status_code == 403
    assert forged.headers["content-type"] == "application/problem+json"
    assert forged.json()["type"].endswith("cross-origin")


async def test_a_post_needs_the_sessions_csrf_token(web, app):
    sign_in(web, "zhao", Role.SALES_MANAGER)
    path = "/act/sales/orders"
    missing = await web.post(path, json={}, headers=SELF)
    assert missing.status_code == 403 and missing.json()["type"].endswith("csrf")
    wrong = await web.post(path, json={}, headers={**SELF, "X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE
    ) as someone_else:
        theirs = await csrf(someone_else)
    stolen = await web.post(path, json={}, headers={**SELF, "X-CSRF-Token": theirs})
    assert stolen.status_code == 403, "a token is good for its own session only"
    taken = await post(web, path)
    assert taken.status_code == 502, "past the guard, on to sales (not running here)"


async def test_only_json_is_taken_even_from_the_consoles_own_origin(web):
    sign_in(web, "zhao", Role.SALES_MANAGER)
    token = await csrf(web)
    for media in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        answer = await web.post(
            "/act/sales/orders",
            content=b"a=b",
            headers={**SELF, "Content-Type": media, "X-CSRF-Token": token},
        )
        assert answer.status_code == 415, media


async def test_the_referer_stands_in_for_a_missing_origin_and_neither_is_refused(web):
    sign_in(web, "zhao", Role.SALES_MANAGER)
    token = await csrf(web)
    headers = {"X-CSRF-Token": token}
    from_page = await web.post(
        "/act/sales/orders", json={}, headers={**headers, "Referer": f"{BASE}/orders"}
    )
    assert from_page.status_code == 502
    foreign = await web.post(
        "/act/sales/orders", json={}, headers={**headers, "Referer": "http://evil.test/"}
    )
    assert foreign.status_code == 403
    bare = await web.post("/act/sales/orders", json={}, headers=headers)
    assert bare.status_code == 403


async def test_only_the_actions_the_pages_offer_are_forwarded(web):
    sign_in(web, "li", Role.MASTER_DATA)
    answer = await post(web, "/act/sales/customers", {"customer_id": "C9"})
    assert answer.status_code == 404 and "sales customers" in answer.json()["detail"]
    escape = await post(web, "/act/sales/orders/..%2F..%2Fcustomers/approve")
    assert escape.status_code == 404


SECURITY = {
    "content-security-policy": re.compile(r"default-src 'self'.*frame-ancestors 'none'"),
    "x-content-type-options": re.compile(r"^nosniff$"),
    "referrer-policy": re.compile(r"^(same-origin|no-referrer|strict-origin)$"),
    "x-frame-options": re.compile(r"^DENY$"),
}


async def test_every_answer_carries_the_security_headers_and_pages_are_not_stored(web):
    sign_in(web, "li", Role.SALES_DESK)
    answers = {
        "login page": await web.get("/login"),
        "page refused for the role": await web.get("/dead-letters"),
        "unknown page": await web.get("/nothing-here"),
        "invalid query": await web.get("/orders?created_from=yesterday"),
        "refused post": await web.post("/act/sales/orders", json={}),
        "static script": await web.get("/static/console.js"),
        "unknown host": await web.get("/login", headers={"Host": "evil.test"}),
    }
    web.cookies.clear()
    answers["redirect to login"] = await web.get("/orders")
    for name, answer in answers.items():
        for header, pattern in SECURITY.items():
            assert pattern.search(answer.headers.get(header, "")), (name, header)
        if name != "static script":
            assert answer.headers.get("cache-control") == "no-store", name
    assert answers["invalid query"].status_code == 422
    assert "created_from" in answers["invalid query"].text


async def test_pages_hold_no_inline_script_or_style(web):
    """CSP default-src 'self' would block them: the page would break, not the attack."""
    sign_in(web, "li", Role.SALES_DESK)
    for page in (await web.get("/login"), await web.get("/orders")):
        assert re.search(r"<script(?![^>]*\bsrc=)", page.text) is None
        assert "<style" not in page.text and " style=" not in page.text
        assert re.search(r"\son[a-z]+=", page.text) is None, "no inline event handlers"


async def test_an_unknown_host_is_refused_but_health_answers_any(web, app):
    assert (await web.get("/login", headers={"Host": "evil.test"})).status_code == 400
    assert (await web.get("/health/ready", headers={"Host": "10.0.0.7:8000"})).status_code == 200
    other = build_app(settings(allowed_hosts=["console.example.com"]))
    async with (
        other.router.lifespan_context(other),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=other), base_url="http://console.example.com"
        ) as client,
    ):
        assert (await client.get("/login")).status_code == 200


async def test_session_cookies_are_httponly_strict_and_secure_over_https(app):
    for base, secure in (("http://127.0.0.1", False), ("https://127.0.0.1", True)):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base) as c:
            cookie = (await c.get("/login")).headers["set-cookie"]
            assert cookie.startswith("orderflow_sid=")
            assert "HttpOnly" in cookie and "SameSite=strict" in cookie
            assert ("Secure" in cookie) is secure, base


async def test_the_person_signed_in_is_shown_with_a_way_out_and_their_pages(web):
    sign_in(web, "ops.chen", Role.OPERATOR)
    page = await web.get("/dead-letters")
    assert "ops.chen" in page.text and 'id="logout"' in page.text
    assert 'href="/dead-letters"' in page.text
    sign_in(web, "li.wei", Role.SALES_DESK)
    page = await web.get("/orders")  # sales is not running: the error page, with the header
    assert "li.wei" in page.text and 'href="/dead-letters"' not in page.text


async def test_signing_out_drops_every_session_cookie(web):
    sign_in(web, "li", Role.SALES_DESK)
    web.cookies.set("orderflow_refresh", "r-1", domain=web.base_url.host)
    answer = await post(web, "/logout")
    assert answer.status_code == 200 and answer.json()["redirect"] == "/login"
    cleared = answer.headers.get_list("set-cookie")
    for name in ("orderflow_access", "orderflow_refresh", "orderflow_sid"):
        assert any(c.startswith(f"{name}=") and "Max-Age=0" in c for c in cleared), name
    assert (await web.get("/orders")).status_code == 303


async def test_an_expired_token_without_a_refresh_token_means_signing_in_again(web):
    sign_in(web, "li", Role.SALES_DESK, exp=1_000_000_000)
    assert (await web.get("/orders")).status_code == 303


async def test_sign_in_with_the_provider_unreachable_says_so(web):
    answer = await post(web, "/login", {"username": "li", "password": "pw", "next": "/kpis"})
    assert answer.status_code == 503
    assert answer.json()["detail"] == TEXTS["login.unavailable"][0]
    bad = await post(web, "/login", {"username": "li", "password": "pw", "role": "operator"})
    assert bad.status_code == 422 and bad.json()["field"] == "role"


async def test_chinese_by_default_english_by_choice_account_or_browser(web):
    assert "登录订单流程控制台" in (await web.get("/login")).text
    english = await web.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Sign in to the Orderflow console" in english.text
    chosen = await web.get("/login?lang=en")
    assert "orderflow_lang=en" in chosen.headers["set-cookie"]
    assert "Sign in to the Orderflow console" in (await web.get("/login")).text, "kept"
    web.cookies.clear()
    sign_in(web, "tom", Role.AUDITOR, locale="en")
    assert "Signed in as" in (await web.get("/dead-letters")).text
