"""Every command is answered, and a repeat gets the first answer.

For a command (a message on the commands exchange) the delivery asks this module, inside the
handler's unit of work, whether the sender sent this reference before:
- never: the handler runs; on success ``command.accepted`` (with what the handler says it
  created) is emitted and stored with the change, in one transaction; a refusal is answered with
  ``command.rejected`` (reason, field, state) and stored, and nothing else changes;
- with the same content: the first answer is sent again (``repeated``), nothing runs;
- with other content: ``command.rejected`` with ``reference_reused``, nothing runs.
A command that breaks its schema, or fails until it is dead-lettered, is answered too.

The sender is the broker login (AMQP ``user_id``) where the publisher set it, else the envelope's
producer; the reference is the command's own (``client_reference``, a scan id) or, for commands
without one, the envelope's ``event_id``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import Command
from contracts.envelope import Envelope
from contracts.events.outcomes import (
    CommandAccepted,
    CommandOutcome,
    CommandRejected,
    RejectionCode,
    sender_token,
)
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Refusal
from shared.uow import UnitOfWork

_FIND = text(
    "SELECT content_digest, accepted, outcome FROM command_outcome"
    " WHERE sender = :sender AND command_type = :type AND reference = :reference"
)
_STORE = text(
    "INSERT INTO command_outcome (sender, command_type, reference, content_digest, command_id,"
    " accepted, outcome, recorded_at) VALUES (:sender, :type, :reference, :digest, :command_id,"
    " :accepted, CAST(:outcome AS jsonb), :at) ON CONFLICT DO NOTHING"
)
_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


@dataclass(frozen=True)
class CommandKey:
    sender: str
    command_type: str
    reference: str
    own_reference: str | None
    digest: str
    command_id: UUID

    @classmethod
    def of(cls, envelope: Envelope, payload: Any, sender: str) -> CommandKey:
        own = payload.sender_reference() if isinstance(payload, Command) else None
        return cls(
            sender=sender,
            command_type=envelope.type,
            reference=own or str(envelope.event_id),
            own_reference=own,
            digest=digest(envelope.payload),
            command_id=envelope.event_id,
        )

    def common(self) -> dict[str, Any]:
        return {
            "command_id": self.command_id,
            "command_type": self.command_type,
            "sender": self.sender,
            "reference": self.own_reference,
        }


def digest(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def routing_key(outcome: CommandOutcome, sender: str) -> str:
    """``command.accepted.<sender>``: a system binds to its own answers only."""
    return f"{outcome.message_type}.{sender_token(sender)}"


async def repeat_if_known(uow: UnitOfWork, key: CommandKey) -> bool:
    """Answer a command seen before (same reference); True when it must not run again.

    Two copies of one command handled at once (two replicas, a resend) queue on a lock of their
    reference: the second finds the first's answer once the first commits."""
    await uow.session.execute(
        _LOCK, {"key": f"{key.sender}\x1f{key.command_type}\x1f{key.reference}"}
    )
    row = (
        await uow.session.execute(
            _FIND,
            {"sender": key.sender, "type": key.command_type, "reference": key.reference},
        )
    ).first()
    if row is None:
        return False
    if row.content_digest != key.digest:
        await _emit(uow, key, rejected(key, RejectionCode.REFERENCE_REUSED, _REUSED))
        return True
    model = CommandAccepted if row.accepted else CommandRejected
    first = model.model_validate(row.outcome)
    await _emit(uow, key, first.model_copy(update={**key.common(), "repeated": True}))
    return True


_REUSED = "this reference was used before for a different command; nothing was changed"


async def accept(uow: UnitOfWork, key: CommandKey, created: Any) -> None:
    made = {str(k): str(v) for k, v in (created or {}).items() if v is not None}
    outcome = CommandAccepted(**key.common(), created=made)
    await _store(uow.session, key, outcome, uow)
    await _emit(uow, key, outcome)


async def refuse(uow: UnitOfWork, key: CommandKey, outcome: CommandRejected) -> None:
    await _store(uow.session, key, outcome, uow)
    await _emit(uow, key, outcome)


async def tell(uow: UnitOfWork, key: CommandKey, outcome: CommandOutcome) -> None:
    """Answer without keeping the answer as the command's outcome."""
    await _emit(uow, key, outcome)


def rejected(key: CommandKey, code: RejectionCode, reason: str, **extra: Any) -> CommandRejected:
    return CommandRejected(**key.common(), reason_code=code, reason=reason[:2000], **extra)


def rejection_of(key: CommandKey, exc: Refusal) -> CommandRejected:
    code = (
        RejectionCode.NOT_FOUND
        if isinstance(exc, NotFound)
        else RejectionCode.CONFLICT
        if isinstance(exc, Conflict)
        else RejectionCode.FORBIDDEN
        if isinstance(exc, Forbidden)
        else RejectionCode.INVALID
    )
    field = exc.field if isinstance(exc, Invalid | Conflict) else None
    return rejected(key, code, exc.detail, field=field, state=exc.state)


async def _store(
    session: AsyncSession, key: CommandKey, outcome: CommandOutcome, uow: UnitOfWork
) -> None:
    await session.execute(
        _STORE,
        {
            "sender": key.sender,
            "type": key.command_type,
            "reference": key.reference,
            "digest": key.digest,
            "command_id": key.command_id,
            "accepted": isinstance(outcome, CommandAccepted),
            "outcome": outcome.model_dump_json(),
            "at": uow.now,
        },
    )


async def _emit(uow: UnitOfWork, key: CommandKey, outcome: CommandOutcome) -> None:
    await uow.emit(outcome, routing_key=routing_key(outcome, key.sender))
