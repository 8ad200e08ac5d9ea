"""``orderflow``: run the system or one service, operate dead letters, export contracts."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from orderflow.services import PROCESSES, SERVICES, ServiceProcess, by_name
from orderflow.supervisor import Supervisor
from shared.cli import dlq
from shared.runtime import ServiceRuntime

app = typer.Typer(
    help="Orderflow: order-to-delivery and after-sales services", no_args_is_help=True
)
app.add_typer(dlq, name="dlq")
contracts_app = typer.Typer(help="Message contracts", no_args_is_help=True)
app.add_typer(contracts_app, name="contracts")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


@app.command()
def up(
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Start just these services")
    ] = None,
) -> None:
    """Migrate and start every service and the console as processes; Ctrl-C stops them."""
    chosen = [by_name(n) for n in only] if only else list(PROCESSES)
    asyncio.run(_up(Supervisor(chosen)))


async def _up(supervisor: Supervisor) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await supervisor.start()
    try:
        await supervisor.wait_ready()
        _out(
            "all services ready: "
            + ", ".join(
                f"{s.name} {s.base_url()}{'' if s.name == 'console' else '/docs'}"
                for s in supervisor.services
            )
        )
        while not stop.is_set() and not supervisor.exited():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)
        if supervisor.exited():
            _out(f"a service exited: {supervisor.exited()}")
    finally:
        await supervisor.stop()


@app.command()
def simulate(
    orders: Annotated[int, typer.Option(help="How many orders")] = 20,
    seed: Annotated[int, typer.Option(help="Same seed, same story")] = 1,
    concurrency: Annotated[int, typer.Option(help="Orders in flight at once")] = 4,
) -> None:
    """Play customers, warehouse staff and the carrier against running services."""
    asyncio.run(_simulate(list(SERVICES), orders, seed, concurrency))


@app.command()
def demo(
    orders: Annotated[int, typer.Option(help="How many orders")] = 20,
    seed: Annotated[int, typer.Option(help="Same seed, same story")] = 1,
) -> None:
    """Start every service, play a seeded story of orders through them, report, stop."""
    asyncio.run(_demo(orders, seed))


async def _demo(orders: int, seed: int) -> None:
    supervisor = Supervisor(list(SERVICES), log_to=_Quiet())
    await supervisor.start()
    try:
        await supervisor.wait_ready()
        _out("all five services are up; playing the story ...")
        await _simulate(list(SERVICES), orders, seed, 4)
    finally:
        await supervisor.stop()
    _out("services stopped. Next: `orderflow up` to keep them running, then open")
    _out("http://127.0.0.1:8001/docs (sales) ... :8005/docs (customer service),")
    _out("`orderflow dlq list <queue>` for dead letters, README.md for the rest.")


async def _simulate(
    services: list[ServiceProcess], orders: int, seed: int, concurrency: int
) -> None:
    from orderflow.simulate.actors import World
    from orderflow.simulate.story import play

    world = World.connect({s.name: s for s in services})
    try:
        report = await play(world, orders, seed, concurrency)
    finally:
        await world.close()
    for line in report.lines():
        _out(line)


class _Quiet:
    """Service logs during a demo go to var/demo.log, not over the report."""

    def __init__(self) -> None:
        Path("var").mkdir(exist_ok=True)
        self._file = Path("var/demo.log").open("a")  # noqa: SIM115 - lives as long as the demo

    def write(self, text: str) -> None:
        self._file.write(text)

    def isatty(self) -> bool:
        return False


@app.command()
def track(
    order_no: str,
    url: Annotated[str | None, typer.Option(help="Customer service base URL")] = None,
) -> None:
    """An order's timeline from customer service: stage, dates, and every step so far."""
    import httpx

    base = url or by_name("customer_service").base_url()
    url = f"{base}/orders/{order_no}/timeline"
    response = httpx.get(url, timeout=10)
    if response.status_code != 200:
        _out(f"{order_no}: {response.status_code} {response.text}")
        raise typer.Exit(1)
    timeline = response.json()
    _out(
        f"{order_no}  stage {timeline['stage']}  promised {timeline['promised_date']}"
        f"  expected {timeline['expected_date']}  tracking {timeline.get('tracking_no') or '-'}"
    )
    for entry in timeline["history"]:
        _out(f"  {entry['occurred_at']}  {entry['event_type']:<28} {entry.get('who', '')}")


@app.command()
def run(service: str) -> None:
    """Run one service, or the console, in the foreground (what ops run per container)."""
    target = by_name(service)
    os.execv(sys.executable, [sys.executable, "-m", target.module])


@app.command()
def migrate(
    service: Annotated[list[str] | None, typer.Argument(help="Default: every service")] = None,
) -> None:
    """Apply the database migrations of the given services (they also migrate on start)."""
    from shared.migrate import upgrade

    for target in [by_name(n) for n in service] if service else SERVICES:
        runtime = _build_runtime(target.name)
        assert runtime.migrations is not None
        upgrade(runtime.settings, runtime.migrations)
        _out(f"{target.name}: schema {runtime.settings.schema_name} migrated")


@contracts_app.command("export")
def export_contracts(
    out: Annotated[Path, typer.Option(help="Folder to write into")] = Path("build/contracts"),
) -> None:
    """JSON Schemas of every message and the AsyncAPI document of every service."""
    from contracts.export import export
    from shared.asyncapi import write_document

    export(out / "schemas")
    for target in SERVICES:
        path = write_document(_build_runtime(target.name), out / "asyncapi")
        _out(str(path))
    _out(f"schemas in {out / 'schemas'}")


def _build_runtime(name: str) -> ServiceRuntime:
    module = importlib.import_module(f"services.{name}.main")
    runtime: ServiceRuntime = module.build_runtime()
    return runtime


if __name__ == "__main__":
    app()
