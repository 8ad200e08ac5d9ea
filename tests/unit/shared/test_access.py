"""Sign-in and role declarations: tokens checked against the issuer's keys, deny by default."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI

from contracts.roles import Role
from shared import problems
from shared.access import allow, check_declared, public
from shared.auth import Actor, AuthConfig, TokenVerifier
from shared.errors import Unauthenticated
from tests.identity import AUDIENCE, ISSUER, ISSUER_URL, TestIssuer


def _verifier(**over: object) -> TokenVerifier:
    config = {"issuer": ISSUER_URL, "audience": AUDIENCE, "jwks": ISSUER.jwks, **over}
    return TokenVerifier(AuthConfig(**config))  # type: ignore[arg-type]


async def test_a_token_signed_by_the_issuer_names_the_person_and_roles():
    actor = await _verifier().verify(ISSUER.token("li.wei", Role.SALES_DESK, Role.FINANCE))
    assert actor.name == "li.wei"
    assert actor.subject == "user-li.wei"
    assert actor.roles == {"sales_desk", "finance"}
    assert actor.kind == "person"


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (ISSUER.token("li", Role.SALES_DESK, ttl_s=-120), "expired"),
        (ISSUER.token("li", Role.SALES_DESK, aud="someone-else"), "(?i)audience"),
        (ISSUER.token("li", Role.SALES_DESK, iss="https://evil.test"), "issuer"),
        (TestIssuer(kid="test-key").token("li", Role.SALES_DESK), "Signature"),
        ("not-a-jwt", "not a valid token"),
    ],
)
async def test_tokens_the_issuer_did_not_sign_for_us_are_refused(token: str, reason: str):
    with pytest.raises(Unauthenticated, match=reason):
        await _verifier().verify(token)


async def test_roles_can_come_from_a_nested_claim_as_keycloak_sends_them():
    token = ISSUER.token("chen", realm_access={"roles": ["qc", "offline_access"]})
    actor = await _verifier(roles_claim="realm_access.roles").verify(token)
    assert "qc" in actor.roles


Manager = Annotated[Actor, Depends(allow(Role.SALES_MANAGER))]


def _app(*routers: APIRouter) -> FastAPI:
    app = FastAPI(responses=problems.PROBLEM_RESPONSES)
    problems.install(app)
    for router in routers:
        app.include_router(router)
    app.state.verifier = _verifier()
    check_declared(app)
    return app


def _approvals() -> APIRouter:
    router = APIRouter()

    @router.post("/approve")
    async def approve(actor: Manager) -> dict[str, str]:
        return {"approved_by": actor.name}

    @router.get("/health", dependencies=[Depends(public())])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return router


def test_an_app_with_a_route_that_declares_no_roles_is_not_built():
    router = APIRouter()

    @router.get("/open")
    async def forgotten() -> dict[str, str]:
        return {}

    with pytest.raises(RuntimeError, match="/open"):
        _app(router)


def test_a_declaration_must_name_a_role():
    with pytest.raises(ValueError, match="at least one role"):
        allow()


async def _post(app: FastAPI, path: str, **kw: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, **kw)  # type: ignore[arg-type]


async def test_anonymous_gets_401_with_a_problem_body_and_a_bearer_challenge():
    response = await _post(_app(_approvals()), "/approve")
    assert response.status_code == 401
    assert response.headers["content-type"] == problems.MEDIA_TYPE
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["type"] == "urn:orderflow:problem:unauthenticated"


async def test_a_person_without_the_role_gets_403_naming_the_roles_needed():
    response = await _post(
        _app(_approvals()), "/approve", headers=ISSUER.headers("li", Role.SALES_DESK)
    )
    assert response.status_code == 403
    body = response.json()
    assert body["roles"] == ["sales_manager"]
    assert "sales_manager" in body["detail"]


async def test_the_actor_comes_from_the_token():
    response = await _post(
        _app(_approvals()), "/approve", headers=ISSUER.headers("wang", Role.SALES_MANAGER)
    )
    assert response.status_code == 200
    assert response.json() == {"approved_by": "wang"}


async def test_public_routes_say_so_and_openapi_lists_each_routes_roles():
    app = _app(_approvals())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/health")).status_code == 200
        spec = (await client.get("/openapi.json")).json()
    assert spec["paths"]["/approve"]["post"]["x-roles"] == ["sales_manager"]
    assert spec["paths"]["/health"]["get"]["x-roles"] == ["public"]
