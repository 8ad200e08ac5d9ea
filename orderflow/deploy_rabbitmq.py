"""RabbitMQ definitions (exchanges, queues, bindings, users, permissions) derived from the code.

The services declare the same topology on start; this renders it for ops who pre-declare it and
run each service under its own user with declare rights off. Each user may read its own queues,
write to the exchanges it publishes to and its own retry and dead-letter exchanges, and configure
nothing: with these definitions loaded, services run with ``<SERVICE>_DECLARE_TOPOLOGY=false``.
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

from shared.messaging import Route
from shared.topology import UNROUTED_RETENTION_MS, Topology

DEFINITIONS = Path(__file__).resolve().parents[1] / "deploy" / "rabbitmq" / "definitions.json"
VHOST = "/"
# The user KEDA's RabbitMQ scaler reads queue depths with (management API, `monitoring` tag).
MONITORING_USER = "keda"


@dataclass(frozen=True)
class ServiceTopology:
    name: str
    routes: Sequence[Route]
    retry_delays_ms: Sequence[int]
    delivery_limit: int


def definitions(services: Sequence[ServiceTopology], namespace: str = "") -> dict[str, Any]:
    topo = Topology(namespace)
    out: dict[str, list[dict[str, Any]]] = {
        "users": [],
        "permissions": [],
        "exchanges": [],
        "queues": [],
        "bindings": [],
    }
    _shared_entities(out, topo)
    for service in services:
        _service_entities(out, topo, service)
        user = f"{namespace}{service.name}"
        out["users"].append(_user(user, []))
        out["permissions"].append({"user": user, "vhost": VHOST, **_permissions(topo, service)})
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
    out["exchanges"].append(_exchange(dead_letters, "direct"))
    for route in service.routes:
        dlq = topo.dead_letter_queue(route.queue)
        out["queues"].append(
            _queue(route.queue, topo.work_queue_arguments(route.queue, service.delivery_limit))
        )
        out["queues"].append(_queue(dlq, {"x-queue-type": "quorum"}))
        out["bindings"].append(_binding(route.exchange, route.queue, route.binding))
        out["bindings"].append(_binding(dead_letters, dlq, dlq))
    for delay in service.retry_delays_ms:
        tier = topo.retry_tier(service.name, delay)
        out["exchanges"].append(_exchange(tier, "fanout"))
        out["queues"].append(
            _queue(
                tier,
                {"x-queue-type": "quorum", "x-message-ttl": delay, "x-dead-letter-exchange": ""},
            )
        )
        out["bindings"].append(_binding(tier, tier, ""))


def _permissions(topo: Topology, service: ServiceTopology) -> dict[str, str]:
    own_prefix = re.escape(f"{topo.namespace}{service.name}.")
    publish_to = [topo.events_exchange, topo.commands_exchange]
    return {
        "configure": "^$",
        "write": f"^({own_prefix}.*|{_alternatives(publish_to)})$",
        "read": f"^({own_prefix}.*|{_alternatives(publish_to)})$",
    }


def _alternatives(names: Sequence[str]) -> str:
    return "|".join(re.escape(n) for n in names)


def render(services: Sequence[ServiceTopology], namespace: str = "") -> str:
    return json.dumps(definitions(services, namespace), indent=2, sort_keys=True) + "\n"


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
