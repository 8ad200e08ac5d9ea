"""RabbitMQ definitions (exchanges, queues, bindings, users, permissions) derived from the code.

The services declare the same topology on start; this renders it for ops who pre-declare it and
run each service under its own user with declare rights off. Each user may read its own queues,
write to the exchanges it publishes to and its own retry and dead-letter exchanges, and configure
nothing: with these definitions loaded, services run with ``<SERVICE>_DECLARE_TOPOLOGY=false``.

Topic permissions narrow what goes through the two topic exchanges: a service writes only the
routing keys of the events it publishes (``contracts.publishers``) and the answers to commands,
and binds only the events and commands it consumes. Each departmental system (``SYSTEMS``) has a
user too: it writes only its commands, declares and binds only queues named after itself, and
reads only its own answers and the events it is entitled to.

Users carry no password; ops set one from their secret store (``rabbitmqctl change_password``).
One more user, ``keda``, is tagged ``monitoring`` so KEDA can read queue depths from the
management API; it may configure, write and read nothing through AMQP.

``python -m orderflow.deploy_rabbitmq`` rewrites ``deploy/rabbitmq/definitions.json``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts.events.outcomes import sender_token
from contracts.publishers import published_by
from shared.messaging import Route
from shared.topology import UNROUTED_RETENTION_MS, Topology

DEFINITIONS = Path(__file__).resolve().parents[1] / "deploy" / "rabbitmq" / "definitions.json"
VHOST = "/"
# The user KEDA's RabbitMQ scaler reads queue depths with (management API, `monitoring` tag).
MONITORING_USER = "keda"


@dataclass(frozen=True)
class DepartmentalSystem:
    """A system outside the services that sends commands and reads answers and some events."""

    login: str
    commands: tuple[str, ...]
    events: tuple[str, ...] = ()


SYSTEMS: tuple[DepartmentalSystem, ...] = (
    DepartmentalSystem(
        "edi-gateway",
        (
            "sales.submit_order",
            "sales.amend_order",
            "sales.cancel_order",
            "sales.sign_confirmation",
        ),
        (
            "order.received",
            "order.info_requested",
            "order.confirmation_sent",
            "order.confirmed",
            "order.rejected",
            "order.delivery_date_changed",
            "goods.shipped",
            "goods.delivered",
        ),
    ),
    DepartmentalSystem(
        "finance",
        ("sales.record_payment",),
        (
            "invoice.issued",
            "credit_note.issued",
            "payment.received",
            "payment.reminder_sent",
            "payment.overdue",
            "order.cancelled",
            "order.completed",
        ),
    ),
    DepartmentalSystem(
        "carrier-bridge", ("logistics.record_scan",), ("shipment.updated", "shipment.cancelled")
    ),
    DepartmentalSystem(
        "warehouse-scanner",
        ("warehouse.confirm_pick", "warehouse.confirm_pack"),
        ("stock.reserved", "goods.ready"),
    ),
    DepartmentalSystem(
        "floor-terminal",
        ("production.report_progress", "production.receive_materials"),
        ("production.scheduled", "production.cancelled", "material.requisitioned"),
    ),
    DepartmentalSystem(
        "service-portal",
        ("customer_service.open_complaint",),
        ("complaint.opened", "complaint.resolved", "service_ticket.closed"),
    ),
)
"""The departmental systems the deployment makes users for (commands are the registry's)."""


@dataclass(frozen=True)
class ServiceTopology:
    name: str
    routes: Sequence[Route]
    retry_delays_ms: Sequence[int]
    delivery_limit: int
    publishes: Sequence[str] | None = None
    """The event types it publishes; None: what ``contracts.publishers`` says of its name."""


def definitions(
    services: Sequence[ServiceTopology],
    namespace: str = "",
    systems: Sequence[DepartmentalSystem] = SYSTEMS,
) -> dict[str, Any]:
    topo = Topology(namespace)
    out: dict[str, list[dict[str, Any]]] = {
        "users": [],
        "permissions": [],
        "exchanges": [],
        "queues": [],
        "bindings": [],
    }
    out["topic_permissions"] = []
    _shared_entities(out, topo)
    for service in services:
        _service_entities(out, topo, service)
        user = f"{namespace}{service.name}"
        out["users"].append(_user(user, []))
        out["permissions"].append({"user": user, "vhost": VHOST, **_permissions(topo, service)})
        out["topic_permissions"] += _service_topics(topo, service, user)
    for system in systems:
        user = f"{namespace}{system.login}"
        out["users"].append(_user(user, []))
        out["permissions"].append({"user": user, "vhost": VHOST, **_system_permissions(topo, user)})
        out["topic_permissions"] += _system_topics(topo, system, user)
    monitor = f"{namespace}{MONITORING_USER}"
    out["users"].append(_user(monitor, ["monitoring"]))
    # the management API shows a vhost's queues to a monitoring user with any permission there
    out["permissions"].append(
        {"user": monitor, "vhost": VHOST, "configure": "^$", "write": "^$", "read": "^$"}
    )
    for key in ("exchanges", "queues", "bindings"):
        out[key].sort(key=lambda e: json.dumps(e, sort_keys=True))
    return {"rabbit_version": "3.10.8", "vhosts": [{"name": VHOST}], **out}


def _user(name: str, tags: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "password_hash": "",
        "hashing_algorithm": "rabbit_password_hashing_sha256",
        "tags": tags,
    }


def _exchange(name: str, kind: str, arguments: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "vhost": VHOST,
        "type": kind,
        "durable": True,
        "auto_delete": False,
        "internal": False,
        "arguments": dict(arguments or {}),
    }


def _queue(name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "vhost": VHOST,
        "durable": True,
        "auto_delete": False,
        "arguments": dict(arguments),
    }


def _binding(source: str, queue: str, key: str) -> dict[str, Any]:
    return {
        "source": source,
        "vhost": VHOST,
        "destination": queue,
        "destination_type": "queue",
        "routing_key": key,
        "arguments": {},
    }


def _shared_entities(out: dict[str, list[dict[str, Any]]], topo: Topology) -> None:
    out["exchanges"] += [
        _exchange(topo.unrouted, "fanout"),
        _exchange(topo.events_exchange, "topic", topo.events_exchange_arguments()),
        _exchange(topo.commands_exchange, "topic"),
    ]
    out["queues"].append(
        _queue(topo.unrouted, {"x-queue-type": "quorum", "x-message-ttl": UNROUTED_RETENTION_MS})
    )
    out["bindings"].append(_binding(topo.unrouted, topo.unrouted, ""))


def _service_entities(
    out: dict[str, list[dict[str, Any]]], topo: Topology, service: ServiceTopology
) -> None:
    dead_letters = topo.dead_letter_exchange(service.name)
    back = topo.retry_return_exchange(service.name)
    out["exchanges"].append(_exchange(dead_letters, "direct"))
    out["exchanges"].append(_exchange(back, "direct"))
    for route in service.routes:
        dlq = topo.dead_letter_queue(route.queue)
        out["queues"].append(
            _queue(route.queue, topo.work_queue_arguments(route.queue, service.delivery_limit))
        )
        out["queues"].append(_queue(dlq, {"x-queue-type": "quorum"}))
        out["bindings"].append(_binding(route.exchange, route.queue, route.binding))
        out["bindings"].append(_binding(back, route.queue, route.queue))
        out["bindings"].append(_binding(dead_letters, dlq, dlq))
    for delay in service.retry_delays_ms:
        tier = topo.retry_tier(service.name, delay)
        out["exchanges"].append(_exchange(tier, "fanout"))
        out["queues"].append(_queue(tier, topo.retry_tier_arguments(service.name, delay)))
        out["bindings"].append(_binding(tier, tier, ""))


def _permissions(topo: Topology, service: ServiceTopology) -> dict[str, str]:
    own_prefix = re.escape(f"{topo.namespace}{service.name}.")
    publish_to = [topo.events_exchange, topo.commands_exchange]
    return {
        "configure": "^$",
        "write": f"^({own_prefix}.*|{_alternatives(publish_to)})$",
        "read": f"^({own_prefix}.*|{_alternatives(publish_to)})$",
    }


def _topic(exchange: str, user: str, write: str, read: str) -> dict[str, str]:
    return {"user": user, "vhost": VHOST, "exchange": exchange, "write": write, "read": read}


def _keys(keys: Sequence[str]) -> str:
    """A regex matching exactly these routing (or binding) keys; ``^$`` for none."""
    return f"^({_alternatives(sorted(set(keys)))})$" if keys else "^$"


_ANSWERS = r"command\.(accepted|rejected)\."


def _service_topics(topo: Topology, service: ServiceTopology, user: str) -> list[dict[str, str]]:
    """Events: write what it publishes and answers to any sender, bind what it consumes.
    Commands: write none, bind its own."""
    consumed = [r.binding for r in service.routes if r.exchange == topo.events_exchange]
    publishes = published_by(service.name) if service.publishes is None else service.publishes
    events = [t for t in publishes if not t.startswith("command.")]
    published = _keys(events)
    write = published[:-2] + f"|{_ANSWERS}.+)$" if published != "^$" else f"^{_ANSWERS}.+$"
    own_commands = [r.binding for r in service.routes if r.exchange == topo.commands_exchange]
    return [
        _topic(topo.events_exchange, user, write, _keys(consumed)),
        _topic(topo.commands_exchange, user, "^$", _keys(own_commands)),
    ]


def _system_permissions(topo: Topology, user: str) -> dict[str, str]:
    """Its own queues (``<login>.<anything>``), sent to by the commands exchange, bound to the
    events exchange."""
    own = re.escape(f"{user}.") + ".*"
    return {
        "configure": f"^{own}$",
        "write": f"^({own}|{re.escape(topo.commands_exchange)})$",
        "read": f"^({own}|{re.escape(topo.events_exchange)})$",
    }


def _system_topics(topo: Topology, system: DepartmentalSystem, user: str) -> list[dict[str, str]]:
    answers = re.escape(sender_token(user))
    events = _keys(system.events)
    read = f"^({_ANSWERS}{answers}|{events[2:-2]})$" if system.events else f"^{_ANSWERS}{answers}$"
    return [
        _topic(topo.commands_exchange, user, _keys(system.commands), "^$"),
        _topic(topo.events_exchange, user, "^$", read),
    ]


def _alternatives(names: Sequence[str]) -> str:
    return "|".join(re.escape(n) for n in names)


def render(
    services: Sequence[ServiceTopology],
    namespace: str = "",
    systems: Sequence[DepartmentalSystem] = SYSTEMS,
) -> str:
    rendered = definitions(services, namespace, systems)
    return json.dumps(rendered, indent=2, sort_keys=True) + "\n"


def from_runtimes(runtimes: Sequence[Any]) -> list[ServiceTopology]:
    return [
        ServiceTopology(
            r.settings.service_name,
            r.routes,
            r.settings.retry_delays_ms,
            r.settings.delivery_limit,
        )
        for r in runtimes
    ]


def main() -> None:
    import importlib

    from orderflow.services import SERVICES

    runtimes = [importlib.import_module(f"{s.module}.main").build_runtime() for s in SERVICES]
    DEFINITIONS.parent.mkdir(parents=True, exist_ok=True)
    DEFINITIONS.write_text(render(from_runtimes(runtimes)))
    sys.stdout.write(f"wrote {DEFINITIONS}\n")


if __name__ == "__main__":
    main()
