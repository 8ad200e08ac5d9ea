"""Waiting for another process to reach a state, with a bound."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def until(
    check: Callable[[], Awaitable[bool]],
    within_s: float = 60,
    every_s: float = 0.2,
    *,
    max_every_s: float = 1.0,
    what: str = "",
) -> None:
    """Ask ``check`` until it holds, first every ``every_s`` then less often (up to
    ``max_every_s``): a long wait (goods being made for days) costs the services few calls."""
    deadline = time.monotonic() + within_s
    interval = every_s
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(min(interval, max(0.0, deadline - time.monotonic())))
        interval = min(max(every_s, max_every_s), interval * 1.5)
    if await check():
        return
    raise TimeoutError(f"{what or 'condition'} not reached within {within_s:.0f} s of wall time")
