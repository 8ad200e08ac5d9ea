"""HTTP API for production planners, the shop floor and other departments: lines and capacity,
products and materials, the schedule and work orders. Every route names the roles that may
call it."""

from __future__ import annotations

from fastapi import APIRouter

from services.production.entrypoints.http import catalogue, lines, work_orders


def routers() -> list[APIRouter]:
    return [lines.router, catalogue.router, work_orders.router]
