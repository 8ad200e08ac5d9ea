"""The amendments a fulfilment's lines and address include.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE fulfilment ADD COLUMN amendment_no integer NOT NULL DEFAULT 0")


def downgrade() -> None:
    op.drop_column("fulfilment", "amendment_no")
