"""Kit tables (outbox, inbox, timers) and the production tables.

Lines, capacity, products, work orders and requisitions.

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
        "material_stock",
        sa.Column("material_code", sa.Text(), nullable=False),
        sa.Column("on_hand", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("material_code"),
    )
    op.create_table(
        "order_plan",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("order_no", sa.Text(), nullable=True),
        sa.Column("review_request", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("warehouse_review", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmation", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("shortfall", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_table(
        "product",
        sa.Column("product_code", sa.Text(), nullable=False),
        sa.Column("family", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("product_code"),
    )
    op.create_table(
        "production_line",
        sa.Column("line_code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("line_code"),
    )
    op.create_table(
        "bom_item",
        sa.Column("product_code", sa.Text(), nullable=False),
        sa.Column("material_code", sa.Text(), nullable=False),
        sa.Column("quantity_per_piece", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_code"],
            ["product.product_code"],
        ),
        sa.PrimaryKeyConstraint("product_code", "material_code"),
    )
    op.create_table(
        "line_capacity",
        sa.Column("line_code", sa.Text(), nullable=False),
        sa.Column("family", sa.Text(), nullable=False),
        sa.Column("pieces_per_day", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_code"],
            ["production_line.line_code"],
        ),
        sa.PrimaryKeyConstraint("line_code", "family"),
    )
    op.create_table(
        "line_downtime",
        sa.Column("line_code", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["line_code"],
            ["production_line.line_code"],
        ),
        sa.PrimaryKeyConstraint("line_code", "day"),
    )
    op.create_table(
        "work_order",
        sa.Column("work_order_id", sa.Uuid(), nullable=False),
        sa.Column("work_order_no", sa.Text(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("order_no", sa.Text(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_code", sa.Text(), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("family", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("promised_date", sa.Date(), nullable=False),
        sa.Column("rush", sa.Boolean(), nullable=False),
        sa.Column("prepaid", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("line_code", sa.Text(), nullable=True),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_finish", sa.Date(), nullable=True),
        sa.Column("quantity_done", sa.Integer(), nullable=False),
        sa.Column("quantity_scrapped", sa.Integer(), nullable=False),
        sa.Column("lot_no", sa.Text(), nullable=True),
        sa.Column("materials_ready", sa.Boolean(), nullable=False),
        sa.Column("delay_reported_for", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_code"],
            ["production_line.line_code"],
        ),
        sa.PrimaryKeyConstraint("work_order_id"),
        sa.UniqueConstraint("work_order_no"),
    )
    op.create_index(op.f("ix_work_order_order_id"), "work_order", ["order_id"], unique=False)
    op.create_index(
        "uq_work_order_order_line",
        "work_order",
        ["order_id", "line_no"],
        unique=True,
        postgresql_where=sa.text("kind = 'production'"),
    )
    op.create_table(
        "allocation",
        sa.Column("work_order_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("line_code", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_code"],
            ["production_line.line_code"],
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_order.work_order_id"],
        ),
        sa.PrimaryKeyConstraint("work_order_id", "day"),
    )
    op.create_index("ix_allocation_line_day", "allocation", ["line_code", "day"], unique=False)
    op.create_table(
        "material_requisition",
        sa.Column("requisition_id", sa.Uuid(), nullable=False),
        sa.Column("requisition_no", sa.Text(), nullable=False),
        sa.Column("work_order_id", sa.Uuid(), nullable=False),
        sa.Column("materials", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_order.work_order_id"],
        ),
        sa.PrimaryKeyConstraint("requisition_id"),
        sa.UniqueConstraint("requisition_no"),
    )


def downgrade() -> None:
    raise NotImplementedError("the first release cannot be downgraded; drop the schema instead")
