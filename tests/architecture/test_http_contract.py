"""Every route of every service says who may call it and what it answers, and means it.

Generated from the route tables, so a route added later is covered without a new test:
- each route declares its roles (the app would not even be built otherwise) and a typed response
  model, and the exported OpenAPI has no untyped object at the top of a response;
- an anonymous call gets 401; a signed-in person with no role gets 403 with a problem body naming
  the roles that would do.
No service is started: the token check runs before anything touches the database.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.access import api_routes, declaration
from shared.http import create_app
from tests.identity import ISSUER

SERVICES = ["sales", "production", "warehouse", "logistics", "customer_service"]


def _app(name: str) -> FastAPI:
    main = importlib.import_module(f"services.{name}.main")
    settings_module = importlib.import_module(f"services.{name}.settings")
    settings_cls = next(
        getattr(settings_module, n)
        for n in dir(settings_module)
        if n.endswith("Settings") and n != "ServiceSettings"
    )
    runtime = main.build_runtime(settings_cls(**ISSUER.settings()))
    return create_app(runtime, main.routers(), manage_runtime=False)


def _typed(model: Any) -> bool:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return True
    args = getattr(model, "__args__", ())
    return getattr(model, "__origin__", None) is list and len(args) == 1 and _typed(args[0])


@pytest.fixture(scope="module", params=SERVICES)
def app(request: pytest.FixtureRequest) -> FastAPI:
    return _app(request.param)


def test_every_route_declares_a_typed_response_model(app: FastAPI):
    untyped = []
    for route in api_routes(app):
        answers_json = route.response_class in (JSONResponse,) or "Default" in str(
            type(route.response_class)
        )
        if answers_json and not _typed(route.response_model):
            untyped.append(f"{sorted(route.methods or [])} {route.path}: {route.response_model}")
    assert untyped == []


def test_openapi_has_no_untyped_object_at_the_top_of_a_response(app: FastAPI):
    bare = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                for content in response.get("content", {}).values():
                    schema = content.get("schema", {})
                    if schema.get("type") == "object" and "$ref" not in schema:
                        bare.append(f"{method.upper()} {path} {status}")
    assert bare == []


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000001", path)


async def test_anonymous_calls_get_401_and_people_without_the_role_403(app: FastAPI):
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    nobody = ISSUER.headers("nobody")
    checked = 0
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        for route in api_routes(app):
            declared = declaration(route)
            assert declared is not None
            if declared.public:
                continue
            for method in sorted(route.methods or []):
                path = _concrete(route.path)
                anonymous = await client.request(method, path)
                assert anonymous.status_code == 401, f"{method} {route.path}: {anonymous.text}"
                refused = await client.request(method, path, headers=nobody)
                assert refused.status_code == 403, f"{method} {route.path}: {refused.text}"
                assert refused.json()["roles"] == sorted(declared.roles)
                checked += 1
    assert checked > 0


async def test_every_write_route_refuses_a_body_over_the_limit_before_reading_it(app: FastAPI):
    """Bounded input (a request body over ``http_max_body_bytes`` is answered 413 as a problem,
    announced or chunked), except where a route takes documents and its service allows more."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    settings = app.state.runtime.settings
    limit = settings.http_max_body_bytes
    checked = 0
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        for route in api_routes(app):
            methods = sorted((route.methods or set()) - {"GET", "HEAD", "OPTIONS"})
            allowed = next(
                (v for p, v in settings.http_larger_bodies.items() if route.path.startswith(p)),
                limit,
            )
            for method in methods:
                path = _concrete(route.path)
                big = b"x" * (allowed + 1)
                announced = await client.request(method, path, content=big)
                assert announced.status_code == 413, f"{method} {route.path}: {announced.text}"
                assert announced.json()["detail"].endswith(f"at most {allowed} bytes")

                async def chunks(size: int = allowed + 1):
                    for _ in range(0, size, 65536):
                        yield b"x" * 65536

                chunked = await client.request(method, path, content=chunks())
                assert chunked.status_code == 413, f"{method} {route.path}: {chunked.text}"
                checked += 1
    assert checked > 0
