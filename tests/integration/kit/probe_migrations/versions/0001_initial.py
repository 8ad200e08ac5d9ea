"""Kit tables and the probe's effect table, written out like every service's migrations.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

from shared.kit_migrations import (
    create_audit_trail_v2,
    create_command_outcome_v2,
    create_kit_tables_v1,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kit_tables_v1()
    create_audit_trail_v2()
    create_command_outcome_v2()
    op.create_table(
        "effect",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), server_default=sa.text("now()")),
        sa.Column("handler", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    raise NotImplementedError("drop the schema instead")
