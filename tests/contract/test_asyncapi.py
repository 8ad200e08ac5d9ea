"""The system's AsyncAPI document: generated from the code, valid AsyncAPI 3.0.0, and complete
(every registered type, who sends and who receives it, every reference resolvable)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from contracts.commands.sales import SubmitOrder
from contracts.envelope import Envelope
from contracts.examples import example
from contracts.publishers import publishers_of
from contracts.registry import REGISTRY
from orderflow.asyncapi import DOCUMENT, consumers_of, render, system_document
from orderflow.deploy_rabbitmq import SYSTEMS
from orderflow.services import SERVICES

SPEC = Path(__file__).resolve().parents[1] / "data" / "asyncapi-3.0.0.schema.json"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return dict(json.loads(DOCUMENT.read_text()))


def test_the_shipped_document_is_what_the_code_says() -> None:
    runtimes = [importlib.import_module(f"{s.module}.main").build_runtime() for s in SERVICES]
    assert DOCUMENT.read_text() == render(system_document(consumers_of(runtimes))), (
        "run `orderflow asyncapi` and commit contracts/contracts/asyncapi.json"
    )


def test_it_is_valid_asyncapi_3(document: dict[str, Any]) -> None:
    spec = json.loads(SPEC.read_text())
    validator = jsonschema.validators.validator_for(spec)(spec)
    errors = [
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(document)
    ]
    assert errors == []
    broken = dict(document, operations={"x": {"action": "shout", "channel": {}}})
    assert list(validator.iter_errors(broken)), "the validator does validate"


def test_every_registered_type_is_a_channel_with_its_schema(document: dict[str, Any]) -> None:
    assert set(document["channels"]) == set(REGISTRY.types())
    for spec in REGISTRY.all():
        message = document["components"]["messages"][spec.schema_name]
        assert message["name"] == spec.type
        payload = message["payload"]["allOf"][1]["properties"]["payload"]
        assert payload == {"$ref": f"#/components/schemas/{spec.model.__name__}"}
        model_schema = document["components"]["schemas"][spec.model.__name__]
        assert set(model_schema["properties"]) == set(spec.model.model_fields)


def test_senders_and_receivers_are_named(document: dict[str, Any]) -> None:
    operations = document["operations"]
    assert "sales.send.payment.received" in operations
    assert "warehouse.send.payment.received" not in operations
    assert "warehouse.receive.order.confirmed" in operations
    assert "finance.send.sales.record_payment" in operations
    assert "sales.receive.sales.record_payment" in operations
    assert "finance.receive.command.rejected" in operations
    for spec in REGISTRY.events():
        senders = {k.split(".send.")[0] for k in operations if k.endswith(f".send.{spec.type}")}
        assert senders == set(publishers_of(spec.type)), spec.type
    for spec in REGISTRY.commands():
        senders = {k.split(".send.")[0] for k in operations if k.endswith(f".send.{spec.type}")}
        assert senders == {s.login for s in SYSTEMS if spec.type in s.commands}, spec.type
    answers = document["channels"]["command.accepted"]
    assert answers["address"] == "command.accepted.{sender}"


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return own + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    found = refs(document)
    assert found
    for ref in found:
        node: Any = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        assert node is not None, ref


def test_dead_letter_headers_are_documented(document: dict[str, Any]) -> None:
    from shared.delivery import ATTEMPT, ORIGINAL_USER, REASON

    for header in (REASON, ATTEMPT, ORIGINAL_USER, "x-original-queue"):
        assert header in document["info"]["description"]


def test_every_message_has_an_example_its_model_and_exported_schema_accept(
    document: dict[str, Any],
) -> None:
    """Item 3 of issue 17: every message with an example; the example is the envelope as sent
    by a login allowed to send it, around a payload the model takes unchanged."""
    exported = Path(__file__).resolve().parents[2] / "contracts" / "contracts" / "schemas"
    for spec in REGISTRY.all():
        [example] = document["components"]["messages"][spec.schema_name]["examples"]
        envelope = Envelope.model_validate(example["payload"])
        assert (envelope.type, envelope.version) == (spec.type, spec.version)
        model = envelope.open_as(spec.model)
        assert model.model_dump(mode="json") == envelope.payload
        schema = json.loads((exported / f"{spec.schema_name}.json").read_text())
        jsonschema.validate(envelope.payload, schema)
        if spec.kind == "event" and spec.type not in ("command.accepted", "command.rejected"):
            assert envelope.producer in publishers_of(spec.type), spec.type
        elif spec.kind == "command":
            assert any(envelope.producer == s.login and spec.type in s.commands for s in SYSTEMS), (
                spec.type
            )


def test_examples_read_as_the_business_writes_them() -> None:
    submit = example(SubmitOrder)
    assert submit["customer_id"] == "C1001"
    assert submit["lines"][0]["unit_price"] == "1500.00"
    assert submit["delivery_address"]["country"] == "CN"
    assert example(SubmitOrder) == submit  # the same every time: the document does not drift
