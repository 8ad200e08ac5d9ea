"""The story's cast signs in to the real identity provider, keeps its tokens fresh, and acts on
the converted warehouse as its roles allow (the other services follow once converted)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest

from contracts.roles import Role
from orderflow.simulate.cast import CAST, Cast, Session, provision
from orderflow.simulate.world import World
from services.warehouse.main import build_runtime, routers
from services.warehouse.settings import WarehouseSettings
from shared.http import create_app
from tests.harness import settings_for
from tests.infra import Infra
from tests.integration.identity.conftest import ISSUER, Identity, identity_settings


@pytest.fixture(scope="module")
async def passwords(identity: Identity, infra: Infra, namespace: str) -> dict[str, str]:
    return await provision(identity_settings(infra, namespace))


def roles_of(token: str) -> list[str]:
    return list(jwt.decode(token.split()[1], options={"verify_signature": False})["roles"])


async def test_every_member_of_the_cast_signs_in_as_its_role(
    identity: Identity, passwords: dict[str, str]
):
    cast = Cast(identity.http, passwords)
    for member in CAST:
        assert roles_of(await cast.session(member.username).authorization()) == [member.role]
    assert cast.holding(Role.MASTER_DATA) == ["md.he", "md.lin"]  # two people: four eyes
    carrier = jwt.decode(
        (await cast.session("carrier.sim").authorization()).split()[1],
        options={"verify_signature": False},
    )
    assert carrier["kind"] == "system"


async def test_a_second_run_gives_the_cast_new_passwords(
    identity: Identity, passwords: dict[str, str], infra: Infra, namespace: str
):
    again = await provision(identity_settings(infra, namespace))
    assert (await identity.token("desk.li", passwords["desk.li"])).status_code == 400
    assert (await identity.token("desk.li", again["desk.li"])).status_code == 200
    passwords.update(again)


async def test_a_session_refreshes_before_expiry_and_signs_in_again_when_refused(
    identity: Identity, passwords: dict[str, str]
):
    now = [0.0]
    session = Session(identity.http, "qc.sun", passwords["qc.sun"], clock=lambda: now[0])
    first = await session.authorization()
    assert await session.authorization() == first  # still fresh: no call
    now[0] = 900 - 60 + 1  # within the last minute of a 15-minute token
    second = await session.authorization()
    assert second != first and (session.sign_ins, session.refreshes) == (1, 1)
    await identity.http.post("/revoke", data={"token": session._refresh})  # signed out elsewhere
    now[0] += 900
    third = await session.authorization()
    assert third not in (first, second) and session.sign_ins == 2


@pytest.fixture
async def world(
    identity: Identity, passwords: dict[str, str], infra: Infra, namespace: str
) -> AsyncIterator[World]:
    """The simulator's world over a warehouse that trusts the identity provider's keys."""
    jwks = (await identity.http.get("/.well-known/jwks.json")).text
    settings = settings_for(
        WarehouseSettings,
        infra,
        namespace,
        "warehouse",
        auth_issuer=ISSUER,
        auth_jwks=jwks,
    )
    runtime = build_runtime(settings)  # not started: HTTP over the database, no broker needed
    app = create_app(runtime, routers(), manage_runtime=False)
    await _migrate(settings)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wh")
    world = World({"warehouse": client}, cast=Cast(identity.http, passwords))
    yield world
    await client.aclose()
    await runtime.engine.dispose()
    await runtime.relay_engine.dispose()


async def _migrate(settings: WarehouseSettings) -> None:
    from services.warehouse.main import MIGRATIONS
    from shared.migrate import upgrade_async

    await upgrade_async(settings, MIGRATIONS)


async def test_the_actors_act_on_the_warehouse_as_their_roles_allow(world: World):
    code = f"P-{uuid.uuid4().hex[:8]}"
    item = await world.call(
        "warehouse", "POST", "/items", json={"product_code": code}, as_=Role.WAREHOUSE
    )
    assert item["product_code"] == code
    unknown = f"/inspections/{uuid.uuid4()}/pass"
    refusal = await world.refused("warehouse", "POST", unknown, json={}, as_=Role.SHOP_FLOOR)
    assert refusal["roles"] == ["qc"]
    # QC may: the token and the role pass, and the inspection is simply not there
    assert await world.status_of("warehouse", "POST", unknown, json={}, as_=Role.QC) == 404
    assert world.refusals == {"POST /inspections/{id}/pass as shop_floor: 403": 1}
    # a name in the body is refused: who inspected is the signed-in person
    named = await world.status_of(
        "warehouse", "POST", unknown, json={"inspector": "QC Sun"}, as_=Role.QC
    )
    assert named == 422
