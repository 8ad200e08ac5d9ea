"""A user: a person or a departmental system that signs in, with the roles it holds.

Roles are the names in ``contracts.roles`` exactly as the services check them; a user holds at
least one (a user with none could do nothing anywhere). Disabling keeps the user (the audit trail
names them) and stops every sign-in and refresh at once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from contracts.roles import Role
from shared.errors import Invalid

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
LOCALES = ("zh-CN", "en")
KNOWN_ROLES = frozenset(r.value for r in Role)


class Kind(StrEnum):
    PERSON = "person"
    SYSTEM = "system"
    """A departmental system (a carrier's bridge, a web shop): its tokens say ``kind: system``,
    so the audit trail tells a system's steps from a person's."""


def username_of(raw: str) -> str:
    """Usernames compare without case or surrounding blanks: ``Li.Wei`` signs in as ``li.wei``."""
    username = raw.strip().lower()
    if not USERNAME.fullmatch(username):
        raise Invalid(
            "username",
            "1-64 of a-z, 0-9 and . _ @ -, starting with a letter or digit"
            " / 1-64 个字符: a-z、0-9 和 . _ @ -,以字母或数字开头",
        )
    return username


def roles_of(raw: Iterable[str]) -> tuple[str, ...]:
    roles = sorted({str(r).strip() for r in raw})
    if not roles:
        raise Invalid("roles", "at least one role / 至少一个角色")
    unknown = [r for r in roles if r not in KNOWN_ROLES]
    if unknown:
        known = ", ".join(sorted(KNOWN_ROLES))
        raise Invalid("roles", f"unknown role {', '.join(unknown)}; known: {known}")
    return tuple(roles)


def locale_of(raw: str) -> str:
    if raw not in LOCALES:
        raise Invalid("locale", f"one of {', '.join(LOCALES)}")
    return raw


def name_of(raw: str | None, username: str) -> str:
    name = (raw or "").strip() or username
    if len(name) > 200:
        raise Invalid("name", "at most 200 characters / 最多 200 个字符")
    return name


@dataclass
class User:
    user_id: UUID
    username: str
    name: str
    roles: tuple[str, ...]
    locale: str
    kind: Kind
    disabled: bool
    password_hash: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def new(
        cls,
        username: str,
        name: str | None,
        roles: Iterable[str],
        locale: str,
        kind: Kind,
        password_hash: str,
        now: datetime,
    ) -> User:
        checked = username_of(username)
        return cls(
            user_id=uuid.uuid4(),
            username=checked,
            name=name_of(name, checked),
            roles=roles_of(roles),
            locale=locale_of(locale),
            kind=kind,
            disabled=False,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )

    def disable(self, now: datetime) -> None:
        self.disabled = True
        self.updated_at = now

    def enable(self, now: datetime) -> None:
        self.disabled = False
        self.updated_at = now

    def change_password(self, password_hash: str, now: datetime) -> None:
        self.password_hash = password_hash
        self.updated_at = now

    def reassign(self, name: str | None, roles: Iterable[str], locale: str, now: datetime) -> None:
        self.name = name_of(name, self.username)
        self.roles = roles_of(roles)
        self.locale = locale_of(locale)
        self.updated_at = now
