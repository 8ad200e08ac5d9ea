"""The envelope every message travels in.

The envelope carries the identity and lineage of a message (``event_id``, ``correlation_id``,
``causation_id``), what it is (``type`` and ``version``), who made it and when, and the payload
as plain JSON data. Routing and the inbox need only the envelope; :meth:`Envelope.open` turns
the payload into its model through the registry.
"""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from contracts.base import Message
from contracts.registry import REGISTRY, UnknownMessageType

__all__ = ["Envelope", "UnknownMessageType"]

M = TypeVar("M", bound=Message)


class Envelope(BaseModel):
    """One message on the wire: metadata plus the payload of an event or a command.

    Unknown fields are ignored, so envelopes from newer producers stay readable.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: UUID = Field(
        default_factory=uuid4,
        description="Unique id of this message; consumers deduplicate on it.",
    )
    type: str = Field(min_length=1, description="Message type, e.g. 'goods.shipped'.")
    version: int = Field(ge=1, description="Version of the message type's schema.")
    occurred_at: AwareDatetime = Field(
        description="When it happened (events) or was requested (commands); stored in UTC."
    )
    producer: str = Field(min_length=1, description="Service or system that produced it.")
    correlation_id: str = Field(
        min_length=1, description="The order (or complaint) this message belongs to."
    )
    causation_id: UUID | None = Field(
        default=None, description="event_id of the message that caused this one, if any."
    )
    payload: dict[str, Any] = Field(description="The message body, as the model's JSON form.")

    @field_validator("occurred_at")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @classmethod
    def wrap(
        cls,
        message: Message,
        *,
        producer: str,
        correlation_id: str | UUID,
        occurred_at: datetime,
        causation_id: UUID | None = None,
        event_id: UUID | None = None,
    ) -> Envelope:
        """Put a registered message in an envelope; type and version come from its class."""
        spec = REGISTRY.spec_for(type(message))
        return cls(
            event_id=event_id or uuid4(),
            type=spec.type,
            version=spec.version,
            occurred_at=occurred_at,
            producer=producer,
            correlation_id=str(correlation_id),
            causation_id=causation_id,
            payload=message.model_dump(mode="json"),
        )

    def open(self) -> Message:
        """The payload as its registered model.

        Raises :class:`UnknownMessageType` when no model is registered for this type and
        version, and pydantic's ``ValidationError`` when the payload does not fit the model.
        """
        spec = REGISTRY.get(self.type, self.version)
        return spec.model.model_validate(self.payload)

    def open_as(self, model: builtins.type[M]) -> M:
        """The payload as ``model``; :class:`UnknownMessageType` if the envelope holds another."""
        spec = REGISTRY.spec_for(model)
        if (spec.type, spec.version) != (self.type, self.version):
            raise UnknownMessageType(
                f"envelope holds {self.type} v{self.version}, not {spec.type} v{spec.version}"
            )
        return model.model_validate(self.payload)

    def to_json(self) -> bytes:
        """The envelope as UTF-8 JSON bytes (the message body on the broker)."""
        return self.model_dump_json().encode()

    @classmethod
    def from_json(cls, data: bytes | str) -> Envelope:
        """Parse a message body; raises pydantic's ``ValidationError`` on a bad envelope."""
        return cls.model_validate_json(data)
