"""One AsyncAPI 3 document for the whole system, generated from the contracts registry.

Every message type is a channel on one of the two exchanges (routing key = the type; the answers
to commands carry the sender's login as a last word), with its messages' JSON Schemas (the
envelope as it travels, its ``payload`` the message's own model). Operations say who sends and
who receives each: the publishers of each event (``contracts.publishers``), the services whose
queues are bound to it, the departmental systems that send each command and read their answers.

``orderflow asyncapi`` writes it to ``contracts/contracts/asyncapi.json``, shipped with the
contracts; a test fails when it drifts from the code and validates it against the AsyncAPI 3.0.0
JSON Schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

from contracts import examples
from contracts.base import Message
from contracts.envelope import Envelope
from contracts.examples import example
from contracts.publishers import SERVICES, publishers_of
from contracts.registry import COMMANDS_EXCHANGE, EVENTS_EXCHANGE, REGISTRY, MessageSpec
from orderflow.deploy_rabbitmq import SYSTEMS, DepartmentalSystem

DOCUMENT = Path(__file__).resolve().parents[1] / "contracts" / "contracts" / "asyncapi.json"
REF = "#/components/schemas/{model}"
ANSWERS = ("command.accepted", "command.rejected")
DEAD_LETTER_HEADERS = {
    "x-dead-letter-reason": "why, in words (`forged: ...` for an event from a login that may"
    " not publish it)",
    "x-original-queue": "the queue it was taken from, where a replay sends it",
    "x-original-exchange": "the exchange it was first published to",
    "x-original-routing-key": "the routing key it was first published with",
    "x-original-user-id": "the broker login that first published it",
    "x-dead-lettered-at": "when, UTC",
    "x-attempt": "the attempts made",
}
_DESCRIPTION = """\
Orderflow's services and the company's departmental systems talk only through two durable topic
exchanges: `orderflow.events` (routing key = the event's type) and `orderflow.commands` (routing
key = the command's type). Every body is an envelope (event_id, type, version, occurred_at,
producer, correlation_id, causation_id, payload). Every publish carries the sender's broker login
as the AMQP `user_id`; a service takes an event only from the login of one of its publishers.
Every command is answered on `orderflow.events` with `command.accepted.<sender>` or
`command.rejected.<sender>`; a command repeated with the same reference and content gets the
first answer again. A message that cannot be taken goes to the dead-letter queue of the queue it
was in (`<queue>.dlq`) with these headers: """ + "; ".join(
    f"`{name}`: {meaning}" for name, meaning in DEAD_LETTER_HEADERS.items()
)


EXAMPLE_IDS = UUID("2f8e6a1c-3b7d-4c59-9e0a-5d1b7c3e9f42")


def system_document(consumers: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """``consumers``: message type -> the services whose queues receive it."""
    schemas: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    envelope = _hoist(Envelope, schemas)
    for type_name in REGISTRY.types():
        specs = [s for s in REGISTRY.all() if s.type == type_name]
        names = []
        for spec in specs:
            payload = _hoist(spec.model, schemas)
            names.append(spec.schema_name)
            messages[spec.schema_name] = _message(spec, envelope, payload)
            messages[spec.schema_name]["examples"] = [_example(spec)]
        channels[type_name] = _channel(specs[0], names)
        for operation_id, operation in _operations(specs[0], names, consumers):
            operations[operation_id] = operation
    return {
        "asyncapi": "3.0.0",
        "id": "urn:orderflow:system",
        "info": {"title": "Orderflow", "version": "1.0.0", "description": _DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {
            "rabbitmq": {
                "host": "rabbitmq:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "The company's RabbitMQ (a cluster: any node), vhost `/`",
                "security": [{"$ref": "#/components/securitySchemes/brokerUser"}],
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "messages": messages,
            "securitySchemes": {
                "brokerUser": {
                    "type": "userPassword",
                    "description": "One RabbitMQ user per service and per departmental system"
                    " (deploy/rabbitmq/definitions.json); topic permissions grant each the"
                    " routing keys it may write and bind",
                }
            },
        },
    }


def _hoist(model: type[Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """The model's schema into ``components.schemas`` with its definitions; a reference to it."""
    schema = model.model_json_schema(mode="validation", ref_template=REF)
    for name, definition in schema.pop("$defs", {}).items():
        _put(schemas, name, definition)
    _put(schemas, model.__name__, schema)
    return {"$ref": REF.format(model=model.__name__)}


