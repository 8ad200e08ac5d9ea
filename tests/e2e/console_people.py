"""People of the story's cast signing in to the console over HTTP, as its login page does: the
password posted once (to the console, which asks the identity provider), then the session's
cookies and CSRF token on every call."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from tests.e2e.system import RunningSystem

DESK = "desk.li"  # sales_desk
MANAGER = "manager.zhao"  # sales_manager
AFTER_SALES = "service.zhou"  # after_sales
OPERATOR = "ops.admin"  # operator


@dataclass
class Person:
    username: str
    client: httpx.AsyncClient

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.client.get(path, params=params)

    async def post(self, path: str, body: object) -> httpx.Response:
        """JSON from the console's own origin with the session's CSRF token."""
        headers = {
            "Origin": str(self.client.base_url).rstrip("/"),
            "X-CSRF-Token": await self.csrf(),
        }
        return await self.client.post(path, json=body, headers=headers)

    async def csrf(self) -> str:
        page = await self.client.get("/login")
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        assert found, page.text
        return found.group(1)


@asynccontextmanager
async def signed_in(console: str, running: RunningSystem, username: str) -> AsyncIterator[Person]:
    async with httpx.AsyncClient(base_url=console, timeout=60) as client:
        person = Person(username, client)
        answer = await person.post(
            "/login", {"username": username, "password": running.passwords[username]}
        )
        assert answer.status_code == 200, answer.text
        yield person
