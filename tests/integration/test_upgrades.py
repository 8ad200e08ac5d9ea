"""A database made by an earlier release upgrades in place: a schema made at 0001 (the first
release's tables, frozen) gets what each later migration adds, and keeps its inbox: rows keyed by a
handler's function name move to the handler's declared consumer name."""

from __future__ import annotations

import asyncio
import uuid
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

# how to see that what the release before 0002 lacked is there
AFTER_0002 = {
    "warehouse": "SELECT count(*) FROM information_schema.columns WHERE table_schema = :s"
    " AND table_name = 'fulfilment' AND column_name = 'amendment_no'",
    "sales": "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
    " WHERE n.nspname = :s AND c.conname = 'invoice_order_reference_key'",
}
HEAD = {"warehouse": "0003", "sales": "0004"}


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
    await asyncio.to_thread(upgrade, settings, migrations, "0001")
    assert await _sql(settings, AFTER_0002[name]) == 0
    event_id = uuid.uuid4()
    await _sql(
        settings,
        f"INSERT INTO inbox_message (event_id, consumer) VALUES ('{event_id}',"
        f" '{name}.on_goods_shipped')",
    )
    await asyncio.to_thread(upgrade, settings, migrations)
    assert await _sql(settings, AFTER_0002[name]) == 1
    assert await _sql(settings, "SELECT version_num FROM alembic_version") == HEAD[name]
    consumer = await _sql(
        settings, f"SELECT consumer FROM inbox_message WHERE event_id = '{event_id}'"
    )
    assert consumer == f"{name}.goods.shipped"


async def test_sales_orders_from_before_0004_get_their_authority_columns(
    infra: Infra, namespace: str
):
    """An order stored before 0004 gets no approvals and no amenders yet, and its total in the
    base currency when it was in CNY (the rate of another currency was never known)."""
    settings = settings_for(SalesSettings, infra, namespace, "upgrade_sales_0004")
    await asyncio.to_thread(upgrade, settings, SALES, "0003")
    columns = (
        "order_id, source, client_reference, channel, status, currency, rush, missing_fields,"
        " list_prices, approval_status, approval_reasons, total_amount, deposit_required,"
        " deposit_paid, paid_total, invoiced_total, amendment_count, credited_total,"
        " created_at, updated_at"
    )
    for currency in ("CNY", "USD"):
        await _sql(
            settings,
            f"INSERT INTO customer_order ({columns}) VALUES (gen_random_uuid(), 'http',"
            f" 'r-{currency}', 'web', 'in_review', '{currency}', false, '[]', '{{}}',"
            " 'pending', '[\"rush\"]', 1500, 0, 0, 0, 0, 0, 0, now(), now())",
        )
    await asyncio.to_thread(upgrade, settings, SALES)
    rows = await _sql(
        settings,
        "SELECT string_agg(concat_ws('|', currency, approvals::text, amended_by::text,"
        " coalesce(base_total::text, '-'), coalesce(exchange_rate::text, '-')), ','"
        " ORDER BY currency) FROM customer_order",
    )
    assert rows == "CNY|{}|[]|1500.00|1.00000000,USD|{}|[]|-|-"
