"""Every command of every service, sent as a departmental system sends it (issue 17, item 2):
answered; sent again with the same reference and content, answered as the first time with
``repeated`` and not carried out again; sent with the same reference and other content, refused
with ``reference_reused``. Each command goes to its real service (its own runtime, schema and
queues) on the real broker, with the example payload the AsyncAPI document shows; whether the
first answer is an acceptance or a refusal (an unknown pick list, say) the repeat must match it.
"""

from __future__ import annotations

import importlib
import itertools
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.base import Command
from contracts.events.outcomes import CommandAccepted, CommandRejected, RejectionCode
from contracts.examples import example
from contracts.registry import REGISTRY, MessageSpec
from contracts.testkit import OrderflowBus
from shared.config import ServiceSettings
from shared.runtime import ServiceRuntime
from tests.harness import settings_for
from tests.infra import Infra

pytestmark = pytest.mark.integration
COMMANDS = sorted(REGISTRY.commands(), key=lambda spec: spec.type)
_runs = itertools.count(1)


def _settings_class(service: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"services.{service}.settings")
    [found] = [
        value
        for name, value in vars(module).items()
        if name.endswith("Settings")
        and isinstance(value, type)
        and value.__module__ == module.__name__
    ]
    return found


def _changed(model: type[Command], payload: dict[str, Any]) -> dict[str, Any]:
    """The same command under the same reference with one value changed, still valid."""
    for key, value in payload.items():
        if key == model.reference_field or value is None:
            continue
        if isinstance(value, bool):
            candidate: Any = not value
        elif isinstance(value, int):
            candidate = value + 1
        elif isinstance(value, str):
            candidate = value + "2"
        else:
            continue
        changed = {**payload, key: candidate}
        try:
            model.model_validate(changed)
        except ValidationError:
            continue
        return changed
    raise AssertionError(f"no field of {model.__name__} to change: give it a case here")


@pytest.fixture
async def service_for(infra: Infra, namespace: str) -> AsyncIterator[Callable[[str], Any]]:
    started: list[ServiceRuntime] = []

    async def start(service: str) -> str:
        own = f"{namespace}every{next(_runs)}."
        settings = settings_for(_settings_class(service), infra, own, service)
        main = importlib.import_module(f"services.{service}.main")
        runtime: ServiceRuntime = main.build_runtime(settings)
        await runtime.start()
        started.append(runtime)
        return own

    yield start
    for runtime in started:
        await runtime.stop()


def _same(first: CommandAccepted | CommandRejected, again: CommandAccepted | CommandRejected):
    assert type(again) is type(first)
    if isinstance(first, CommandAccepted):
        assert isinstance(again, CommandAccepted)
        return again.created == first.created
    assert isinstance(again, CommandRejected)
    return (again.reason_code, again.reason, again.field) == (
        first.reason_code,
        first.reason,
        first.field,
    )


@pytest.mark.parametrize("spec", COMMANDS, ids=[s.type for s in COMMANDS])
async def test_a_command_again_gets_its_first_answer_and_other_content_is_refused(
    spec: MessageSpec, service_for: Callable[[str], Any], infra: Infra
) -> None:
    service = spec.type.split(".", 1)[0]
    own = await service_for(service)
    model = spec.model
    payload = example(model)
    reference = f"{spec.type}-{uuid.uuid4().hex[:8]}"
    # a command with a reference field of its own is known by it; one without, by the
    # envelope's event_id: its repeat is the same envelope sent again
    own_field = model.reference_field in model.model_fields
    if own_field:
        payload[model.reference_field] = reference
    command = model.model_validate(payload)
    other = model.model_validate(_changed(model, payload))
    same_id = None if own_field else uuid.uuid4()
    correlation = str(payload.get("order_id") or reference)
    async with OrderflowBus.connect(infra.amqp_url, namespace=own) as bus:

        async def answer(message: Command) -> CommandAccepted | CommandRejected:
            return await bus.answer(await bus.send(message, correlation, same_id), within_s=20)

        first = await answer(command)
        assert first.reference == (reference if own_field else None), first
        assert not first.repeated, first
        again = await answer(command)
        assert again.repeated, again
        assert _same(first, again), (first, again)
        refused = await answer(other)
        assert isinstance(refused, CommandRejected), refused
        assert refused.reason_code == RejectionCode.REFERENCE_REUSED, refused
        # and the first content under the same reference still gets the first answer
        third = await answer(command)
        assert third.repeated and _same(first, third)
