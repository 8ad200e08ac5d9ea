"""A minimal service built only from the runtime kit, used to prove the kit's guarantees.

It consumes ``order.cancelled`` and records one ``effect`` row per handled event, so a doubled
effect shows up as two rows. The event's ``reason`` chooses a behaviour: ``ok``, ``transient:N``
(fail N times with a transient error, then succeed), ``always`` (always fail, transiently),
``invariant`` (a broken invariant: permanent).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic_settings import SettingsConfigDict
from sqlalchemy import BigInteger, Column, DateTime, MetaData, Table, Text, Uuid, func, text

from contracts.enums import Initiator
from contracts.events.sales import OrderCancelled
from shared.config import ServiceSettings
from shared.errors import PermanentError, TransientError
from shared.messaging import HandlerContext, MessageBus
from shared.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).parent / "probe_migrations"

probe_metadata = MetaData()
effect = Table(
    "effect",
    probe_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False),
    Column("order_id", Uuid, nullable=False),
    Column("handled_at", DateTime(timezone=True), server_default=func.now()),
    Column("handler", Text, nullable=False),
)


class ProbeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PROBE_", extra="ignore")


@dataclass
class ProbeState:
    """What the handler saw, per process; shared by the replicas of one test."""

    attempts: dict[uuid.UUID, list[float]] = field(default_factory=lambda: defaultdict(list))
    heal: bool = False
    gate: asyncio.Event | None = None


def cancelled(reason: str = "ok") -> OrderCancelled:
    return OrderCancelled(order_id=uuid.uuid4(), initiated_by=Initiator.CUSTOMER, reason=reason)


def make_bus(state: ProbeState, name: str) -> MessageBus:
    bus = MessageBus(name)

    @bus.on_event(OrderCancelled)
    async def on_order_cancelled(event: OrderCancelled, ctx: HandlerContext) -> None:
        state.attempts[event.order_id].append(time.monotonic())
        if state.gate is not None:
            await state.gate.wait()
        _misbehave(event.reason, len(state.attempts[event.order_id]), state.heal)
        await ctx.uow.session.execute(
            text("INSERT INTO effect (event_id, order_id, handler) VALUES (:e, :o, :h)"),
            {"e": ctx.envelope.event_id, "o": event.order_id, "h": "on_order_cancelled"},
        )

    return bus


def _misbehave(reason: str, attempt: int, healed: bool) -> None:
    if healed or reason == "ok":
        return
    if reason.startswith("transient:") and attempt <= int(reason.split(":")[1]):
        raise TransientError(f"simulated outage, attempt {attempt}")
    if reason == "always":
        raise TransientError("still down")
    if reason == "invariant":
        raise PermanentError("order already shipped: cannot cancel")


def probe_settings(infra_amqp: str, infra_db: str, namespace: str, name: str) -> ProbeSettings:
    schema = f"{namespace.replace('.', '_').rstrip('_')}_{name}"
    return ProbeSettings(
        service_name=name,
        amqp_url=infra_amqp,
        database_url=infra_db,
        db_schema=schema,
        namespace=namespace,
        retry_delays_ms=[200, 400, 800],
        max_attempts=3,
        relay_idle_poll_s=0.05,
        timer_poll_s=0.05,
        prefetch=50,
    )


def make_runtime(settings: ProbeSettings, state: ProbeState, **kwargs: object) -> ServiceRuntime:
    runtime = ServiceRuntime(
        settings, make_bus(state, settings.service_name), migrations=MIGRATIONS, **kwargs
    )  # type: ignore[arg-type]
    return runtime


async def effects(runtime: ServiceRuntime) -> dict[uuid.UUID, int]:
    """How many effect rows each event produced."""
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(text("SELECT event_id, count(*) FROM effect GROUP BY event_id"))
        return {event_id: count for event_id, count in rows.all()}


def runtime_from_env() -> ServiceRuntime:
    """Factory for the command line (``orderflow migrate tests.integration.kit.probe:...``)."""
    return make_runtime(ProbeSettings(), ProbeState())
