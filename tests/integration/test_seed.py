"""Master data from CSV (issue 17, item 4): the example files in ``docs/seed/`` sent to a real
sales, warehouse and production service as one signed-in person; a row a service refuses is
reported with its reason and the rest go on; running it again changes nothing; the customers'
class and credit wait for a second master-data person, as the policies require."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from contracts.roles import Role
from orderflow.cli import app
from orderflow.seed import BadFile, read_rows, seed
from shared.http import create_app
from shared.runtime import ServiceRuntime
from tests.harness import settings_for
from tests.identity import ISSUER
from tests.infra import Infra

pytestmark = pytest.mark.integration
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "seed"
# one person keeping the master data of all three services
KEEPER = ISSUER.headers("He Ping", Role.MASTER_DATA, Role.WAREHOUSE, Role.PRODUCTION_PLANNER)
SETTINGS = {
    "sales": "SalesSettings",
    "warehouse": "WarehouseSettings",
    "production": "ProductionSettings",
}


@pytest.fixture
async def clients(infra: Infra, namespace: str) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    started: list[ServiceRuntime] = []
    made: dict[str, httpx.AsyncClient] = {}
    for service, settings_class in SETTINGS.items():
        module = importlib.import_module(f"services.{service}.settings")
        settings = settings_for(
            getattr(module, settings_class), infra, f"{namespace}seed.", service
        )
        main = importlib.import_module(f"services.{service}.main")
        runtime: ServiceRuntime = main.build_runtime(settings)
        await runtime.start()
        started.append(runtime)
        served = create_app(runtime, main.routers(), manage_runtime=False)
        made[service] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=served), base_url=f"http://{service}", headers=KEEPER
        )
    yield made
    for client in made.values():
        await client.aclose()
    for runtime in reversed(started):
        await runtime.stop()


async def test_the_example_files_make_a_system_ready_for_orders(clients):
    rows = list(read_rows(EXAMPLES))
    first = await seed(rows, clients)
    assert first.refused == []
    assert first.done == len(rows)
    # a new customer is class C without credit until a second master-data person approves
    assert [c.split(" ")[0] for c in first.awaiting_approval] == ["C1001", "C2001", "C3001"]
    customer = (await clients["sales"].get("/customers/C2001")).json()
    assert customer["customer_class"] == "C"  # as it stands until approved
    assert customer["pending_change"]["after"]["customer_class"] == "C"
    assert customer["pending_change"]["after"]["deposit_percent"] == "30"
    prices = {
        p["product_code"]: p["unit_price"]
        for p in (await clients["sales"].get("/price-list")).json()
    }
    assert prices == {"VLV-50": "1500.00", "FRM-200": "2600.00"}
    rates = {
        r["currency"]: r["rate"] for r in (await clients["sales"].get("/exchange-rates")).json()
    }
    assert set(rates) >= {"USD", "EUR"}
    stock = (await clients["warehouse"].get("/stock/VLV-50")).json()
    assert stock["on_hand"] == 120
    product = (await clients["production"].get("/products/VLV-50")).json()
    assert sorted((b["material_code"], b["unit"]) for b in product["bom"]) == [
        ("SEAL-50", "pcs"),
        ("STEEL-BAR-20", "kg"),
    ]
    lines = {line["code"] for line in (await clients["production"].get("/lines")).json()}
    assert lines == {"L1", "L2"}

    again = await seed(rows, clients)
    assert again.refused == []
    assert (await clients["warehouse"].get("/stock/VLV-50")).json()["on_hand"] == 120


async def test_a_refused_row_is_reported_with_the_field_and_the_rest_go_on(clients, tmp_path):
    (tmp_path / "prices.csv").write_text(
        "product_code,unit_price\nGOOD-1,10.00\nBAD-1,ten yuan\nGOOD-2,0.004\nGOOD-3,12.50\n"
    )
    report = await seed(list(read_rows(tmp_path)), clients)
    assert report.done == 2
    assert [r.split(":")[0] for r in report.refused] == [
        "prices.csv line 3",
        "prices.csv line 4",
    ]
    assert all("unit_price" in r for r in report.refused)
    prices = {p["product_code"] for p in (await clients["sales"].get("/price-list")).json()}
    assert {"GOOD-1", "GOOD-3"} <= prices and not {"BAD-1", "GOOD-2"} & prices


def test_a_file_it_cannot_read_sends_nothing(tmp_path):
    shutil.copy(EXAMPLES / "prices.csv", tmp_path / "prices.csv")
    (tmp_path / "stock.csv").write_text("product_code,location,quantity\nVLV-50,A-01,5\n")
    with pytest.raises(BadFile, match="reference"):
        list(read_rows(tmp_path))
    result = CliRunner().invoke(app, ["seed", str(tmp_path)])
    assert result.exit_code == 2
    assert "nothing sent" in result.output and "stock.csv line 2" in result.output
