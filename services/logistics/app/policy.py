"""Dates and deadlines of a shipment, from the settings' rules and the business calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from shared.calendar import BusinessCalendar, DeadlineRule


@dataclass(frozen=True)
class ShippingPolicy:
    calendar: BusinessCalendar
    tracking_number: DeadlineRule
    pickup: DeadlineRule
    delivery_window: DeadlineRule
    cutoff_hour: int = 15

    def pickup_date(self, booked_at: datetime) -> date:
        """Same business day before the cut-off hour, else the next business day."""
        local = booked_at.astimezone(self.calendar.tz)
        day = local.date()
        if self.calendar.is_business_day(day) and local.hour < self.cutoff_hour:
            return day
        return self.calendar.add_business_days_to_date(day, 1)

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.calendar.tz)

    def pickup_due(self, pickup_date: date) -> datetime:
        return self.pickup.due(self._start_of(pickup_date), self.calendar)

    def tracking_due(self, dispatched_at: datetime) -> datetime:
        return self.tracking_number.due(dispatched_at, self.calendar)

    def delivery_due(self, eta: date) -> datetime:
        # From the last second of the ETA day: "1 business day" then ends with the next
        # business day, also when the ETA is a Friday.
        end_of_eta_day = datetime.combine(eta, time(23, 59, 59), tzinfo=self.calendar.tz)
        return self.delivery_window.due(end_of_eta_day, self.calendar)
