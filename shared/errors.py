"""How a failed message is treated: retried with back-off, or dead-lettered with a reason."""

from __future__ import annotations

import asyncio
import json

import asyncpg
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from contracts.envelope import UnknownMessageType


class PermanentError(Exception):
    """A message that can never succeed (a broken invariant): dead-letter it at once."""


class TransientError(Exception):
    """A failure worth retrying later (a dependency briefly unavailable)."""


_PERMANENT = (
    PermanentError,
    ValidationError,
    json.JSONDecodeError,
    UnicodeDecodeError,
    UnknownMessageType,
)

_TRANSIENT_PG = (
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
)


def is_permanent(exc: BaseException) -> bool:
    return isinstance(exc, _PERMANENT)


def is_transient(exc: BaseException) -> bool:
    """Known-transient errors; anything else unexpected is also retried, but counted."""
    if isinstance(exc, TransientError | OSError | asyncio.TimeoutError | OperationalError):
        return True
    if isinstance(exc, InterfaceError | DBAPIError) and exc.connection_invalidated:
        return True
    cause = getattr(exc, "orig", None)
    cause = getattr(cause, "__cause__", None) or cause
    return isinstance(cause, _TRANSIENT_PG)


def describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 2000 else text[:2000] + "…"
