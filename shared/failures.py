"""How a failed message is treated: retried with back-off, or dead-lettered with a reason.

A refusal (``shared.errors``) can never succeed by trying again, so it is permanent, except
``Unavailable``; so are a body that is not JSON, an unknown type and a payload that breaks its
schema. A database that is away, a lock timeout or a deadlock are transient.
"""

from __future__ import annotations

import asyncio
import json

import asyncpg
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from contracts.envelope import UnknownMessageType
from shared.errors import PermanentError, Refusal, TransientError, Unavailable

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
    if isinstance(exc, Refusal):
        return not isinstance(exc, Unavailable)
    return isinstance(exc, _PERMANENT)


def is_transient(exc: BaseException) -> bool:
    """Known-transient errors; anything else unexpected is also retried, but counted."""
    if isinstance(exc, TransientError | Unavailable | OSError | asyncio.TimeoutError):
        return True
    if isinstance(exc, OperationalError):
        return True
    if isinstance(exc, InterfaceError | DBAPIError) and exc.connection_invalidated:
        return True
    cause = getattr(exc, "orig", None)
    cause = getattr(cause, "__cause__", None) or cause
    return isinstance(cause, _TRANSIENT_PG)


def describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 2000 else text[:2000] + "…"
