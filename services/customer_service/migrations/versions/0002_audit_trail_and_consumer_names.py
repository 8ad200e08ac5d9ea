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
    "customer_service.on_complaint_assigned": "customer_service.complaint.assigned",
    "customer_service.on_complaint_escalated": "customer_service.complaint.escalated",
    "customer_service.on_complaint_opened": "customer_service.complaint.opened",
    "customer_service.on_complaint_resolved": "customer_service.complaint.resolved",
    "customer_service.on_complaint_sla_breached": "customer_service.complaint.sla_breached",
    "customer_service.on_credit_note_issued": "customer_service.credit_note.issued",
    "customer_service.on_goods_delivered": "customer_service.goods.delivered",
    "customer_service.on_goods_ready": "customer_service.goods.ready",
    "customer_service.on_goods_shipped": "customer_service.goods.shipped",
    "customer_service.on_inspection_failed": "customer_service.inspection.failed",
    "customer_service.on_inspection_passed": "customer_service.inspection.passed",
    "customer_service.on_invoice_issued": "customer_service.invoice.issued",
    "customer_service.on_material_requisitioned": "customer_service.material.requisitioned",
    "customer_service.on_order_amended": "customer_service.order.amended",
    "customer_service.on_order_approval_requested": "customer_service.order.approval_requested",
    "customer_service.on_order_approved": "customer_service.order.approved",
    "customer_service.on_order_cancelled": "customer_service.order.cancelled",
    "customer_service.on_order_completed": "customer_service.order.completed",
    "customer_service.on_order_confirmation_sent": "customer_service.order.confirmation_sent",
    "customer_service.on_order_confirmed": "customer_service.order.confirmed",
    "customer_service.on_order_delivery_date_changed": "customer_service.order.delivery_date_changed",
    "customer_service.on_order_info_requested": "customer_service.order.info_requested",
    "customer_service.on_order_received": "customer_service.order.received",
    "customer_service.on_order_rejected": "customer_service.order.rejected",
    "customer_service.on_order_review_requested": "customer_service.order.review_requested",
    "customer_service.on_order_reviewed": "customer_service.order.reviewed",
    "customer_service.on_order_signed": "customer_service.order.signed",
    "customer_service.on_order_sla_breached": "customer_service.order.sla_breached",
    "customer_service.on_payment_overdue": "customer_service.payment.overdue",
    "customer_service.on_payment_received": "customer_service.payment.received",
    "customer_service.on_payment_reminder_sent": "customer_service.payment.reminder_sent",
    "customer_service.on_payment_sla_breached": "customer_service.payment.sla_breached",
    "customer_service.on_production_cancelled": "customer_service.production.cancelled",
    "customer_service.on_production_completed": "customer_service.production.completed",
    "customer_service.on_production_delayed": "customer_service.production.delayed",
    "customer_service.on_production_progressed": "customer_service.production.progressed",
    "customer_service.on_production_scheduled": "customer_service.production.scheduled",
    "customer_service.on_return_authorized": "customer_service.return.authorized",
    "customer_service.on_return_inspected": "customer_service.return.inspected",
    "customer_service.on_return_received": "customer_service.return.received",
    "customer_service.on_return_settlement_requested": "customer_service.return.settlement_requested",
    "customer_service.on_service_ticket_closed": "customer_service.service_ticket.closed",
    "customer_service.on_service_ticket_dispatched": "customer_service.service_ticket.dispatched",
    "customer_service.on_service_ticket_opened": "customer_service.service_ticket.opened",
    "customer_service.on_service_ticket_sla_breached": "customer_service.service_ticket.sla_breached",
    "customer_service.on_shipment_cancellation_refused": "customer_service.shipment.cancellation_refused",
    "customer_service.on_shipment_cancelled": "customer_service.shipment.cancelled",
    "customer_service.on_shipment_delayed": "customer_service.shipment.delayed",
    "customer_service.on_shipment_exception": "customer_service.shipment.exception",
    "customer_service.on_shipment_sla_breached": "customer_service.shipment.sla_breached",
    "customer_service.on_shipment_updated": "customer_service.shipment.updated",
    "customer_service.on_spare_part_ordered": "customer_service.spare_part.ordered",
    "customer_service.on_stock_below_reorder_point": "customer_service.stock.below_reorder_point",
    "customer_service.on_stock_released": "customer_service.stock.released",
    "customer_service.on_stock_reserved": "customer_service.stock.reserved",
    "customer_service.on_survey_answered": "customer_service.survey.answered",
    "customer_service.on_survey_sent": "customer_service.survey.sent",
    "customer_service.on_open_complaint": "customer_service.commands",
}


def upgrade() -> None:
    create_audit_trail_v2()
    create_command_outcome_v2()
    rename_inbox_consumers_v2(RENAMES)


def downgrade() -> None:
    op.drop_table("command_outcome")
    drop_audit_trail_v2()
