"""Who may do what in customer service, and the use-case context of a request.

Deny by default: every route names its roles. Customer data (timelines, notices, complaints,
service jobs, surveys) is read only by the roles whose work needs it; aggregates with no
customer's details (KPIs, the after-sales report, returns and spare parts) by any department.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Annotated

from fastapi import Depends, Request

from contracts.roles import STAFF, Role
from services.customer_service.app.unit import Work
from shared.access import allow
from shared.auth import Actor
from shared.http import use_case

# The after-sales desk and its supervisor: complaints, service tickets, spare parts, surveys.
DESK = (Role.AFTER_SALES, Role.AFTER_SALES_MANAGER)
Desk = Annotated[Actor, Depends(allow(*DESK))]

# A complaint is registered by the desk, or by the sales representative the customer called
# (000 发货及售后管理制度 二 1).
Intake = Annotated[Actor, Depends(allow(*DESK, Role.SALES_DESK))]

# Settled by the desk; a dispute goes up to the vice-president in charge (000 第十条(三)(3)).
Resolver = Annotated[Actor, Depends(allow(*DESK, Role.VP))]

# Money given back beyond the resolving person's limit: the customer-service supervisor (003)
# or the vice-president; the band and four eyes are the domain's to check.
Approver = Annotated[Actor, Depends(allow(Role.AFTER_SALES_MANAGER, Role.VP))]

# Findings on a complaint: quality complaints are investigated by QC (002 四(二)1).
Investigator = Annotated[Actor, Depends(allow(*DESK, Role.VP, Role.QC))]

# Complaints are read by the desk, the vice-president, and the departments they are assigned
# to (002 四(二)1: quality to QC, logistics to logistics; order errors to sales), the auditor.
ComplaintReader = Annotated[
    Actor,
    Depends(
        allow(
            *DESK,
            Role.VP,
            Role.QC,
            Role.SALES_DESK,
            Role.SALES_MANAGER,
            Role.WAREHOUSE,
            Role.DISPATCHER,
            Role.FINANCE,
            Role.AUDITOR,
        )
    ),
]

# An order's progress, for telling its customer: sales follows its orders (000 第十一条), the
# after-sales desk answers the customer, management and the auditor read.
Tracker = Annotated[
    Actor,
    Depends(
        allow(
            *DESK,
            Role.SALES_DESK,
            Role.SALES_MANAGER,
            Role.GENERAL_MANAGER,
            Role.VP,
            Role.AUDITOR,
        )
    ),
]

# What the customer was told and at which address: the desk that tells them, and the auditor.
NoticeReader = Annotated[Actor, Depends(allow(*DESK, Role.AUDITOR))]

# A delay's remedy and the customer's answer: sales agrees it with the customer (000 第十三条;
# 002 三(三)), as does the after-sales desk.
DelayDesk = Annotated[Actor, Depends(allow(*DESK, Role.SALES_DESK, Role.SALES_MANAGER))]
DelayReader = Annotated[
    Actor,
    Depends(
        allow(
            *DESK,
            Role.SALES_DESK,
            Role.SALES_MANAGER,
            Role.GENERAL_MANAGER,
            Role.VP,
            Role.AUDITOR,
        )
    ),
]

# Service jobs (a customer's site and contact) and survey answers.
ServiceReader = Annotated[Actor, Depends(allow(*DESK, Role.VP, Role.AUDITOR))]

# Rebuilding the timelines locks them against writers: operations only.
Operator = Annotated[Actor, Depends(allow(Role.OPERATOR))]

# Figures and records without a customer's details.
Reader = Annotated[Actor, Depends(allow(*STAFF))]


def work(request: Request, actor: Actor) -> AbstractAsyncContextManager[Work]:
    """One unit of work for the request, acting as ``actor``."""
    return use_case(request, actor)
