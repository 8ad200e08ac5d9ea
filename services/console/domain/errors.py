"""A service's refusal as the sentence a person reads next to the form.

Every service answers a refusal with one RFC 9457 problem body (``shared.problems``): its
``detail`` already names the field, the current state or the roles needed. Anything else (a
proxy's HTML page, a crash) is shown by its status and the start of its text.
"""

from __future__ import annotations

from typing import Any

_SHOWN_CHARS = 300


def describe_error(status: int, body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"]:
        return str(body["detail"])
    text = body if isinstance(body, str) else repr(body)
    text = " ".join(text.split())[:_SHOWN_CHARS]
    return f"{status}: {text}" if text else f"{status}"
