"""SLA clocks: time left until a deadline, or how long ago it was breached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SlaClock:
    label: str
    state: str  # "ok", "due-soon", "breached", "met", "missed", "none"


def sla_clock(
    due_at: datetime | None, done_at: datetime | None, now: datetime, soon_hours: float = 4
) -> SlaClock:
    if due_at is None:
        return SlaClock("-", "none")
    if done_at is not None:
        return SlaClock(
            "met" if done_at <= due_at else "missed", "met" if done_at <= due_at else "missed"
        )
    left = (due_at - now).total_seconds()
    if left < 0:
        return SlaClock(f"breached {_span(-left)} ago", "breached")
    return SlaClock(f"{_span(left)} left", "due-soon" if left <= soon_hours * 3600 else "ok")


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins}m"
    return f"{mins}m"
