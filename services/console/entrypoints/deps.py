"""Who may open which page, and the per-request context a page's use case gets.

Every page any department may need is open to all staff: what a person may see of the data is
for the service answering to decide (it checks the same token). Dead letters and timeline
rebuilds are the operator's (issue 16: "only for operator"); the auditor reads everything and
changes nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from contracts.roles import STAFF, Role
from services.console.app.context import Console, Wiring
from services.console.entrypoints.web import translator_for
from shared.access import allow
from shared.auth import Actor, bearer_token

Staff = Annotated[Actor, Depends(allow(*STAFF))]
OpsReader = Annotated[Actor, Depends(allow(Role.OPERATOR, Role.AUDITOR))]
Operator = Annotated[Actor, Depends(allow(Role.OPERATOR))]


def wiring_of(request: Request) -> Wiring:
    wiring: Wiring = request.app.state.wiring
    return wiring


def console_for(request: Request, actor: Actor) -> Console:
    """The services as this person sees them: every call carries the token just verified."""
    token = bearer_token(request.headers.get("authorization"))
    return wiring_of(request).console(actor, token, translator_for(request))
