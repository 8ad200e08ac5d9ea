"""An invoice request's own reference, so the same request again gets the same invoice.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 creates the tables from the current metadata, so a new database has both already
    op.execute("ALTER TABLE invoice ADD COLUMN IF NOT EXISTS reference text")
    op.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint"
        " WHERE conname = 'invoice_order_reference_key' AND conrelid = 'invoice'::regclass)"
        " THEN ALTER TABLE invoice ADD CONSTRAINT invoice_order_reference_key"
        " UNIQUE (order_id, reference); END IF; END $$"
    )


def downgrade() -> None:
    op.drop_constraint("invoice_order_reference_key", "invoice")
    op.drop_column("invoice", "reference")
