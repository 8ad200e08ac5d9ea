"""Which actions a person's roles allow, read from the services' own route declarations.

Every service declares the roles of each route and publishes them in its OpenAPI document
(``x-roles`` on each operation, ``shared.access``). The console reads those declarations rather
than keeping a copy, so the actions it shows follow what the services enforce. The services
still have the last word: rules about people (four eyes) or amounts (approval bands) are theirs,
and a refusal shows their answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PUBLIC = "public"
_PARAM = re.compile(r"\{[^}/]*\}")
# A path parameter from a page: an id or a number, never a dot or a slash (no way out of the
# path the action names).
_SEGMENT = r"[\w-]+"


@dataclass(frozen=True)
class Action:
    """One thing a page lets a person do: a POST to one service's route."""

    key: str
    service: str
    path: str  # the route's template, parameters as {}: "/orders/{}/approve"
    method: str = "POST"

    def matches(self, service: str, path: str) -> bool:
        """A concrete path from the page (``orders/1b2c/approve``) is this action's route."""
        pattern = (
            "^"
            + "/".join(
                _SEGMENT if part == "{}" else re.escape(part) for part in self.path.split("/")
            )
            + "$"
        )
        return service == self.service and re.match(pattern, "/" + path.lstrip("/")) is not None


def _actions(*found: Action) -> dict[str, Action]:
    return {a.key: a for a in found}


ACTIONS: dict[str, Action] = _actions(
    Action("place_order", "sales", "/orders"),
    Action("info", "sales", "/orders/{}/info"),
    Action("approve", "sales", "/orders/{}/approve"),
    Action("reject", "sales", "/orders/{}/reject"),
    Action("sign", "sales", "/orders/{}/signature"),
    Action("payment", "sales", "/orders/{}/payments"),
    Action("amend", "sales", "/orders/{}/amendments"),
    Action("cancel", "sales", "/orders/{}/cancel"),
    Action("open_complaint", "customer_service", "/complaints"),
    Action("assign", "customer_service", "/complaints/{}/assign"),
    Action("escalate", "customer_service", "/complaints/{}/escalate"),
    Action("resolve", "customer_service", "/complaints/{}/resolve"),
    Action("note", "customer_service", "/complaints/{}/notes"),
    Action("approve_allowance", "customer_service", "/complaints/{}/allowance/approve"),
    Action("refuse_allowance", "customer_service", "/complaints/{}/allowance/refuse"),
    Action("propose_remedy", "customer_service", "/remedy-plans/{}/plan"),
    Action("consent", "customer_service", "/remedy-plans/{}/consent"),
    # the console's own: it replays through the broker and asks customer service to rebuild
    Action("replay", "console", "/act/dead-letters/replay"),
    Action("rebuild", "console", "/act/timelines/rebuild"),
)
"""Every action a page offers. Only these may be forwarded through the console."""


def forwarded(service: str, path: str) -> Action | None:
    """The action a page's ``/act/<service>/<path>`` names, if it names one."""
    return next(
        (a for a in ACTIONS.values() if a.service != "console" and a.matches(service, path)),
        None,
    )


def template_key(path: str) -> str:
    """``/orders/{order_id}/approve`` and ``/orders/{ref}/approve`` are the same route."""
    return _PARAM.sub("{}", path)


@dataclass(frozen=True)
class RouteRoles:
    """One service's routes and the roles each allows (``public`` for anyone)."""

    routes: Mapping[tuple[str, str], frozenset[str]]

    @classmethod
    def from_openapi(cls, document: Mapping[str, Any]) -> RouteRoles:
        routes: dict[tuple[str, str], frozenset[str]] = {}
        for path, operations in (document.get("paths") or {}).items():
            if not isinstance(operations, Mapping):
                continue
            for method, operation in operations.items():
                roles = operation.get("x-roles") if isinstance(operation, Mapping) else None
                if isinstance(roles, list):
                    routes[(method.upper(), template_key(path))] = frozenset(map(str, roles))
        return cls(routes)

    @classmethod
    def of(cls, declared: Iterable[tuple[str, str, Iterable[str]]]) -> RouteRoles:
        """From (method, path, roles) triples: the console's own route table."""
        return cls({(m.upper(), template_key(p)): frozenset(r) for m, p, r in declared})

    def roles_for(self, method: str, path: str) -> frozenset[str] | None:
        return self.routes.get((method.upper(), template_key(path)))

    def allows(self, action: Action, roles: Iterable[str]) -> bool:
        needed = self.roles_for(action.method, action.path)
        if needed is None:
            return False  # a route the service does not have (any more): nothing to offer
        return PUBLIC in needed or not needed.isdisjoint(roles)


def permitted(tables: Mapping[str, RouteRoles], roles: Iterable[str]) -> frozenset[str]:
    """The keys of the actions these roles may take, as far as the services' tables say; an
    action of a service whose table is unknown is not offered."""
    held = frozenset(roles)
    return frozenset(
        a.key for a in ACTIONS.values() if a.service in tables and tables[a.service].allows(a, held)
    )
