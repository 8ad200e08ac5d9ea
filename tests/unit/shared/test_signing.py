"""Signed callbacks (``shared.signing``): the signature binds the secret, the time and every byte
of the body; the window refuses old and far-future signing times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    signature,
    signed_headers,
    verify,
)

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
BODY = b'{"scan_id": "ZTO1-4", "status": "delivered"}'


def test_a_body_signed_with_the_secret_just_now_is_taken():
    verify("s3cret", signed_headers("s3cret", BODY, NOW), BODY, NOW)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body_in_hex():
    """The published recipe, so a carrier signs without our code; the value is openssl's:
    ``printf '1796371200.{}' | openssl dgst -sha256 -hmac key``."""
    assert signature("key", 1796371200, b"{}") == (
        "sha256=e9b4d9c186fc0a7db6c8c98f0caca1d7758810a4278989b46a32ad05cf4f16ef"
    )


@pytest.mark.parametrize(
    ("secret", "body", "header"),
    [
        ("another", BODY, SIGNATURE_HEADER),
        ("s3cret", BODY.replace(b"delivered", b"in_transit"), SIGNATURE_HEADER),
        ("s3cret", BODY + b" ", SIGNATURE_HEADER),
    ],
)
def test_another_secret_or_any_changed_byte_is_refused(secret, body, header):
    with pytest.raises(BadSignature) as refused:
        verify(secret, signed_headers("s3cret", BODY, NOW), body, NOW)
    assert refused.value.field == header


@pytest.mark.parametrize("skew", [timedelta(seconds=-301), timedelta(seconds=301)])
def test_a_signing_time_outside_the_window_either_way_is_refused(skew):
    headers = signed_headers("s3cret", BODY, NOW + skew)
    with pytest.raises(BadSignature) as refused:
        verify("s3cret", headers, BODY, NOW, window=timedelta(seconds=300))
    assert refused.value.field == TIMESTAMP_HEADER
    verify("s3cret", headers, BODY, NOW, window=timedelta(seconds=302))


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ({}, TIMESTAMP_HEADER),
        ({TIMESTAMP_HEADER: "1796371200"}, SIGNATURE_HEADER),
        ({TIMESTAMP_HEADER: "-5", SIGNATURE_HEADER: "sha256=00"}, TIMESTAMP_HEADER),
        ({TIMESTAMP_HEADER: "1e9", SIGNATURE_HEADER: "sha256=00"}, TIMESTAMP_HEADER),
        ({TIMESTAMP_HEADER: "9" * 40, SIGNATURE_HEADER: "sha256=00"}, TIMESTAMP_HEADER),
    ],
)
def test_missing_or_malformed_headers_are_refused_naming_the_header(headers, field):
    with pytest.raises(BadSignature) as refused:
        verify("s3cret", headers, BODY, NOW)
    assert refused.value.field == field
    assert refused.value.http_status == 401
