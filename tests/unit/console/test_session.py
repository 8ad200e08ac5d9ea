"""A person's session: refreshed before the access token expires, one refresh for requests
that arrive together, ended when the provider refuses, kept through a provider outage.

The provider here is a small fake of the console's identity port (its HTTP side is tested
against the real identity service in tests/integration/console); tokens are real, signed by the
test issuer and checked by the real verifier."""

from __future__ import annotations

import asyncio
import time

import pytest

from contracts.roles import Role
from services.console.adapters.identity import IdentityUnavailable, SignInRefused, Tokens
from services.console.app.session import Sessions, claims_of
from shared.auth import AuthConfig, TokenVerifier
from shared.errors import Unauthenticated
from tests.harness import eventually
from tests.identity import AUDIENCE, ISSUER, TestIssuer


class FakeIdentity:
    def __init__(self) -> None:
        self.refreshes: list[str] = []
        self.revoked: list[str] = []
        self.open = asyncio.Event()
        self.open.set()
        self.refused: set[str] = set()
        self.down = False

    async def password(self, username: str, password: str) -> Tokens:
        if password != "right":
            raise SignInRefused("invalid_grant", "wrong password")
        return Tokens(ISSUER.token(username, Role.SALES_DESK, ttl_s=900), "refresh-1", 900)

    async def refresh(self, refresh_token: str) -> Tokens:
        self.refreshes.append(refresh_token)
        await self.open.wait()
        if self.down:
            raise IdentityUnavailable("token endpoint unreachable")
        if refresh_token in self.refused:
            raise SignInRefused("invalid_grant", "refresh token spent")
        return Tokens(ISSUER.token("li", Role.SALES_DESK, ttl_s=900), f"{refresh_token}+", 900)

    async def revoke(self, token: str) -> None:
        self.revoked.append(token)
        if self.down:
            raise IdentityUnavailable("revocation endpoint unreachable")


@pytest.fixture
def identity() -> FakeIdentity:
    return FakeIdentity()


@pytest.fixture
def sessions(identity: FakeIdentity) -> Sessions:
    verifier = TokenVerifier(AuthConfig(ISSUER.issuer, AUDIENCE, jwks=ISSUER.jwks))
    return Sessions(identity, verifier, margin_s=60)  # type: ignore[arg-type]


async def test_a_token_far_from_expiry_is_used_as_it_is(sessions, identity):
    access = ISSUER.token("li", Role.SALES_DESK, ttl_s=900)
    state = await sessions.current(access, "refresh-1")
    assert (state.access_token, state.renewed, state.ended) == (access, None, False)
    assert identity.refreshes == []


async def test_a_token_about_to_expire_is_refreshed_and_the_new_tokens_handed_back(
    sessions, identity
):
    state = await sessions.current(ISSUER.token("li", Role.SALES_DESK, ttl_s=30), "refresh-1")
    assert identity.refreshes == ["refresh-1"]
    assert state.renewed is not None and state.refresh_token == "refresh-1+"
    assert claims_of(state.access_token)["exp"] > time.time() + 800


async def test_without_an_access_token_the_refresh_token_gets_a_new_one(sessions, identity):
    state = await sessions.current(None, "refresh-1")
    assert state.access_token and identity.refreshes == ["refresh-1"]


async def test_requests_arriving_together_share_one_refresh(sessions, identity):
    """The provider rotates refresh tokens: a second use of the same one would be refused."""
    identity.open.clear()
    expiring = ISSUER.token("li", Role.SALES_DESK, ttl_s=10)
    first = asyncio.create_task(sessions.current(expiring, "refresh-1"))

    async def refreshing() -> bool:
        return identity.refreshes == ["refresh-1"]

    await eventually(refreshing, timeout=5)
    second = asyncio.create_task(sessions.current(expiring, "refresh-1"))
    identity.open.set()
    one, two = await asyncio.gather(first, second)
    assert identity.refreshes == ["refresh-1"]
    assert one.access_token == two.access_token and one.refresh_token == two.refresh_token
    late = await sessions.current(expiring, "refresh-1")  # sent with the old cookies
    assert late.access_token == one.access_token and identity.refreshes == ["refresh-1"]


async def test_a_refused_refresh_ends_the_session(sessions, identity):
    identity.refused.add("refresh-1")
    state = await sessions.current(ISSUER.token("li", ttl_s=10), "refresh-1")
    assert state.ended and state.access_token is None and state.refresh_token is None


async def test_a_provider_outage_signs_nobody_out(sessions, identity):
    identity.down = True
    access = ISSUER.token("li", ttl_s=10)
    state = await sessions.current(access, "refresh-1")
    assert not state.ended and (state.access_token, state.refresh_token) == (access, "refresh-1")


async def test_sign_in_checks_the_token_as_every_request_will(sessions, identity):
    _tokens, actor = await sessions.sign_in("li.wei", "right")
    assert actor.name == "li.wei" and actor.roles == {"sales_desk"}
    with pytest.raises(SignInRefused):
        await sessions.sign_in("li.wei", "wrong")
    identity.password = _foreign_tokens  # type: ignore[method-assign]
    with pytest.raises(Unauthenticated):
        await sessions.sign_in("li.wei", "right")


async def _foreign_tokens(username: str, password: str) -> Tokens:
    """A provider the console is not configured to trust."""
    other = TestIssuer("https://elsewhere.test", kid="other")
    return Tokens(other.token(username, Role.SALES_DESK), "r", 900)


async def test_sign_out_revokes_the_refresh_token_even_when_the_provider_is_down(
    sessions, identity
):
    await sessions.sign_out("refresh-1")
    identity.down = True
    await sessions.sign_out("refresh-2")
    await sessions.sign_out(None)
    assert identity.revoked == ["refresh-1", "refresh-2"]
