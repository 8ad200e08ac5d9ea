"""Who may do what in logistics, and the use-case context of a request."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Annotated, cast

from fastapi import Depends, Request

from contracts.roles import STAFF, Role
from services.logistics.app.unit import Work
from services.logistics.settings import LogisticsSettings
from shared import signing
from shared.access import allow
from shared.auth import Actor
from shared.errors import Forbidden
from shared.http import runtime_of, use_case

# Dispatch keeps the carriers and their rate and route rules, books, cancels and follows
# shipments (000 第十条: 物流部门负责订单的仓储、发货、配送). What happens to the goods on the road
# (scans, collection, tracking numbers, the delivery and its signed note) comes from the
# carrier's system, or from a dispatcher recording what the carrier said; nobody else posts a
# delivery. Any department may look shipments up; the signed delivery note, with the name of
# the customer's signatory, only those who deal with the customer, the money or the audit.
Dispatcher = Annotated[Actor, Depends(allow(Role.DISPATCHER))]


async def _signed_by_carrier(
    request: Request, actor: Annotated[Actor, Depends(allow(Role.CARRIER, Role.DISPATCHER))]
) -> Actor:
    """A carrier's system signs what it reports with its own secret (``shared.signing``): a
    stolen token alone cannot post a delivery, and a captured report cannot be posted again
    later. A dispatcher typing in what the carrier said is signed in, which is enough."""
    if actor.has_any([Role.DISPATCHER]):
        return actor
    settings = cast(LogisticsSettings, runtime_of(request).settings)
    secret = settings.carrier_secrets.get(actor.name)
    if secret is None:
        raise Forbidden(
            f"carrier {actor.name} has no signing secret here: operations set one in"
            " LOGISTICS_CARRIER_SECRETS and give it to the carrier",
            roles=[Role.CARRIER],
        )
    signing.verify(
        secret.get_secret_value(),
        request.headers,
        await request.body(),
        now=datetime.now(UTC),  # the carrier signs on its wall clock, whatever ours simulates
        window=timedelta(seconds=settings.carrier_signature_window_s),
    )
    return actor


CarrierReport = Annotated[Actor, Depends(_signed_by_carrier)]
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
