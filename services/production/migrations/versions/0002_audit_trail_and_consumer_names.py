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
    "production.on_order_review_requested": "production.order.review_requested",
    "production.on_order_reviewed": "production.order.reviewed",
    "production.on_order_confirmed": "production.order.confirmed",
    "production.on_stock_reserved": "production.stock.reserved",
    "production.on_order_cancelled": "production.order.cancelled",
    "production.on_order_delivery_date_changed": "production.order.delivery_date_changed",
    "production.on_inspection_failed": "production.inspection.failed",
    "production.on_report_progress": "production.commands",
    "production.on_receive_materials": "production.commands",
}


def upgrade() -> None:
    create_audit_trail_v2()
    create_command_outcome_v2()
    rename_inbox_consumers_v2(RENAMES)


def downgrade() -> None:
    op.drop_table("command_outcome")
    drop_audit_trail_v2()
