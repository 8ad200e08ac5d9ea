"""What ops see: health endpoints, metrics, AsyncAPI, and the dead-letter command line."""

from __future__ import annotations

import json

import httpx
from typer.testing import CliRunner

from shared import deadletters
from shared.asyncapi import document
from shared.cli import app as cli
from shared.http import create_app
from tests.harness import eventually
from tests.integration.kit.probe import ProbeState, cancelled, effects


async def test_health_reports_ready_and_metrics_count_handled_messages(start_probe):
    runtime = await start_probe(ProbeState())
    app = create_app(runtime, manage_runtime=False)
    async with runtime.new_uow() as uow:
        event = cancelled()
        event_id = await uow.emit(event, correlation_id=str(event.order_id))
        await uow.commit()

    async def handled() -> bool:
        return event_id in await effects(runtime)

    await eventually(handled)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        live = await client.get("/health/live")
        ready = await client.get("/health/ready")
        metrics = await client.get("/metrics")
    assert live.status_code == 200
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {
        "database": True,
        "broker": True,
        "consumers": True,
        "relay": True,
    }
    assert "orderflow_messages_handled_total" in metrics.text
    assert "orderflow_outbox_backlog" in metrics.text
    assert "orderflow_handler_seconds_bucket" in metrics.text


async def test_readiness_fails_when_consumers_are_gone(start_probe):
    runtime = await start_probe(ProbeState())
    await runtime.broker.stop()  # the connection object stays, the consumers do not
    checks = await runtime.readiness()
    assert checks["consumers"] is False


async def test_asyncapi_document_lists_the_service_queues(start_probe):
    runtime = await start_probe(ProbeState())
    doc = json.loads(document(runtime))
    assert doc["asyncapi"].startswith("3.")
    text = json.dumps(doc)
    assert runtime.routes[0].queue in text
    assert "order.cancelled v1" in text


async def test_dead_letter_command_line_lists_shows_and_replays(start_probe):
    state = ProbeState()
    runtime = await start_probe(state)
    async with runtime.new_uow() as uow:
        event = cancelled("invariant")
        event_id = await uow.emit(event, correlation_id=str(event.order_id))
        await uow.commit()
    dlq = runtime.topology.dead_letter_queue(runtime.routes[0].queue)
    url = runtime.settings.amqp_url

    async def dead() -> bool:
        return len(await deadletters.list_dead_letters(url, dlq)) == 1

    await eventually(dead)
    runner = CliRunner()
    # the CLI runs its own event loop, so call it from a worker thread
    import asyncio

    listed = await asyncio.to_thread(runner.invoke, cli, ["dlq", "list", dlq, "--amqp-url", url])
    assert listed.exit_code == 0, listed.output
    assert str(event_id) in listed.output and "PermanentError" in listed.output
    shown = await asyncio.to_thread(
        runner.invoke, cli, ["dlq", "show", dlq, str(event_id), "--amqp-url", url]
    )
    assert json.loads(shown.output)["original_queue"] == runtime.routes[0].queue
    state.heal = True
    replayed = await asyncio.to_thread(
        runner.invoke, cli, ["dlq", "replay", dlq, "--id", str(event_id), "--amqp-url", url]
    )
    assert "replayed 1" in replayed.output

    async def handled() -> bool:
        return event_id in await effects(runtime)

    await eventually(handled)


async def test_migrate_command_creates_the_kit_tables_in_the_service_schema(
    infra, namespace, monkeypatch
):
    import asyncio

    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    schema = f"{namespace.rstrip('.')}_migrated"
    monkeypatch.setenv("PROBE_DATABASE_URL", infra.database_url)
    monkeypatch.setenv("PROBE_DB_SCHEMA", schema)
    factory = "tests.integration.kit.probe:runtime_from_env"
    for _ in range(2):  # applying twice is harmless
        result = await asyncio.to_thread(CliRunner().invoke, cli, ["migrate", factory])
        assert result.exit_code == 0, result.output
    engine = create_async_engine(infra.database_url)
    async with engine.connect() as conn:
        tables = await conn.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": schema},
        )
        names = {name for (name,) in tables.all()}
    await engine.dispose()
    assert {"outbox_message", "inbox_message", "timer", "effect", "alembic_version"} <= names


async def test_background_job_runs_with_the_service_and_stops_with_it(infra, namespace):
    import asyncio

    from tests.integration.kit.probe import make_runtime, probe_settings

    started, stopped = asyncio.Event(), asyncio.Event()

    async def job(stop: asyncio.Event) -> None:
        started.set()
        await stop.wait()
        stopped.set()

    settings = probe_settings(infra.amqp_url, infra.database_url, f"{namespace}kit.", "bg")
    runtime = make_runtime(settings, ProbeState())
    runtime.add_background(job)
    await runtime.start()
    await asyncio.wait_for(started.wait(), 10)
    assert not stopped.is_set()
    await runtime.stop()
    assert stopped.is_set()


async def test_relay_keeps_publishing_when_its_backlog_gauge_cannot_be_read(
    start_probe, monkeypatch
):
    """The backlog gauge is read on the side (a COUNT, every few seconds): a database out of
    connections for that read must not end the relay, or nothing is published again."""
    from shared.outbox import OutboxRelay

    reads: list[int] = []

    async def out_of_connections(self: OutboxRelay) -> None:
        reads.append(1)
        raise ConnectionError("sorry, too many clients already")

    monkeypatch.setattr(OutboxRelay, "_refresh_backlog", out_of_connections)
    runtime = await start_probe(ProbeState())

    async def gauge_failed() -> bool:
        return bool(reads)

    await eventually(gauge_failed)
    async with runtime.new_uow() as uow:
        event = cancelled()
        event_id = await uow.emit(event, correlation_id=str(event.order_id))
        await uow.commit()

    async def handled() -> bool:
        return event_id in await effects(runtime)

    await eventually(handled)
    assert runtime.relay.running
    assert (await runtime.readiness())["relay"] is True
