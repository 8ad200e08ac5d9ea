"""Who may call what: the token endpoints and the keys are open to anyone (that is how one
signs in); the user admin is the operator's; ``/userinfo`` any signed-in user's."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from contracts.roles import STAFF, Role
from services.identity.app.unit import Provider
from shared.access import allow, public
from shared.auth import Actor

Operator = Annotated[Actor, Depends(allow(Role.OPERATOR))]
SignedIn = Annotated[Actor, Depends(allow(*STAFF))]
Anyone = Depends(public())


def provider_of(request: Request) -> Provider:
    provider: Provider = request.app.state.provider
    return provider
