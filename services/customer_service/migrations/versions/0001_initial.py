"""Kit tables and the customer service's tables.

Revision ID: 0001
"""

from alembic import op

from services.customer_service.adapters.tables import metadata
from shared.tables import kit_metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    kit_metadata.create_all(op.get_bind())
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
    kit_metadata.drop_all(op.get_bind())
