from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared.clock import Clock, FixedClock, SimulatedClock, SystemClock

START = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)


class FakeMonotonic:
    """A monotonic source the test moves by hand, so no test sleeps."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_every_clock_satisfies_the_protocol() -> None:
    for clock in (SystemClock(), FixedClock(START), SimulatedClock(START)):
        assert isinstance(clock, Clock)


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC


def test_fixed_clock_stands_still_until_advanced_or_set() -> None:
    clock = FixedClock(START)
    assert clock.now() == START
    clock.advance(timedelta(hours=25))
    assert clock.now() == START + timedelta(hours=25)
    clock.set(START)
    assert clock.now() == START


def test_clocks_return_utc_whatever_zone_they_are_given() -> None:
    shanghai = timezone(timedelta(hours=8))
    at = datetime(2026, 9, 30, 10, 0, tzinfo=shanghai)
    for clock in (FixedClock(at), SimulatedClock(at, monotonic=FakeMonotonic())):
        assert clock.now() == START
        assert clock.now().utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "make",
    [
        FixedClock,
        SimulatedClock,
        lambda at: FixedClock(START).set(at),
    ],
)
def test_naive_datetimes_are_rejected(make: object) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make(datetime(2026, 9, 30, 10, 0))  # type: ignore[operator]


def test_simulated_clock_runs_speed_times_faster_than_real_time() -> None:
    tick = FakeMonotonic()
    clock = SimulatedClock(START, speed=60.0, monotonic=tick)
    assert clock.now() == START
    tick.t += 10.0
    assert clock.now() == START + timedelta(minutes=10)


def test_simulated_clock_jumps_forward_and_keeps_running() -> None:
    tick = FakeMonotonic()
    clock = SimulatedClock(START, speed=2.0, monotonic=tick)
    clock.advance(timedelta(days=1))
    tick.t += 30.0
    assert clock.now() == START + timedelta(days=1, minutes=1)


def test_simulated_clock_cannot_go_backwards() -> None:
    clock = SimulatedClock(START, monotonic=FakeMonotonic())
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(timedelta(seconds=-1))
    assert clock.now() == START


@pytest.mark.parametrize("speed", [0.0, -1.0, float("nan")])
def test_simulated_clock_needs_a_positive_speed(speed: float) -> None:
    with pytest.raises(ValueError, match="speed"):
        SimulatedClock(START, speed=speed)
