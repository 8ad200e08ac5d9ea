"""``orderflow``: run the system or one service, operate dead letters, export contracts."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from orderflow.carrier_sim import signing_secrets, with_carrier_simulator
from orderflow.services import IDENTITY, PROCESSES, SERVICES, ServiceProcess, by_name
from orderflow.supervisor import Supervisor
from services.identity.entrypoints.cli import users
from shared.cli import dlq
from shared.clock import AnchoredClock
from shared.runtime import ServiceRuntime

app = typer.Typer(
    help="Orderflow: order-to-delivery and after-sales services", no_args_is_help=True
)
app.add_typer(dlq, name="dlq")
app.add_typer(users, name="users")
contracts_app = typer.Typer(help="Message contracts", no_args_is_help=True)
app.add_typer(contracts_app, name="contracts")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


SpeedOpt = Annotated[
    float,
    typer.Option(
        "--speed", min=0.001, help="Simulated seconds per wall second (28800: a day in 3 s)"
    ),
]
StartOpt = Annotated[
    datetime | None,
    typer.Option("--start", help="Simulated instant to start from (default: now), UTC"),
]


def _clock(speed: float, start: datetime | None) -> AnchoredClock | None:
    """One clock for every service and the simulator: anchored at this wall-clock instant."""
    if speed == 1.0 and start is None:
        return None
    origin = datetime.now(UTC)
    at = origin if start is None else start if start.tzinfo else start.replace(tzinfo=UTC)
    return AnchoredClock(at, origin, speed)


@app.command()
def up(
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Start just these services")
    ] = None,
    speed: SpeedOpt = 1.0,
    start: StartOpt = None,
) -> None:
    """Migrate and start the identity provider, every service and the console as processes;
    Ctrl-C stops them."""
    chosen = [by_name(n) for n in only] if only else list(PROCESSES)
    env = with_carrier_simulator(dict(os.environ))
    asyncio.run(_up(Supervisor(chosen, env=env, clock=_clock(speed, start))))


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


OrdersOpt = Annotated[int, typer.Option(help="How many orders")]
SeedOpt = Annotated[int, typer.Option(help="Same seed, same story")]
DaysOpt = Annotated[float, typer.Option(help="Simulated days over which orders arrive")]


@app.command()
def simulate(
    orders: OrdersOpt = 20,
    seed: SeedOpt = 1,
    days: DaysOpt = 30,
    speed: Annotated[
        float | None,
        typer.Option(help="Expected speed of the running services' clock (checked)"),
    ] = None,
) -> None:
    """Play customers, the sales desk, shop floor, warehouse, carrier and after-sales against
    running services (started with `orderflow up --speed X`), on their clock; then report."""
    asyncio.run(_simulate(list(SERVICES), orders, seed, days, speed))


@app.command()
def demo(
    orders: OrdersOpt = 40,
    seed: SeedOpt = 1,
    days: DaysOpt = 30,
    speed: SpeedOpt = 28800.0,
    start: StartOpt = None,
) -> None:
    """Start the identity provider and every service on a fast simulated clock, make the
    story's cast of users, play a seeded month of orders through them (each actor signed in as
    its role), report, stop."""
    asyncio.run(_demo(orders, seed, days, _clock(speed, start) or _clock(1.0, datetime.now(UTC))))


# A demo's load fits small pools: five processes share the database's connection limit with
# whatever else runs on the machine (12 each by default).
DEMO_POOL = {"DB_POOL_SIZE": "3", "DB_MAX_OVERFLOW": "3"}


def demo_env(services: list[ServiceProcess], base: dict[str, str]) -> dict[str, str]:
    """The environment for a demo's services: small pools unless already configured."""
    env = with_carrier_simulator(dict(base))
    for service in services:
        for key, value in DEMO_POOL.items():
            env.setdefault(f"{service.env_prefix}{key}", value)
    return env


async def _demo(orders: int, seed: int, days: float, clock: AnchoredClock | None) -> None:
    services = [IDENTITY, *SERVICES]
    supervisor = Supervisor(
        services, env=demo_env(services, dict(os.environ)), log_to=_Quiet(), clock=clock
    )
    await supervisor.start()
    try:
        await supervisor.wait_ready()
        _out("the identity provider and all five services are up; playing the story ...")
        await _simulate(list(SERVICES), orders, seed, days, None)
    finally:
        await supervisor.stop()
    _out("services stopped; `orderflow up --speed X` keeps them running.")


