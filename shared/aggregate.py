"""What an aggregate records while it decides: the events it raised and the deadlines it set.

Pure (no IO): domain modules inherit ``Aggregate`` or just keep two lists with these names.
``UnitOfWork.collect(aggregate)`` emits the events through the outbox and sets or stops the
deadlines in the same transaction, then empties both lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from contracts.base import Message


@dataclass(frozen=True)
class ScheduleTimer:
    """Ask for a durable deadline: ``message`` is emitted at ``due_at`` unless cancelled."""

    key: str
    due_at: datetime
    message: Message


@dataclass(frozen=True)
class CancelTimer:
    """Stop a pending deadline: the thing it guarded happened in time."""

    key: str


TimerChange = ScheduleTimer | CancelTimer


class Recorder(Protocol):
    """Anything with recorded events (and, optionally, deadlines): what ``collect`` takes."""

    events: list[Message]


@dataclass
class Aggregate:
    """Base for aggregates that record events and deadlines as they decide."""

    events: list[Message] = field(default_factory=list, init=False, repr=False, compare=False)
    timers: list[TimerChange] = field(default_factory=list, init=False, repr=False, compare=False)

    def schedule(self, key: str, due_at: datetime, message: Message) -> None:
        self.timers.append(ScheduleTimer(key, due_at, message))

    def cancel(self, key: str) -> None:
        self.timers.append(CancelTimer(key))
