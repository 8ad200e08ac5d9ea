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
    "sales.on_order_reviewed": "sales.order.reviewed",
    "sales.on_goods_shipped": "sales.goods.shipped",
    "sales.on_goods_delivered": "sales.goods.delivered",
    "sales.on_production_delayed": "sales.production.delayed",
    "sales.on_shipment_delayed": "sales.shipment.delayed",
    "sales.on_complaint_opened": "sales.complaint.opened",
    "sales.on_complaint_resolved": "sales.complaint.resolved",
    "sales.on_return_settlement_requested": "sales.return.settlement_requested",
    "sales.on_submit_order": "sales.commands",
    "sales.on_amend_order": "sales.commands",
    "sales.on_cancel_order": "sales.commands",
    "sales.on_sign_confirmation": "sales.commands",
    "sales.on_record_payment": "sales.commands",
}


def upgrade() -> None:
    create_audit_trail_v2()
    create_command_outcome_v2()
    rename_inbox_consumers_v2(RENAMES)


def downgrade() -> None:
    op.drop_table("command_outcome")
    drop_audit_trail_v2()
