"""What checking a bearer token costs, against what a request costs.

1. ``TokenVerifier.verify`` alone on an RS256 token (2048-bit key, keys cached as a service keeps
   them): verifications per second and CPU microseconds each.
2. A real request: the warehouse's ``GET /orders/{id}/reservations`` through its app (ASGI, its
   database, no broker), CPU per request with the token check, and the check's share of it.
3. The whole system: the token check times the HTTP requests per second the services answered
   during the benchmark's throughput phase (``--http-per-s``, from ``var/bench.json`` when it is
   there), as a share of the CPU the services used then (``--service-cores``).

Run: ``.venv/bin/python -m bench.auth``. Uses the machine's PostgreSQL (a schema of its own,
dropped after).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from contracts.roles import Role
from shared.auth import TokenVerifier
from shared.config import ServiceSettings
from tests.identity import ISSUER
from tests.infra import DEFAULT_DB


async def verifications(rounds: int) -> float:
    """CPU seconds per ``verify`` of one token."""
    verifier = TokenVerifier(ServiceSettings(**ISSUER.settings()).auth_config())  # type: ignore[arg-type]
    token = ISSUER.token("bench", Role.WAREHOUSE)
    await verifier.verify(token)
    started = time.process_time()
    for _ in range(rounds):
        await verifier.verify(token)
    return (time.process_time() - started) / rounds


async def warehouse_request(rounds: int, database_url: str) -> float:
    """CPU seconds per ``GET /orders/{id}/reservations`` (a 404 read: one query), token included."""
    from services.warehouse.main import MIGRATIONS, build_runtime, routers
    from services.warehouse.settings import WarehouseSettings
    from shared.http import create_app
    from shared.migrate import upgrade_async

    schema = f"bench_auth_{uuid.uuid4().hex[:6]}"
    settings = WarehouseSettings(
        database_url=database_url,
        db_schema=schema,
        **ISSUER.settings(),  # type: ignore[arg-type]
    )
    await upgrade_async(settings, MIGRATIONS)
    runtime = build_runtime(settings)
    app = create_app(runtime, routers(), manage_runtime=False)
    headers = ISSUER.headers("bench", Role.WAREHOUSE)
    path = f"/orders/{uuid.uuid4()}/reservations"
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://wh") as client:
            for _ in range(50):  # warm-up: pool, first-call paths
                await client.get(path, headers=headers)
            started = time.process_time()
            for _ in range(rounds):
                await client.get(path, headers=headers)
            return (time.process_time() - started) / rounds
    finally:
        await runtime.engine.dispose()
        await runtime.relay_engine.dispose()
        engine = create_async_engine(database_url)
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await engine.dispose()


def system_http_per_s(path: Path) -> tuple[float, float] | None:
    """HTTP requests per second all services answered, and the cores they used, in the last
    system benchmark's throughput phase."""
    if not path.exists():
        return None
    throughput = json.loads(path.read_text())["throughput"]
    http = sum(throughput["http_requests_per_s_by_service"].values())
    cores = sum(throughput["cpu_share_by_service"].values())
    return http, cores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3000)
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--bench-json", type=Path, default=Path("var/bench.json"))
    parser.add_argument("--http-per-s", type=float, default=None)
    parser.add_argument("--service-cores", type=float, default=None)
    args = parser.parse_args()
    verify_s = asyncio.run(verifications(args.rounds))
    request_s = asyncio.run(warehouse_request(args.rounds // 3, args.database_url))
    out = [
        f"token verification (RS256, keys cached): {1 / verify_s:,.0f}/s,"
        f" {verify_s * 1e6:.0f} us of CPU each",
        f"warehouse GET /orders/{{id}}/reservations: {request_s * 1e6:.0f} us of CPU per"
        f" request; the token check is {verify_s / request_s:.1%} of it",
    ]
    measured = system_http_per_s(args.bench_json)
    http_per_s = args.http_per_s if args.http_per_s is not None else measured and measured[0]
    cores = args.service_cores if args.service_cores is not None else measured and measured[1]
    if http_per_s and cores:
        share = http_per_s * verify_s / cores
        out.append(
            f"system: {http_per_s:.0f} HTTP requests/s on {cores:.2f} service cores ->"
            f" token checks take {share:.2%} of the services' CPU"
        )
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
