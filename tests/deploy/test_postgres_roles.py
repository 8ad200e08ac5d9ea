"""deploy/postgres's roles against the real PostgreSQL: each service's role owns its own schema
and can neither read nor write another's.

The script is rendered with this run's prefix, applied (twice: it is idempotent) as the admin,
then every check runs on a connection logged in as a service's role with its own password.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from orderflow.deploy_postgres import bind_variables, password_variable, role_name, roles_sql
from tests.infra import Infra

pytestmark = pytest.mark.integration

SERVICES = ["sales", "warehouse", "logistics"]


@dataclass(frozen=True)
class Roles:
    dsn: dict[str, object]
    prefix: str
    passwords: dict[str, str]

    def name(self, service: str) -> str:
        return role_name(service, self.prefix)

    async def connect_as(self, service: str) -> asyncpg.Connection:
        return await asyncpg.connect(
            **{**self.dsn, "user": self.name(service), "password": self.passwords[service]}
        )


def _admin_dsn(database_url: str) -> dict[str, object]:
    url = make_url(database_url)
    return {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password,
        "database": url.database,
    }


@pytest.fixture(scope="module")
async def roles(infra: Infra, run_id: str) -> AsyncIterator[Roles]:
    dsn = _admin_dsn(infra.database_url)
    prefix = f"t{run_id}_roles_"
    passwords = {s: secrets.token_urlsafe(18) + "'\\" for s in SERVICES}  # quotes survive binding
    values = {password_variable(s): passwords[s] for s in SERVICES}
    script = bind_variables(roles_sql(SERVICES, prefix=prefix), values)
    admin = await asyncpg.connect(**dsn)
    try:
        await admin.execute(script)
        await admin.execute(script)  # running it again changes nothing and fails nothing
        yield Roles(dsn, prefix, passwords)
    finally:
        for service in SERVICES:
            role = role_name(service, prefix)
            await admin.execute(f'DROP SCHEMA IF EXISTS "{role}" CASCADE')
            await admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        await admin.close()


@pytest.fixture(scope="module")
async def ledgers(roles: Roles) -> AsyncIterator[None]:
    """Each service, logged in as its own role, creates a table in its schema and writes a row."""
    for service in SERVICES:
        conn = await roles.connect_as(service)
        try:
            schema = roles.name(service)
            await conn.execute(f'CREATE TABLE "{schema}".ledger (id int PRIMARY KEY, note text)')
            await conn.execute(f"INSERT INTO \"{schema}\".ledger VALUES (1, '{service}')")
        finally:
            await conn.close()
    yield


async def test_each_schema_is_owned_by_its_role_and_closed_to_public(roles: Roles) -> None:
    admin = await asyncpg.connect(**roles.dsn)
    try:
        for service in SERVICES:
            schema = roles.name(service)
            row = await admin.fetchrow(
                "SELECT nspowner::regrole::text AS owner, nspacl::text[] AS acl"
                " FROM pg_namespace WHERE nspname = $1",
                schema,
            )
            assert row is not None
            assert row["owner"] == schema
            # Only the owner appears in the ACL: no PUBLIC entry ("=U/..."), no other role.
            assert all(entry.startswith(f"{schema}=") for entry in row["acl"]), row["acl"]
            attributes = await admin.fetchrow(
                "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls"
                " FROM pg_roles WHERE rolname = $1",
                schema,
            )
            assert attributes is not None
            assert tuple(attributes) == (True, False, False, False, False)
    finally:
        await admin.close()


async def test_a_service_reads_and_writes_its_own_schema(roles: Roles, ledgers: None) -> None:
    for service in SERVICES:
        conn = await roles.connect_as(service)
        try:
            schema = roles.name(service)
            await conn.execute(f"INSERT INTO \"{schema}\".ledger VALUES (2, 'more')")
            assert await conn.fetchval(f'SELECT count(*) FROM "{schema}".ledger') == 2
            await conn.execute(f'DELETE FROM "{schema}".ledger WHERE id = 2')
        finally:
            await conn.close()


@pytest.mark.parametrize(
    ("service", "other"),
    [(a, b) for a in SERVICES for b in SERVICES if a != b],
)
async def test_a_service_cannot_touch_another_services_schema(
    roles: Roles, ledgers: None, service: str, other: str
) -> None:
    target = roles.name(other)
    conn = await roles.connect_as(service)
    try:
        statements = [
            f'SELECT * FROM "{target}".ledger',
            f"INSERT INTO \"{target}\".ledger VALUES (9, 'intruder')",
            f"UPDATE \"{target}\".ledger SET note = 'x'",
            f'DELETE FROM "{target}".ledger',
            f'CREATE TABLE "{target}".planted (id int)',
        ]
        for statement in statements:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
        assert not await conn.fetchval("SELECT has_schema_privilege($1, 'USAGE')", target)
    finally:
        await conn.close()


async def test_a_service_cannot_create_in_public_or_new_schemas(roles: Roles) -> None:
    conn = await roles.connect_as(SERVICES[0])
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(f'CREATE TABLE public."{roles.prefix}planted" (id int)')
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(f'CREATE SCHEMA "{roles.prefix}planted"')
    finally:
        await conn.close()


async def test_the_role_logs_in_and_its_password_is_stored_hashed(roles: Roles) -> None:
    conn = await roles.connect_as(SERVICES[0])
    try:
        assert await conn.fetchval("SELECT current_user") == roles.name(SERVICES[0])
    finally:
        await conn.close()
    admin = await asyncpg.connect(**roles.dsn)
    try:
        stored = await admin.fetchval(
            "SELECT rolpassword FROM pg_authid WHERE rolname = $1", roles.name(SERVICES[0])
        )
    finally:
        await admin.close()
    # The password was set from the variable, hashed; the literal never reached the catalogue.
    assert stored is not None
    assert stored.startswith(("SCRAM-SHA-256$", "md5"))
    assert roles.passwords[SERVICES[0]] not in stored
