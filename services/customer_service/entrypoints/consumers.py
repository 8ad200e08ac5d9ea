"""Message handlers: the timeline consumes every event type; commands open complaints.

One handler per event type (each its own queue and inbox consumer name: the queue's), all
calling the same use case. A refusal a use case raises is dead-lettered with its reason by the
kit; nothing here translates errors.
"""

from __future__ import annotations

from collections.abc import Callable

from contracts.base import Message
from contracts.commands.customer_service import OpenComplaint
from contracts.events.outcomes import CommandOutcome
from contracts.registry import REGISTRY
from services.customer_service.app.complaints import NewComplaint, open_complaint
from services.customer_service.app.events import handle_event
from services.customer_service.app.unit import Work
from shared.messaging import Handler, HandlerContext, MessageBus
from shared.uow import UnitOfWork


def _event_handler(contexts: Callable[[UnitOfWork], Work], event_type: str) -> Handler:
    async def handler(event: Message, ctx: HandlerContext) -> None:
        await handle_event(contexts(ctx.uow), ctx.envelope, event)

    handler.__name__ = "on_" + event_type.replace(".", "_")
    return handler


def make_bus(service_name: str, contexts: Callable[[UnitOfWork], Work]) -> MessageBus:
    bus = MessageBus(service_name)
    for spec in REGISTRY.events():
        if issubclass(spec.model, CommandOutcome):
            continue  # answers to a departmental system are its own, not part of an order's story
        bus.on_event(spec.model)(_event_handler(contexts, spec.type))

    @bus.on_command(OpenComplaint)
    async def on_open_complaint(command: OpenComplaint, ctx: HandlerContext) -> None:
        # The sender's reference is scoped by producer: two systems may reuse numbers.
        reference = f"{ctx.envelope.producer}:{command.client_reference}"
        await open_complaint(contexts(ctx.uow), new_complaint(command, reference))

    return bus


def new_complaint(command: OpenComplaint, reference: str | None) -> NewComplaint:
    return NewComplaint(
        customer_id=command.customer_id,
        channel=command.channel,
        category=command.category,
        description=command.description,
        severity=command.severity,
        order_id=command.order_id,
        order_no=command.order_no,
        tracking_no=command.tracking_no,
        line_nos=list(command.line_nos),
        expected_outcome=command.expected_outcome,
        domestic=command.domestic,
        contact=command.contact.model_dump(mode="json") if command.contact else None,
        client_reference=reference,
    )
