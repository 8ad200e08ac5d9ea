"""Logistics settings: env prefix ``LOGISTICS_``; deadline rules default to the policy's values."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.calendar import Deadline, DeadlineRule
from shared.config import ServiceSettings


class LogisticsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LOGISTICS_", extra="ignore")

    service_name: str = "logistics"
    http_port: int = 8004

    tracking_number_deadline: Deadline = Field(
        default=DeadlineRule(unit="hours", length=24),
        description="The customer has the tracking number within this time of dispatch.",
    )
    pickup_deadline: Deadline = Field(
        default=DeadlineRule(unit="days", length=1),
        description="A booking must be collected within this time from the start of its"
        " pickup date (1 day = by the end of the pickup date).",
    )
    delivery_window: Deadline = Field(
        default=DeadlineRule(unit="business_days", length=1),
        description="A shipment with no delivery scan this long after the end of its ETA day"
        " is flagged.",
    )
    pickup_cutoff_hour: int = Field(
        default=15,
        ge=0,
        le=24,
        description="Bookings on a business day before this local hour are collected the same"
        " day; later ones on the next business day.",
    )
    return_weight_kg: Decimal = Field(
        default=Decimal("10"), gt=0, description="Assumed weight of a return pickup."
    )
    http_larger_bodies: dict[str, int] = Field(
        # a proof of delivery travels base64-encoded inside the carrier's report: up to 8 MB
        # of text for a 6 MB scan, with room for the rest of the report
        default={"/carrier-webhook/": 9 * 1024 * 1024},
        description="Path prefix -> body limit in bytes, for the routes that take documents",
    )
    carrier_secrets: dict[str, SecretStr] = Field(
        default={},
        description="Carrier system login -> the secret its calls are signed with (HMAC-SHA256"
        " over timestamp and body, shared.signing); a carrier's system without one is refused."
        ' JSON: LOGISTICS_CARRIER_SECRETS=\'{"zto-gateway": "..."}\'',
    )
    carrier_signature_window_s: int = Field(
        default=300,
        ge=5,
        le=3600,
        description="How far a carrier's signing time may be from ours, either way (replays"
        " of older requests are refused)",
    )
    simulator_routes: bool = Field(
        default=False,
        description="Serve the built-in carrier simulator's routes (/simulator/..., operators"
        " only); off unless a demo switches them on (LOGISTICS_SIMULATOR_ROUTES=true).",
    )
    simulated_tracking_at_booking: bool = Field(
        default=True,
        description="The built-in simulated carrier issues the tracking number at booking"
        " (False: only when asked, to rehearse a late tracking number).",
    )
