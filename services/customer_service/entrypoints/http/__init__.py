"""HTTP API for the after-sales desk, its supervisor, the vice-president, QC, sales and the
operators: tracking, complaints, remedy plans and returns, service tickets and spare parts,
surveys and KPIs. Every route names the roles that may call it."""

from __future__ import annotations

from fastapi import APIRouter

from services.customer_service.entrypoints.http import (
    complaints,
    delays,
    service,
    surveys,
    tracking,
)


def routers() -> list[APIRouter]:
    return [tracking.router, complaints.router, delays.router, service.router, surveys.router]
