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

from orderflow.services import SERVICES, by_name
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
    """Migrate and start every service as its own process; Ctrl-C stops them gracefully."""
    chosen = [by_name(n) for n in only] if only else list(SERVICES)
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
            + ", ".join(f"{s.name} {s.base_url()}/docs" for s in supervisor.services)
        )
        while not stop.is_set() and not supervisor.exited():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)
        if supervisor.exited():
            _out(f"a service exited: {supervisor.exited()}")
    finally:
        await supervisor.stop()


@app.command()
def run(service: str) -> None:
    """Run one service in the foreground (what ops run per container)."""
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
