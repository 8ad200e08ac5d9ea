"""The audit trail, the answers given to commands, and inbox rows keyed by each handler's
declared consumer name.

Revision ID: 0002
"""

from alembic import op

from shared.kit_migrations import (
    create_audit_trail_v2,
    create_command_outcome_v2,
    drop_audit_trail_v2,
    rename_inbox_consumers_v2,
)

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Until this release the inbox keyed a message by the handler's function name.
RENAMES = {
    "logistics.on_goods_ready": "logistics.goods.ready",
    "logistics.on_order_cancelled": "logistics.order.cancelled",
    "logistics.on_return_authorized": "logistics.return.authorized",
    "logistics.on_record_scan": "logistics.commands",
}


def upgrade() -> None:
    create_audit_trail_v2()
    create_command_outcome_v2()
    rename_inbox_consumers_v2(RENAMES)


def downgrade() -> None:
    op.drop_table("command_outcome")
    drop_audit_trail_v2()
