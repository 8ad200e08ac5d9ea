"""Who may record money: finance only (003: 财务确认是否到款; the brief's "Identity and
authority": finance for money). A person needs the finance role; a departmental system must be
one the settings name as finance's (``payment_systems``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from contracts.roles import Role
from services.sales.domain.errors import NotEntitled


def require_finance(
    kind: Literal["person", "system"],
    name: str,
    roles: Collection[str],
    payment_systems: Collection[str],
) -> None:
    if kind == "system" and name in payment_systems:
        return
    if kind == "person" and Role.FINANCE in roles:
        return
    who = f"the system {name}" if kind == "system" else name
    raise NotEntitled(
        f"only finance records payments: {who} is not finance"
        + (f" (finance systems: {', '.join(sorted(payment_systems))})" if kind == "system" else ""),
        [Role.FINANCE],
    )
