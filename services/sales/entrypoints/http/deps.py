"""Who may do what at the sales desk, and the use-case context of a request."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Annotated

from fastapi import Depends, Request

from contracts.roles import STAFF, Role
from services.sales.app.unit import Work
from services.sales.domain.approval import APPROVER_ROLES
from shared.access import allow
from shared.auth import Actor
from shared.http import use_case

# The sales desk takes orders, completes and amends them, records signatures (002 二(一),
# 003 客服员); approvals follow the matrix, so the route admits every role it may name and the
# order decides who covers what; finance records money and invoices (003 财务确认是否到款);
# master data keeps customers, prices and rates.
Desk = Annotated[Actor, Depends(allow(Role.SALES_DESK))]
Approver = Annotated[Actor, Depends(allow(*APPROVER_ROLES))]
Finance = Annotated[Actor, Depends(allow(Role.FINANCE))]
MasterData = Annotated[Actor, Depends(allow(Role.MASTER_DATA))]

_MANAGEMENT = (Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.VP, Role.AUDITOR)
# Orders carry the customer's people and addresses: read by sales, its approvers, finance and
# after-sales, not by every department.
OrderReader = Annotated[
    Actor,
    Depends(
        allow(
            Role.SALES_DESK,
            Role.FINANCE,
            Role.MARKETING,
            Role.PRODUCTION_VP,
            Role.AFTER_SALES,
            Role.AFTER_SALES_MANAGER,
            *_MANAGEMENT,
        )
    ),
]
MoneyReader = Annotated[
    Actor,
    Depends(
        allow(
            Role.SALES_DESK, Role.FINANCE, Role.AFTER_SALES, Role.AFTER_SALES_MANAGER, *_MANAGEMENT
        )
    ),
]
CustomerReader = Annotated[
    Actor,
    Depends(
        allow(
            Role.SALES_DESK,
            Role.FINANCE,
            Role.MASTER_DATA,
            Role.MARKETING,
            Role.AFTER_SALES,
            Role.AFTER_SALES_MANAGER,
            *_MANAGEMENT,
        )
    ),
]
ChangeReader = Annotated[Actor, Depends(allow(Role.MASTER_DATA, Role.AUDITOR))]
Reader = Annotated[Actor, Depends(allow(*STAFF))]


def work(request: Request, actor: Actor) -> AbstractAsyncContextManager[Work]:
    """One unit of work for the request, acting as ``actor``."""
    return use_case(request, actor)
