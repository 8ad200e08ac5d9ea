"""The audit trail, the answers given to commands, and inbox rows keyed by each handler's
declared consumer name.

Revision ID: 0003
"""

from alembic import op

from shared.kit_migrations import (
    create_audit_trail_v2,
    create_command_outcome_v2,
    drop_audit_trail_v2,
    rename_inbox_consumers_v2,
)

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Until this release the inbox keyed a message by the handler's function name.
RENAMES = {
    "warehouse.on_order_review_requested": "warehouse.order.review_requested",
    "warehouse.on_order_confirmed": "warehouse.order.confirmed",
    "warehouse.on_order_amended": "warehouse.order.amended",
    "warehouse.on_order_cancelled": "warehouse.order.cancelled",
    "warehouse.on_goods_shipped": "warehouse.goods.shipped",
    "warehouse.on_production_completed": "warehouse.production.completed",
    "warehouse.on_return_authorized": "warehouse.return.authorized",
    "warehouse.on_return_received": "warehouse.return.received",
    "warehouse.on_confirm_pick": "warehouse.commands",
    "warehouse.on_confirm_pack": "warehouse.commands",
}


def upgrade() -> None:
    create_audit_trail_v2()
    create_command_outcome_v2()
    rename_inbox_consumers_v2(RENAMES)


def downgrade() -> None:
    op.drop_table("command_outcome")
    drop_audit_trail_v2()
