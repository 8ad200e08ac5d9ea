"""Every command is answered: accepted (with what it created) or rejected (with the reason).

The answer goes to the events exchange under ``command.accepted.<sender>`` or
``command.rejected.<sender>``, where ``<sender>`` is the broker login that sent the command
(its AMQP ``user_id``), so a departmental system binds to its own answers only. It names the
command by its envelope's ``event_id`` and by the sender's own reference.

A command sent again with the same reference and the same content gets the first answer again,
whatever has happened since; the same reference with different content is rejected
(``reason_code`` ``reference_reused``) and changes nothing.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from contracts.base import Event
from contracts.common import Text
from contracts.registry import register

CreatedValue = Annotated[str, StringConstraints(max_length=200)]


class RejectionCode(StrEnum):
    """Why a command was not carried out."""

    INVALID = "invalid"
    """A value breaks a rule (``field`` names it)."""
    CONFLICT = "conflict"
    """The thing is in a state where this is not allowed (``state`` says which)."""
    NOT_FOUND = "not_found"
    """It names something the service does not know."""
    FORBIDDEN = "forbidden"
    """The sender may not send this command, or not for this subject."""
    SCHEMA = "schema"
    """The message breaks its JSON Schema; it was also dead-lettered."""
    REFERENCE_REUSED = "reference_reused"
    """The sender's reference was used before for a different command content."""
    FAILED = "failed"
    """The service could not carry it out after its retries; it was dead-lettered for an
    operator, who may replay it."""


class CommandOutcome(Event):
    """What every answer carries."""

    command_id: UUID = Field(description="The command's envelope event_id.")
    command_type: Text = Field(max_length=100, description="The command's type.")
    sender: Text = Field(max_length=100, description="Broker login that sent the command.")
    reference: str | None = Field(
        default=None,
        max_length=200,
        description="The sender's own reference (client_reference, scan id, ...), if any.",
    )
    repeated: bool = Field(
        default=False, description="The same command came again: this repeats the first answer."
    )


@register
class CommandAccepted(CommandOutcome):
    """The command was carried out."""

    message_type = "command.accepted"
    message_version = 1

    created: dict[str, CreatedValue] = Field(
        default_factory=dict,
        max_length=20,
        description="Identifiers of what the command created or changed, e.g. order_id, order_no.",
    )


@register
class CommandRejected(CommandOutcome):
    """The command was not carried out; nothing changed."""

    message_type = "command.rejected"
    message_version = 1

    reason_code: RejectionCode = Field(description="Why, as a code.")
    reason: Text = Field(max_length=2000, description="Why, in words.")
    field: str | None = Field(default=None, max_length=200, description="The input at fault.")
    state: str | None = Field(default=None, max_length=100, description="The state it met.")


_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def sender_token(sender: str) -> str:
    """A sender's login as the last word of its answers' routing key
    (``command.accepted.<this>``): lower case, anything but letters, digits, ``_`` and ``-``
    turned into ``_``."""
    return _UNSAFE.sub("_", sender.lower()) or "unknown"
