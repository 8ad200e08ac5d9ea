"""Pooled connections the server dropped: replaced after one retryable failure, no ping cost."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from shared import db
from shared.config import ServiceSettings
from shared.failures import is_transient


async def test_a_dropped_connection_fails_once_with_a_retryable_error_then_is_replaced(infra):
    settings = ServiceSettings(database_url=infra.database_url, db_pool_size=2, db_max_overflow=0)
    engine = db.make_engine(settings)
    admin = create_async_engine(infra.database_url, isolation_level="AUTOCOMMIT")
    try:
        assert engine.pool._pre_ping is False  # type: ignore[attr-defined]  # no checkout ping
        async with engine.connect() as conn, engine.connect() as other:  # fill the pool
            pids = [
                (await c.execute(text("SELECT pg_backend_pid()"))).scalar_one()
                for c in (conn, other)
            ]
        async with admin.connect() as kill:  # as a server restart would
            await kill.execute(
                text("SELECT pg_terminate_backend(p) FROM unnest(CAST(:p AS int[])) p"), {"p": pids}
            )
        failures = 0
        for _ in range(3):
            try:
                async with engine.connect() as conn:
                    assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
            except DBAPIError as exc:
                assert exc.connection_invalidated and is_transient(exc)
                failures += 1
        assert failures == 1, "one failure, then the pool replaced every older connection"
    finally:
        await engine.dispose()
        await admin.dispose()
