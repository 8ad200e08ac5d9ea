"""Alembic per service: each service keeps its migrations; this runs them into its schema.

Replicas starting together serialise on an advisory lock, so the schema is migrated once.
"""

from __future__ import annotations

import asyncio
import zlib
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.config import ServiceSettings


def alembic_config(settings: ServiceSettings, script_location: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.attributes["settings"] = settings
    return cfg


def upgrade(settings: ServiceSettings, script_location: Path, revision: str = "head") -> None:
    """Blocking; call from a thread (``asyncio.to_thread``) when inside an event loop."""
    command.upgrade(alembic_config(settings, script_location), revision)


async def upgrade_async(settings: ServiceSettings, script_location: Path) -> None:
    await asyncio.to_thread(upgrade, settings, script_location)


def run_env(target_metadata: MetaData, settings: ServiceSettings | None = None) -> None:
    """The body of every service's ``migrations/env.py``."""
    settings = settings or context.config.attributes["settings"]
    asyncio.run(_run_online(settings, target_metadata))


async def _run_online(settings: ServiceSettings, target_metadata: MetaData) -> None:
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_migrate, settings.schema_name, target_metadata)
    finally:
        await engine.dispose()


def _migrate(conn: Connection, schema: str, target_metadata: MetaData) -> None:
    lock_key = zlib.crc32(f"orderflow-migrate:{schema}".encode())
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key})
    _create_schema_if_missing(conn, schema)
    conn.execute(text(f'SET LOCAL search_path TO "{schema}", public'))
    options: dict[str, Any] = {
        "connection": conn,
        "target_metadata": target_metadata,
        "version_table_schema": schema,
        "transaction_per_migration": False,
    }
    context.configure(**options)
    context.run_migrations()


def _create_schema_if_missing(conn: Connection, schema: str) -> None:
    """Look before creating: ``CREATE SCHEMA IF NOT EXISTS`` needs CREATE on the database even
    when the schema exists, which a least-privilege service role that owns its schema lacks."""
    exists = conn.execute(
        text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema}
    ).first()
    if exists is None:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
