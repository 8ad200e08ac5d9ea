"""HTTP API for dispatch, carriers' systems and the other departments: carrier services and
the choice rule, shipments, carrier reports and proofs of delivery; the carrier simulator where
switched on. Every route names the roles that may call it."""

from __future__ import annotations

from fastapi import APIRouter

from services.logistics.entrypoints.http import carrier_reports, carriers, shipments, simulator


def routers(*, with_simulator: bool = False) -> list[APIRouter]:
    served = [carriers.router, shipments.router, carrier_reports.router]
    return [*served, simulator.router] if with_simulator else served
