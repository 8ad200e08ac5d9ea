"""Who may do what in logistics, and the use-case context of a request."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Annotated

from fastapi import Depends, Request

from contracts.roles import STAFF, Role
from services.logistics.app.unit import Work
from shared.access import allow
from shared.auth import Actor
from shared.http import use_case

# Dispatch keeps the carriers and their rate and route rules, books, cancels and follows
# shipments (000 第十条: 物流部门负责订单的仓储、发货、配送). What happens to the goods on the road
# (scans, collection, tracking numbers, the delivery and its signed note) comes from the
# carrier's system, or from a dispatcher recording what the carrier said; nobody else posts a
# delivery. Any department may look shipments up; the signed delivery note, with the name of
# the customer's signatory, only those who deal with the customer, the money or the audit.
Dispatcher = Annotated[Actor, Depends(allow(Role.DISPATCHER))]
CarrierReport = Annotated[Actor, Depends(allow(Role.CARRIER, Role.DISPATCHER))]
Operator = Annotated[Actor, Depends(allow(Role.OPERATOR))]
Reader = Annotated[Actor, Depends(allow(*STAFF))]
ProofReader = Annotated[
    Actor,
    Depends(
        allow(
            Role.DISPATCHER,
            Role.SALES_DESK,
            Role.SALES_MANAGER,
            Role.GENERAL_MANAGER,
            Role.FINANCE,
            Role.AFTER_SALES,
            Role.AFTER_SALES_MANAGER,
            Role.VP,
            Role.AUDITOR,
        )
    ),
]


def work(request: Request, actor: Actor) -> AbstractAsyncContextManager[Work]:
    """One unit of work for the request, acting as ``actor``."""
    return use_case(request, actor)
