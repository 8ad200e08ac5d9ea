"""How many database connections a service process may open is configuration."""

from __future__ import annotations

import pytest

from shared.config import ServiceSettings
from shared.db import make_engine


class _Settings(ServiceSettings):
    model_config = {"env_prefix": "POOLCHECK_"}


async def test_pool_size_and_overflow_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("POOLCHECK_DB_POOL_SIZE", "3")
    monkeypatch.setenv("POOLCHECK_DB_MAX_OVERFLOW", "1")
    engine = make_engine(_Settings())
    try:
        assert engine.pool.size() == 3  # type: ignore[attr-defined]
        assert engine.pool._max_overflow == 1  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


def test_pool_settings_refuse_an_empty_pool():
    with pytest.raises(ValueError, match="db_pool_size"):
        ServiceSettings(db_pool_size=0)


def test_default_pool_is_eight_plus_four():
    settings = ServiceSettings()
    assert (settings.db_pool_size, settings.db_max_overflow) == (8, 4)
