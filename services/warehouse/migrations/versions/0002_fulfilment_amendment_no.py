"""The amendments a fulfilment's lines and address include.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 creates the tables from the current metadata, so a new database has it already
    op.execute(
        "ALTER TABLE fulfilment ADD COLUMN IF NOT EXISTS amendment_no integer NOT NULL DEFAULT 0"
    )


def downgrade() -> None:
    op.drop_column("fulfilment", "amendment_no")
