"""Master data: lines, capacities, downtime, products (family, bill of materials), stock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.production.app.common import NotFound, Repos
from services.production.domain.materials import BomItem
from shared.uow import UnitOfWork


async def define_line(uow: UnitOfWork, code: str, name: str, rates: dict[str, int]) -> None:
    await Repos(uow).lines.upsert(code, name, rates, uow.clock.now())


async def set_line_rate(uow: UnitOfWork, code: str, family: str, pieces_per_day: int) -> None:
    repos = Repos(uow)
    if not await repos.lines.exists(code):
        raise NotFound(f"line {code} not found")
    await repos.lines.set_rate(code, family, pieces_per_day)


async def add_downtime(uow: UnitOfWork, code: str, day: date, reason: str | None) -> None:
    repos = Repos(uow)
    if not await repos.lines.exists(code):
        raise NotFound(f"line {code} not found")
    await repos.lines.add_downtime(code, day, reason)


async def define_product(uow: UnitOfWork, code: str, family: str, bom: list[BomItem]) -> None:
    await Repos(uow).products.upsert(code, family, bom, uow.clock.now())


async def set_material_stock(uow: UnitOfWork, code: str, on_hand: Decimal, unit: str) -> None:
    await Repos(uow).materials.set_stock(code, on_hand, unit, uow.clock.now())
