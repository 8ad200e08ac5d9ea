"""The signing keys: made at first start and kept, rotated with the old key still published while
its tokens live, or read from a PEM file."""

from __future__ import annotations

from pathlib import Path

import jwt

from contracts.roles import Role
from services.identity.app import users
from services.identity.main import build_provider
from tests.infra import Infra
from tests.integration.identity.conftest import Identity, identity_settings, serving
from tests.integration.identity.test_signin import verifier_over


def kid_of(token: object) -> str:
    return str(jwt.get_unverified_header(str(token))["kid"])


async def test_a_restart_keeps_the_key(identity: Identity, infra: Infra, namespace: str):
    before = (await identity.http.get("/.well-known/jwks.json")).json()
    again = build_provider(identity_settings(infra, namespace))
    async with serving(again, None) as restarted:
        after = (await restarted.http.get("/.well-known/jwks.json")).json()
    assert after == before


async def test_a_rotated_key_signs_new_tokens_and_the_old_one_still_verifies(
    infra: Infra, namespace: str
):
    settings = identity_settings(infra, f"{namespace}rotation.")
    async with serving(build_provider(settings), None) as identity:
        username = await identity.user(Role.QC)
        old = (await identity.tokens(username))["access_token"]
        new_kid = await users.rotate_signing_key(identity.provider)
        new = (await identity.tokens(username))["access_token"]
        assert kid_of(new) == new_kid != kid_of(old)
        kids = [
            k["kid"] for k in (await identity.http.get("/.well-known/jwks.json")).json()["keys"]
        ]
        assert kids == [new_kid, kid_of(old)]
        verifier = verifier_over(identity)
        assert (await verifier.verify(str(old))).name == username
        assert (await verifier.verify(str(new))).name == username


async def test_a_key_file_signs_instead_of_a_generated_key(
    infra: Infra, namespace: str, tmp_path: Path
):
    from services.identity.adapters.crypto import SigningKey

    key = SigningKey.generate()
    (tmp_path / "signing.pem").write_text(key.pem())
    settings = identity_settings(
        infra, f"{namespace}keyfile.", signing_key_file=str(tmp_path / "signing.pem")
    )
    async with serving(build_provider(settings), None) as identity:
        keys = (await identity.http.get("/.well-known/jwks.json")).json()["keys"]
        assert [k["kid"] for k in keys] == [key.kid]
        token = (await identity.tokens(await identity.user(Role.QC)))["access_token"]
        assert kid_of(token) == key.kid
