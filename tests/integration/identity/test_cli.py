"""``orderflow users add|list|disable`` work directly on the identity schema: the first operator
is made before anyone can sign in, and a disabled user can no longer."""

from __future__ import annotations

import asyncio
import uuid

from typer.testing import CliRunner

from contracts.roles import Role
from orderflow.cli import app
from tests.infra import Infra
from tests.integration.identity.conftest import PASSWORD, Identity, identity_settings


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["users", *args], input=stdin, env=env)
    return result.exit_code, result.output


def test_users_are_added_listed_and_disabled_from_the_command_line(infra: Infra, namespace: str):
    settings = identity_settings(infra, namespace)
    env = {"IDENTITY_DATABASE_URL": infra.database_url, "IDENTITY_DB_SCHEMA": settings.db_schema}
    username = f"ops.{uuid.uuid4().hex[:6]}"
    code, out = run(
        env,
        "add",
        username,
        "--role",
        "operator",
        "--role",
        "auditor",
        "--name",
        "运维 Ops",
        "--locale",
        "en",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0, out
    code, out = run(env, "list")
    line = next(x for x in out.splitlines() if x.startswith(username))
    assert "active" in line and "auditor,operator" in line and "运维 Ops" in line
    code, out = run(env, "add", username, "--role", "qc", "--password-stdin", stdin=PASSWORD)
    assert code == 1 and "taken" in out
    code, out = run(env, "add", "x.weak", "--role", "qc", "--password-stdin", stdin="short\n")
    assert code == 1 and "at least 12" in out
    code, out = run(env, "disable", username)
    assert code == 0, out
    _, out = run(env, "list")
    assert "disabled" in next(x for x in out.splitlines() if x.startswith(username))


async def test_a_user_disabled_from_the_command_line_cannot_sign_in(
    identity: Identity, infra: Infra, namespace: str
):
    settings = identity_settings(infra, namespace)
    env = {"IDENTITY_DATABASE_URL": infra.database_url, "IDENTITY_DB_SCHEMA": settings.db_schema}
    username = await identity.user(Role.QC)
    assert (await identity.token(username)).status_code == 200
    # the command runs its own event loop, as it does from a shell
    code, out = await asyncio.to_thread(run, env, "disable", username)
    assert code == 0, out
    assert (await identity.token(username)).status_code == 400
