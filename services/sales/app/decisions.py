"""Decisions people take on an order: approval and rejection by the matrix, the signature."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from services.sales.app.common import acting_on, load_order
from services.sales.app.unit import Work
from services.sales.domain.order import Order


async def approve(work: Work, ref: UUID | str, notes: str | None) -> Order:
    """The signed-in person covers every open rule their roles allow (four eyes applies)."""
    order = await acting_on(work, ref)
    order.approve(work.person, notes, work.now, work.policy)
    await work.save(order)
    return order


async def reject(work: Work, ref: UUID | str, reason: str) -> Order:
    order = await acting_on(work, ref)
    order.reject(work.person, reason, work.policy)
    await work.save(order)
    return order


async def sign(
    work: Work,
    ref: UUID | str,
    signatory: str | None,
    signed_on: date | None,
    document_ref: str | None,
) -> Order:
    """Recorded by the signed-in person at the server's time; the signing date the customer
    wrote on the letter is kept as declared."""
    order = await acting_on(work, ref)
    order.sign(
        work.actor.name,
        work.now,
        work.policy,
        signatory=signatory,
        signed_on=signed_on,
        doc=document_ref,
    )
    await work.save(order)
    return order


async def sign_on_command(
    work: Work,
    ref: UUID | str,
    signatory: str,
    declared_at: datetime,
    document_ref: str | None,
) -> None:
    """A departmental system reports the signed letter for ``signatory``; the time it names is
    the customer's declaration, the signature counts from when it arrives. A signature already
    recorded changes nothing."""
    order = await load_order(work, ref, lock=False)
    if order.signed_at is not None:
        return
    declared = work.policy.calendar.local_date(declared_at)
    await sign(work, order.order_id, signatory, declared, document_ref)
