"""All of the identity provider's SQL. Repositories never commit; the unit of work does."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.adapters.tables import account, login_failure, refresh_token, signing_key
from services.identity.domain.tokens import RefreshGrant
from services.identity.domain.users import Kind, User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_username(self, username: str, *, lock: bool = False) -> User | None:
        query = select(account).where(account.c.username == username)
        row = (await self.session.execute(query.with_for_update() if lock else query)).first()
        return None if row is None else _user(row._mapping)

    async def by_id(self, user_id: UUID) -> User | None:
        row = (
            await self.session.execute(select(account).where(account.c.user_id == user_id))
        ).first()
        return None if row is None else _user(row._mapping)

    async def all(self) -> list[User]:
        rows = await self.session.execute(select(account).order_by(account.c.username))
        return [_user(r._mapping) for r in rows]

    async def add(self, user: User) -> bool:
        """False when the username is taken (nothing written)."""
        inserted = await self.session.execute(
            insert(account)
            .values(**_row(user))
            .on_conflict_do_nothing(index_elements=["username"])
            .returning(account.c.user_id)
        )
        return inserted.first() is not None

    async def save(self, user: User) -> None:
        values = _row(user)
        del values["user_id"], values["created_at"]
        await self.session.execute(
            update(account).where(account.c.user_id == user.user_id).values(**values)
        )


def _row(user: User) -> dict[str, Any]:
    return {
        "user_id": user.user_id,
        "username": user.username,
        "display_name": user.name,
        "password_hash": user.password_hash,
        "roles": list(user.roles),
        "locale": user.locale,
        "kind": user.kind.value,
        "disabled": user.disabled,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def _user(row: Any) -> User:
    return User(
        user_id=row["user_id"],
        username=row["username"],
        name=row["display_name"],
        roles=tuple(row["roles"]),
        locale=row["locale"],
        kind=Kind(row["kind"]),
        disabled=row["disabled"],
        password_hash=row["password_hash"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, token_hash: str) -> RefreshGrant | None:
        """Locked: two refreshes racing with one token, only one gets a successor."""
        query = select(refresh_token).where(refresh_token.c.token_hash == token_hash)
        row = (await self.session.execute(query.with_for_update())).first()
        if row is None:
            return None
        r = row._mapping
        return RefreshGrant(
            r["token_hash"],
            r["family_id"],
            r["user_id"],
            r["client_id"],
            r["issued_at"],
            r["expires_at"],
            r["rotated_at"],
            r["revoked_at"],
        )

    async def add(self, grant: RefreshGrant) -> None:
        await self.session.execute(
            insert(refresh_token).values(
                token_hash=grant.token_hash,
                family_id=grant.family_id,
                user_id=grant.user_id,
                client_id=grant.client_id,
                issued_at=grant.issued_at,
                expires_at=grant.expires_at,
            )
        )

    async def mark_rotated(self, grant: RefreshGrant) -> None:
        await self.session.execute(
            update(refresh_token)
            .where(refresh_token.c.token_hash == grant.token_hash)
            .values(rotated_at=grant.rotated_at)
        )

    async def revoke_family(self, family_id: UUID, now: datetime) -> None:
        await self.session.execute(
            update(refresh_token)
            .where(refresh_token.c.family_id == family_id, refresh_token.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_user(self, user_id: UUID, now: datetime) -> None:
        await self.session.execute(
            update(refresh_token)
            .where(refresh_token.c.user_id == user_id, refresh_token.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )


class LoginFailureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, username: str) -> tuple[int, datetime | None]:
        row = (
            await self.session.execute(
                select(login_failure.c.failures, login_failure.c.last_failed_at).where(
                    login_failure.c.username == username
                )
            )
        ).first()
        return (0, None) if row is None else (int(row[0]), row[1])

    async def record(self, username: str, now: datetime) -> None:
        statement = insert(login_failure).values(username=username, failures=1, last_failed_at=now)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["username"],
                set_={"failures": login_failure.c.failures + 1, "last_failed_at": now},
            )
        )

    async def clear(self, username: str) -> None:
        await self.session.execute(
            login_failure.delete().where(login_failure.c.username == username)
        )


class SigningKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self) -> None:
        """One process generates the first key, however many start at once."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.signing_key'))")
        )

    async def published(self, retired_since: datetime) -> list[tuple[str, str, datetime | None]]:
        """(kid, PEM, retired_at) of the current keys and of those retired since the given
        time (tokens they signed may still be valid), newest first."""
        rows = await self.session.execute(
            select(signing_key.c.kid, signing_key.c.private_pem, signing_key.c.retired_at)
            .where(
                (signing_key.c.retired_at.is_(None)) | (signing_key.c.retired_at > retired_since)
            )
            .order_by(signing_key.c.created_at.desc())
        )
        return [(r[0], r[1], r[2]) for r in rows]

    async def add(self, kid: str, pem: str, now: datetime) -> None:
        await self.session.execute(
            insert(signing_key)
            .values(kid=kid, private_pem=pem, created_at=now)
            .on_conflict_do_nothing(index_elements=["kid"])
        )

    async def retire_all_but(self, kid: str, now: datetime) -> None:
        await self.session.execute(
            update(signing_key)
            .where(signing_key.c.kid != kid, signing_key.c.retired_at.is_(None))
            .values(retired_at=now)
        )

    async def count(self) -> int:
        return int(
            (await self.session.execute(select(func.count()).select_from(signing_key))).scalar_one()
        )
