"""What an access token says, how refresh tokens rotate, and how wrong passwords slow down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.identity.domain.errors import InvalidGrant, RefreshTokenReused
from services.identity.domain.tokens import RefreshGrant, Throttle, TokenPolicy, access_claims
from services.identity.domain.users import Kind, User

NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
POLICY = TokenPolicy("https://id.example", "orderflow", timedelta(minutes=15), timedelta(hours=8))


def user(kind: Kind = Kind.PERSON) -> User:
    return User.new("qc.sun", "Sun Yu", ["qc"], "en", kind, "h", NOW)


def test_an_access_token_says_who_what_roles_which_locale_and_until_when():
    u = user()
    claims = access_claims(u, POLICY, NOW)
    assert claims["iss"] == "https://id.example" and claims["aud"] == "orderflow"
    assert claims["sub"] == str(u.user_id) and claims["preferred_username"] == "qc.sun"
    assert claims["name"] == "Sun Yu" and claims["roles"] == ["qc"] and claims["locale"] == "en"
    assert claims["exp"] - claims["iat"] == 900
    assert "kind" not in claims
    assert access_claims(u, POLICY, NOW)["jti"] != claims["jti"]


def test_a_system_is_marked_as_one():
    assert access_claims(user(Kind.SYSTEM), POLICY, NOW)["kind"] == "system"


def grant() -> RefreshGrant:
    return RefreshGrant.first("h1", user().user_id, None, POLICY, NOW)


def test_a_refresh_token_is_spent_for_a_successor_that_ends_with_the_sign_in():
    first = grant()
    second = first.rotate("h2", NOW + timedelta(hours=1))
    assert second.family_id == first.family_id
    assert second.expires_at == first.expires_at == NOW + timedelta(hours=8)
    assert isinstance(first.refusal(NOW + timedelta(hours=2)), RefreshTokenReused)
    with pytest.raises(RefreshTokenReused):
        first.rotate("h3", NOW + timedelta(hours=2))


def test_a_revoked_or_expired_refresh_token_is_refused():
    revoked = grant()
    revoked.revoked_at = NOW
    assert isinstance(revoked.refusal(NOW), InvalidGrant)
    assert grant().refusal(NOW + timedelta(hours=8)) is not None
    assert grant().refusal(NOW + timedelta(hours=7, minutes=59)) is None


def test_wrong_passwords_beyond_the_free_ones_double_the_wait_up_to_a_ceiling():
    throttle = Throttle(free_failures=5, max_delay=timedelta(minutes=5))
    assert throttle.wait(4, NOW, NOW) == timedelta(0)
    assert throttle.wait(5, NOW, NOW) == timedelta(seconds=1)
    assert throttle.wait(7, NOW, NOW) == timedelta(seconds=4)
    assert throttle.wait(7, NOW, NOW + timedelta(seconds=3)) == timedelta(seconds=1)
    assert throttle.wait(7, NOW, NOW + timedelta(seconds=5)) == timedelta(0)
    assert throttle.wait(60, NOW, NOW) == timedelta(minutes=5)
