"""Kit tables and the probe's effect table.

Revision ID: 0001
"""

from alembic import op

from shared.tables import kit_metadata
from tests.integration.kit.probe import probe_metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    kit_metadata.create_all(op.get_bind())
    probe_metadata.create_all(op.get_bind())


def downgrade() -> None:
    probe_metadata.drop_all(op.get_bind())
    kit_metadata.drop_all(op.get_bind())
