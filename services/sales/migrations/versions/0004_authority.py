"""Authority: who entered, amended and approved each order (per rule of the approval matrix),
the order's total in the base currency, the signature as declared and as recorded; exchange
rates and customer changes waiting for a second master-data person.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    jsonb = postgresql.JSONB(astext_type=sa.Text())
    op.add_column("customer_order", sa.Column("approvals", jsonb, nullable=True))
    op.add_column("customer_order", sa.Column("entered_by", sa.Text(), nullable=True))
    op.add_column("customer_order", sa.Column("amended_by", jsonb, nullable=True))
    op.add_column(
        "customer_order", sa.Column("base_total", sa.Numeric(precision=14, scale=2), nullable=True)
    )
    op.add_column(
        "customer_order",
        sa.Column("exchange_rate", sa.Numeric(precision=18, scale=8), nullable=True),
    )
    op.add_column("customer_order", sa.Column("signed_on", sa.Date(), nullable=True))
    op.add_column("customer_order", sa.Column("signature_recorded_by", sa.Text(), nullable=True))
    # Orders from before: nobody is known to have entered or amended them; those in the base
    # currency have their base total; an approval given before names no role, so an amendment
    # sends them to the approvers again; no signing date was declared.
    op.execute(
        "UPDATE customer_order SET approvals = '{}'::jsonb, amended_by = '[]'::jsonb,"
        " base_total = CASE WHEN currency = 'CNY' THEN total_amount END,"
        " exchange_rate = CASE WHEN currency = 'CNY' THEN 1 END"
    )
    op.alter_column("customer_order", "approvals", nullable=False)
    op.alter_column("customer_order", "amended_by", nullable=False)

    op.create_table(
        "exchange_rate",
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("currency"),
    )
    op.create_table(
        "customer_change",
        sa.Column("change_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("before", jsonb, nullable=False),
        sa.Column("after", jsonb, nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.customer_id"]),
        sa.PrimaryKeyConstraint("change_id"),
    )
    op.create_index(
        op.f("ix_customer_change_customer_id"), "customer_change", ["customer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_customer_change_customer_id"), table_name="customer_change")
    op.drop_table("customer_change")
    op.drop_table("exchange_rate")
    for column in (
        "signature_recorded_by",
        "signed_on",
        "exchange_rate",
        "base_total",
        "amended_by",
        "entered_by",
        "approvals",
    ):
        op.drop_column("customer_order", column)
