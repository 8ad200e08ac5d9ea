"""Carrier services and the rule that picks one per shipment.

The rule, as dispatch applies it: only active services that serve the destination and take the
total weight are candidates; a rush order takes the fastest express service; otherwise the
cheapest service whose ETA meets the promised date; when none meets it, the fastest one. The
reason for the choice is written down with the shipment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from services.logistics.domain.errors import NoCarrierAvailable

CENT = Decimal("0.01")


class BusinessDays(Protocol):
    """The part of the business calendar that carrier ETAs need."""

    def is_business_day(self, d: date) -> bool: ...

    def add_business_days_to_date(self, start: date, n: int) -> date: ...


@dataclass(frozen=True)
class CarrierService:
    """One service level of one carrier: where it goes, what it takes, how fast, at what rate."""

    code: str
    name: str
    service_level: str
    express: bool
    regions: tuple[str, ...]
    max_weight_kg: Decimal
    transit_days: int
    base_rate: Decimal
    rate_per_kg: Decimal
    currency: str = "CNY"
    active: bool = True
    tracking_url_template: str | None = None

    def serves(self, country: str, region: str | None = None) -> bool:
        """Regions are '*' (anywhere), a country code ('CN'), 'CN:Guangdong', or '!CN' (not CN)."""
        excluded = {r[1:] for r in self.regions if r.startswith("!")}
        if country in excluded:
            return False
        for r in self.regions:
            if r == "*" or r == country:
                return True
            if region and r.lower() == f"{country}:{region}".lower():
                return True
        return False

    def cost(self, weight_kg: Decimal) -> Decimal:
        return (self.base_rate + self.rate_per_kg * weight_kg).quantize(CENT, ROUND_HALF_UP)

    def eta(self, pickup_date: date, calendar: BusinessDays) -> date:
        """Transit days are business days counted from the pickup date."""
        return calendar.add_business_days_to_date(pickup_date, self.transit_days)

    def tracking_url(self, tracking_no: str) -> str | None:
        if not self.tracking_url_template:
            return None
        return self.tracking_url_template.replace("{tracking_no}", tracking_no)


@dataclass(frozen=True)
class ShipmentNeeds:
    """What the choice depends on."""

    country: str
    region: str | None
    weight_kg: Decimal
    promised_date: date | None = None
    rush: bool = False


@dataclass(frozen=True)
class Candidate:
    service: CarrierService
    eta: date
    cost: Decimal


@dataclass(frozen=True)
class CarrierChoice:
    service: CarrierService
    eta: date
    cost: Decimal
    reason: str
    candidates: list[Candidate] = field(default_factory=list)


def choose_carrier(
    services: list[CarrierService],
    needs: ShipmentNeeds,
    pickup_date: date,
    calendar: BusinessDays,
) -> CarrierChoice:
    """Pick the carrier service for one shipment by rule, and say why."""
    candidates = [
        Candidate(s, s.eta(pickup_date, calendar), s.cost(needs.weight_kg))
        for s in services
        if s.active and s.serves(needs.country, needs.region) and needs.weight_kg <= s.max_weight_kg
    ]
    if not candidates:
        going_there = [s for s in services if s.active and s.serves(needs.country, needs.region)]
        raise NoCarrierAvailable(
            "weight_kg" if going_there else "country",
            f"no active carrier service delivers to {needs.country}"
            f"{'/' + needs.region if needs.region else ''} for {needs.weight_kg} kg",
        )

    def fastest(c: Candidate) -> tuple[date, Decimal]:
        return (c.eta, c.cost)

    def cheapest(c: Candidate) -> tuple[Decimal, date]:
        return (c.cost, c.eta)

    if needs.rush:
        express = [c for c in candidates if c.service.express]
        if express:
            pick = min(express, key=fastest)
            reason = f"rush order: fastest express service of {len(express)}"
        else:
            pick = min(candidates, key=fastest)
            reason = "rush order but no express service serves it: fastest available"
    elif needs.promised_date is not None:
        meeting = [c for c in candidates if c.eta <= needs.promised_date]
        if meeting:
            pick = min(meeting, key=cheapest)
            reason = (
                f"cheapest of {len(meeting)} services meeting promised date "
                f"{needs.promised_date.isoformat()}"
            )
        else:
            pick = min(candidates, key=fastest)
            reason = f"no service meets promised date {needs.promised_date.isoformat()}: fastest"
    else:
        pick = min(candidates, key=cheapest)
        reason = f"no promised date: cheapest of {len(candidates)} services"
    label = f"{pick.service.code}/{pick.service.service_level}"
    return CarrierChoice(
        pick.service,
        pick.eta,
        pick.cost,
        f"{reason} ({label}, ETA {pick.eta.isoformat()}, {pick.cost} {pick.service.currency})",
        candidates,
    )
