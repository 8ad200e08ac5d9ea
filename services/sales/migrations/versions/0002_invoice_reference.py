"""An invoice request's own reference, so the same request again gets the same invoice.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE invoice ADD COLUMN reference text")
    op.execute(
        "ALTER TABLE invoice ADD CONSTRAINT invoice_order_reference_key"
        " UNIQUE (order_id, reference)"
    )


def downgrade() -> None:
    op.drop_constraint("invoice_order_reference_key", "invoice")
    op.drop_column("invoice", "reference")
