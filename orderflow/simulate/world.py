"""The world outside the services as the actors see it: the services' HTTP APIs (every call made
as a member of the cast, signed in to the identity provider), the sales command queue (for EDI),
master data, and the simulated clock every service runs on."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aio_pika
import aio_pika.exceptions
import httpx

from contracts.base import Message
from contracts.envelope import Envelope
from contracts.registry import REGISTRY
from contracts.roles import Role
from orderflow.services import ServiceProcess
from orderflow.simulate.cast import Cast
from orderflow.simulate.polling import until
from shared.calendar import BusinessCalendar
from shared.clock import AnchoredClock, Clock, SystemClock
from shared.config import ServiceSettings
from shared.signing import signed_headers
from shared.topology import Topology

TZ_OFFSET = timedelta(hours=8)  # the company's calendar (Asia/Shanghai) for dates it writes
ADDRESS = {"recipient": "Goods In", "line1": "1 Harbour Rd", "city": "Ningbo", "country": "CN"}
NEW_ADDRESS = {
    "recipient": "Site Office",
    "line1": "88 Port Ave",
    "city": "Ningbo",
    "country": "CN",
}
PRODUCTS = {"P-100": ("100.00", "steel, 40 mm, zinc plated"), "P-200": ("250.00", "frame, 2 m")}
# However fast the clock, a service needs wall time to react (a few hops through the broker on
# a busy machine): no wait for one is shorter than this.
WAIT_FLOOR_S = 90.0
# A person at a desk waits this long for a page on a saturated machine before giving up.
CALL_TIMEOUT_S = 60.0
# What an actor allows a service for a step that takes no simulated time of its own.
REACTION = timedelta(days=2)

# Who does what in the world's own steps: master data, opening stock, the lines; who follows an
# order's status and its timeline.
MASTER_DATA = Role.MASTER_DATA.value
MAKER, CHECKER = "md.he", "md.lin"  # a customer's trust is asked for by one, approved by another
STOREKEEPER = Role.WAREHOUSE.value
PLANNER = Role.PRODUCTION_PLANNER.value
DESK = Role.SALES_DESK.value
AFTER_SALES = Role.AFTER_SALES.value


class ServiceRefused(AssertionError):
    """A service answered an actor's call with an error status."""


class ServiceUnreachable(ConnectionError):
    """An actor's call got no answer (refused, cut, or too slow)."""


Who = str | None
"""Who makes a call: a role (the first member of the cast holding it), a member's username, or
None for the open routes (the clock, metrics)."""


