"""Who posted each tracking scan and proof of delivery (the signed-in carrier system or
dispatcher, or the system that sent the command); rows from before stay without one.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tracking_event ADD COLUMN IF NOT EXISTS recorded_by text")
    op.execute("ALTER TABLE proof_of_delivery ADD COLUMN IF NOT EXISTS recorded_by text")


def downgrade() -> None:
    op.drop_column("proof_of_delivery", "recorded_by")
    op.drop_column("tracking_event", "recorded_by")
