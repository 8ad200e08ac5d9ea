"""Kit tables (outbox, inbox, timers) and the warehouse tables.

Items, stock ledger, reservations, inspections, picking and returns.

Frozen: the tables as the first release made them, written out here and never built from today's
models, so a later change to a model can never change what this revision creates.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.kit_migrations import create_kit_tables_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kit_tables_v1()
    op.create_table(
        "fulfilment",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("order_no", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("delivery_address", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("promised_date", sa.Date(), nullable=True),
        sa.Column("rush", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "packages", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_table(
        "goods_return",
        sa.Column("return_id", sa.Uuid(), nullable=False),
        sa.Column("rma_no", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("order_no", sa.Text(), nullable=True),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("condition_notes", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("inspector", sa.Text(), nullable=True),
        sa.Column(
            "results", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("return_id"),
    )
    op.create_table(
        "inspection",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("work_order_id", sa.Uuid(), nullable=True),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("order_no", sa.Text(), nullable=True),
        sa.Column("line_no", sa.Integer(), nullable=True),
        sa.Column("product_code", sa.Text(), nullable=False),
        sa.Column("lot_no", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("quantity_rejected", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("inspector", sa.Text(), nullable=True),
        sa.Column("defect", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("inspection_id"),
        sa.UniqueConstraint("work_order_id", "lot_no", name="inspection_lot_uq"),
    )
    op.create_table(
        "item",
        sa.Column("product_code", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("reorder_point", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reorder_quantity", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("reorder_point >= 0", name="item_reorder_point_ck"),
        sa.PrimaryKeyConstraint("product_code"),
    )
    op.create_table(
        "location",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "pick_list",
        sa.Column("pick_list_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("picked_by", sa.Text(), nullable=True),
        sa.Column("picked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pick_list_id"),
    )
    op.create_index(op.f("ix_pick_list_order_id"), "pick_list", ["order_id"], unique=False)
    op.create_table(
        "reservation",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("quantity_reserved", sa.Integer(), nullable=False),
        sa.Column("quantity_picked", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity_reserved >= 0 AND quantity_picked >= 0", name="reservation_ck"
        ),
        sa.PrimaryKeyConstraint("order_id", "line_no", "location"),
    )
    op.create_table(
        "return_authorization",
        sa.Column("return_id", sa.Uuid(), nullable=False),
        sa.Column("complaint_id", sa.Uuid(), nullable=True),
        sa.Column("rma_no", sa.Text(), nullable=False),
        sa.Column("authorized_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("return_id"),
    )
    op.create_table(
        "stock_movement",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("product_code", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("on_hand_delta", sa.Integer(), nullable=False),
        sa.Column("reserved_delta", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_stock_movement_order_id"), "stock_movement", ["order_id"], unique=False
    )
    op.create_index(
        op.f("ix_stock_movement_product_code"), "stock_movement", ["product_code"], unique=False
    )
    op.create_table(
        "fulfilment_line",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_code", sa.Text(), nullable=False),
        sa.Column("quantity_ordered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["fulfilment.order_id"],
        ),
        sa.PrimaryKeyConstraint("order_id", "line_no"),
    )
    op.create_table(
        "stock",
        sa.Column("product_code", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("reserved >= 0 AND on_hand >= reserved", name="stock_no_oversell_ck"),
        sa.ForeignKeyConstraint(
            ["location"],
            ["location.code"],
        ),
        sa.ForeignKeyConstraint(
            ["product_code"],
            ["item.product_code"],
        ),
        sa.PrimaryKeyConstraint("product_code", "location"),
    )


def downgrade() -> None:
    raise NotImplementedError("the first release cannot be downgraded; drop the schema instead")
