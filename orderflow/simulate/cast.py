"""The people (and the one system) of the story, each signed in to the identity provider as its
role, and the sign-in every actor's call carries.

``provision`` makes the cast's users in the identity provider's schema with passwords of this run
(as ``orderflow users add`` would); ``Cast`` signs each in through ``POST /token`` when first
needed and refreshes the access token before it expires. Customers' EDI gateways are not here:
they send commands on the bus, not HTTP.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from contracts.roles import Role

SIGN_IN_PATIENCE_S = 60.0


@dataclass(frozen=True)
class Member:
    username: str
    name: str
    role: Role
    system: bool = False


CAST: tuple[Member, ...] = (
    Member("desk.li", "Li Na 李娜", Role.SALES_DESK),
    Member("desk.chen", "Chen Jing 陈静", Role.SALES_DESK),
    Member("manager.zhao", "Zhao Min 赵敏", Role.SALES_MANAGER),
    Member("gm.wang", "Wang Jun 王军", Role.GENERAL_MANAGER),
    Member("planner.liu", "Liu Yang 刘洋", Role.PRODUCTION_PLANNER),
    Member("vp.sun", "Sun Lei 孙磊", Role.PRODUCTION_VP),
    Member("floor.shift-a", "Shift A 甲班", Role.SHOP_FLOOR),
    Member("store.wang", "Wang Gang 王刚", Role.WAREHOUSE),
    Member("qc.sun", "Sun Yu 孙雨", Role.QC),
    Member("dispatch.huang", "Huang Bo 黄波", Role.DISPATCHER),
    Member("service.zhou", "Zhou Ling 周玲", Role.AFTER_SALES),
    Member("service.wu", "Wu Hao 吴昊", Role.AFTER_SALES_MANAGER),
    Member("finance.xu", "Xu Hui 徐慧", Role.FINANCE),
    # class, credit and deposit changes take effect once a second master_data person approves
    Member("md.he", "He Ping 何平", Role.MASTER_DATA),
    Member("md.lin", "Lin Fang 林芳", Role.MASTER_DATA),
    Member("ops.admin", "Operator 运维", Role.OPERATOR),
    # the carrier's system posting scans and proofs of delivery, and nothing else
    Member("carrier.sim", "Simulated carrier 模拟承运商", Role.CARRIER, system=True),
)


async def provision(settings: object | None = None) -> dict[str, str]:
    """The cast as users of the embedded identity provider, each with a new random password
    (made or reset: a second demo on the same database reuses the users). Works on the
    identity schema directly (``IDENTITY_*`` settings), as ``orderflow users add`` does."""
    from services.identity.app.users import provision as make
    from services.identity.domain.users import Kind
    from services.identity.main import build_provider
    from services.identity.settings import IdentitySettings

    provider = build_provider(settings if isinstance(settings, IdentitySettings) else None)
    passwords: dict[str, str] = {}
    try:
        await provider.start()
        for member in CAST:
            passwords[member.username] = secrets.token_urlsafe(18)
            kind = Kind.SYSTEM if member.system else Kind.PERSON
            await make(
                provider,
                member.username,
                passwords[member.username],
                [member.role],
                name=member.name,
                kind=kind,
            )
    finally:
        await provider.stop()
    return passwords


class SignInFailed(PermissionError):
    """The identity provider refused the cast's credentials."""


class Session:
    """One member's sign-in: the access token, refreshed ``margin`` before it expires (a fifth
    of its lifetime, at most a minute), or signed in again when the refresh is refused."""

    def __init__(
        self,
        identity: httpx.AsyncClient,
        username: str,
        password: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._identity = identity
        self.username = username
        self._password = password
        self._clock = clock
        self._access: str | None = None
        self._refresh: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()
        self.sign_ins = 0
        self.refreshes = 0

    async def authorization(self) -> str:
        async with self._lock:
            if self._access is None or self._clock() >= self._renew_at:
                await self._renew()
        return f"Bearer {self._access}"

    async def expired(self) -> None:
        """A service refused the token (401): renew it on the next call."""
        self._renew_at = 0.0

    async def _renew(self) -> None:
        if self._refresh is not None:
            answer = await self._post(
                {"grant_type": "refresh_token", "refresh_token": self._refresh}
            )
            if answer.status_code == 200:
                self.refreshes += 1
                return self._take(answer.json())
        answer = await self._post(
            {"grant_type": "password", "username": self.username, "password": self._password}
        )
        if answer.status_code != 200:
            raise SignInFailed(f"{self.username}: {answer.status_code} {answer.text[:200]}")
        self.sign_ins += 1
        self._take(answer.json())

    async def _post(self, form: dict[str, str]) -> httpx.Response:
        """Sent again while the identity provider cannot answer (5xx: its database is
        restarting; or the connection failed), for up to ``SIGN_IN_PATIENCE_S``, as a person
        tries to sign in again; a refusal (4xx) is final."""
        deadline = time.monotonic() + SIGN_IN_PATIENCE_S
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = await self._identity.post(
                    "/token", data={**form, "client_id": "simulator"}
                )
                if answer.status_code < 500 or time.monotonic() > deadline:
                    return answer
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(min(2.0, 0.2 * attempt))

    def _take(self, tokens: dict[str, object]) -> None:
        lifetime = float(str(tokens["expires_in"]))
        self._access = str(tokens["access_token"])
        self._refresh = str(tokens["refresh_token"])
        self._renew_at = self._clock() + lifetime - min(60.0, lifetime / 5)


class Cast:
    """Every member's session, found by username or by role (the first member holding it)."""

    def __init__(
        self,
        identity: httpx.AsyncClient,
        passwords: dict[str, str],
        members: tuple[Member, ...] = CAST,
        clock: Callable[[], float] = time.monotonic,
        signing: dict[str, str] | None = None,
    ) -> None:
        self.identity = identity
        # the secrets a system member (the carrier) signs its HTTP reports with
        self.signing = dict(signing or {})
        self.members = [m for m in members if m.username in passwords]
        self.sessions = {
            m.username: Session(identity, m.username, passwords[m.username], clock)
            for m in self.members
        }

    @classmethod
    def at(
        cls, identity_url: str, passwords: dict[str, str], signing: dict[str, str] | None = None
    ) -> Cast:
        client = httpx.AsyncClient(base_url=identity_url, timeout=30.0)
        return cls(client, passwords, signing=signing)

    def session(self, who: str) -> Session:
        if who in self.sessions:
            return self.sessions[who]
        for member in self.members:
            if member.role == who:
                return self.sessions[member.username]
        raise KeyError(f"nobody in the cast is or plays {who!r}")

    def holding(self, role: str) -> list[str]:
        return [m.username for m in self.members if m.role == role]

    async def close(self) -> None:
        await self.identity.aclose()
