"""deploy/rabbitmq/definitions.json is what the services declare in code: no drift."""

from __future__ import annotations

import importlib
import json
import re

from contracts.registry import REGISTRY
from orderflow.deploy_rabbitmq import DEFINITIONS, MONITORING_USER, SYSTEMS, from_runtimes, render
from orderflow.services import SERVICES


def _runtimes() -> list:
    return [importlib.import_module(f"{s.module}.main").build_runtime() for s in SERVICES]


def test_committed_definitions_match_the_services_code():
    rendered = render(from_runtimes(_runtimes()))
    assert json.loads(DEFINITIONS.read_text()) == json.loads(rendered), (
        "run `python -m orderflow.deploy_rabbitmq` and commit deploy/rabbitmq/definitions.json"
    )


def test_every_work_queue_and_binding_of_every_service_is_defined():
    definitions = json.loads(DEFINITIONS.read_text())
    queues = {q["name"]: q for q in definitions["queues"]}
    bindings = {(b["source"], b["destination"], b["routing_key"]) for b in definitions["bindings"]}
    for runtime in _runtimes():
        for route in runtime.routes:
            assert queues[route.queue]["arguments"]["x-queue-type"] == "quorum"
            assert f"{route.queue}.dlq" in queues
            assert (route.exchange, route.queue, route.binding) in bindings
    users = {u["name"] for u in definitions["users"] if u["name"] != MONITORING_USER}
    assert users == {s.name for s in SERVICES} | {s.login for s in SYSTEMS}


def test_keda_user_is_tagged_monitoring_and_may_touch_nothing_over_amqp():
    definitions = json.loads(DEFINITIONS.read_text())
    users = {u["name"]: u for u in definitions["users"]}
    assert users[MONITORING_USER]["tags"] == ["monitoring"]
    assert all(users[s.name]["tags"] == [] for s in SERVICES)
    (rights,) = [p for p in definitions["permissions"] if p["user"] == MONITORING_USER]
    assert (rights["configure"], rights["write"], rights["read"]) == ("^$", "^$", "^$")


def _topics(user: str, exchange: str) -> dict[str, str]:
    definitions = json.loads(DEFINITIONS.read_text())
    (found,) = [
        t
        for t in definitions["topic_permissions"]
        if t["user"] == user and t["exchange"] == exchange
    ]
    return found


def test_a_service_writes_only_the_events_it_publishes_and_binds_only_what_it_consumes():
    events = _topics("warehouse", "orderflow.events")
    for key, allowed in [
        ("goods.ready", True),
        ("order.reviewed", True),
        ("command.rejected.finance", True),
        ("payment.received", False),
        ("complaint.resolved", False),
        ("goods.delivered", False),
    ]:
        assert bool(re.match(events["write"], key)) is allowed, key
    assert re.match(events["read"], "order.confirmed")
    assert not re.match(events["read"], "survey.answered")
    commands = _topics("warehouse", "orderflow.commands")
    assert commands["write"] == "^$"
    assert re.match(commands["read"], "warehouse.#")
    assert not re.match(commands["read"], "sales.#")


def test_every_command_is_sent_by_some_departmental_system_and_only_by_it():
    senders = {c: s.login for s in SYSTEMS for c in s.commands}
    assert set(senders) == {spec.type for spec in REGISTRY.commands()}
    for system in SYSTEMS:
        write = _topics(system.login, "orderflow.commands")["write"]
        for command, sender in senders.items():
            assert bool(re.match(write, command)) is (sender == system.login), command
        read = _topics(system.login, "orderflow.events")["read"]
        token = system.login.replace(".", "_")
        assert re.match(read, f"command.accepted.{token}")
        assert not re.match(read, "command.accepted.someone_else")
        assert _topics(system.login, "orderflow.events")["write"] == "^$"