def _put(schemas: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    if name in schemas and schemas[name] != schema:
        raise ValueError(f"two different schemas are named {name}: rename one of the models")
    schemas[name] = schema


def _message(spec: MessageSpec, envelope: dict[str, Any], payload: dict[str, Any]) -> Any:
    model: type[Message] = spec.model
    doc = (model.__doc__ or spec.type).strip()
    return {
        "name": spec.type,
        "title": f"{spec.type} v{spec.version}",
        "summary": doc.splitlines()[0],
        "contentType": "application/json",
        "payload": {
            "allOf": [
                envelope,
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": spec.type},
                        "version": {"const": spec.version},
                        "payload": payload,
                    },
                },
            ]
        },
        "bindings": {"amqp": {"messageType": spec.type, "bindingVersion": "0.3.0"}},
    }


def _example(spec: MessageSpec) -> dict[str, Any]:
    """The message as it travels: an envelope from its first sender around a payload its model
    accepts (``contracts.examples``); the AMQP ``user_id`` is the sender's login."""
    if spec.type in ANSWERS:
        sender = "sales"
    elif spec.kind == "event":
        sender = sorted(publishers_of(spec.type))[0]
    else:
        sender = next((s.login for s in SYSTEMS if spec.type in s.commands), "edi-gateway")
    payload = example(spec.model)
    event_id = uuid5(EXAMPLE_IDS, spec.schema_name)
    correlation = payload.get("order_id") or payload.get("complaint_id") or "EDI-20261201-0001"
    envelope = Envelope(
        event_id=event_id,
        type=spec.type,
        version=spec.version,
        occurred_at=examples.AT,
        producer=sender,
        correlation_id=str(correlation),
        payload=payload,
    )
    return {
        "name": f"{spec.type} from {sender}",
        "payload": envelope.model_dump(mode="json"),
    }


def _channel(spec: MessageSpec, names: list[str]) -> dict[str, Any]:
    exchange = EVENTS_EXCHANGE if spec.kind == "event" else COMMANDS_EXCHANGE
    channel: dict[str, Any] = {
        "address": spec.routing_key,
        "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {
                    "name": exchange,
                    "type": "topic",
                    "durable": True,
                    "autoDelete": False,
                    "vhost": "/",
                },
                "bindingVersion": "0.3.0",
            }
        },
    }
    if spec.type in ANSWERS:
        channel["address"] = f"{spec.routing_key}.{{sender}}"
        channel["parameters"] = {
            "sender": {"description": "The broker login of the command's sender"}
        }
    return channel


def _operations(
    spec: MessageSpec, names: list[str], consumers: Mapping[str, Sequence[str]]
) -> list[tuple[str, dict[str, Any]]]:
    if spec.type in ANSWERS:
        senders, receivers = list(SERVICES), [s.login for s in SYSTEMS]
    elif spec.kind == "event":
        senders = sorted(publishers_of(spec.type))
        receivers = sorted(consumers.get(spec.type, ())) + _systems_reading(spec.type)
    else:
        senders = [s.login for s in SYSTEMS if spec.type in s.commands]
        receivers = sorted(consumers.get(spec.type, ()))
    found = []
    for who, action in [(s, "send") for s in senders] + [(r, "receive") for r in receivers]:
        found.append(
            (
                f"{who}.{action}.{spec.type}",
                {
                    "action": action,
                    "channel": {"$ref": f"#/channels/{spec.type}"},
                    "messages": [{"$ref": f"#/channels/{spec.type}/messages/{n}"} for n in names],
                    "summary": f"{who} {'sends' if action == 'send' else 'receives'} {spec.type}",
                },
            )
        )
    return found


def _systems_reading(event_type: str) -> list[str]:
    readers: Sequence[DepartmentalSystem] = [s for s in SYSTEMS if event_type in s.events]
    return [s.login for s in readers]


def consumers_of(runtimes: Sequence[Any]) -> dict[str, list[str]]:
    """Message type -> the services whose queues receive it, from their routes."""
    found: dict[str, list[str]] = {}
    for runtime in runtimes:
        for route in runtime.routes:
            for type_name, _ in route.handlers:
                found.setdefault(type_name, [])
                if runtime.settings.service_name not in found[type_name]:
                    found[type_name].append(runtime.settings.service_name)
    return found


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
