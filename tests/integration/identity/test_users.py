"""The operator keeps the users over HTTP; nobody else may; every route says who may call it."""

from __future__ import annotations

import uuid

from fastapi import FastAPI

from contracts.roles import Role
from shared.access import api_routes, declaration
from tests.integration.identity.conftest import PASSWORD, Identity


def body(**kw: object) -> dict[str, object]:
    return {
        "username": f"new.{uuid.uuid4().hex[:8]}",
        "password": PASSWORD,
        "roles": ["sales_desk"],
        **kw,
    }


async def test_the_operator_adds_a_user_who_can_then_sign_in(identity: Identity):
    operator = await identity.bearer(Role.OPERATOR)
    new = body(name="Chen Jing", roles=["sales_desk", "auditor"], locale="en")
    added = await identity.http.post("/users", json=new, headers=operator)
    assert added.status_code == 201, added.text
    assert added.json()["roles"] == ["auditor", "sales_desk"]
    assert added.json()["name"] == "Chen Jing" and not added.json()["disabled"]
    assert (await identity.token(str(new["username"]))).status_code == 200
    listed = (await identity.http.get("/users", headers=operator)).json()
    assert new["username"] in [u["username"] for u in listed]
    assert all("password" not in str(u) for u in listed)


async def test_a_taken_username_is_a_conflict(identity: Identity):
    operator = await identity.bearer(Role.OPERATOR)
    new = body()
    assert (await identity.http.post("/users", json=new, headers=operator)).status_code == 201
    again = await identity.http.post("/users", json=new, headers=operator)
    assert again.status_code == 409


async def test_weak_passwords_unknown_roles_and_bad_usernames_are_refused(identity: Identity):
    operator = await identity.bearer(Role.OPERATOR)
    cases = {
        "password": body(password="short"),
        "roles.0": body(roles=["janitor"]),
        "username": body(username="Has Spaces"),
        "kind": body(kind="robot"),
        "approved_by": body(approved_by="me"),
    }
    for field, sent in cases.items():
        refused = await identity.http.post("/users", json=sent, headers=operator)
        assert refused.status_code == 422, (field, refused.text)
        assert refused.json()["field"] == field, refused.json()


async def test_only_the_operator_keeps_users(identity: Identity):
    manager = await identity.bearer(Role.SALES_MANAGER, Role.GENERAL_MANAGER)
    refused = await identity.http.post("/users", json=body(), headers=manager)
    assert refused.status_code == 403
    assert refused.json()["roles"] == ["operator"]
    assert (await identity.http.get("/users")).status_code == 401
    foreign = {"Authorization": "Bearer not.a.token"}
    assert (await identity.http.get("/users", headers=foreign)).status_code == 401


async def test_disabling_or_a_new_password_ends_the_users_sign_ins(identity: Identity):
    operator = await identity.bearer(Role.OPERATOR)
    username = await identity.user(Role.WAREHOUSE)
    signed_in = await identity.tokens(username)
    reset = await identity.http.post(
        f"/users/{username}/password", json={"password": "a brand new passphrase"}, headers=operator
    )
    assert reset.status_code == 200, reset.text
    assert (await identity.refresh(signed_in["refresh_token"])).status_code == 400
    assert (await identity.token(username)).status_code == 400
    assert (await identity.token(username, "a brand new passphrase")).status_code == 200
    disabled = await identity.http.post(f"/users/{username}/disable", headers=operator)
    assert disabled.json()["disabled"] is True
    assert (await identity.token(username, "a brand new passphrase")).status_code == 400
    enabled = await identity.http.post(f"/users/{username}/enable", headers=operator)
    assert enabled.json()["disabled"] is False
    missing = await identity.http.post("/users/nobody-here/disable", headers=operator)
    assert missing.status_code == 404


def test_every_route_declares_who_may_call_it_and_answers_a_typed_model(identity: Identity):
    app: FastAPI = identity.http._transport.app  # type: ignore[attr-defined]
    public, untyped = [], []
    for route in api_routes(app):
        declared = declaration(route)
        assert declared is not None, route.path
        if declared.public:
            public.append(route.path)
        if route.response_model is None:
            untyped.append(route.path)
    assert sorted(public) == sorted(
        [
            "/.well-known/jwks.json",
            "/.well-known/openid-configuration",
            "/health/live",
            "/health/ready",
            "/metrics",
            "/revoke",
            "/token",
        ]
    )
    assert sorted(untyped) == ["/metrics", "/revoke"]  # a Prometheus page; an empty 200
