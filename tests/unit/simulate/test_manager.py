"""The managers' escalation: a desk clerk's approval is tried and refused, the sales manager
tries next, and where the service answers 403 naming the roles that may decide, the member of
the cast holding one of them decides. Played against a stand-in for sales' approval route that
declares its roles as the real one does (``shared.access``) and decides by an amount band."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import Depends, FastAPI

from contracts.roles import Role
from orderflow.simulate import manager
from orderflow.simulate.world import World
from shared import problems
from shared.access import allow
from shared.auth import Actor, TokenVerifier
from shared.clock import SimulatedClock
from shared.config import ServiceSettings
from shared.errors import Forbidden
from tests.identity import ISSUER


@dataclass
class Sales:
    """An order over the sales manager's band: the general manager must approve it."""

    status: str = "awaiting_approval"
    approvers: list[str] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()
        problems.install(app)
        app.state.verifier = TokenVerifier(ServiceSettings(**ISSUER.settings()).auth_config())
        deciders = allow(Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.PRODUCTION_VP)
        desk = allow(Role.SALES_DESK)

        @app.get("/orders/{order_id}")
        async def view(order_id: str, actor: Actor = Depends(desk)) -> dict:
            return {"status": self.status}

        @app.post("/orders/{order_id}/approve")
        async def approve(order_id: str, actor: Actor = Depends(deciders)) -> dict:
            if Role.GENERAL_MANAGER not in actor.roles:
                raise Forbidden("above the sales manager's band", roles=[Role.GENERAL_MANAGER])
            self.approvers.append(actor.name)
            self.status = "released"
            return {"status": self.status}

        return app


class Session:
    def __init__(self, role: str) -> None:
        self.role = role

    async def authorization(self) -> str:
        return f"Bearer {ISSUER.token(f'{self.role}-person', self.role)}"

    async def expired(self) -> None:
        return None


class Cast:
    def session(self, who: str) -> Session:
        return Session(who)

    async def close(self) -> None:
        return None


@pytest.fixture
async def sales() -> AsyncIterator[tuple[Sales, World]]:
    state = Sales()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=state.app()), base_url="http://s")
    # a clock fast enough that the manager's three hours of thought pass at once
    clock = SimulatedClock(datetime.now(UTC), speed=1e9)
    world = World({"sales": client}, clock=clock, cast=Cast())  # type: ignore[arg-type]
    yield state, world
    await client.aclose()


async def test_the_clerk_is_refused_and_the_one_the_service_names_approves(sales):
    state, world = sales
    await manager.decide(world, "00000000-0000-0000-0000-000000000001", reject=False)
    assert state.approvers == ["general_manager-person"]
    assert world.refusals == {
        "POST /orders/{id}/approve as sales_desk: 403": 1,
        "POST /orders/{id}/approve as sales_manager: 403": 1,
    }
