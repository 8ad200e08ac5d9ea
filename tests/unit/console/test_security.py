"""The console's guards against forged requests (issue 16 item 7), as pure checks."""

from __future__ import annotations

import pytest

from services.console.domain.security import (
    csrf_matches,
    csrf_token,
    is_json,
    needs_refresh,
    origin_of,
    safe_next,
    same_origin,
)

KEY = b"k" * 32


def test_csrf_token_belongs_to_its_session_and_key():
    token = csrf_token(KEY, "session-1")
    assert csrf_matches(KEY, "session-1", token)
    assert not csrf_matches(KEY, "session-2", token), "another session's token"
    assert not csrf_matches(b"x" * 32, "session-1", token), "another console's key"
    assert not csrf_matches(KEY, "session-1", token[:-1] + ("A" if token[-1] != "A" else "B"))


@pytest.mark.parametrize(("session_id", "sent"), [(None, "t"), ("", "t"), ("s", None), ("s", "")])
def test_csrf_check_refuses_a_missing_session_or_token(session_id, sent):
    assert not csrf_matches(KEY, session_id, sent)


def test_origins_compare_scheme_host_and_port():
    assert origin_of("https://Console.Example.com:443/orders?x=1") == "https://console.example.com"
    assert origin_of("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert origin_of("http://[::1]:8000") == "http://[::1]:8000"
    assert origin_of("null") is None and origin_of("/orders") is None
    assert origin_of("ftp://console") is None and origin_of("http://host:bad") is None


def test_a_post_must_name_the_console_as_its_origin():
    own = "http://127.0.0.1:8000"
    assert same_origin("http://127.0.0.1:8000", None, own)
    assert not same_origin("http://evil.test", None, own)
    assert not same_origin("http://127.0.0.1:8001", None, own), "another port is another site"
    assert not same_origin("https://127.0.0.1:8000", None, own), "another scheme too"
    assert not same_origin("null", None, own), "a sandboxed or file page"


def test_without_origin_the_referer_decides_and_without_both_the_post_is_refused():
    own = "http://127.0.0.1:8000"
    assert same_origin(None, "http://127.0.0.1:8000/orders/1", own)
    assert not same_origin(None, "http://evil.test/page", own)
    assert not same_origin(None, None, own)
    assert not same_origin("http://evil.test", "http://127.0.0.1:8000/", own), "Origin wins"


def test_a_configured_origin_is_trusted_behind_a_tls_proxy():
    own = "http://console.internal:8000"
    trusted = ["https://console.example.com"]
    assert same_origin("https://console.example.com", None, own, trusted)
    assert not same_origin("https://other.example.com", None, own, trusted)


def test_only_json_bodies_are_taken():
    assert is_json("application/json")
    assert is_json("application/json; charset=utf-8")
    assert is_json("application/problem+json")
    for cross_site_form in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        assert not is_json(cross_site_form)
    assert not is_json(None) and not is_json("")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/orders/1?x=2", "/orders/1?x=2"),
        ("/after-sales", "/after-sales"),
        (None, "/orders"),
        ("", "/orders"),
        ("https://evil.test/", "/orders"),
        ("//evil.test/x", "/orders"),
        ("/\\evil.test", "/orders"),
        ("orders", "/orders"),
        ("/x\r\nSet-Cookie: a=b", "/orders"),
    ],
)
def test_after_sign_in_a_person_goes_only_to_a_page_of_this_console(target, expected):
    assert safe_next(target) == expected


def test_an_access_token_is_refreshed_within_the_margin_of_its_expiry():
    assert not needs_refresh(expires_at=1_000.0, now=900.0, margin_s=60)
    assert needs_refresh(expires_at=1_000.0, now=950.0, margin_s=60)
    assert needs_refresh(expires_at=1_000.0, now=1_100.0, margin_s=60), "already expired"
    assert needs_refresh(expires_at=None, now=0.0, margin_s=60), "no token at all"
