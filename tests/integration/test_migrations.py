"""Migrations alone build what the models describe: a schema made by upgrading an empty database
to head has every table, column, index and constraint of the service's and the kit's tables, and
nothing else. A model changed without a migration (or a migration without its model) fails."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.config import ServiceSettings
from shared.migrate import upgrade
from shared.tables import kit_metadata
from tests.harness import settings_for
from tests.infra import Infra

pytestmark = pytest.mark.integration

SERVICES = {
    "sales": "SalesSettings",
    "production": "ProductionSettings",
    "warehouse": "WarehouseSettings",
    "logistics": "LogisticsSettings",
    "customer_service": "CustomerServiceSettings",
    "identity": "IdentitySettings",
}
# Services built without the kit's messaging tables (no outbox, inbox or timers).
KITLESS = {"identity"}


def _service(name: str) -> tuple[type[ServiceSettings], Path, MetaData]:
    settings = getattr(importlib.import_module(f"services.{name}.settings"), SERVICES[name])
    main = importlib.import_module(f"services.{name}.main")
    tables = importlib.import_module(f"services.{name}.adapters.tables")
    if name in KITLESS:
        return settings, main.MIGRATIONS, tables.metadata
    return settings, main.MIGRATIONS, _combined(kit_metadata, tables.metadata)


def _combined(*metadatas: MetaData) -> MetaData:
    combined = MetaData()
    for metadata in metadatas:
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return combined


def _diff(conn: Connection, schema: str, metadata: MetaData) -> list[Any]:
    conn.execute(text(f'SET search_path TO "{schema}"'))

    def known(name: str | None, type_: str, parent: Any) -> bool:
        return not (type_ == "table" and name == "alembic_version")

    context = MigrationContext.configure(
        conn, opts={"include_name": known, "compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, metadata))


@pytest.mark.parametrize("name", sorted(SERVICES))
async def test_schema_built_by_migrations_matches_the_models(
    infra: Infra, namespace: str, name: str
):
    settings_cls, migrations, metadata = _service(name)
    settings = settings_for(settings_cls, infra, namespace, f"drift_{name}")
    await asyncio.to_thread(upgrade, settings, migrations)
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff, settings.schema_name, metadata)
    finally:
        await engine.dispose()
    assert diff == [], "\n".join(str(d) for d in diff)
