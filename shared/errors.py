"""One vocabulary for refusals, shared by the domain, the HTTP API and the message consumers.

A domain or use case raises one of these; it is mapped once to HTTP (an RFC 9457 problem body,
``shared.problems``) and once to messaging (``shared.failures``: a refusal can never succeed by
retrying, so it is permanent; ``Unavailable`` is transient). Service errors subclass them to say
more (``class IllegalTransition(Conflict)``); nothing else needs a mapping of its own.

Pure: no IO, no framework, so domain modules import it freely.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar


class Refusal(Exception):
    """A request or message the service will not carry out, with the reason in words."""

    http_status: ClassVar[int] = 400
    slug: ClassVar[str] = "refused"
    title: ClassVar[str] = "Refused"

    def __init__(self, detail: str, *, field: str | None = None, state: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.state = state


class NotFound(Refusal):
    """The thing named does not exist (or the caller may not know it does)."""

    http_status = 404
    slug = "not-found"
    title = "Not found"

    def __init__(self, what: str, ref: object = None) -> None:
        super().__init__(f"{what} {ref} not found" if ref is not None else f"{what} not found")
        self.what = what


class Conflict(Refusal):
    """The thing is in a state where this action is not allowed; ``state`` says which."""

    http_status = 409
    slug = "conflict"
    title = "Not allowed in the current state"

    @classmethod
    def illegal(cls, action: str, state: str, detail: str = "") -> Conflict:
        """``cannot approve in status confirmed: already released``."""
        text = f"cannot {action} in status {state}" + (f": {detail}" if detail else "")
        return cls(text, state=state)


class Invalid(Refusal):
    """A value breaks a rule the request's schema cannot express; ``field`` names it."""

    http_status = 422
    slug = "invalid"
    title = "Invalid input"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field)
        self.reason = reason


class Unauthenticated(Refusal):
    """No valid credentials: no token, an expired one, or one the issuer did not sign."""

    http_status = 401
    slug = "unauthenticated"
    title = "Sign-in required"


class Forbidden(Refusal):
    """Signed in, but the caller's roles (or the four-eyes rule) do not allow this."""

    http_status = 403
    slug = "forbidden"
    title = "Not allowed for your role"

    def __init__(self, detail: str, *, roles: Iterable[str] = ()) -> None:
        super().__init__(detail)
        self.roles = sorted(str(r) for r in roles)


class Unavailable(Refusal):
    """A dependency (the database, a carrier) is away; the same request may be sent again."""

    http_status = 503
    slug = "unavailable"
    title = "Temporarily unavailable"


class PermanentError(Exception):
    """A message that can never succeed (a broken invariant): dead-letter it at once."""


class TransientError(Exception):
    """A failure worth retrying later (a dependency briefly unavailable)."""
