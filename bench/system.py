"""The whole system under load: five service processes, class-A orders through their whole life.

Starts the five services as separate processes on a namespace, schemas and ports of their own,
and in the same run the hand-written chain of ``bench.baseline`` as a process of its own. Then:

- throughput: orders through their whole life, ``--concurrency`` at a time, the simulated actors
  answering at once; handler transactions per second summed over the services' /metrics;
- latency at a fixed moderate rate (``--rate`` orders/s): submit -> ``order.confirmed``,
  ``goods.ready`` -> ``goods.shipped`` (seen on a queue of our own), outbox insert -> broker
  confirm (from every service's outbox rows);
- peak resident memory (VmHWM) and CPU seconds per service.

Every figure is also given as a ratio to the hand-written chain's. Prints a table and writes JSON
(``--json var/bench.json``). Run: ``.venv/bin/python -m bench.system``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import drive, report
from bench.observe import EventClock
from bench.services import BenchSystem
from bench.stats import percentiles
from orderflow.simulate import World


@dataclass
class Options:
    orders: int = 60
    concurrency: int = 12
    rate: float = 1.0
    seconds: float = 40.0
    baseline_events: int = 2000
    baseline_rate: float = 50.0
    baseline_seconds: float = 10.0
    db_pool: int = 4
    db_overflow: int = 0  # overflow connections close when returned: churn near the limit
    json_path: Path = Path("var/bench.json")
    service_log: Path = field(
        default_factory=lambda: Path(tempfile.gettempdir()) / "orderflow-bench.log"
    )


async def run_baseline(options: Options) -> dict[str, Any]:
    """The hand-written chain in a process of its own, so its memory is its own."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.baseline",
        "--events",
        str(options.baseline_events),
        "--rate",
        str(options.baseline_rate),
        "--seconds",
        str(options.baseline_seconds),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"baseline exited with {process.returncode}")
    return dict(json.loads(out.decode().strip().splitlines()[-1]))


async def measure(options: Options) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    _progress("hand-written chain")
    baseline = await run_baseline(options)
    system = BenchSystem(run, options.service_log, (options.db_pool, options.db_overflow))
    free = await _wait_for_connections(system, 5 * (options.db_pool + options.db_overflow) + 5)
    _progress("starting the five services")
    await system.start()
    try:
        world = World.connect(system.services, cast=await system.cast())
        clock = await EventClock(system.amqp_url, system.events_exchange, drive.WATCHED).start()
        try:
            await world.seed(stock=(options.orders + int(options.rate * options.seconds) + 20) * 3)
            customer = await world.customer("A")
            _progress("warm-up")
            # warm-up: fills the connection pools, runs every first-call path
            await drive.closed_loop(world, clock, customer, 8, 8)
            _progress("throughput")
            throughput = await _throughput(system, world, clock, customer, options)
            _progress("latency")
            latency = await _latency(system, world, clock, customer, options)
            dead = await world.dead_lettered()
        finally:
            await clock.close()
            await world.close()
        memory = system.peak_rss_mb()
    finally:
        await system.stop()
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count()},
        "options": {k: str(v) for k, v in asdict(options).items()},
        "baseline": baseline,
        "throughput": throughput,
        "latency": latency,
        "peak_rss_mb": memory,
        "dead_lettered": dead,
        "db_connections_free": free,
    }


def _progress(step: str) -> None:
    sys.stderr.write(f"{time.strftime('%H:%M:%S')} {step}\n")


async def _wait_for_connections(system: BenchSystem, needed: int, within_s: float = 180) -> int:
    """On a shared server, start when there is room: a service refused a connection retries
    its handlers, and that would show in every figure."""
    deadline = time.monotonic() + within_s
    while (free := await system.free_connections()) < needed and time.monotonic() < deadline:
        sys.stderr.write(f"{free} database connections free, waiting for {needed}\n")
        await asyncio.sleep(5)
    if free < needed:
        sys.stderr.write(f"warning: only {free} database connections free; figures will suffer\n")
    return free


HANDLED = "orderflow_messages_handled_total"
FAILED = "orderflow_messages_failed_total"  # attempts that raised and went to a retry tier
# the actors' actions and the polls with which they wait for their turn
HTTP_REQUESTS = "orderflow_http_request_seconds_count"


