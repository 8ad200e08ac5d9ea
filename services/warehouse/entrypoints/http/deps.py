"""Who may do what in the warehouse, and the use-case context of a request."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Annotated

from fastapi import Depends, Request

from contracts.roles import STAFF, Role
from services.warehouse.app.unit import Work
from shared.access import allow
from shared.auth import Actor
from shared.http import use_case

# Warehouse staff move stock, pick and pack (000 §南昌 仓库); QC inspects finished and returned
# goods (000, 001); any department may look stock and orders up.
Storekeeper = Annotated[Actor, Depends(allow(Role.WAREHOUSE))]
Inspector = Annotated[Actor, Depends(allow(Role.QC))]
Reader = Annotated[Actor, Depends(allow(*STAFF))]


def work(request: Request, actor: Actor) -> AbstractAsyncContextManager[Work]:
    """One unit of work for the request, acting as ``actor``."""
    return use_case(request, actor)
