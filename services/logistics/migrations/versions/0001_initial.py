"""Kit tables, logistics tables, and default carrier services so the system runs unconfigured.

Revision ID: 0001
"""

from decimal import Decimal
from uuid import NAMESPACE_URL, uuid5

from alembic import op

from services.logistics.adapters.tables import carrier_service, metadata
from shared.tables import kit_metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# code, name, level, express, regions, max kg, transit business days, base, per kg, url
_DEFAULTS = [
    ("SF", "SF Express", "express", True, ["CN"], "50", 1, "23", "6", "https://www.sf-express.com/track?no={tracking_no}"),
    ("SF", "SF Express", "standard", False, ["CN"], "100", 2, "15", "3", "https://www.sf-express.com/track?no={tracking_no}"),
    ("ZTO", "ZTO Express", "economy", False, ["CN"], "50", 3, "8", "1.5", None),
    ("DEPPON", "Deppon Logistics", "freight", False, ["CN"], "3000", 4, "60", "0.8", None),
    ("DHL", "DHL Express", "express", True, ["!CN", "*"], "70", 4, "180", "45", "https://www.dhl.com/track?id={tracking_no}"),
    ("SCHENKER", "DB Schenker", "freight", False, ["!CN", "*"], "5000", 12, "800", "6", None),
]


def upgrade() -> None:
    bind = op.get_bind()
    kit_metadata.create_all(bind)
    metadata.create_all(bind)
    op.bulk_insert(
        carrier_service,
        [
            {
                "id": uuid5(NAMESPACE_URL, f"orderflow:carrier:{code}:{level}"),
                "code": code,
                "name": name,
                "service_level": level,
                "express": express,
                "regions": regions,
                "max_weight_kg": Decimal(max_kg),
                "transit_days": days,
                "base_rate": Decimal(base),
                "rate_per_kg": Decimal(per_kg),
                "currency": "CNY",
                "active": True,
                "tracking_url_template": url,
            }
            for code, name, level, express, regions, max_kg, days, base, per_kg, url in _DEFAULTS
        ],
    )


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
    kit_metadata.drop_all(op.get_bind())
