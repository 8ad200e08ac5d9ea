"""Who sent an event, as the broker vouches for it.

Every message the kit publishes carries the AMQP ``user_id`` of the connection's login, which the
broker refuses to pass on unless it is the login the connection authenticated with. A consumer
takes an event only when
- the broker login on the message is the login of the producer the envelope names
  (``<namespace><service>``) and that service is one of the event's publishers
  (``contracts.publishers``), or
- the login is the consumer's own (its retry copies, dead letters and replays, checked against
  the login noted when the original arrived), or a login trusted to publish anything: the one
  login all processes share on a development machine. Where such a login exists a message
  without ``user_id`` counts as that login's; in a deployment with a user per service and
  system (no trusted login) it is refused.
A service named as producer of an event it does not publish is refused in every case. Anything
refused is forged and goes to the dead-letter queue with the reason: the warehouse's login cannot
make sales believe in a ``payment.received``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from contracts.publishers import SERVICES, publishers_of
from shared.errors import PermanentError

DEFAULT_LOGIN = "guest"  # what RabbitMQ assumes for a URL without credentials


class Forged(PermanentError):
    """An event from someone who may not publish it: dead-lettered, never retried."""


def login_of(amqp_url: str) -> str:
    """The broker login of a URL (the first of a comma-separated list of cluster nodes)."""
    first = amqp_url.split(",", 1)[0].strip()
    user = urlsplit(first).username
    return unquote(user) if user else DEFAULT_LOGIN


@dataclass(frozen=True)
class SenderCheck:
    namespace: str
    own_login: str
    trusted: frozenset[str] = frozenset()

    @classmethod
    def of(cls, namespace: str, amqp_url: str, trusted: Iterable[str]) -> SenderCheck:
        return cls(namespace, login_of(amqp_url), frozenset(trusted))

    def reason_to_refuse(self, event_type: str, producer: str, user_id: str | None) -> str | None:
        """None when the event may be taken; else why it is forged."""
        allowed = publishers_of(event_type)
        if producer in SERVICES and producer not in allowed:
            return self._not_publisher(event_type, producer, allowed)
        if user_id is None:
            # where one login is shared (development) a message without one is that login's
            return None if self.trusted else f"forged: {event_type} without a broker login"
        if user_id in self.trusted or user_id == self.own_login:
            return None
        if producer not in allowed:
            return self._not_publisher(event_type, producer, allowed)
        if user_id != f"{self.namespace}{producer}":
            return (
                f"forged: {event_type} naming {producer!r} as producer was published by the"
                f" broker login {user_id!r}"
            )
        return None

    @staticmethod
    def _not_publisher(event_type: str, producer: str, allowed: frozenset[str]) -> str:
        return (
            f"forged: {event_type} is published by {', '.join(sorted(allowed)) or 'nobody'},"
            f" not by {producer!r}"
        )

    def check(self, event_type: str, producer: str, user_id: str | None) -> None:
        reason = self.reason_to_refuse(event_type, producer, user_id)
        if reason is not None:
            raise Forged(reason)
