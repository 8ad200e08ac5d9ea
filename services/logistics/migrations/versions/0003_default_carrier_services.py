"""The default carrier services, so the system runs unconfigured.

The first release's 0001 inserted them; the frozen 0001 that replaced it makes the tables only.
Inserted here again, with the same ids, where a carrier does not have that service level yet:
a database made by the first release keeps its rows as they are (switched off, re-rated).

Revision ID: 0003
"""

from uuid import NAMESPACE_URL, uuid5

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# code, name, level, express, regions, max kg, transit business days, base, per kg, url; and the
# id the first release gave each: uuid5(NAMESPACE_URL, "orderflow:carrier:<code>:<level>").
_DEFAULTS = [
    ("SF", "SF Express", "express", True, ["CN"], "50", 1, "23", "6", "https://www.sf-express.com/track?no={tracking_no}"),
    ("SF", "SF Express", "standard", False, ["CN"], "100", 2, "15", "3", "https://www.sf-express.com/track?no={tracking_no}"),
    ("ZTO", "ZTO Express", "economy", False, ["CN"], "50", 3, "8", "1.5", None),
    ("DEPPON", "Deppon Logistics", "freight", False, ["CN"], "3000", 4, "60", "0.8", None),
    ("DHL", "DHL Express", "express", True, ["!CN", "*"], "70", 4, "180", "45", "https://www.dhl.com/track?id={tracking_no}"),
    ("SCHENKER", "DB Schenker", "freight", False, ["!CN", "*"], "5000", 12, "800", "6", None),
]

_INSERT = sa.text(
    "INSERT INTO carrier_service (id, code, name, service_level, express, regions,"
    " max_weight_kg, transit_days, base_rate, rate_per_kg, currency, active,"
    " tracking_url_template)"
    " VALUES (:id,"
    " :code, :name, :level, :express, :regions, CAST(:max_kg AS numeric),"
    " :days, CAST(:base AS numeric), CAST(:per_kg AS numeric), 'CNY', true, :url)"
    " ON CONFLICT ON CONSTRAINT uq_carrier_service_code_level DO NOTHING"
)


def upgrade() -> None:
    for code, name, level, express, regions, max_kg, days, base, per_kg, url in _DEFAULTS:
        op.execute(
            _INSERT.bindparams(
                id=uuid5(NAMESPACE_URL, f"orderflow:carrier:{code}:{level}"),
                code=code,
                name=name,
                level=level,
                express=express,
                regions=regions,
                max_kg=max_kg,
                days=days,
                base=base,
                per_kg=per_kg,
                url=url,
            )
        )


def downgrade() -> None:
    pass  # the services may be in use by shipments: they stay
