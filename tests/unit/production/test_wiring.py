"""Wiring without IO: settings defaults, the HTTP API's OpenAPI document, the bus's handlers."""

from __future__ import annotations

from services.production.main import build_runtime, routers
from services.production.settings import ProductionSettings
from shared.calendar import DeadlineRule
from shared.http import create_app


def test_settings_defaults():
    settings = ProductionSettings()
    assert (settings.service_name, settings.http_port) == ("production", 8002)
    assert settings.warehouse_wait == DeadlineRule(unit="hours", length=4)


def test_openapi_lists_lines_schedule_work_orders_and_reporting():
    runtime = build_runtime()  # builds objects only; nothing connects until start()
    paths = create_app(runtime, routers(), manage_runtime=False).openapi()["paths"]
    for path in (
        "/lines",
        "/lines/{code}/capacities/{family}",
        "/lines/{code}/downtime",
        "/products/{product_code}",
        "/schedule",
        "/work-orders",
        "/work-orders/{work_order_id}/progress",
        "/material-receipts",
    ):
        assert path in paths
    queues = {route.queue.rsplit(".", 1)[-1] for route in runtime.routes}
    assert {"commands", "confirmed", "reserved", "cancelled", "failed"} <= queues
