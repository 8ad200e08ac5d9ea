"""Bad input the request models cannot see is still a 4xx naming what it can, never a 5xx, in
the one problem-details body every service answers with."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import httpx
from fastapi import FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared import problems
from tests.harness import free_port


def _app(database_url: str) -> FastAPI:
    app = FastAPI()
    problems.install(app)
    engine = create_async_engine(database_url)

    @app.post("/echo")
    async def echo(body: dict) -> dict:
        return body

    @app.post("/overflow")
    async def overflow() -> None:
        Decimal("1e500000").quantize(Decimal("0.01"))
        raise InvalidOperation  # pragma: no cover - quantize raises first

    @app.post("/store")
    async def store(body: dict) -> None:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT CAST(:v AS numeric(5, 2))"), {"v": body["amount"]})

    @app.post("/dropped")
    async def dropped() -> None:
        async with engine.begin() as conn:  # the server ends the session, as on a restart
            await conn.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    return app


async def _post(app: FastAPI, path: str, **kw) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, **kw)


async def test_nul_character_is_refused_with_the_field_path(infra):
    app = _app(infra.database_url)
    response = await _post(app, "/echo", json={"lines": [{"spec": "a\x00b"}]})
    assert response.status_code == 422
    assert response.headers["content-type"] == problems.MEDIA_TYPE
    assert response.json()["field"] == "lines.0.spec"
    assert (await _post(app, "/echo", json={"spec": "ab"})).status_code == 200


async def test_number_too_large_to_calculate_with_is_422(infra):
    response = await _post(_app(infra.database_url), "/overflow")
    assert response.status_code == 422
    assert "too large" in response.json()["detail"]


async def test_value_the_database_refuses_as_data_is_422_with_its_reason(infra):
    response = await _post(_app(infra.database_url), "/store", json={"amount": "123456789"})
    assert response.status_code == 422
    assert "numeric field overflow" in response.json()["detail"]


async def test_database_restarting_or_unreachable_is_503_with_retry_after(infra):
    response = await _post(_app(infra.database_url), "/dropped")
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    unreachable = infra.database_url.rsplit("@", 1)[0] + f"@127.0.0.1:{free_port()}/test"
    response = await _post(_app(unreachable), "/store", json={"amount": "1"})
    assert response.status_code == 503, response.text
    assert "not reachable" in response.json()["detail"]
    assert response.json()["type"] == "urn:orderflow:problem:unavailable"


class _Line(BaseModel):
    quantity: int = Field(ge=1)


class _Order(BaseModel):
    lines: list[_Line]


async def test_a_request_the_model_refuses_names_each_field_without_echoing_the_value(infra):
    app = FastAPI()
    problems.install(app)

    @app.post("/lines")
    async def lines(body: _Order) -> int:
        return len(body.lines)

    response = await _post(app, "/lines", json={"lines": [{"quantity": 2}, {"quantity": -7}]})
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "lines.1.quantity"
    assert body["errors"] == [{"field": "lines.1.quantity", "reason": body["errors"][0]["reason"]}]
    assert "-7" not in response.text
