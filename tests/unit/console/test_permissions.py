"""Actions shown by role (issue 16 item 7): read from the roles each service declares for its
routes, so the console offers what the services would take."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from fastapi import FastAPI

from contracts.roles import STAFF, Role
from services.console.domain.permissions import ACTIONS, RouteRoles, forwarded, permitted
from services.console.main import build_app, own_route_roles
from services.warehouse import main as warehouse
from services.warehouse.settings import WarehouseSettings
from shared.http import create_app
from tests.identity import ISSUER


def _doc(*routes: tuple[str, str, list[str]]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, roles in routes:
        paths.setdefault(path, {})[method.lower()] = {"x-roles": roles}
    return {"paths": paths}


SALES = RouteRoles.from_openapi(
    _doc(
        ("POST", "/orders", ["sales_desk", "sales_manager"]),
        ("POST", "/orders/{order_id}/approve", ["general_manager", "sales_manager"]),
        ("POST", "/orders/{ref}/reject", ["general_manager", "sales_manager"]),
        ("POST", "/orders/{ref}/signature", ["sales_desk"]),
        ("POST", "/orders/{ref}/payments", ["finance"]),
        ("GET", "/orders/{ref}", ["public"]),
    )
)


def test_a_desk_clerk_and_a_manager_are_offered_different_actions():
    desk = permitted({"sales": SALES}, [Role.SALES_DESK])
    manager = permitted({"sales": SALES}, [Role.SALES_MANAGER])
    assert {"place_order", "sign"} <= desk and not {"approve", "reject"} & desk
    assert {"place_order", "approve", "reject"} <= manager and "sign" not in manager
    assert "payment" not in desk | manager, "payments are finance's"
    assert "payment" in permitted({"sales": SALES}, [Role.FINANCE])


def test_route_parameters_match_whatever_the_service_calls_them():
    assert SALES.roles_for("post", "/orders/{}/approve") == {"general_manager", "sales_manager"}
    assert SALES.roles_for("POST", "/orders/{x}/approve") == SALES.roles_for(
        "POST", "/orders/{order_id}/approve"
    )


def test_no_role_means_no_action_and_unknown_services_offer_none():
    assert permitted({"sales": SALES}, []) == frozenset()
    assert "open_complaint" not in permitted({"sales": SALES}, list(Role)), "no table: not shown"


def test_an_action_the_service_no_longer_has_is_not_offered():
    gone = RouteRoles.from_openapi(_doc(("POST", "/orders", ["sales_desk"])))
    assert permitted({"sales": gone}, [Role.SALES_DESK]) == {"place_order"}


def test_replay_and_rebuild_follow_the_consoles_own_declarations():
    own = RouteRoles.of(
        [
            ("POST", "/act/dead-letters/replay", ["operator"]),
            ("POST", "/act/timelines/rebuild", ["operator"]),
        ]
    )
    assert {"replay", "rebuild"} <= permitted({"console": own}, [Role.OPERATOR])
    assert not {"replay", "rebuild"} & permitted({"console": own}, [Role.AUDITOR])


def test_only_the_pages_actions_may_be_forwarded_and_ids_cannot_leave_their_segment():
    assert forwarded("sales", "orders/8f1c-22/approve") is ACTIONS["approve"]
    assert forwarded("sales", "orders") is ACTIONS["place_order"]
    assert forwarded("customer_service", "remedy-plans/p-1/consent") is ACTIONS["consent"]
    assert forwarded("sales", "customers") is None, "master data is not a page action"
    assert forwarded("sales", "orders/../customers/approve") is None
    assert forwarded("sales", "orders/a/b/approve") is None
    assert forwarded("warehouse", "orders") is None, "the action belongs to sales"
    assert forwarded("console", "act/dead-letters/replay") is None, "the console's are its own"


def test_roles_are_read_from_a_real_services_openapi_document():
    """The warehouse's app, built as it runs, publishes ``x-roles`` the console reads."""
    runtime = warehouse.build_runtime(WarehouseSettings(**ISSUER.settings()))
    document = create_app(runtime, warehouse.routers(), manage_runtime=False).openapi()
    table = RouteRoles.from_openapi(document)
    assert table.roles_for("GET", "/ops/queues") == {"operator", "auditor"}
    assert table.roles_for("GET", "/health/ready") == {"public"}
    assert table.roles_for("GET", "/audit") == {str(r) for r in STAFF}
    writes = [(m, p) for (m, p) in table.routes if m == "POST"]
    assert writes and all("public" not in table.routes[w] for w in writes)


def _service_app(name: str) -> FastAPI:
    """The service's app as it runs (no runtime started), like the generated route test."""
    main = importlib.import_module(f"services.{name}.main")
    module = importlib.import_module(f"services.{name}.settings")
    settings = next(
        getattr(module, n) for n in dir(module) if n.endswith("Settings") and n != "ServiceSettings"
    )
    runtime = main.build_runtime(settings(**ISSUER.settings()))
    try:
        return create_app(runtime, main.routers(), manage_runtime=False)
    except RuntimeError as exc:
        if "without a role declaration" not in str(exc):
            raise
        pytest.skip(f"{name} is not on the shared application layer yet: {exc}")


@pytest.mark.parametrize("service", sorted({a.service for a in ACTIONS.values()} - {"console"}))
def test_every_action_a_page_offers_is_a_declared_route_of_its_service(service):
    """A path renamed in a service would silently take its action off every page."""
    table = RouteRoles.from_openapi(_service_app(service).openapi())
    offered = [a for a in ACTIONS.values() if a.service == service]
    assert offered
    assert [a.key for a in offered if table.roles_for(a.method, a.path) is None] == []


def test_the_consoles_own_actions_are_its_routes_and_the_operators():
    table = own_route_roles(build_app())
    for key in ("replay", "rebuild"):
        action = ACTIONS[key]
        assert table.roles_for(action.method, action.path) == {"operator"}, key
