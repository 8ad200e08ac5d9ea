"""What every page use case gets: the service clients, the broker URL and the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from services.console.adapters.services import ServiceClients
from services.console.settings import ConsoleSettings


@dataclass
class Console:
    settings: ConsoleSettings
    services: ServiceClients

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(ZoneInfo(self.settings.calendar_tz)).date()
