"""The clock every service process agrees on: simulated now = start + (wall - origin) * speed."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.clock import (
    AnchoredClock,
    FixedClock,
    SimulatedClock,
    SystemClock,
    clock_from_settings,
    real_seconds,
)
from shared.config import ServiceSettings

START = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
ORIGIN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class FakeWall:
    """Seconds since the epoch, moved by hand."""

    def __init__(self, at: datetime) -> None:
        self.t = at.timestamp()

    def __call__(self) -> float:
        return self.t


def test_simulated_time_is_start_plus_elapsed_wall_time_times_speed() -> None:
    wall = FakeWall(ORIGIN)
    clock = AnchoredClock(START, ORIGIN, speed=3600.0, wall=wall)
    assert clock.now() == START
    wall.t += 24.0  # 24 wall seconds = 24 simulated hours
    assert clock.now() == START + timedelta(days=1)


def test_two_processes_with_the_same_settings_read_the_same_instant() -> None:
    wall = FakeWall(ORIGIN + timedelta(seconds=90))
    first = AnchoredClock(START, ORIGIN, speed=1000.0, wall=wall)
    second = AnchoredClock(START, ORIGIN, speed=1000.0, wall=wall)
    assert first.now() == second.now() == START + timedelta(seconds=90_000)


def test_a_restarted_process_continues_from_where_simulated_time_got_to() -> None:
    wall = FakeWall(ORIGIN)
    before = AnchoredClock(START, ORIGIN, speed=500.0, wall=wall)
    wall.t += 60.0
    reached = before.now()
    wall.t += 10.0
    after_restart = AnchoredClock(START, ORIGIN, speed=500.0, wall=wall)
    assert after_restart.now() == reached + timedelta(seconds=5_000)


def test_a_system_clock_stepped_back_does_not_move_simulated_time_back() -> None:
    wall = FakeWall(ORIGIN)
    clock = AnchoredClock(START, ORIGIN, speed=100.0, wall=wall)
    wall.t += 30.0
    reached = clock.now()
    wall.t -= 20.0
    assert clock.now() == reached
    wall.t += 30.0
    assert clock.now() == reached + timedelta(seconds=1_000)


def test_wall_seconds_until_a_simulated_instant_scale_with_speed() -> None:
    wall = FakeWall(ORIGIN)
    clock = AnchoredClock(START, ORIGIN, speed=7200.0, wall=wall)
    assert clock.real_seconds_until(START + timedelta(hours=4)) == pytest.approx(2.0)
    assert clock.real_seconds_until(START - timedelta(hours=1)) == 0.0


def test_the_clock_travels_to_another_process_as_its_settings() -> None:
    wall = FakeWall(ORIGIN + timedelta(seconds=42))
    clock = AnchoredClock(START, ORIGIN, speed=250.0, wall=wall)
    settings = ServiceSettings.model_validate(
        {k.removeprefix("X_").lower(): v for k, v in clock.env("X_").items()}
    )
    again = clock_from_settings(settings)
    assert isinstance(again, AnchoredClock)
    assert (again.start, again.origin, again.speed) == (START, ORIGIN, 250.0)
    assert again.at_wall(wall.t) == clock.now()


def test_services_read_the_clock_from_their_own_env_prefix(monkeypatch) -> None:
    class SalesLike(ServiceSettings):
        model_config = {**ServiceSettings.model_config, "env_prefix": "SALESLIKE_"}

    clock = AnchoredClock(START, ORIGIN, speed=20.0)
    for key, value in clock.env("SALESLIKE_").items():
        monkeypatch.setenv(key, value)
    made = clock_from_settings(SalesLike())
    assert isinstance(made, AnchoredClock)
    assert (made.start, made.origin, made.speed) == (START, ORIGIN, 20.0)


def test_default_settings_give_the_system_clock() -> None:
    assert isinstance(clock_from_settings(ServiceSettings()), SystemClock)


def test_start_defaults_to_the_origin() -> None:
    clock = clock_from_settings(ServiceSettings(clock_origin=ORIGIN, clock_speed=10.0))
    assert isinstance(clock, AnchoredClock)
    assert clock.start == ORIGIN


def test_a_simulated_clock_without_an_origin_is_refused() -> None:
    with pytest.raises(ValueError, match="clock_origin"):
        clock_from_settings(ServiceSettings(clock_speed=100.0))
    with pytest.raises(ValueError, match="clock_origin"):
        clock_from_settings(ServiceSettings(clock_start=START))


@pytest.mark.parametrize("speed", [0.0, -2.0])
def test_anchored_clock_needs_a_positive_speed(speed: float) -> None:
    with pytest.raises(ValueError, match="speed"):
        AnchoredClock(START, ORIGIN, speed=speed)


def test_naive_start_or_origin_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        AnchoredClock(datetime(2027, 3, 1), ORIGIN)
    with pytest.raises(ValueError, match="timezone-aware"):
        AnchoredClock(START, datetime(2026, 12, 1))


def test_periodic_checks_run_speed_times_as_often_down_to_a_floor() -> None:
    assert real_seconds(SystemClock(), 3600.0) == 3600.0
    assert real_seconds(FixedClock(START), 1.0) == 1.0
    fast = AnchoredClock(START, ORIGIN, speed=3600.0)
    assert real_seconds(fast, 3600.0) == pytest.approx(1.0)
    assert real_seconds(fast, 1.0) == 0.1, "never a busy poll"
    assert real_seconds(fast, 0.05) == 0.05, "a short interval is never lengthened"
    assert real_seconds(SimulatedClock(START, speed=60.0), 60.0) == pytest.approx(1.0)
