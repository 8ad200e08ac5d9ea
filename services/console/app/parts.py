"""A page is made of parts from several services: one down, or not showing its data to the
person's roles, leaves its part empty with a note, not the whole page."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from services.console.adapters.services import ServiceError
from services.console.domain.i18n import Translator


class Parts:
    def __init__(self, t: Translator) -> None:
        self.t = t
        self.problems: list[str] = []

    async def soft(self, call: Awaitable[Any], fallback: Any) -> Any:
        try:
            return await call
        except ServiceError as exc:
            if exc.status == 403:
                department = self.t(f"dept.{exc.service}")
                self.problems.append(self.t("part.hidden", service=department))
            else:
                self.problems.append(str(exc))
            return fallback