async def _throughput(
    system: BenchSystem, world: World, clock: EventClock, customer: str, options: Options
) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as client:
        before = await system.counted(client, HANDLED)
        failed_before = await system.counted(client, FAILED)
        http_before = await system.counted(client, HTTP_REQUESTS)
        cpu_before = system.cpu_seconds()
        machine_before = system.machine_cpu_seconds()
        lives, elapsed = await drive.closed_loop(
            world, clock, customer, options.orders, options.concurrency
        )
        cpu_after = system.cpu_seconds()
        machine_after = system.machine_cpu_seconds()
        after = await system.counted(client, HANDLED)
        failed_after = await system.counted(client, FAILED)
        http_after = await system.counted(client, HTTP_REQUESTS)
    per_service = {name: (after[name] - before[name]) / elapsed for name in after}
    handled = sum(after.values()) - sum(before.values())
    return {
        "orders": options.orders,
        "concurrency": options.concurrency,
        "seconds": elapsed,
        "orders_per_s": options.orders / elapsed,
        "handler_tx_per_s": handled / elapsed,
        "handler_tx_per_order": handled / options.orders,
        "handler_tx_per_s_by_service": per_service,
        "handler_tx_per_cpu_s": handled / sum(cpu_after[n] - cpu_before[n] for n in cpu_after),
        "handler_failures_retried": sum(failed_after.values()) - sum(failed_before.values()),
        "http_requests_per_s_by_service": {
            name: (http_after[name] - http_before[name]) / elapsed for name in http_after
        },
        "machine_cores_busy": (machine_after - machine_before) / elapsed,
        "cpu_share_by_service": {
            name: (cpu_after[name] - cpu_before[name]) / elapsed for name in cpu_after
        },
        "submit_to_completed_s": percentiles(life.submit_to_completed for life in lives),
    }


async def _latency(
    system: BenchSystem, world: World, clock: EventClock, customer: str, options: Options
) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as client:
        failed_before = await system.counted(client, FAILED)
        started_at = datetime.now(UTC)
        started = time.perf_counter()
        lives = await drive.open_loop(world, clock, customer, options.rate, options.seconds)
        elapsed = time.perf_counter() - started
        failed_after = await system.counted(client, FAILED)
    delays = await system.outbox_delays(started_at, datetime.now(UTC))
    return {
        "rate_per_s": options.rate,
        "orders": len(lives),
        "seconds": elapsed,
        "handler_failures_retried": sum(failed_after.values()) - sum(failed_before.values()),
        "submit_to_confirmed_s": percentiles(life.submit_to_confirmed for life in lives),
        "ready_to_shipped_s": percentiles(life.ready_to_shipped for life in lives),
        "outbox_commit_to_publish_s": percentiles(d for ds in delays.values() for d in ds),
        "outbox_commit_to_publish_s_by_service": {n: percentiles(d) for n, d in delays.items()},
        "outbox_slowest_rows": system.slowest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    defaults = Options()
    parser.add_argument("--orders", type=int, default=defaults.orders)
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency)
    parser.add_argument("--rate", type=float, default=defaults.rate, help="orders/s")
    parser.add_argument("--seconds", type=float, default=defaults.seconds)
    parser.add_argument("--baseline-events", type=int, default=defaults.baseline_events)
    parser.add_argument("--baseline-rate", type=float, default=defaults.baseline_rate)
    parser.add_argument("--baseline-seconds", type=float, default=defaults.baseline_seconds)
    parser.add_argument("--db-pool", type=int, default=defaults.db_pool)
    parser.add_argument("--db-overflow", type=int, default=defaults.db_overflow)
    parser.add_argument("--json", type=Path, default=defaults.json_path, dest="json_path")
    options = Options(**vars(parser.parse_args()))
    result = asyncio.run(measure(options))
    options.json_path.parent.mkdir(parents=True, exist_ok=True)
    options.json_path.write_text(json.dumps(result, indent=2) + "\n")
    sys.stdout.write(report.table(result) + "\n")
    sys.stdout.write(f"JSON: {options.json_path}; service logs: {options.service_log}\n")


if __name__ == "__main__":
    main()
