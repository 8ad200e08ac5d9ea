"""Decisions on an order: approval and rejection by the approval matrix, the signature."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.sales.app import decisions
from services.sales.entrypoints.http.deps import Approver, Desk, work
from services.sales.entrypoints.http.orders import Ref
from services.sales.entrypoints.http.schemas import ApproveIn, RejectIn, SignIn
from services.sales.entrypoints.http.views import OrderView

router = APIRouter(tags=["approvals and signature"])


@router.post("/orders/{ref}/approve", response_model=OrderView)
async def approve(ref: Ref, body: ApproveIn, request: Request, actor: Approver) -> OrderView:
    """The signed-in person approves every open rule of the matrix their roles cover at the
    order's amount in the base currency; 403 naming the roles when they cover none, or when
    they entered or amended the order (four eyes). The same person again changes nothing."""
    async with work(request, actor) as w:
        return OrderView.of(await decisions.approve(w, ref, body.notes), w.policy.matrix)


@router.post("/orders/{ref}/reject", response_model=OrderView)
async def reject(ref: Ref, body: RejectIn, request: Request, actor: Approver) -> OrderView:
    """Turned down by someone who could approve one of its open rules."""
    async with work(request, actor) as w:
        return OrderView.of(await decisions.reject(w, ref, body.reason), w.policy.matrix)


@router.post("/orders/{ref}/signature", response_model=OrderView)
async def sign(ref: Ref, body: SignIn, request: Request, actor: Desk) -> OrderView:
    """The desk records the signed letter: recorded by them, now; the signing date on the
    letter is kept as declared (between the letter's day and today)."""
    async with work(request, actor) as w:
        order = await decisions.sign(w, ref, body.signatory, body.signed_on, body.document_ref)
        return OrderView.of(order, w.policy.matrix)
