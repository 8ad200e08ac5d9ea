"""A logistics database made by an earlier release upgrades in place: the default carrier
services the first release seeded are there again for a database made by the frozen 0001, a
database that has them keeps them as dispatch left them, and scans and proofs gain who posted
them."""

from __future__ import annotations

import asyncio
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.logistics.main import MIGRATIONS
from services.logistics.settings import LogisticsSettings
from shared.migrate import upgrade
from tests.harness import settings_for
from tests.infra import Infra

_SF_EXPRESS = uuid5(NAMESPACE_URL, "orderflow:carrier:SF:express")


async def _rows(settings: LogisticsSettings, sql: str) -> list[tuple]:
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'SET LOCAL search_path TO "{settings.schema_name}"'))
            result = await conn.execute(text(sql))
            return [tuple(r) for r in result.all()] if result.returns_rows else []
    finally:
        await engine.dispose()


async def test_defaults_are_seeded_once_and_what_dispatch_changed_is_kept(
    infra: Infra, namespace: str
):
    settings = settings_for(LogisticsSettings, infra, namespace, "upgrade_logistics")
    await asyncio.to_thread(upgrade, settings, MIGRATIONS, "0002")
    # as the first release left it: SF express seeded, then switched off by dispatch
    await _rows(
        settings,
        "INSERT INTO carrier_service (id, code, name, service_level, express, regions,"
        " max_weight_kg, transit_days, base_rate, rate_per_kg, active)"
        f" VALUES ('{_SF_EXPRESS}', 'SF', 'SF Express', 'express', true, ARRAY['CN'], 50, 1,"
        " 23, 6, false)",
    )
    await asyncio.to_thread(upgrade, settings, MIGRATIONS)
    services = await _rows(
        settings, "SELECT code, service_level, active FROM carrier_service ORDER BY 1, 2"
    )
    assert services == [
        ("DEPPON", "freight", True),
        ("DHL", "express", True),
        ("SCHENKER", "freight", True),
        ("SF", "express", False),
        ("SF", "standard", True),
        ("ZTO", "economy", True),
    ]
    columns = await _rows(
        settings,
        "SELECT table_name FROM information_schema.columns WHERE table_schema ="
        f" '{settings.schema_name}' AND column_name = 'recorded_by' ORDER BY 1",
    )
    assert columns == [("proof_of_delivery",), ("tracking_event",)]
    # upgrading again (another replica starting) changes nothing
    await asyncio.to_thread(upgrade, settings, MIGRATIONS)
    assert len(await _rows(settings, "SELECT id FROM carrier_service")) == 6
