"""The identity provider's tables (SQLAlchemy Core, own MetaData, no schema name).

Passwords are kept as argon2id hashes and refresh tokens as SHA-256 hashes: a copy of this schema
signs nobody in. The generated signing key is the exception (kept as PEM, for the embedded
default); production gives the key as a mounted file instead (``IDENTITY_SIGNING_KEY_FILE``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    Uuid,
    false,
)
from sqlalchemy.dialects.postgresql import ARRAY

metadata = MetaData()

account = Table(
    "account",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("roles", ARRAY(Text), nullable=False),
    Column("locale", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('person', 'system')", name="account_kind_ck"),
    CheckConstraint("cardinality(roles) > 0", name="account_roles_ck"),
)

refresh_token = Table(
    "refresh_token",
    metadata,
    Column("token_hash", Text, primary_key=True),
    Column("family_id", Uuid, nullable=False),
    Column("user_id", Uuid, ForeignKey("account.user_id"), nullable=False),
    Column("client_id", Text, nullable=True),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("rotated_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("refresh_token_family_ix", "family_id"),
    Index("refresh_token_user_ix", "user_id"),
)

signing_key = Table(
    "signing_key",
    metadata,
    Column("kid", Text, primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True), nullable=True),
)

login_failure = Table(
    "login_failure",
    metadata,
    Column("username", Text, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", DateTime(timezone=True), nullable=False),
)
