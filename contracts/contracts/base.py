"""Base classes of every message and of the value objects inside messages.

A message model describes the *payload* of an envelope. Its wire name and version are class
attributes (``message_type``, ``message_version``), not fields, so the payload carries only
business data; the envelope says what the payload is.

Rules every model follows:
- unknown fields are ignored, so a consumer on an older contract reads messages from a newer
  producer that added optional fields;
- models are immutable (``frozen``): a message is a fact or a request, not a working object;
- money is ``Decimal`` (a JSON string on the wire, never a float), instants are timezone-aware
  datetimes, calendar days are ``date``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

MessageKind = Literal["event", "command"]


class ContractModel(BaseModel):
    """A value object inside a message (an order line, an address, a package)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Message(ContractModel):
    """The payload of one envelope: an event (a fact) or a command (a request)."""

    message_type: ClassVar[str]
    message_version: ClassVar[int]
    kind: ClassVar[MessageKind]


class Event(Message):
    """Something that happened. Published to the events exchange, routing key = its type."""

    kind: ClassVar[MessageKind] = "event"


class Command(Message):
    """A request from a departmental system to one service. Sent to the commands exchange.

    Its sender's reference (``reference_field``, ``client_reference`` where the command has one)
    identifies it for idempotency: the same reference and content again gets the first answer.
    A command without one is identified by its envelope's ``event_id``.
    """

    kind: ClassVar[MessageKind] = "command"
    reference_field: ClassVar[str | None] = "client_reference"

    def sender_reference(self) -> str | None:
        if self.reference_field is None:
            return None
        value = getattr(self, self.reference_field, None)
        return None if value is None else str(value)
