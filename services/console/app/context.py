"""What the console holds for its life (``Wiring``) and what every page use case gets for one
request (``Console``): the services as the signed-in person sees them, the person, the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from services.console.adapters.identity import IdentityClient
from services.console.adapters.services import ServiceCalls, ServiceClients
from services.console.app.permissions import Permitted, RoleDirectory
from services.console.app.session import Sessions
from services.console.domain.i18n import Translator
from services.console.settings import ConsoleSettings
from shared.auth import Actor


@dataclass
class Wiring:
    settings: ConsoleSettings
    clients: ServiceClients
    identity: IdentityClient
    sessions: Sessions
    directory: RoleDirectory

    async def close(self) -> None:
        await self.clients.close()
        await self.identity.close()

    def console(self, actor: Actor, access_token: str, t: Translator) -> Console:
        return Console(
            self.settings, self.clients.acting_as(access_token), actor, self.directory, t
        )


@dataclass
class Console:
    settings: ConsoleSettings
    services: ServiceCalls
    actor: Actor
    directory: RoleDirectory
    t: Translator

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(ZoneInfo(self.settings.calendar_tz)).date()

    async def permitted(self) -> Permitted:
        """The actions this person's roles allow, as the services declare them."""
        return await self.directory.permitted(self.actor.roles)
