"""Who may do what in production, and the use-case context of a request."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Annotated

from fastapi import Depends, Request

from contracts.roles import STAFF, Role
from services.production.app.unit import Work
from shared.access import allow
from shared.auth import Actor
from shared.http import use_case

# The planner keeps the lines, their capacity calendar, products with their bills of materials
# and the materials (000 第八条: 生产部门根据订单要求, 制定生产计划); the shop floor reports what
# it made; any department may look the plan and the work orders up.
Planner = Annotated[Actor, Depends(allow(Role.PRODUCTION_PLANNER))]
ShopFloor = Annotated[Actor, Depends(allow(Role.SHOP_FLOOR))]
Reader = Annotated[Actor, Depends(allow(*STAFF))]


def work(request: Request, actor: Actor) -> AbstractAsyncContextManager[Work]:
    """One unit of work for the request, acting as ``actor``."""
    return use_case(request, actor)
