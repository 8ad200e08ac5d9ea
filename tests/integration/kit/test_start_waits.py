"""A service started while its broker is not reachable waits for it instead of exiting."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from tests.harness import eventually, free_port
from tests.infra import Infra
from tests.integration.kit.probe import ProbeState, cancelled, effects, make_runtime, probe_settings


async def _forward(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, port: int
) -> None:
    upstream_reader, upstream_writer = await asyncio.open_connection(host, port)

    async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
        dst.close()

    await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def test_service_started_before_its_broker_waits_and_then_works(infra: Infra, namespace):
    broker = urlsplit(infra.amqp_url)
    port = free_port()  # nothing listens here yet: the broker is "down"
    url = infra.amqp_url.replace(f"{broker.hostname}:{broker.port or 5672}", f"127.0.0.1:{port}")
    settings = probe_settings(url, infra.database_url, f"{namespace}kit.", "probewait")
    runtime = make_runtime(settings, ProbeState())
    starting = asyncio.create_task(runtime.start())
    await asyncio.sleep(1.5)  # several refused attempts
    assert not starting.done(), "start gave up while the broker was away"
    server = await asyncio.start_server(
        lambda r, w: _forward(r, w, broker.hostname or "127.0.0.1", broker.port or 5672),
        "127.0.0.1",
        port,
    )
    try:
        await asyncio.wait_for(starting, 30)
        async with runtime.new_uow() as uow:
            event = cancelled()
            event_id = await uow.emit(event, correlation_id=str(event.order_id))
            await uow.commit()

        async def handled() -> bool:
            return (await effects(runtime)).get(event_id) == 1

        await eventually(handled, timeout=30)
        assert (await runtime.readiness())["consumers"]
    finally:
        if not starting.done():
            starting.cancel()
        await runtime.stop()
        server.close()
