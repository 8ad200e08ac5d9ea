"""Signed callbacks: a departmental system that calls a service over HTTP (a carrier reporting a
delivery) proves the body came from it, unaltered and recently, with a secret it shares with
that service; the same scheme as Stripe's and GitHub's webhooks.

The sender sends two headers with the request::

    X-Orderflow-Timestamp: 1796371200                    (Unix seconds when it signed)
    X-Orderflow-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, keyed by the secret>

The receiver recomputes the HMAC over the bytes it received and compares in constant time; a
timestamp further than the window from its own clock is refused, so a captured request cannot
be played again later (within the window, the callback's own reference makes a replay a
repeat: a carrier's ``scan_id``).

Pure: ``hmac`` and ``hashlib`` only; both sides use it (``signed_headers`` to send).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from shared.errors import Unauthenticated

TIMESTAMP_HEADER = "X-Orderflow-Timestamp"
SIGNATURE_HEADER = "X-Orderflow-Signature"
SCHEME = "sha256="
DEFAULT_WINDOW = timedelta(minutes=5)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>``: the HMAC-SHA256 of ``"<timestamp>." + body`` keyed by ``secret``."""
    message = f"{timestamp}.".encode() + body
    return SCHEME + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, now: datetime) -> dict[str, str]:
    """The two headers that sign ``body``, sent at ``now``."""
    timestamp = int(now.timestamp())
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


class BadSignature(Unauthenticated):
    """The request is not signed, not signed with the sender's secret, or signed too long ago."""

    def __init__(self, header: str, reason: str) -> None:
        super().__init__(f"{header}: {reason}", field=header)


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
) -> None:
    """Raise ``BadSignature`` naming the header at fault unless ``body`` was signed with
    ``secret`` within ``window`` of ``now`` (either side: clocks drift both ways)."""
    raw_timestamp = headers.get(TIMESTAMP_HEADER)
    given = headers.get(SIGNATURE_HEADER)
    if raw_timestamp is None:
        raise BadSignature(TIMESTAMP_HEADER, "missing: sign the request (Unix seconds)")
    if given is None:
        raise BadSignature(SIGNATURE_HEADER, f"missing: send {SCHEME}<hex HMAC-SHA256>")
    if not raw_timestamp.isascii() or not raw_timestamp.isdigit() or len(raw_timestamp) > 12:
        raise BadSignature(TIMESTAMP_HEADER, "not whole Unix seconds")
    timestamp = int(raw_timestamp)
    skew = abs(now.timestamp() - timestamp)
    if skew > window.total_seconds():
        raise BadSignature(
            TIMESTAMP_HEADER,
            f"signed {int(skew)} s away from this service's time, outside the"
            f" {int(window.total_seconds())} s window (a replay, or a clock to set right)",
        )
    if not hmac.compare_digest(given.encode(), signature(secret, timestamp, body).encode()):
        raise BadSignature(SIGNATURE_HEADER, "does not match the body and the sender's secret")
