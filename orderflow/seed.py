"""Master data from CSV files, through the services' HTTP APIs as the signed-in person: what a
fresh system needs before an order can go through (``docs/integration.md``).

``orderflow seed DIR`` reads whichever of these files DIR holds, in this order, one request per
row (the column names are the API's field names; a dotted name is a nested field):

- ``customers.csv``, sales ``POST /customers``: customer_id, name, customer_class,
  credit_limit, currency, payment_terms.code, payment_terms.net_days,
  payment_terms.deposit_percent, payment_terms.late_fee_percent
- ``exchange_rates.csv``, sales ``PUT /exchange-rates/{currency}``: currency, rate
- ``prices.csv``, sales ``POST /price-list``: product_code, unit_price, currency, description
- ``items.csv``, warehouse ``POST /items``: product_code, description, reorder_point,
  reorder_quantity
- ``locations.csv``, warehouse ``POST /locations``: code, name
- ``stock.csv``, warehouse ``POST /stock/receipts``: product_code, location, quantity, reference
- ``products.csv``, production ``PUT /products/{product_code}``: product_code, family, bom
  (``MAT-1*2.5 kg; MAT-2*1 pcs``)
- ``lines.csv``, production ``POST /lines``: code, name, family, pieces_per_day (a row per
  family)

An empty cell is left out. The services check every row as they check any request: a refused row
is reported with the service's reason (the field it names) and the others go on. Running it again
is harmless: what exists is answered 409 and counted as there already, receipts carry their
reference (booked once), products and rates are put. A customer's class, credit and deposit rule
wait for a second master-data person's approval (the report lists them), as the policies require.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import httpx

FILES = (
    "customers.csv",
    "exchange_rates.csv",
    "prices.csv",
    "items.csv",
    "locations.csv",
    "stock.csv",
    "products.csv",
    "lines.csv",
)
MAX_ROWS = 100_000


class BadFile(ValueError):
    """A file the seed cannot read (not CSV, a missing column)."""


@dataclass
class Row:
    file: str
    line: int
    service: str
    method: str
    path: str
    body: dict[str, Any]


@dataclass
class SeedReport:
    done: int = 0
    existing: int = 0
    refused: list[str] = field(default_factory=list)
    awaiting_approval: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        found = [
            f"{self.done} created or updated, {self.existing} there already,"
            f" {len(self.refused)} refused"
        ]
        found += [f"  refused: {why}" for why in self.refused]
        if self.awaiting_approval:
            found.append(
                "customers whose class, credit and deposit rule wait for a second master-data"
                " person (POST /customer-changes/{id}/approve): "
                + ", ".join(self.awaiting_approval)
            )
        return found


def read_rows(directory: Path) -> Iterator[Row]:
    """Every request the files in ``directory`` ask for, in dependency order."""
    for name in FILES:
        path = directory / name
        if path.exists():
            yield from _rows_of(name, path)


def _rows_of(name: str, path: Path) -> Iterator[Row]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        records = list(_records(name, csv.DictReader(file)))
    if name == "lines.csv":
        yield from _lines(records)
        return
    for line, record in records:
        yield _row(name, line, record)


def _records(name: str, reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str]]]:
    for count, record in enumerate(reader, start=1):
        if count > MAX_ROWS:
            raise BadFile(f"{name}: more than {MAX_ROWS} rows; split it")
        if None in record:
            raise BadFile(f"{name} line {reader.line_num}: more cells than columns")
        yield reader.line_num, {k.strip(): (v or "").strip() for k, v in record.items()}


def _row(name: str, line: int, record: dict[str, str]) -> Row:
    body = _nested({k: v for k, v in record.items() if v != ""})
    if name == "customers.csv":
        return Row(name, line, "sales", "POST", "/customers", body)
    if name == "exchange_rates.csv":
        currency = _take(name, line, body, "currency")
        return Row(name, line, "sales", "PUT", f"/exchange-rates/{currency}", body)
    if name == "prices.csv":
        return Row(name, line, "sales", "POST", "/price-list", body)
    if name == "items.csv":
        return Row(name, line, "warehouse", "POST", "/items", body)
    if name == "locations.csv":
        return Row(name, line, "warehouse", "POST", "/locations", body)
    if name == "stock.csv":
        if "reference" not in body:
            raise BadFile(f"{name} line {line}: a receipt needs its reference (booked once)")
        return Row(name, line, "warehouse", "POST", "/stock/receipts", body)
    code = _take(name, line, body, "product_code")
    body["bom"] = _bom(name, line, str(body.pop("bom", "")))
    return Row(name, line, "production", "PUT", f"/products/{code}", body)


def _lines(records: list[tuple[int, dict[str, str]]]) -> Iterator[Row]:
    """One production line per code, its capacities from the rows naming it."""
    lines: dict[str, Row] = {}
    for number, record in records:
        code = record.get("code", "")
        if not code:
            raise BadFile(f"lines.csv line {number}: no code")
        row = lines.setdefault(
            code,
            Row(
                "lines.csv",
                number,
                "production",
                "POST",
                "/lines",
                {
                    "code": code,
                    "name": record.get("name") or code,
                    "capacities": [],
                },
            ),
        )
        if record.get("family"):
            capacity = {"family": record["family"], "pieces_per_day": record.get("pieces_per_day")}
            row.body["capacities"].append(capacity)
    yield from lines.values()


def _bom(name: str, line: int, text: str) -> list[dict[str, str]]:
    """``MAT-1*2.5 kg; MAT-2*1 pcs`` -> material, quantity per piece, unit (default pcs)."""
    items = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        material, _, rest = part.partition("*")
        quantity, _, unit = rest.strip().partition(" ")
        try:
            Decimal(quantity)
        except InvalidOperation:
            raise BadFile(
                f"{name} line {line}: bom item {part!r}: write MATERIAL*QUANTITY [UNIT]"
            ) from None
        items.append(
            {
                "material_code": material.strip(),
                "quantity_per_piece": quantity,
                "unit": unit.strip() or "pcs",
            }
        )
    return items


def _nested(flat: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key, value in flat.items():
        target = body
        *parents, last = key.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    return body


def _take(name: str, line: int, body: dict[str, Any], key: str) -> str:
    value = body.pop(key, None)
    if not value:
        raise BadFile(f"{name} line {line}: no {key}")
    return str(value)


async def seed(rows: list[Row], clients: dict[str, httpx.AsyncClient]) -> SeedReport:
    """Send every row; a refusal is reported with the service's reason, the rest go on."""
    report = SeedReport()
    for row in rows:
        response = await clients[row.service].request(row.method, row.path, json=row.body)
        where = f"{row.file} line {row.line}"
        if response.status_code == 409 and row.file != "stock.csv":
            report.existing += 1
        elif response.status_code < 300:
            report.done += 1
            pending = response.json().get("pending_change") if row.file == "customers.csv" else None
            if pending:
                report.awaiting_approval.append(
                    f"{row.body.get('customer_id')} ({pending.get('change_id')})"
                )
        else:
            report.refused.append(f"{where}: {response.status_code} {_reason(response)}")
    return report


def _reason(response: httpx.Response) -> str:
    try:
        problem = response.json()
    except ValueError:
        return response.text[:200]
    if not isinstance(problem, dict):
        return str(problem)[:200]
    field_name = problem.get("field")
    detail = problem.get("detail") or problem.get("title") or ""
    return f"{field_name}: {detail}" if field_name and field_name not in str(detail) else detail
