"""The kit's pure parts: settings, logging, error classification, routing."""

from __future__ import annotations

import io
import json

import pytest
import structlog
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from contracts.commands.sales import CancelOrder, SubmitOrder
from contracts.events.sales import OrderCancelled, OrderConfirmed
from shared.config import ServiceSettings
from shared.errors import PermanentError, TransientError
from shared.failures import is_permanent, is_transient
from shared.logging import configure_logging
from shared.messaging import MessageBus
from shared.topology import Topology


class WarehouseSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WAREHOUSE_", extra="ignore")
    service_name: str = "warehouse"


def test_each_service_reads_its_own_env_prefix(monkeypatch):
    monkeypatch.setenv("WAREHOUSE_AMQP_URL", "amqp://w@broker/")
    monkeypatch.setenv("SALES_AMQP_URL", "amqp://s@broker/")
    assert WarehouseSettings().amqp_url == "amqp://w@broker/"


def test_defaults_point_at_localhost_and_schema_is_the_service_name(monkeypatch):
    for key in ("WAREHOUSE_AMQP_URL", "WAREHOUSE_DATABASE_URL", "WAREHOUSE_DB_SCHEMA"):
        monkeypatch.delenv(key, raising=False)
    settings = WarehouseSettings()
    assert "127.0.0.1:5672" in settings.amqp_url
    assert "127.0.0.1:5432" in settings.database_url
    assert settings.schema_name == "warehouse"


def test_log_lines_are_json_with_service_and_message_context():
    out = io.StringIO()
    configure_logging("warehouse", json=True)
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=out))
    structlog.contextvars.bind_contextvars(event_id="e-1", correlation_id="202611-001")
    structlog.get_logger().info("stock_reserved", lines=2)
    line = json.loads(out.getvalue().strip().splitlines()[-1])
    assert line["service"] == "warehouse"
    assert line["event_id"] == "e-1"
    assert line["correlation_id"] == "202611-001"
    assert line["event"] == "stock_reserved"
    structlog.contextvars.clear_contextvars()


def test_schema_violations_and_broken_invariants_are_permanent():
    with pytest.raises(ValidationError) as info:
        OrderCancelled.model_validate({"order_id": "nope"})
    assert is_permanent(info.value)
    assert is_permanent(PermanentError("already shipped"))
    assert not is_permanent(TransientError("db down"))
    assert is_transient(TransientError("db down"))
    assert is_transient(ConnectionRefusedError())


def test_bus_puts_each_event_on_its_own_queue_and_commands_on_one():
    bus = MessageBus("sales")

    @bus.on_event(OrderConfirmed)
    async def on_order_confirmed(event, ctx):  # pragma: no cover - never called
        return None

    @bus.on_command(SubmitOrder)
    async def on_submit(command, ctx):  # pragma: no cover
        return None

    @bus.on_command(CancelOrder)
    async def on_cancel(command, ctx):  # pragma: no cover
        return None

    routes = {r.queue: r for r in bus.routes(Topology("ns."))}
    assert set(routes) == {"ns.sales.order.confirmed", "ns.sales.commands"}
    assert routes["ns.sales.order.confirmed"].binding == "order.confirmed"
    assert routes["ns.sales.commands"].binding == "sales.#"
    assert set(routes["ns.sales.commands"].handlers) == {
        ("sales.submit_order", 1),
        ("sales.cancel_order", 1),
    }


def test_bus_refuses_a_command_registered_as_an_event():
    with pytest.raises(TypeError):
        MessageBus("sales").on_event(SubmitOrder)


def test_work_queues_are_quorum_with_dead_letter_and_delivery_limit():
    args = Topology("").work_queue_arguments("sales.commands", 20)
    assert args["x-queue-type"] == "quorum"
    assert args["x-dead-letter-routing-key"] == "sales.commands.dlq"
    assert args["x-delivery-limit"] == 20


def test_secrets_come_from_files_when_a_secrets_dir_is_set(monkeypatch, tmp_path):
    (tmp_path / "warehouse_database_url").write_text("postgresql+asyncpg://w:s3cret@db/orders")
    monkeypatch.delenv("WAREHOUSE_DATABASE_URL", raising=False)
    monkeypatch.setenv("ORDERFLOW_SECRETS_DIR", str(tmp_path))
    assert WarehouseSettings().database_url == "postgresql+asyncpg://w:s3cret@db/orders"


def test_environment_wins_over_secret_files(monkeypatch, tmp_path):
    (tmp_path / "warehouse_amqp_url").write_text("amqps://from-file/")
    monkeypatch.setenv("ORDERFLOW_SECRETS_DIR", str(tmp_path))
    monkeypatch.setenv("WAREHOUSE_AMQP_URL", "amqps://from-env/")
    assert WarehouseSettings().amqp_url == "amqps://from-env/"


def test_classic_queues_when_chosen_carry_no_delivery_limit():
    args = Topology("", quorum=False).work_queue_arguments("sales.commands", 20)
    assert args["x-queue-type"] == "classic"
    assert "x-delivery-limit" not in args
    assert args["x-dead-letter-routing-key"] == "sales.commands.dlq"
