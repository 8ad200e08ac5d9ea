"""A database made by an earlier release upgrades in place: each later migration adds what it
adds to a schema that was created without it (and is a no-op on a new one)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.sales.main import MIGRATIONS as SALES
from services.sales.settings import SalesSettings
from services.warehouse.main import MIGRATIONS as WAREHOUSE
from services.warehouse.settings import WarehouseSettings
from shared.config import ServiceSettings
from shared.migrate import upgrade
from tests.harness import settings_for
from tests.infra import Infra

pytestmark = pytest.mark.integration

# what the release before 0002 lacked, and how to see it is there
BEFORE_0002 = {
    "warehouse": (
        "ALTER TABLE fulfilment DROP COLUMN amendment_no",
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = :s"
        " AND table_name = 'fulfilment' AND column_name = 'amendment_no'",
    ),
    "sales": (
        "ALTER TABLE invoice DROP CONSTRAINT invoice_order_reference_key;"
        " ALTER TABLE invoice DROP COLUMN reference",
        "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
        " WHERE n.nspname = :s AND c.conname = 'invoice_order_reference_key'",
    ),
}


async def _sql(settings: ServiceSettings, sql: str) -> int | None:
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'SET LOCAL search_path TO "{settings.schema_name}"'))
            result = None
            for statement in sql.split(";"):
                found = await conn.execute(text(statement), {"s": settings.schema_name})
                result = found.scalar() if found.returns_rows else None
            return result
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("name", "cls", "migrations"),
    [("warehouse", WarehouseSettings, WAREHOUSE), ("sales", SalesSettings, SALES)],
)
async def test_a_database_at_0001_upgrades_to_head(
    infra: Infra, namespace: str, name: str, cls: type[ServiceSettings], migrations: Path
):
    settings = settings_for(cls, infra, namespace, f"upgrade_{name}")
    drop, present = BEFORE_0002[name]
    await asyncio.to_thread(upgrade, settings, migrations)
    assert await _sql(settings, present) == 1  # a new database has it from the start
    await _sql(settings, f"{drop}; UPDATE alembic_version SET version_num = '0001'")
    assert await _sql(settings, present) == 0
    await asyncio.to_thread(upgrade, settings, migrations)
    assert await _sql(settings, present) == 1
    assert await _sql(settings, "SELECT version_num FROM alembic_version") == "0002"
