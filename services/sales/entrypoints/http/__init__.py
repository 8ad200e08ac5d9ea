"""HTTP API of the sales desk, finance and master data: orders, approvals and the signature,
money, customers, prices and rates. Every route names the roles that may call it."""

from __future__ import annotations

from fastapi import APIRouter

from services.sales.entrypoints.http import customers, decisions, money, orders, prices


def routers() -> list[APIRouter]:
    return [orders.router, decisions.router, money.router, customers.router, prices.router]
