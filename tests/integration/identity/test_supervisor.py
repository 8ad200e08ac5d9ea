"""``orderflow up`` as its supervisor runs it: the identity provider starts first, on whatever
port, and every service started beside it trusts its tokens (its issuer is set for them)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import httpx

from contracts.roles import Role
from orderflow.services import ServiceProcess
from orderflow.supervisor import Supervisor
from services.identity.app import users
from services.identity.main import build_provider
from services.identity.settings import IdentitySettings
from tests.harness import free_port
from tests.infra import Infra
from tests.integration.identity.conftest import PASSWORD


async def test_services_started_beside_the_identity_provider_accept_its_tokens(
    infra: Infra, namespace: str
):
    ns = f"{namespace}sup."
    schema = ns.replace(".", "_").rstrip("_")
    identity = ServiceProcess("identity", free_port())
    warehouse = ServiceProcess("warehouse", free_port())
    env = {
        **os.environ,
        "IDENTITY_DATABASE_URL": infra.database_url,
        "IDENTITY_DB_SCHEMA": f"{schema}_identity",
        "WAREHOUSE_DATABASE_URL": infra.database_url,
        "WAREHOUSE_DB_SCHEMA": f"{schema}_warehouse",
        "WAREHOUSE_AMQP_URL": infra.amqp_url,
        "WAREHOUSE_NAMESPACE": ns,
        "WAREHOUSE_QUORUM_QUEUES": "false",
    }
    log = Path(tempfile.gettempdir()) / f"orderflow-supervisor-{identity.port}.log"
    with log.open("w") as logs:
        supervisor = Supervisor([warehouse, identity], env=env, log_to=logs)
        await supervisor.start()
        try:
            await supervisor.wait_ready(within_s=120)
            provider = build_provider(
                IdentitySettings(database_url=infra.database_url, db_schema=f"{schema}_identity")
            )
            await users.add_user(provider, "store.sup", PASSWORD, [Role.WAREHOUSE])
            await provider.stop()
            async with httpx.AsyncClient(timeout=30) as client:
                signed_in = await client.post(
                    f"{identity.base_url()}/token",
                    data={"grant_type": "password", "username": "store.sup", "password": PASSWORD},
                )
                token = signed_in.json()["access_token"]
                items = await client.get(
                    f"{warehouse.base_url()}/items", headers={"Authorization": f"Bearer {token}"}
                )
                assert items.status_code == 200, items.text
                anonymous = await client.get(f"{warehouse.base_url()}/items")
                assert anonymous.status_code == 401
        finally:
            await supervisor.stop()
