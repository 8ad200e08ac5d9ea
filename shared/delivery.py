"""What happens to one delivered message: decode, dedupe, handle, ack; or retry; or dead-letter.

- Bad JSON, an unknown type, a payload that breaks its schema, a ``PermanentError``: straight to
  the queue's dead-letter queue with the reason and the original headers.
- Any other failure: republished to a retry tier whose TTL sends it back after a growing delay
  (no hot requeue loop); after ``max_attempts`` it is dead-lettered with the last error.
- The original is acked only after the retry or dead-letter copy is confirmed by the broker.
  If that publish fails, the original is requeued, so nothing is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from faststream.rabbit.message import RabbitMessage

from contracts.envelope import Envelope
from contracts.events.outcomes import RejectionCode
from shared import answers, audit, inbox
from shared.auth import Actor
from shared.errors import Refusal
from shared.failures import describe, is_permanent, is_transient
from shared.messaging import HandlerContext, Route, bind_message_context
from shared.metrics import KitMetrics
from shared.senders import DEFAULT_LOGIN, SenderCheck
from shared.topology import Topology
from shared.uow import UnitOfWork

log = structlog.get_logger("orderflow.delivery")

ATTEMPT = "x-attempt"
REASON = "x-dead-letter-reason"
ORIGINAL_USER = "x-original-user-id"  # the broker login of the first publisher ("" if none)

Publish = Callable[..., Awaitable[Any]]


class Delivery:
    def __init__(
        self,
        *,
        service: str,
        topology: Topology,
        new_uow: Callable[..., UnitOfWork],
        publish: Publish,
        metrics: KitMetrics,
        max_attempts: int,
        retry_delays_ms: list[int],
        senders: SenderCheck | None = None,
    ) -> None:
        self._service = service
        self._senders = senders or SenderCheck(topology.namespace, DEFAULT_LOGIN)
        self._topology = topology
        self._new_uow = new_uow
        self._publish = publish
        self._metrics = metrics
        self._max_attempts = max_attempts
        self._retry_delays_ms = retry_delays_ms

    async def handle(self, route: Route, message: RabbitMessage) -> None:
        structlog.contextvars.unbind_contextvars("event_type", "event_id", "correlation_id")
        headers = dict(message.headers or {})
        attempt = int(headers.get(ATTEMPT, 1))
        label = route.queue
        envelope: Envelope | None = None
        try:
            envelope = Envelope.from_json(message.body)
            bind_message_context(envelope)
            entry = route.handlers.get((envelope.type, envelope.version))
            if entry is None:
                raise _NoHandler(f"no handler for {envelope.type} v{envelope.version}")
            consumer, handler = entry
            label = consumer
            payload = envelope.open()
            if not self._is_command(route):
                login = self._vouched_login(message, headers)
                self._senders.check(envelope.type, envelope.producer, login)
        except Exception as exc:
            await self._dead_letter(route, message, headers, attempt, describe(exc), label)
            if envelope is not None and self._is_command(route):
                await self._answer(
                    message, envelope, None, RejectionCode.SCHEMA, describe(exc), label
                )
            return
        started = time.perf_counter()
        try:
            await self._run(route, consumer, handler, envelope, payload, message)
        except Exception as exc:
            self._metrics.failed.labels(label).inc()
            await self._on_failure(route, message, headers, attempt, exc, label, envelope, payload)
            return
        finally:
            self._metrics.latency.labels(label).observe(time.perf_counter() - started)
        await message.ack()

    def _from_me(self, message: RabbitMessage) -> bool:
        return _user_id(message) == self._senders.own_login

    def _vouched_login(self, message: RabbitMessage, headers: dict[str, Any]) -> str | None:
        """The login that first published the message: the broker's ``user_id``, or for a copy
        this service made (a retry, a dead letter, a replay) the login it noted then. A header
        is believed only on a message the broker says this service published."""
        if self._from_me(message) and ORIGINAL_USER in headers:
            return str(headers[ORIGINAL_USER]) or None
        return _user_id(message)

    def _origin(self, message: RabbitMessage, headers: dict[str, Any]) -> dict[str, Any]:
        """Keep where the message first came from, and who sent it, across retries."""
        raw = message.raw_message
        kept = headers if self._from_me(message) else {}
        return {
            **headers,
            "x-original-exchange": headers.get("x-original-exchange", raw.exchange or ""),
            "x-original-routing-key": headers.get("x-original-routing-key", raw.routing_key or ""),
            ORIGINAL_USER: kept.get(ORIGINAL_USER, _user_id(message) or ""),
        }

    def _sender(self, message: RabbitMessage, envelope: Envelope) -> Actor:
        """The system that sent the message: the broker-validated login where the publisher
        set ``user_id``, else the producer the envelope names."""
        name = self._vouched_login(message, dict(message.headers or {})) or envelope.producer
        return Actor(subject=name, name=name, kind="system")

    def _is_command(self, route: Route) -> bool:
        return route.exchange == self._topology.commands_exchange

    async def _run(
        self,
        route: Route,
        consumer: str,
        handler: Any,
        envelope: Envelope,
        payload: Any,
        message: RabbitMessage,
    ) -> None:
        actor = self._sender(message, envelope)
        async with self._new_uow(
            actor=actor, correlation_id=envelope.correlation_id, causation_id=envelope.event_id
        ) as uow:
            command = self._is_command(route)
            key = answers.CommandKey.of(envelope, payload, actor.name) if command else None
            if not await inbox.claim(uow.session, envelope.event_id, consumer):
                self._metrics.duplicates.labels(consumer).inc()
                log.info("duplicate_skipped", consumer=consumer)
                if key is not None:
                    # the same envelope again (a resend after an unconfirmed publish, or a
                    # sender asking again): answered again, repeated, with the first answer
                    await answers.repeat_if_known(uow, key)
                    await uow.commit()
                return
            context = HandlerContext(envelope=envelope, uow=uow, log=log)
            if key is None:
                await handler(payload, context)
            else:
                if await answers.repeat_if_known(uow, key):
                    await uow.commit()
                    self._metrics.handled.labels(consumer).inc()
                    return
                uow.audit_entry = audit.Entry(
                    "command", envelope.type, envelope.correlation_id, envelope.payload
                )
                await answers.accept(uow, key, await handler(payload, context))
            await uow.commit()
        self._metrics.handled.labels(consumer).inc()

    async def _refuse(
        self, consumer: str, envelope: Envelope, payload: Any, message: RabbitMessage, exc: Refusal
    ) -> None:
        """A command the service refuses is answered, and the refusal is its outcome: stored
        with the inbox entry, so the same command again gets the same answer."""
        actor = self._sender(message, envelope)
        key = answers.CommandKey.of(envelope, payload, actor.name)
        async with self._new_uow(
            actor=actor, correlation_id=envelope.correlation_id, causation_id=envelope.event_id
        ) as uow:
            if not await inbox.claim(uow.session, envelope.event_id, consumer):
                await answers.repeat_if_known(uow, key)  # the same envelope again
            elif not await answers.repeat_if_known(uow, key):
                await answers.refuse(uow, key, answers.rejection_of(key, exc))
            await uow.commit()
        log.info("command_refused", consumer=consumer, reason=describe(exc))
        self._metrics.handled.labels(consumer).inc()

    async def _answer(
        self,
        message: RabbitMessage,
        envelope: Envelope,
        payload: Any,
        code: RejectionCode,
        reason: str,
        consumer: str,
    ) -> None:
        """Tell the sender of a command that went to the dead-letter queue (best effort: the
        dead letter itself is safe whatever happens here). Not stored as the command's outcome:
        an operator may replay it once the cause is mended."""
        actor = self._sender(message, envelope)
        key = answers.CommandKey.of(envelope, payload, actor.name)
        try:
            async with self._new_uow(
                actor=actor, correlation_id=envelope.correlation_id, causation_id=envelope.event_id
            ) as uow:
                await answers.tell(uow, key, answers.rejected(key, code, reason))
                await uow.commit()
        except Exception as exc:
            log.warning("dead_letter_answer_failed", consumer=consumer, error=describe(exc))

    async def _on_failure(
        self,
        route: Route,
        message: RabbitMessage,
        headers: dict[str, Any],
        attempt: int,
        exc: Exception,
        label: str,
        envelope: Envelope,
        payload: Any,
    ) -> None:
        reason = describe(exc)
        command = self._is_command(route)
        if command and isinstance(exc, Refusal) and is_permanent(exc):
            await self._refuse(label, envelope, payload, message, exc)
            await message.ack()
        elif is_permanent(exc):
            await self._dead_letter(route, message, headers, attempt, reason, label)
            if command:
                await self._answer(message, envelope, payload, RejectionCode.INVALID, reason, label)
        elif attempt >= self._max_attempts:
            reason = f"gave up after {attempt} attempts; last error: {reason}"
            await self._dead_letter(route, message, headers, attempt, reason, label)
            if command:
                await self._answer(message, envelope, payload, RejectionCode.FAILED, reason, label)
        else:
            log.warning(
                "handler_failed_will_retry",
                attempt=attempt,
                error=reason,
                known_transient=is_transient(exc),
            )
            await self._retry(route, message, headers, attempt)

    async def _retry(
        self, route: Route, message: RabbitMessage, headers: dict[str, Any], attempt: int
    ) -> None:
        delay = self._retry_delays_ms[min(attempt, len(self._retry_delays_ms)) - 1]
        tier = self._topology.retry_tier(self._service, delay)
        new_headers = {**self._origin(message, headers), ATTEMPT: attempt + 1}
        await self._forward(message, new_headers, exchange=tier, routing_key=route.queue)

    async def _dead_letter(
        self,
        route: Route,
        message: RabbitMessage,
        headers: dict[str, Any],
        attempt: int,
        reason: str,
        label: str,
    ) -> None:
        log.error("dead_lettered", queue=route.queue, reason=reason, attempt=attempt)
        new_headers = {
            **self._origin(message, headers),
            REASON: reason,
            "x-original-queue": route.queue,
            "x-dead-lettered-at": datetime.now(UTC).isoformat(),
            ATTEMPT: attempt,
        }
        dlq = self._topology.dead_letter_queue(route.queue)
        exchange = self._topology.dead_letter_exchange(self._service)
        if await self._forward(message, new_headers, exchange=exchange, routing_key=dlq):
            self._metrics.dead_lettered.labels(label).inc()

    async def _forward(
        self, message: RabbitMessage, headers: dict[str, Any], *, exchange: str, routing_key: str
    ) -> bool:
        try:
            await self._publish(
                message.body,
                exchange=exchange,
                routing_key=routing_key,
                headers=headers,
                persist=True,
                mandatory=True,
                content_type=message.content_type or "application/json",
                message_id=message.message_id,
                user_id=self._senders.own_login,
            )
        except Exception as exc:
            log.error("forward_failed_requeueing", error=describe(exc), to=routing_key)
            await message.nack(requeue=True)
            return False
        await message.ack()
        return True


def _user_id(message: RabbitMessage) -> str | None:
    """The broker login the publisher set (the broker checked it against the connection)."""
    user_id = getattr(message.raw_message, "user_id", None)
    return str(user_id) if user_id else None


class _NoHandler(Exception):
    pass
