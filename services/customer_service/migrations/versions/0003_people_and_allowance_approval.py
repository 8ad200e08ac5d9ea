"""Who took each step, and complaint allowances waiting for approval.

Complaints keep who assigned and who resolved them, and, for a discount beyond the resolving
person's limit, the roles that may approve it and who did; remedy plans keep who recorded the
customer's answer and when; service tickets keep who entered the work record.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE complaint ADD COLUMN assigned_by text, ADD COLUMN resolved_by text,"
        " ADD COLUMN approval_roles jsonb, ADD COLUMN approved_by text,"
        " ADD COLUMN approved_at timestamp with time zone"
    )
    op.execute(
        "ALTER TABLE remedy_plan ADD COLUMN answer_recorded_by text,"
        " ADD COLUMN answer_recorded_at timestamp with time zone"
    )
    op.execute("ALTER TABLE service_ticket ADD COLUMN recorded_by text")


def downgrade() -> None:
    for table, columns in (
        ("service_ticket", ["recorded_by"]),
        ("remedy_plan", ["answer_recorded_at", "answer_recorded_by"]),
        ("complaint", ["approved_at", "approved_by", "approval_roles", "resolved_by", "assigned_by"]),
    ):
        for column in columns:
            op.drop_column(table, column)
