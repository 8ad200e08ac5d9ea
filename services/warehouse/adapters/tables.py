"""The warehouse's tables (SQLAlchemy Core, own MetaData, no schema name).

``stock_movement`` is the ledger; ``stock`` holds its running sum per item and location (the row
that is locked for every change, and the CHECKs that make overselling impossible).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

item = Table(
    "item",
    metadata,
    Column("product_code", Text, primary_key=True),
    Column("description", Text, nullable=True),
    Column("reorder_point", Integer, nullable=False, server_default="0"),
    Column("reorder_quantity", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("reorder_point >= 0", name="item_reorder_point_ck"),
)

location = Table(
    "location",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

stock = Table(
    "stock",
    metadata,
    Column("product_code", Text, ForeignKey("item.product_code"), nullable=False),
    Column("location", Text, ForeignKey("location.code"), nullable=False),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("product_code", "location"),
    CheckConstraint("reserved >= 0 AND on_hand >= reserved", name="stock_no_oversell_ck"),
)

stock_movement = Table(
    "stock_movement",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("product_code", Text, nullable=False, index=True),
    Column("location", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("on_hand_delta", Integer, nullable=False),
    Column("reserved_delta", Integer, nullable=False),
    Column("order_id", Uuid, nullable=True, index=True),
    Column("reference", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

fulfilment = Table(
    "fulfilment",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("order_no", Text, nullable=True),
    Column("status", Text, nullable=False),
    Column("delivery_address", JSONB, nullable=True),
    Column("promised_date", Date, nullable=True),
    Column("rush", Boolean, nullable=False, server_default=false()),
    Column("amendment_no", Integer, nullable=False, server_default="0"),
    Column("packages", JSONB, nullable=False, server_default="[]"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

fulfilment_line = Table(
    "fulfilment_line",
    metadata,
    Column("order_id", Uuid, ForeignKey("fulfilment.order_id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("product_code", Text, nullable=False),
    Column("quantity_ordered", Integer, nullable=False),
    PrimaryKeyConstraint("order_id", "line_no"),
)

reservation = Table(
    "reservation",
    metadata,
    Column("order_id", Uuid, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("location", Text, nullable=False),
    Column("quantity_reserved", Integer, nullable=False),
    Column("quantity_picked", Integer, nullable=False),
    PrimaryKeyConstraint("order_id", "line_no", "location"),
    CheckConstraint("quantity_reserved >= 0 AND quantity_picked >= 0", name="reservation_ck"),
)

pick_list = Table(
    "pick_list",
    metadata,
    Column("pick_list_id", Uuid, primary_key=True),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("location", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("picked_by", Text, nullable=True),
    Column("picked_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

inspection = Table(
    "inspection",
    metadata,
    Column("inspection_id", Uuid, primary_key=True),
    Column("work_order_id", Uuid, nullable=True),
    Column("order_id", Uuid, nullable=True),
    Column("order_no", Text, nullable=True),
    Column("line_no", Integer, nullable=True),
    Column("product_code", Text, nullable=False),
    Column("lot_no", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("quantity_rejected", Integer, nullable=False, server_default="0"),
    Column("status", Text, nullable=False),
    Column("inspector", Text, nullable=True),
    Column("defect", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    # one inspection per produced lot, however often production.completed arrives
    UniqueConstraint("work_order_id", "lot_no", name="inspection_lot_uq"),
)

goods_return = Table(
    "goods_return",
    metadata,
    Column("return_id", Uuid, primary_key=True),
    Column("rma_no", Text, nullable=False),
    Column("order_id", Uuid, nullable=True),
    Column("order_no", Text, nullable=True),
    Column("lines", JSONB, nullable=False),
    Column("condition_notes", Text, nullable=True),
    Column("status", Text, nullable=False),
    Column("inspector", Text, nullable=True),
    Column("results", JSONB, nullable=False, server_default="[]"),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("inspected_at", DateTime(timezone=True), nullable=True),
)

return_authorization = Table(
    "return_authorization",
    metadata,
    Column("return_id", Uuid, primary_key=True),
    Column("complaint_id", Uuid, nullable=True),
    Column("rma_no", Text, nullable=False),
    Column("authorized_at", DateTime(timezone=True), nullable=False),
)
