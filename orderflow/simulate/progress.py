"""A live progress display while a story plays: orders finished, simulated date, breaches."""

from __future__ import annotations

from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from orderflow.simulate.report import Outcome
from orderflow.simulate.world import World


class StoryProgress:
    def __init__(self, orders: int) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            transient=False,
        )
        self._task = self._progress.add_task("orders", total=orders, detail="")
        self._states: dict[str, int] = {}
        self._breaches = 0

    def __enter__(self) -> StoryProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def update(self, outcome: Outcome | None, world: World) -> None:
        if outcome is not None:
            self._states[outcome.final_status] = self._states.get(outcome.final_status, 0) + 1
            self._breaches += len(outcome.breaches)
            self._progress.advance(self._task)
        states = ", ".join(f"{k} {v}" for k, v in sorted(self._states.items()))
        detail = f"simulated {world.now():%Y-%m-%d %H:%M}  {states}  breaches {self._breaches}"
        self._progress.update(self._task, detail=detail)
