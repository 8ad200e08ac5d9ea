"""A customer-service database made by the release before people signed in (revision 0002)
upgrades in place: its complaints, plans and tickets stay, and who took each step is unknown
(null) for what happened before."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.customer_service.main import MIGRATIONS
from services.customer_service.settings import CustomerServiceSettings
from shared.migrate import upgrade
from tests.harness import settings_for
from tests.infra import Infra

COMPLAINT = (
    "INSERT INTO complaint (complaint_id, complaint_no, customer_id, channel, category, severity,"
    " description, domestic, status, opened_at, assignment_due_at, resolution_due_at, resolution,"
    " discount_amount, currency) VALUES (:id, '202611-T001', 'C-1', 'phone', 'quality', 'high',"
    " 'leaks', true, 'resolved', now(), now(), now(), 'discount', 50, 'CNY')"
)
AFTER = (
    "SELECT status, discount_amount, assigned_by, resolved_by, approval_roles, approved_by"
    " FROM complaint WHERE complaint_id = :id"
)


async def test_a_database_at_0002_upgrades_to_head_keeping_its_complaints(
    infra: Infra, namespace: str
) -> None:
    settings = settings_for(CustomerServiceSettings, infra, namespace, "upgrade_cs")
    await asyncio.to_thread(upgrade, settings, MIGRATIONS, "0002")
    complaint_id = uuid.uuid4()
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'SET LOCAL search_path TO "{settings.schema_name}"'))
            await conn.execute(text(COMPLAINT), {"id": complaint_id})
        await asyncio.to_thread(upgrade, settings, MIGRATIONS)
        async with engine.begin() as conn:
            await conn.execute(text(f'SET LOCAL search_path TO "{settings.schema_name}"'))
            row = (await conn.execute(text(AFTER), {"id": complaint_id})).one()
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).one()
            columns = await conn.execute(
                text(
                    "SELECT table_name, column_name FROM information_schema.columns"
                    " WHERE table_schema = :s AND column_name IN"
                    " ('answer_recorded_by', 'answer_recorded_at', 'recorded_by')"
                ),
                {"s": settings.schema_name},
            )
            added = sorted(tuple(c) for c in columns)
    finally:
        await engine.dispose()
    assert tuple(row) == ("resolved", 50, None, None, None, None)
    assert version == ("0003",)
    assert added == [
        ("remedy_plan", "answer_recorded_at"),
        ("remedy_plan", "answer_recorded_by"),
        ("service_ticket", "recorded_by"),
    ]
