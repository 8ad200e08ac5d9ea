"""Signing in, refreshing and signing out against the real database; the access tokens checked
by the verifier every service uses, with the keys it fetches from the issuer's JWKS."""

from __future__ import annotations

import httpx
import jwt

from contracts.roles import Role
from services.identity.app import users
from services.identity.domain.users import Kind
from shared.auth import AuthConfig, TokenVerifier
from tests.integration.identity.conftest import ISSUER, PASSWORD, Identity


def verifier_over(identity: Identity) -> TokenVerifier:
    """What a service builds from its settings, fetching the keys over the identity's HTTP API."""
    config = AuthConfig(ISSUER, "orderflow", jwks_url=f"{ISSUER}/.well-known/jwks.json")
    return TokenVerifier(config, http=identity.http)


async def test_a_password_sign_in_gives_tokens_every_service_accepts(identity: Identity):
    username = await identity.user(Role.SALES_DESK, Role.FINANCE, name="Li Na", locale="en")
    response = await identity.token(username)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    actor = await verifier_over(identity).verify(body["access_token"])
    assert actor.name == username
    assert actor.roles == {"sales_desk", "finance"}
    assert actor.kind == "person"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["iss"] == ISSUER and claims["aud"] == "orderflow"
    assert claims["name"] == "Li Na" and claims["locale"] == "en"
    assert claims["exp"] - claims["iat"] == 900
    assert set(claims) == {
        "iss", "aud", "sub", "preferred_username", "name", "roles", "locale", "iat", "exp", "jti"
    }  # fmt: skip


async def test_a_departmental_system_is_known_as_a_system(identity: Identity):
    username = await identity.user(Role.DISPATCHER, kind=Kind.SYSTEM)
    access = (await identity.tokens(username))["access_token"]
    actor = await verifier_over(identity).verify(str(access))
    assert actor.kind == "system"


async def test_usernames_sign_in_without_regard_to_case(identity: Identity):
    username = await identity.user(Role.QC)
    assert (await identity.token(f"  {username.upper()} ")).status_code == 200


async def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(identity: Identity):
    username = await identity.user(Role.QC)
    wrong = await identity.token(username, "not the password at all")
    unknown = await identity.token("nobody-at-all", PASSWORD)
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == "invalid_grant"


async def test_a_disabled_user_cannot_sign_in_or_refresh(identity: Identity):
    username = await identity.user(Role.WAREHOUSE)
    refresh_token = (await identity.tokens(username))["refresh_token"]
    await users.disable_user(identity.provider, username)
    refused = await identity.token(username)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    assert "disabled" in refused.json()["error_description"]
    assert (await identity.refresh(refresh_token)).json()["error"] == "invalid_grant"
    await users.enable_user(identity.provider, username)
    assert (await identity.token(username)).status_code == 200


async def test_a_refresh_token_rotates_and_works_once(identity: Identity):
    first = await identity.tokens(await identity.user(Role.FINANCE))
    renewed = await identity.refresh(first["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    second = renewed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    again = await identity.refresh(first["refresh_token"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_a_reused_refresh_token_ends_the_whole_sign_in(identity: Identity):
    """Whoever used the token first may have stolen it: the successor stops working too."""
    first = await identity.tokens(await identity.user(Role.FINANCE))
    second = (await identity.refresh(first["refresh_token"])).json()
    assert (await identity.refresh(first["refresh_token"])).status_code == 400
    assert (await identity.refresh(second["refresh_token"])).json()["error"] == "invalid_grant"


async def test_signing_out_revokes_the_sign_in(identity: Identity):
    username = await identity.user(Role.SALES_MANAGER)
    tokens = await identity.tokens(username)
    other = await identity.tokens(username)  # another browser: still signed in
    revoked = await identity.http.post("/revoke", data={"token": tokens["refresh_token"]})
    assert revoked.status_code == 200
    assert (await identity.refresh(tokens["refresh_token"])).status_code == 400
    assert (await identity.refresh(other["refresh_token"])).status_code == 200
    unknown = await identity.http.post("/revoke", data={"token": "never-issued"})
    assert unknown.status_code == 200


async def test_userinfo_names_the_signed_in_user(identity: Identity):
    username = await identity.user(Role.QC, Role.WAREHOUSE, name="Sun Yu")
    access = (await identity.tokens(username))["access_token"]
    info = await identity.http.get("/userinfo", headers={"Authorization": f"Bearer {access}"})
    assert info.status_code == 200, info.text
    assert info.json() == {
        "sub": jwt.decode(str(access), options={"verify_signature": False})["sub"],
        "preferred_username": username,
        "name": "Sun Yu",
        "roles": ["qc", "warehouse"],
        "locale": "zh-CN",
    }
    assert (await identity.http.get("/userinfo")).status_code == 401
    await users.disable_user(identity.provider, username)
    gone = await identity.http.get("/userinfo", headers={"Authorization": f"Bearer {access}"})
    assert gone.status_code == 401


async def test_the_token_endpoint_answers_malformed_requests_as_oauth_says(identity: Identity):
    async def post(**kw: object) -> httpx.Response:
        return await identity.http.post("/token", **kw)  # type: ignore[arg-type]

    unsupported = await post(data={"grant_type": "client_credentials"})
    assert unsupported.json()["error"] == "unsupported_grant_type"
    missing = await post(data={"grant_type": "password", "username": "x"})
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    as_json = await post(json={"grant_type": "password", "username": "x", "password": "y"})
    assert as_json.json()["error"] == "invalid_request"
    twice = await post(
        content="grant_type=password&username=a&username=b&password=c",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert "more than once" in twice.json()["error_description"]
    client = await post(data={"grant_type": "password"}, auth=("app", "secret"))
    assert client.status_code == 401 and client.json()["error"] == "invalid_client"
    too_long = await post(data={"grant_type": "password", "username": "u" * 65, "password": "p"})
    assert too_long.json()["error"] == "invalid_request"


async def test_discovery_names_the_endpoints_under_the_issuer(identity: Identity):
    found = (await identity.http.get("/.well-known/openid-configuration")).json()
    assert found["issuer"] == ISSUER
    assert found["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert found["token_endpoint"] == f"{ISSUER}/token"
    assert found["revocation_endpoint"] == f"{ISSUER}/revoke"
    assert found["userinfo_endpoint"] == f"{ISSUER}/userinfo"
    assert found["grant_types_supported"] == ["password", "refresh_token"]
    keys = (await identity.http.get("/.well-known/jwks.json")).json()["keys"]
    assert keys and all(k["kty"] == "RSA" and k["alg"] == "RS256" for k in keys)
    assert all("d" not in k for k in keys)  # no private part, ever
