"""Injectable clocks.

Every deadline in Orderflow is a timer kept in a service's database, and its due time is computed
from "now". Code asks a `Clock` for the time instead of calling `datetime.now()`, so that unit
tests can pin time (`FixedClock`) and demos or soak tests can run a month of deadlines in minutes
(`SimulatedClock` in one process; `AnchoredClock` across processes and restarts). All clocks
return timezone-aware UTC datetimes and reject naive ones: a naive datetime has no defined
instant, and a deadline computed from one would be off by the server's UTC offset.

The clocks hold no locks: under asyncio only one coroutine runs at a time, and each method does
a single read or assignment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = [
    "AnchoredClock",
    "Clock",
    "FixedClock",
    "SimulatedClock",
    "SystemClock",
    "clock_from_settings",
    "ensure_aware",
    "real_seconds",
]


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


class AnchoredClock:
    """Simulated time every process agrees on, which a restart does not reset.

    ``now = start + (wall_now - origin) * speed``: at the wall-clock instant ``origin`` simulated
    time was ``start``, and it runs ``speed`` times faster than the wall clock. Every process
    given the same three values reads the same simulated instant (up to the hosts' clock
    skew times ``speed``); a restarted process picks up where simulated time has got to, since
    nothing is kept in memory but the last reading. That reading keeps simulated time from
    going backwards when the system clock is stepped back: a fired timer must not become
    pending again. ``wall`` (seconds since the epoch) is injectable so tests need not sleep.
    """

    def __init__(
        self,
        start: datetime,
        origin: datetime,
        speed: float = 1.0,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self._start = ensure_aware(start, "start")
        self._origin = ensure_aware(origin, "origin")
        self._speed = speed
        self._wall = wall
        self._last = self._start

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def start(self) -> datetime:
        return self._start

    @property
    def origin(self) -> datetime:
        return self._origin

    def at_wall(self, wall_s: float) -> datetime:
        """Simulated instant at the wall-clock reading ``wall_s`` (seconds since the epoch)."""
        elapsed = wall_s - self._origin.timestamp()
        return self._start + timedelta(seconds=elapsed * self._speed)

    def now(self) -> datetime:
        current = self.at_wall(self._wall())
        if current < self._last:
            return self._last
        self._last = current
        return current

    def real_seconds_until(self, at: datetime) -> float:
        """Wall-clock seconds until simulated time reaches ``at`` (0 when already past)."""
        ahead = (ensure_aware(at, "at") - self.now()).total_seconds()
        return max(0.0, ahead / self._speed)

    def env(self, prefix: str) -> dict[str, str]:
        """The settings (``<PREFIX>CLOCK_*``) that give another process this same clock."""
        return {
            f"{prefix}CLOCK_START": self._start.isoformat(),
            f"{prefix}CLOCK_ORIGIN": self._origin.isoformat(),
            f"{prefix}CLOCK_SPEED": repr(self._speed),
        }


class _ClockSettings(Protocol):
    clock_start: datetime | None
    clock_origin: datetime | None
    clock_speed: float


def clock_from_settings(settings: _ClockSettings) -> Clock:
    """The system clock by default; an `AnchoredClock` when a start, origin or speed is set.

    A simulated clock needs its origin (the wall-clock instant at which simulated time equalled
    ``clock_start``): without it, each process would anchor time at its own start and they
    would disagree. ``clock_start`` defaults to the origin (simulated time starts from then).
    """
    start, origin, speed = settings.clock_start, settings.clock_origin, settings.clock_speed
    if start is None and origin is None and speed == 1.0:
        return SystemClock()
    if origin is None:
        raise ValueError(
            "clock_origin is required with clock_start or clock_speed: it is the wall-clock"
            " instant every process anchors simulated time to"
        )
    return AnchoredClock(start or origin, origin, speed)


def real_seconds(clock: Clock, simulated_s: float, floor_s: float = 0.1) -> float:
    """Wall-clock seconds between periodic checks meant to run every ``simulated_s``.

    On a clock running ``speed`` times faster, an hourly check must run ``speed`` times as often
    or a simulated month would pass between two runs; ``floor_s`` keeps a very fast clock from
    turning the loop into a busy poll (but never lengthens an interval shorter than it).
    """
    speed = float(getattr(clock, "speed", 1.0))
    return max(min(floor_s, simulated_s), simulated_s / speed)
