"""A member of the cast signs in again while the identity provider cannot answer (its database
restarting answers 503), as a person would; a refusal is final."""

from __future__ import annotations

import httpx
import pytest

from orderflow.simulate.cast import Session, SignInFailed

TOKENS = {"access_token": "a", "refresh_token": "r", "expires_in": 300}


def _provider(answers: list[int]) -> tuple[httpx.AsyncClient, list[int]]:
    seen: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        status = answers[min(len(seen), len(answers) - 1)]
        seen.append(status)
        body = TOKENS if status == 200 else {"detail": "the database is not reachable just now"}
        return httpx.Response(status, json=body)

    transport = httpx.MockTransport(answer)
    return httpx.AsyncClient(transport=transport, base_url="http://idp"), seen


async def test_a_sign_in_answered_503_is_sent_again_until_it_succeeds() -> None:
    client, seen = _provider([503, 503, 200])
    async with client:
        session = Session(client, "vp.sun", "pw")
        assert await session.authorization() == "Bearer a"
    assert seen == [503, 503, 200]
    assert session.sign_ins == 1


async def test_a_refused_sign_in_is_not_sent_again() -> None:
    client, seen = _provider([401])
    async with client:
        with pytest.raises(SignInFailed, match="401"):
            await Session(client, "vp.sun", "wrong").authorization()
    assert seen == [401]
