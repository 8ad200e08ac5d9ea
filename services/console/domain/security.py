"""The console's guards against forged requests, as pure checks.

A POST is taken only when it comes from the console's own pages: its ``Origin`` (or, where a
browser sends none, its ``Referer``) is the console's own origin, its body is JSON (a cross-site
HTML form can only send ``text/plain``, ``multipart/form-data`` or urlencoded bodies without
asking the server first), and it carries the session's CSRF token from the page's meta tag.

The token is an HMAC of the session id under the console's secret: a cookie set by someone else
(a sibling subdomain, say) cannot come with a valid token, and a new sign-in gets a new one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def csrf_token(key: bytes, session_id: str) -> str:
    digest = hmac.new(key, b"csrf:" + session_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def csrf_matches(key: bytes, session_id: str | None, sent: str | None) -> bool:
    if not session_id or not sent:
        return False
    return hmac.compare_digest(csrf_token(key, session_id), sent)


def origin_of(url: str | None) -> str | None:
    """``https://Console.example.com:443/x`` -> ``https://console.example.com``; None if the
    value is no absolute http(s) URL (``null``, a path, garbage)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    shown_port = "" if port in (None, _DEFAULT_PORTS[scheme]) else f":{port}"
    return f"{scheme}://{host}{shown_port}"


def same_origin(
    origin: str | None, referer: str | None, own: str, trusted: Iterable[str] = ()
) -> bool:
    """The request names the console (or an origin configured as trusted) as where it came
    from. ``Origin`` wins when sent; a request naming neither is refused."""
    claimed = origin_of(origin) if origin else origin_of(referer)
    if claimed is None:
        return False
    accepted = {origin_of(own), *(origin_of(t) for t in trusted)}
    return claimed in accepted


def is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def safe_next(target: str | None, default: str = "/orders") -> str:
    """Where to go after signing in: a path on this console only (no ``//host``, no scheme, no
    backslash tricks), so the login page cannot be used to send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(c in target for c in "\\\r\n\t") or urlsplit(target).netloc:
        return default
    return target


def needs_refresh(expires_at: float | None, now: float, margin_s: float) -> bool:
    """Refresh an access token before it expires, so no request is sent with one about to."""
    return expires_at is None or expires_at - now <= margin_s
