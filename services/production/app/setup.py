"""Master data: lines, capacities, downtime, products (family, bill of materials), stock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.production.app.unit import Work
from services.production.domain.materials import BomItem
from shared.errors import NotFound


async def define_line(work: Work, code: str, name: str, rates: dict[str, int]) -> None:
    await work.lines.upsert(code, name, rates, work.now)


async def set_line_rate(work: Work, code: str, family: str, pieces_per_day: int) -> None:
    await _known_line(work, code)
    await work.lines.set_rate(code, family, pieces_per_day)


async def add_downtime(work: Work, code: str, day: date, reason: str | None) -> None:
    await _known_line(work, code)
    await work.lines.add_downtime(code, day, reason)


async def define_product(work: Work, code: str, family: str, bom: list[BomItem]) -> None:
    await work.products.upsert(code, family, bom, work.now)


async def set_material_stock(work: Work, code: str, on_hand: Decimal, unit: str) -> None:
    await work.materials.set_stock(code, on_hand, unit, work.now)


async def _known_line(work: Work, code: str) -> None:
    if not await work.lines.exists(code):
        raise NotFound("line", code)
