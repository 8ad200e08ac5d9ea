"""Liveness, readiness and metrics over HTTP, as orchestrators and Prometheus expect them.

Open to anyone (``public()``): probes and scrapers carry no token, and none of this says anything
about orders or customers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from shared.access import public
from shared.metrics import KitMetrics

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]


class Liveness(BaseModel):
    status: Literal["alive"] = "alive"


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, bool]


def health_router(readiness: ReadinessCheck, metrics: KitMetrics) -> APIRouter:
    router = APIRouter(tags=["health"], dependencies=[Depends(public())])

    @router.get("/health/live", response_model=Liveness)
    async def live() -> Liveness:
        return Liveness()

    @router.get(
        "/health/ready",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Not ready"}},
    )
    async def ready() -> JSONResponse:
        checks = await readiness()
        ok = all(checks.values())
        body = Readiness(status="ready" if ok else "not_ready", checks=checks)
        return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

    @router.get("/metrics", response_class=PlainTextResponse)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router
