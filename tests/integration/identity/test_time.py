"""What time does to sign-ins: repeated wrong passwords slow a username down, and a sign-in ends
``refresh_token_ttl_s`` after the password was given, however often it was refreshed."""

from __future__ import annotations

from contracts.roles import Role
from tests.integration.identity.conftest import Identity


async def test_repeated_wrong_passwords_make_the_next_attempt_wait(moving: Identity):
    username = await moving.user(Role.FINANCE)
    for _ in range(3):  # the free failures of the test settings
        assert (await moving.token(username, "wrong password here")).status_code == 400
    waiting = await moving.token(username)  # even the right password must wait now
    assert waiting.status_code == 400
    assert waiting.json()["error"] == "invalid_grant"
    assert "try again in 1 s" in waiting.json()["error_description"]
    assert waiting.headers["retry-after"] == "1"
    moving.later(seconds=1.5)
    assert (await moving.token(username, "wrong again, sadly")).status_code == 400
    longer = await moving.token(username)
    assert longer.headers["retry-after"] == "2"  # the wait doubles
    moving.later(seconds=2.5)
    assert (await moving.token(username)).status_code == 200
    # a right password starts the count again
    assert (await moving.token(username, "one more wrong one")).status_code == 400
    assert (await moving.token(username)).status_code == 200


async def test_a_sign_in_ends_after_its_lifetime_however_often_refreshed(moving: Identity):
    tokens = await moving.tokens(await moving.user(Role.DISPATCHER))
    moving.later(hours=7)
    renewed = await moving.refresh(tokens["refresh_token"])
    assert renewed.status_code == 200
    moving.later(hours=1, seconds=1)
    expired = await moving.refresh(renewed.json()["refresh_token"])
    assert expired.status_code == 400
    assert "expired" in expired.json()["error_description"]