@dataclass
class World:
    clients: dict[str, httpx.AsyncClient]
    amqp_url: str = field(default_factory=lambda: ServiceSettings().amqp_url)
    namespace: str = ""
    clock: Clock = field(default_factory=SystemClock)
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    cast: Cast | None = None
    refusals: Counter[str] = field(default_factory=Counter)
    """Steps a member tried without the authority and was refused, as the story meant them to."""
    _amqp: aio_pika.abc.AbstractRobustConnection | None = None
    _channel: aio_pika.abc.AbstractChannel | None = None

    @classmethod
    def connect(
        cls,
        services: dict[str, ServiceProcess],
        amqp_url: str | None = None,
        namespace: str = "",
        cast: Cast | None = None,
    ) -> World:
        clients = {
            n: httpx.AsyncClient(base_url=s.base_url(), timeout=CALL_TIMEOUT_S)
            for n, s in services.items()
        }
        world = cls(clients, namespace=namespace, cast=cast)
        if amqp_url:
            world.amqp_url = amqp_url
        return world

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()
        if self.cast is not None:
            await self.cast.close()
        if self._amqp is not None:
            await self._amqp.close()

    # --- time ----------------------------------------------------------------------------

    async def sync_clock(self) -> Clock:
        """Take the clock the services run on (their ``/clock``): the actors live on it too."""
        body = await self.call("sales", "GET", "/clock", as_=None)
        if body.get("simulated"):
            self.clock = AnchoredClock(
                datetime.fromisoformat(body["start"]),
                datetime.fromisoformat(body["origin"]),
                float(body["speed"]),
            )
        return self.clock

    @property
    def speed(self) -> float:
        return float(getattr(self.clock, "speed", 1.0))

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return (self.clock.now() + TZ_OFFSET).date()

    def within(self, simulated: timedelta = REACTION, floor_s: float = WAIT_FLOOR_S) -> float:
        """Wall seconds to wait for a step that may take ``simulated`` time, at the clock's
        speed, and never less than ``floor_s``."""
        return max(floor_s, simulated.total_seconds() / self.speed)

    def business_days_later(self, days: int, then: timedelta = timedelta(0)) -> datetime:
        """The instant ``days`` business days from now (same local time), plus ``then``: a
        customer who signs "on the second working day" does so after the weekend."""
        return self.calendar.add_business_days(self.now(), days) + then

    async def sleep_until(self, at: datetime) -> None:
        ahead = (at - self.clock.now()).total_seconds()
        if ahead > 0:
            await asyncio.sleep(ahead / self.speed)

    async def pause(self, simulated: timedelta) -> None:
        """Wait while ``simulated`` time passes (hours for a person to react, days to sign)."""
        await self.sleep_until(self.clock.now() + simulated)

    # --- calls ---------------------------------------------------------------------------

    async def call(self, service: str, method: str, path: str, *, as_: Who, **kw: Any) -> Any:
        """The call made by ``as_``; any answer but a success is raised as ``ServiceRefused``."""
        response = await self._request(service, method, path, as_, **kw)
        if response.status_code >= 300:
            raise ServiceRefused(
                f"{service} {method} {path} as {as_}: {response.status_code} {response.text[:300]}"
            )
        return response.json() if response.content else None

    async def status_of(self, service: str, method: str, path: str, *, as_: Who, **kw: Any) -> int:
        return (await self._request(service, method, path, as_, **kw)).status_code

    async def refused(
        self, service: str, method: str, path: str, *, as_: Who, status: int = 403, **kw: Any
    ) -> dict[str, Any]:
        """A step tried by someone without the authority: the story expects ``status`` and
        counts it (the report lists them); any other answer breaks a rule and is raised."""
        response = await self._request(service, method, path, as_, **kw)
        if response.status_code != status:
            raise ServiceRefused(
                f"{service} {method} {path} as {as_}: expected {status},"
                f" got {response.status_code} {response.text[:300]}"
            )
        self.refusals[f"{method} {_template(path)} as {as_}: {status}"] += 1
        return dict(response.json()) if response.content else {}

    async def attempt(
        self, service: str, method: str, path: str, *, as_: Who, **kw: Any
    ) -> tuple[int, dict[str, Any]]:
        """A step its maker may or may not have the authority for (the service decides, by the
        approval matrix): the status and body, whatever they are; a 403 counts as a refusal the
        story expected."""
        response = await self._request(service, method, path, as_, **kw)
        body = response.json() if response.content else {}
        if response.status_code == 403:
            self.refusals[f"{method} {_template(path)} as {as_}: 403"] += 1
        return response.status_code, body if isinstance(body, dict) else {}

    async def _request(
        self, service: str, method: str, path: str, as_: Who, **kw: Any
    ) -> httpx.Response:
        """Retried: any call the service answered with a 5xx (its transaction rolled back, e.g.
        the database was out of connections), and a read whose kept-alive connection dropped.
        Not retried: a write whose answer was lost, since the service may have acted on it.
        A token refused as expired (401) is renewed and the call sent again, once."""
        renewed = False
        extra = kw.pop("headers", {})
        for attempt in range(5):
            try:
                headers = {**extra, **(await self._authorization(as_))}
                response = await self.clients[service].request(method, path, headers=headers, **kw)
                if response.status_code == 401 and as_ is not None and not renewed:
                    renewed = True
                    await self._session(as_).expired()
                    response = await self.clients[service].request(
                        method, path, headers={**headers, **(await self._authorization(as_))}, **kw
                    )
            except httpx.TransportError as exc:
                if method != "GET" or attempt == 4:
                    raise ServiceUnreachable(
                        f"{service} {method} {path}: {type(exc).__name__} {exc}"
                    ) from exc
            else:
                if response.status_code < 500 or attempt == 4:
                    return response
            await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    def signed(self, who: str, content: bytes) -> dict[str, str]:
        """The headers signing ``content`` with ``who``'s secret (a carrier's report), at the
        wall-clock time the service checks; none when the cast holds no secret for it."""
        secret = self.cast.signing.get(who) if self.cast is not None else None
        return {} if secret is None else signed_headers(secret, content, datetime.now(UTC))

    def _session(self, who: str) -> Any:
        if self.cast is None:
            raise RuntimeError(f"no cast to sign {who} in: World.connect(..., cast=...)")
        return self.cast.session(who)

    async def _authorization(self, who: Who) -> dict[str, str]:
        if who is None:
            return {}
        return {"Authorization": await self._session(who).authorization()}

    async def send_command(self, message: Message, correlation_id: str, producer: str) -> None:
        """Publish a command the way a departmental system (EDI gateway, ERP) does: the same
        envelope again until the broker confirms it (the service takes a repeat once), for up
        to ``WAIT_FLOOR_S`` while the broker restarts."""
        spec = REGISTRY.spec_for(type(message))
        envelope = Envelope.wrap(
            message, producer=producer, correlation_id=correlation_id, occurred_at=self.now()
        )
        deadline = asyncio.get_running_loop().time() + WAIT_FLOOR_S
        while True:
            try:
                await self._publish_command(envelope, spec.routing_key)
                return
            except (
                aio_pika.exceptions.AMQPError,
                aio_pika.exceptions.ChannelInvalidStateError,
                ConnectionError,
            ) as exc:
                if asyncio.get_running_loop().time() > deadline:
                    raise ServiceUnreachable(f"broker: {spec.routing_key}: {exc!r}") from exc
                await asyncio.sleep(0.5)

    async def _publish_command(self, envelope: Envelope, routing_key: str) -> None:
        if self._channel is None:
            self._amqp = await aio_pika.connect_robust(self.amqp_url)
            self._channel = await self._amqp.channel(publisher_confirms=True)
        exchange = await self._channel.get_exchange(Topology(self.namespace).commands_exchange)
        await exchange.publish(
            aio_pika.Message(
                envelope.to_json(),
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=str(envelope.event_id),
            ),
            routing_key=routing_key,
            mandatory=True,
        )

    # --- master data ---------------------------------------------------------------------

    async def seed(self, stock: int = 500, frames: int | None = None) -> None:
        """Price list, items, locations, a line, and opening stock. ``frames`` (P-200) can be
        kept short so that later orders need production."""
        await self.sync_clock()
        for code, (price, _) in PRODUCTS.items():
            await self._idempotent(
                "sales", "/price-list", {"product_code": code, "unit_price": price}, MASTER_DATA
            )
            await self._idempotent("warehouse", "/items", {"product_code": code}, STOREKEEPER)
            await self.call(
                "production",
                "PUT",
                f"/products/{code}",
                json={"family": "hardware", "bom": []},
                as_=PLANNER,
            )
        await self._idempotent("warehouse", "/locations", {"code": "A-01"}, STOREKEEPER)
        for code in PRODUCTS:
            quantity = frames if code == "P-200" and frames is not None else stock
            if quantity <= 0:
                continue
            await self.call(
                "warehouse",
                "POST",
                "/stock/receipts",
                json={
                    "product_code": code,
                    "location": "A-01",
                    "quantity": quantity,
                    "reference": f"seed-{uuid.uuid4().hex[:6]}",
                },
                as_=STOREKEEPER,
            )
        await self._idempotent(
            "production",
            "/lines",
            {
                "code": "L1",
                "name": "Assembly 1",
                "capacities": [{"family": "hardware", "pieces_per_day": 200}],
            },
            PLANNER,
        )

    async def _idempotent(self, service: str, path: str, body: dict[str, Any], as_: str) -> None:
        response = await self._request(service, "POST", path, as_, json=body)
        if response.status_code not in (200, 201, 409):
            raise ServiceRefused(f"{path}: {response.status_code} {response.text}")

    async def customer(
        self, klass: str = "A", deposit_percent: str | None = None, net_days: int = 30
    ) -> str:
        customer_id = f"C-{klass}-{uuid.uuid4().hex[:6]}"
        terms: dict[str, Any] = {"code": f"NET{net_days}", "net_days": net_days}
        if deposit_percent:
            terms["deposit_percent"] = deposit_percent
        made = await self.call(
            "sales",
            "POST",
            "/customers",
            json={
                "customer_id": customer_id,
                "name": f"Customer {klass}",
                "customer_class": klass,
                "credit_limit": "10000000",
                "payment_terms": terms,
            },
            as_=MAKER,
        )
        # a new customer stands as class C without credit until a second master-data person
        # approves the class, credit and deposit rule asked for (four eyes)
        change = made.get("pending_change")
        if change is not None:
            await self.call(
                "sales", "POST", f"/customer-changes/{change['change_id']}/approve", as_=CHECKER
            )
        return customer_id

    # --- reading state -------------------------------------------------------------------

    async def order_view(self, order_id: str, as_: str = DESK) -> dict[str, Any]:
        return dict(await self.call("sales", "GET", f"/orders/{order_id}", as_=as_))

    async def sales_status(self, order_id: str, as_: str = DESK) -> str:
        return str((await self.order_view(order_id, as_))["status"])

    async def wait_status(
        self,
        order_id: str,
        *statuses: str,
        within_s: float | None = None,
        within: timedelta = REACTION,
    ) -> str:
        """Until sales shows one of ``statuses``; allowed ``within`` simulated time (or
        ``within_s`` wall seconds), with the wall-clock floor."""
        seen: list[str] = []

        async def reached() -> bool:
            seen[:] = [await self.sales_status(order_id)]
            return seen[0] in statuses

        wall = within_s if within_s is not None else self.within(within)
        try:
            await until(reached, within_s=wall, what=f"order status {'/'.join(statuses)}")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc} (still {seen[0] if seen else '?'})") from None
        return seen[0]

    async def timeline(self, order_no: str) -> dict[str, Any]:
        return dict(
            await self.call(
                "customer_service", "GET", f"/orders/{order_no}/timeline", as_=AFTER_SALES
            )
        )

    async def dead_lettered(self) -> float:
        """Messages any service has dead-lettered, from their Prometheus metrics."""
        total = 0.0
        for client in self.clients.values():
            text = (await client.get("/metrics")).text
            for line in text.splitlines():
                if line.startswith("orderflow_messages_dead_lettered_total"):
                    total += float(line.rsplit(" ", 1)[1])
        return total


def _template(path: str) -> str:
    """``/orders/5f0c.../approve`` -> ``/orders/{id}/approve``: refusals counted per step."""
    parts = ["{id}" if len(p) >= 16 and any(c.isdigit() for c in p) else p for p in path.split("/")]
    return "/".join(parts)
