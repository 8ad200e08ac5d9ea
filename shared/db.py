"""Database access: async SQLAlchemy over asyncpg, one PostgreSQL schema per service.

The schema is put on the connection's ``search_path`` so tables are created and queried
unqualified; a test run points the same service at a schema of its own.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.config import ServiceSettings


def make_engine(settings: ServiceSettings, pool_size: int | None = None) -> AsyncEngine:
    """An engine whose connections live in the service's schema (and ``public`` for extensions).

    Every connection a service process opens comes from this pool (handlers, HTTP, timers, its
    own loops): at most ``db_pool_size + db_max_overflow`` per process, plus one while it
    migrates on start. ``pool_size`` set: exactly that many connections, for a loop of the kit's
    own (the outbox relay's connection).
    """
    return create_async_engine(
        settings.database_url,
        pool_size=pool_size or settings.db_pool_size,
        max_overflow=0 if pool_size else settings.db_max_overflow,
        # No ping on checkout: with asyncpg it costs three round trips (BEGIN, ";", ROLLBACK) on
        # every transaction. A connection the server dropped fails once instead, with a transient
        # error that is retried, and SQLAlchemy then replaces every connection older than it.
        pool_pre_ping=False,
        connect_args={
            "server_settings": {
                "search_path": f'"{settings.schema_name}",public',
                "application_name": settings.service_name,
                # A handler waiting on a lock is a transient failure, not a hang.
                "lock_timeout": "5000",
            }
        },
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


# connection exception; operator intervention (shutdown, crash recovery, "starting up");
# too many connections
_UNAVAILABLE_SQLSTATES = ("08", "57P", "53300")


def unavailable(exc: BaseException) -> bool:
    """The error says a peer is away (restarting, unreachable, full), not that the work is wrong:
    trying again later can succeed. Refused or cut sockets (the broker's too) count."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = getattr(exc.orig, "__cause__", None) or exc.orig or exc
    if isinstance(exc, OSError):
        return True
    return str(getattr(exc, "sqlstate", "") or "").startswith(_UNAVAILABLE_SQLSTATES)
