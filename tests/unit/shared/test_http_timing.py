"""Requests are timed by route template; slow ones are logged."""

from __future__ import annotations

import asyncio

import httpx
import structlog
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from shared.http_timing import RequestTiming
from shared.metrics import KitMetrics


def _app(metrics: KitMetrics, slow_s: float) -> FastAPI:
    app = FastAPI()

    @app.get("/orders/{order_id}")
    async def order(order_id: str) -> dict[str, str]:
        return {"id": order_id}

    @app.post("/slow")
    async def slow() -> None:
        await asyncio.sleep(slow_s * 2)

    app.add_middleware(RequestTiming, latency=metrics.http_latency, slow_s=slow_s)
    return app


async def test_requests_are_counted_under_their_route_not_their_path():
    metrics = KitMetrics(CollectorRegistry())
    transport = httpx.ASGITransport(app=_app(metrics, 5.0))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for order_id in ("a", "b", "c"):
            assert (await client.get(f"/orders/{order_id}")).status_code == 200
        assert (await client.get("/nowhere")).status_code == 404
    count = metrics.registry.get_sample_value
    labels = {"method": "GET", "route": "/orders/{order_id}"}
    assert count("orderflow_http_request_seconds_count", labels) == 3
    assert count("orderflow_http_request_seconds_count", labels | {"route": "unmatched"}) == 1


async def test_a_slow_request_is_logged_with_its_path_and_time():
    metrics = KitMetrics(CollectorRegistry())
    transport = httpx.ASGITransport(app=_app(metrics, 0.05))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        with structlog.testing.capture_logs() as logs:
            await client.get("/orders/a")
            await client.post("/slow")
    [slow] = [e for e in logs if e["event"] == "slow_http_request"]
    assert (slow["method"], slow["path"]) == ("POST", "/slow")
    assert slow["seconds"] >= 0.1
