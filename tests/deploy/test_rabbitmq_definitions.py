"""deploy/rabbitmq/definitions.json is what the services declare in code: no drift."""

from __future__ import annotations

import importlib
import json

from orderflow.deploy_rabbitmq import DEFINITIONS, MONITORING_USER, from_runtimes, render
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
    service_users = {u["name"] for u in definitions["users"] if u["name"] != MONITORING_USER}
    assert service_users == {s.name for s in SERVICES}


def test_keda_user_is_tagged_monitoring_and_may_touch_nothing_over_amqp():
    definitions = json.loads(DEFINITIONS.read_text())
    users = {u["name"]: u for u in definitions["users"]}
    assert users[MONITORING_USER]["tags"] == ["monitoring"]
    assert all(users[s.name]["tags"] == [] for s in SERVICES)
    (rights,) = [p for p in definitions["permissions"] if p["user"] == MONITORING_USER]
    assert (rights["configure"], rights["write"], rights["read"]) == ("^$", "^$", "^$")
