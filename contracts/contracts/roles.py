"""Who may do what: the roles a signed-in person or a departmental system holds.

Every HTTP route of every service declares the roles that may call it; a token's roles come from
the identity provider (the embedded issuer, or the company's: Keycloak, Authentik, Azure AD). The
names are part of the public interface: an identity provider's role mapping uses them as they are.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A job in the company, as the order-handling policies name who decides."""

    SALES_DESK = "sales_desk"
    """Takes orders, runs the contract review, sends the confirmation letter (002 二(一))."""
    SALES_MANAGER = "sales_manager"
    """Approves orders up to the general manager's band; four eyes on the desk's entries."""
    GENERAL_MANAGER = "general_manager"
    """Senior leadership: approves important orders (000 订单审批制度)."""
    FINANCE = "finance"
    """Records payments, confirms money arrived before B/C goods leave (003)."""
    MASTER_DATA = "master_data"
    """Customer class, credit limit, deposit rule and list prices (two people for the first
    three)."""
    MARKETING = "marketing"
    """Marketing director: may approve prices below list (003)."""
    PRODUCTION_PLANNER = "production_planner"
    """Lines, capacity, products and schedules."""
    PRODUCTION_VP = "production_vp"
    """Judges rush orders (000 南昌 第六条(三))."""
    SHOP_FLOOR = "shop_floor"
    """Reports progress and completion of work orders."""
    WAREHOUSE = "warehouse"
    """Stock, picking, packing, receiving returns."""
    QC = "qc"
    """Inspects finished and returned goods (000, 001)."""
    DISPATCHER = "dispatcher"
    """Carriers, shipments, tracking."""
    CARRIER = "carrier"
    """A carrier's system posting scans and proofs of delivery."""
    AFTER_SALES = "after_sales"
    """Complaints, service tickets, spare parts, surveys."""
    AFTER_SALES_MANAGER = "after_sales_manager"
    """Customer-service supervisor: complaint allowances, prices below list (003)."""
    VP = "vp"
    """The vice-president in charge: disputes (000 第十条(三)(3))."""
    OPERATOR = "operator"
    """Runs the system: dead letters, timeline rebuilds, the carrier simulator."""
    AUDITOR = "auditor"
    """Reads everything, changes nothing."""


STAFF: frozenset[Role] = frozenset(Role) - {Role.CARRIER}
"""The company's people: for reads any department may need. A carrier's system is not staff: it
posts scans and proofs and reads nothing else."""
