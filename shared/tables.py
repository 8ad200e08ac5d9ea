"""The kit's own tables, created in every service's schema by its first migration.

They carry no schema name: the connection's ``search_path`` puts them in the service's schema.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

kit_metadata = MetaData()

outbox_message = Table(
    "outbox_message",
    kit_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("exchange", Text, nullable=False),
    Column("routing_key", Text, nullable=False),
    Column("message_type", Text, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    Index(
        "ix_outbox_message_unpublished",
        "id",
        postgresql_where=text("published_at IS NULL"),
    ),
)

inbox_message = Table(
    "inbox_message",
    kit_metadata,
    Column("event_id", Uuid, nullable=False),
    Column("consumer", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("event_id", "consumer"),
)

timer = Table(
    "timer",
    kit_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False, unique=True),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("message_type", Text, nullable=False),
    Column("message_version", Integer, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("correlation_id", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("fired_at", DateTime(timezone=True)),
    Column("cancelled_at", DateTime(timezone=True)),
    Index(
        "ix_timer_pending_due",
        "due_at",
        postgresql_where=text("fired_at IS NULL AND cancelled_at IS NULL"),
    ),
)

# Who did what, when: one row per state-changing request or command, written in the same
# transaction as the change. Append-only: a trigger refuses UPDATE and DELETE (migration
# ``kit_audit``), and the runtime role is granted INSERT and SELECT only.
audit_entry = Table(
    "audit_entry",
    kit_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("actor_subject", Text, nullable=False),
    Column("actor_roles", ARRAY(Text), nullable=False),
    Column("actor_kind", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("correlation_ids", ARRAY(Text), nullable=False),
    Column("change", JSONB, nullable=False),
    Index("ix_audit_entry_correlation_ids", "correlation_ids", postgresql_using="gin"),
)

# The first answer to each command, by sender and the sender's reference: a repeat with the same
# content gets it again, whatever happened since; different content under the same reference is
# refused.
command_outcome = Table(
    "command_outcome",
    kit_metadata,
    Column("sender", Text, nullable=False),
    Column("command_type", Text, nullable=False),
    Column("reference", Text, nullable=False),
    Column("content_digest", Text, nullable=False),
    Column("command_id", Uuid, nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("outcome", JSONB, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("sender", "command_type", "reference"),
)