async def _simulate(
    services: list[ServiceProcess],
    orders: int,
    seed: int,
    days: float,
    speed: float | None,
) -> None:
    from orderflow.simulate import World, play
    from orderflow.simulate.cast import Cast, provision
    from orderflow.simulate.progress import StoryProgress

    sales = os.environ.get("SALES_AMQP_URL")
    # The cast signs in where the services' tokens come from: the embedded provider, whose
    # users this process makes directly in its schema (IDENTITY_* settings), as
    # `orderflow users add` would.
    issuer = os.environ.get("IDENTITY_ISSUER", IDENTITY.base_url())
    # the simulated carrier signs its reports with the secret logistics was started with
    signing = signing_secrets(with_carrier_simulator(dict(os.environ)))
    cast = Cast.at(issuer, await provision(), signing)
    world = World.connect(
        {s.name: s for s in services}, sales, os.environ.get("SALES_NAMESPACE", ""), cast
    )
    try:
        await world.sync_clock()
        if speed is not None and abs(world.speed - speed) > 1e-9:
            _out(f"the services run at speed {world.speed}, not {speed}:")
            _out(f"start them with `orderflow up --speed {speed}`")
            raise typer.Exit(2)
        if world.speed < 100:
            _out("the services run on (nearly) real time: a month would take a month;")
            _out("start them with `orderflow up --speed 28800` (a simulated day in 3 s)")
            raise typer.Exit(2)
        with StoryProgress(orders) as progress:
            report = await play(world, orders, seed, days=days, on_progress=progress.update)
    finally:
        await world.close()
    for line in [*report.lines(), "", *report.next_steps()]:
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
    token: Annotated[
        str | None,
        typer.Option(
            envvar="ORDERFLOW_TOKEN",
            help="An access token of someone who may read timelines (staff or auditor)",
        ),
    ] = None,
) -> None:
    """An order's timeline from customer service: stage, dates, and every step so far."""
    import httpx

    base = url or by_name("customer_service").base_url()
    url = f"{base}/orders/{order_no}/timeline"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.get(url, timeout=10, headers=headers)
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
def seed(
    directory: Annotated[Path, typer.Argument(help="Folder with the CSV files")],
    token: Annotated[
        str | None,
        typer.Option(
            envvar="ORDERFLOW_TOKEN",
            help="Bearer token of a person holding master_data (and warehouse and"
            " production_planner for those files)",
        ),
    ] = None,
) -> None:
    """Master data from CSV files (customers, prices, rates, items, locations, opening stock,
    products, production lines), sent to the services' APIs as the signed-in person; the
    files and their columns: `orderflow/seed.py`. Service URLs: ORDERFLOW_<SERVICE>_URL."""
    from orderflow.seed import BadFile, read_rows

    if not directory.is_dir():
        _out(f"{directory}: not a folder")
        raise typer.Exit(2)
    try:
        rows = list(read_rows(directory))
    except (BadFile, UnicodeDecodeError) as exc:
        _out(f"nothing sent: {exc}")
        raise typer.Exit(2) from exc
    report = asyncio.run(_seed(rows, token))
    for line in report.lines():
        _out(line)
    if report.refused:
        raise typer.Exit(1)


async def _seed(rows: list[Any], token: str | None) -> Any:
    import httpx

    from orderflow.seed import seed as send

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    clients = {
        name: httpx.AsyncClient(
            base_url=os.environ.get(f"ORDERFLOW_{name.upper()}_URL", by_name(name).base_url()),
            headers=headers,
            timeout=30,
        )
        for name in ("sales", "warehouse", "production")
    }
    try:
        return await send(rows, clients)
    finally:
        for client in clients.values():
            await client.aclose()


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

    for target in [by_name(n) for n in service] if service else (IDENTITY, *SERVICES):
        if target is IDENTITY:
            from services.identity.main import MIGRATIONS
            from services.identity.settings import IdentitySettings

            identity = IdentitySettings()
            upgrade(identity, MIGRATIONS)
            _out(f"identity: schema {identity.schema_name} migrated")
            continue
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


@app.command()
def asyncapi(
    out: Annotated[Path | None, typer.Option(help="Where to write it")] = None,
) -> None:
    """The whole system's AsyncAPI 3 document (default: the one shipped with the contracts)."""
    from orderflow.asyncapi import DOCUMENT, consumers_of, render, system_document

    runtimes = [_build_runtime(target.name) for target in SERVICES]
    path = out or DOCUMENT
    path.write_text(render(system_document(consumers_of(runtimes))))
    _out(str(path))


def _build_runtime(name: str) -> ServiceRuntime:
    module = importlib.import_module(f"services.{name}.main")
    runtime: ServiceRuntime = module.build_runtime()
    return runtime


if __name__ == "__main__":
    app()
