"""The database pool is sized by settings, so a deployment fits its server's connection limit."""

from __future__ import annotations

from shared import db
from shared.config import ServiceSettings


async def test_pool_size_and_overflow_come_from_settings(monkeypatch):
    monkeypatch.setenv("ORDERFLOW_DB_POOL_SIZE", "3")
    monkeypatch.setenv("ORDERFLOW_DB_MAX_OVERFLOW", "1")
    engine = db.make_engine(ServiceSettings())
    try:
        assert engine.pool.size() == 3  # type: ignore[attr-defined]
        assert engine.pool._max_overflow == 1  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


def test_default_pool_is_eight_plus_four():
    settings = ServiceSettings()
    assert (settings.db_pool_size, settings.db_max_overflow) == (8, 4)
