"""A service's refusal as one sentence a person can act on."""

from __future__ import annotations

from typing import Any


def describe_error(status: int, detail: Any) -> str:
    """FastAPI's 422 lists name the field; 409s carry the order's current status."""
    if isinstance(detail, dict) and "detail" in detail:
        detail = detail["detail"]
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path")]
                field = ".".join(loc)
                msg = str(item.get("msg", item))
                parts.append(f"{field}: {msg}" if field else msg)
            else:
                parts.append(str(item))
        return f"{status}: " + "; ".join(parts)
    if isinstance(detail, dict):
        message = detail.get("message") or detail.get("error") or str(detail)
        extra = f" (status {detail['status']})" if detail.get("status") else ""
        return f"{status}: {message}{extra}"
    return f"{status}: {detail}"
