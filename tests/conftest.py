"""Session-wide fixtures: the real broker and database, and a namespace for this run."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import aio_pika
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.infra import Infra, broker_exchanges, broker_queues, provide_infra


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    with provide_infra() as provided:
        yield provided


@pytest.fixture(scope="session")
def run_id() -> str:
    """Every run namespaces its exchanges, queues and schemas, so runs never meet."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def namespace(run_id: str) -> str:
    return f"t{run_id}."


@pytest.fixture(scope="session")
async def cleanup_run(infra: Infra, namespace: str, run_id: str) -> AsyncIterator[None]:
    yield
    if infra.containers:
        return
    engine = create_async_engine(infra.database_url)
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
            {"p": f"t{run_id}_%"},
        )
        schemas = [schema for (schema,) in rows.all()]
    for schema in schemas:  # one transaction each: dropping all at once runs out of lock slots
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await engine.dispose()
    if not infra.local_broker:
        return
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in broker_queues(namespace):
            await channel.queue_delete(queue)
        for exchange in broker_exchanges(namespace):
            await channel.exchange_delete(exchange)
