"""HTTP API for warehouse staff, QC and other systems: items and stock, orders' picking and
packing, inspections and returns. Every route names the roles that may call it."""

from __future__ import annotations

from fastapi import APIRouter

from services.warehouse.entrypoints.http import fulfilment, items, quality


def routers() -> list[APIRouter]:
    return [items.router, fulfilment.router, quality.router]
