"""The relay loop: a commit during a publish round is relayed at once, not at the next poll."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from shared.metrics import KitMetrics
from shared.outbox import OutboxRelay


class _Relay(OutboxRelay):
    """The loop of the real relay over rounds that publish nothing; the first round sees a
    commit arrive while it is publishing."""

    def __init__(self) -> None:
        super().__init__(
            engine=None, amqp_url="amqp://unused", metrics=KitMetrics(), idle_poll_s=30
        )  # type: ignore[arg-type]
        self.rounds: list[float] = []
        self.second_round = asyncio.Event()

    async def relay_once(self) -> int:
        self.rounds.append(time.monotonic())
        if len(self.rounds) == 1:
            self.wake()  # a handler committed while this round was publishing
        else:
            self.second_round.set()
        return 0

    async def prune(self) -> None:
        pass

    async def _refresh_backlog(self) -> None:
        pass

    async def close(self, *_: Any) -> None:
        pass


async def test_commit_during_a_round_starts_the_next_round_without_waiting_for_the_poll():
    relay, stop = _Relay(), asyncio.Event()
    loop = asyncio.create_task(relay.run(stop))
    try:
        await asyncio.wait_for(relay.second_round.wait(), timeout=5)  # the poll is 30 s
    finally:
        stop.set()
        await asyncio.wait_for(loop, timeout=5)
    assert relay.rounds[1] - relay.rounds[0] < 1.0
