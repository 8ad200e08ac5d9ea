"""Injectable clocks.

Every deadline in Orderflow is a timer kept in a service's database, and its due time is computed
from "now". Code asks a `Clock` for the time instead of calling `datetime.now()`, so that unit
tests can pin time (`FixedClock`) and demos or soak tests can run a week of deadlines in minutes
(`SimulatedClock`). All clocks return timezone-aware UTC datetimes and reject naive ones: a
naive datetime has no defined instant, and a deadline computed from one would be off by the
server's UTC offset.

The clocks hold no locks: under asyncio only one coroutine runs at a time, and each method does
a single read or assignment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FixedClock", "SimulatedClock", "SystemClock", "ensure_aware"]


def ensure_aware(at: datetime, name: str = "datetime") -> datetime:
    """Return `at` converted to UTC; raise ValueError if it is naive."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {at.isoformat()}")
    return at.astimezone(UTC)


@runtime_checkable
class Clock(Protocol):
    """Source of the current time."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real wall-clock time; what services use in production."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move; for unit tests.

    `set` may move it to any instant, earlier ones included, because tests need to replay
    scenarios; use `SimulatedClock` where time must only go forward.
    """

    def __init__(self, at: datetime) -> None:
        self._at = ensure_aware(at, "at")

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = ensure_aware(at, "at")

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class SimulatedClock:
    """Time that runs `speed` times faster than real time from `start`.

    Elapsed real time is read from a monotonic source, so changes to the system clock do not make
    simulated time jump. `advance` skips ahead (for example to the next deadline); simulated time
    never goes backwards, because timers that already fired must not become pending again.
    `monotonic` is injectable so tests need not sleep.
    """

    def __init__(
        self,
        start: datetime,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self._start = ensure_aware(start, "start")
        self._speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()
        self._skipped = timedelta(0)

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> datetime:
        elapsed = (self._monotonic() - self._origin) * self._speed
        return self._start + self._skipped + timedelta(seconds=elapsed)

    def advance(self, delta: timedelta) -> None:
        """Jump forward by `delta`; a negative `delta` raises ValueError."""
        if delta < timedelta(0):
            raise ValueError(f"simulated time cannot go backwards (advance by {delta})")
        self._skipped += delta
