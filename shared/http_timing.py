"""Every HTTP request timed by route into ``orderflow_http_request_seconds``; one slower than
``slow_request_s`` is logged as a warning, so ops see what waited and where."""

from __future__ import annotations

import time

import structlog
from prometheus_client import Histogram
from starlette.types import ASGIApp, Receive, Scope, Send

log = structlog.get_logger(__name__)


class RequestTiming:
    """A plain ASGI middleware: no request or response objects are built for it."""

    def __init__(self, app: ASGIApp, latency: Histogram, slow_s: float) -> None:
        self.app = app
        self.latency = latency
        self.slow_s = slow_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            took = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.latency.labels(scope["method"], route).observe(took)
            if took > self.slow_s:
                log.warning(
                    "slow_http_request",
                    method=scope["method"],
                    path=scope["path"],
                    seconds=round(took, 3),
                )
