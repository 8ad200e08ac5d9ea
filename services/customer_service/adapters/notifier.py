"""The notifier port's adapters.

``OutboxNotifier`` (the default) records each notice in the ``notice`` table inside the
transaction that decided it, keyed so a moment is recorded once. ``NoticeDispatcher`` then hands
unsent rows to a delivery channel and marks them sent; rows are claimed with SKIP LOCKED, so two
replicas never send one notice twice. Channels: the outbox table itself (nothing outside), a
JSON-lines file, or e-mail / SMS gateways behind the ``EmailGateway`` / ``SmsGateway`` interfaces.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.customer_service.adapters.timeline_repository import NoticeRepository
from services.customer_service.domain.notices import Notice
from shared.aio import wait_or_stop
from shared.uow import UnitOfWork

log = structlog.get_logger("customer_service.notices")

# A notice that failed max_attempts times stays unsent with its last_error, for a person to see
# (GET /notices); the dispatcher stops retrying it.


class OutboxNotifier:
    async def notify(
        self, session: AsyncSession, notice: Notice, recipient: dict[str, Any], now: datetime
    ) -> bool:
        added = await NoticeRepository(session).add_once(notice, recipient, now)
        if not added:
            log.info("notice_already_recorded", key=notice.key)
        return added


class NoticeChannel(Protocol):
    name: str

    async def deliver(self, notice: Mapping[str, Any]) -> None: ...


class EmailGateway(Protocol):
    """An SMTP or mail-API client; an adapter wraps it as a NoticeChannel."""

    async def send(self, to: str, subject: str, body: str) -> None: ...


class SmsGateway(Protocol):
    async def send(self, to: str, text: str) -> None: ...


class OutboxOnlyChannel:
    """The notice table is the record; nothing leaves the system."""

    name = "outbox"

    async def deliver(self, notice: Mapping[str, Any]) -> None:
        return None


class FileChannel:
    """Append each notice as one JSON line."""

    name = "file"

    def __init__(self, path: Path) -> None:
        self.path = path

    async def deliver(self, notice: Mapping[str, Any]) -> None:
        line = json.dumps(
            {k: notice[k] for k in ("notice_key", "recipient", "title", "body", "order_no")},
            default=str,
            ensure_ascii=False,
        )
        await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


class EmailChannel:
    name = "email"

    def __init__(self, gateway: EmailGateway) -> None:
        self.gateway = gateway

    async def deliver(self, notice: Mapping[str, Any]) -> None:
        to = notice["recipient"].get("email")
        if not to:
            raise ValueError("recipient has no e-mail address")
        await self.gateway.send(to, notice["title"], notice["body"])


class SmsChannel:
    name = "sms"

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    async def deliver(self, notice: Mapping[str, Any]) -> None:
        to = notice["recipient"].get("phone")
        if not to:
            raise ValueError("recipient has no phone number")
        await self.gateway.send(to, f"{notice['title']}: {notice['body']}")


class NoticeDispatcher:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        channel: NoticeChannel,
        *,
        poll_s: float = 0.5,
        batch: int = 50,
        max_attempts: int = 10,
    ) -> None:
        self._max_attempts = max_attempts
        self._new_uow = new_uow
        self._channel = channel
        self._poll_s = poll_s
        self._batch = batch

    async def dispatch_once(self) -> int:
        sent = 0
        async with self._new_uow() as uow:
            repo = NoticeRepository(uow.session)
            for row in await repo.claim_unsent(self._batch, self._max_attempts):
                try:
                    await self._channel.deliver(dict(row._mapping))
                except Exception as exc:
                    log.warning("notice_delivery_failed", key=row.notice_key, error=str(exc))
                    await repo.mark_failed(row.id, str(exc)[:500])
                    continue
                await repo.mark_sent(row.id, self._channel.name, uow.clock.now())
                sent += 1
            await uow.commit()
        return sent

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                sent = await self.dispatch_once()
            except Exception as exc:
                log.warning("notice_dispatch_failed", error=str(exc))
                sent = 0
            if sent < self._batch:
                await wait_or_stop(stop, self._poll_s)
