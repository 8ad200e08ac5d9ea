"""An example of every registered message, for the AsyncAPI document and for departmental teams'
tests: ``example(Model)`` is a payload that the model itself accepts, with the values a clerk
would recognise (an order number, a customer, a product, an address in Shanghai).

Built from the model's JSON Schema, every property filled (the first non-null choice of an
``anyOf``, one item of a list): a value for a property named here, otherwise one the schema's
type and bounds allow. Deterministic, so the generated document does not change between runs.
The result is validated by the model; a message that could not get a valid example raises, so a
new model with a rule this cannot guess gets a name below, not a broken example.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

from contracts.base import Message

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
DAY = date(2026, 12, 1)
_NAMESPACE = UUID("6f1c0a52-4d8e-4d0e-9a7b-3c2f1e0d5b11")

# Values by property name: what the field holds in the story of one order.
BY_NAME: dict[str, Any] = {
    "order_no": "202612-042",
    "complaint_no": "202612-T007",
    "customer_id": "C1001",
    "customer_name": "Acme Pumps Ltd 艾克米泵业",
    "company": "Acme Pumps Ltd",
    "recipient": "Receiving dock 收货处",
    "name": "Li Wei 李伟",
    "phone": "+86 21 5555 0101",
    "email": "li.wei@acme-pumps.example",
    "line1": "88 Jinqiao Road",
    "line2": "Building 3",
    "city": "Shanghai",
    "region": "Shanghai",
    "postal_code": "201206",
    "country": "CN",
    "currency": "CNY",
    "product_code": "VLV-50",
    "material_code": "STEEL-BAR-20",
    "part_code": "SEAL-50",
    "spec": "DN50 PN16 stainless",
    "production_line": "LINE-1",
    "carrier": "ZTO",
    "service_level": "standard",
    "tracking_no": "ZTO7301234567",
    "tracking_url": "https://www.zto.com/track?no=ZTO7301234567",
    "scan_id": "ZTO7301234567-3",
    "booking_ref": "ZTO-BK-88231",
    "location": "Hangzhou sorting centre",
    "client_reference": "EDI-20261201-0001",
    "reference": "BANK-20261201-7781",
    "invoice_no": "INV-202612-0007",
    "credit_note_no": "CN-202612-0002",
    "work_order_no": "WO-202612-042-1",
    "requisition_no": "MR-202612-0011",
    "rma_no": "RMA-202612-0003",
    "ticket_no": "ST-202612-0005",
    "lot_no": "LOT-20261201-A",
    "serial_no": "SN-VLV50-000731",
    "package_no": "1",
    "label": "PKG-202612-042-1",
    "delivery_note_ref": "DN-202612-042",
    "document_ref": "DOC-202612-042",
    "proof_ref": "POD-202612-042",
    "defect_code": "LEAK",
    "unit": "pcs",
    "command_type": "sales.submit_order",
    "sender": "edi-gateway",
    "exchange": "orderflow.events",
    "field": "lines[0].quantity",
    "state": "confirmed",
    "link": "https://orderflow.example/orders/202612-042",
    "sent_via": "email",
    "quantity": 10,
    "line_no": 1,
    "review_round": 1,
    "amendment_no": 1,
    "net_days": 30,
    "score": 5,
    "recommend_score": 9,
    "deposit_percent": "30",
    "late_fee_percent": "0.05",
    "unit_price": "1500.00",
    "amount": "4500.00",
    "amount_due": "15000.00",
    "total_amount": "15000.00",
    "deposit_amount": "4500.00",
    "discount_amount": "500.00",
    "refund_amount": "500.00",
    "late_fee": "7.50",
    "weight_kg": "12.5",
    "total_weight_kg": "12.5",
    "length_cm": "40",
    "width_cm": "30",
    "height_cm": "20",
    "hours": "8",
    "reason": "the customer asked for it",
    "notes": "Deliver to dock 3 before noon",
    "root_cause": "Flange gasket seated unevenly at assembly",
    "code": "NET30",
    "summary": "Valve leaks at the flange after installation",
    "description": "Valve leaks at the flange after installation",
    "comment": "Delivered on time, well packed",
}


def example(model: type[Message]) -> dict[str, Any]:
    """A payload ``model`` accepts, as JSON-compatible values."""
    schema = model.model_json_schema(mode="validation")
    definitions = schema.get("$defs", {})
    full = _value(schema, "", definitions)
    for candidate in (full, _value(schema, "", definitions, required_only=True)):
        try:
            return model.model_validate(candidate).model_dump(mode="json")
        except ValueError:
            continue
    model.model_validate(full)  # raises, naming the field to add to BY_NAME
    raise AssertionError("unreachable")


def _value(
    schema: dict[str, Any],
    name: str,
    definitions: dict[str, Any],
    *,
    required_only: bool = False,
) -> Any:
    if "$ref" in schema:
        target = definitions[schema["$ref"].rsplit("/", 1)[-1]]
        return _value(target, name, definitions, required_only=required_only)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None and name not in BY_NAME:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            choices = [c for c in schema[key] if c.get("type") != "null"] or schema[key]
            return _value(choices[0], name, definitions, required_only=required_only)
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, definitions, required_only)
    if kind == "array":
        item = _value(schema.get("items", {}), name, definitions, required_only=required_only)
        return [item] * max(1, schema.get("minItems", 1))
    if name in BY_NAME:
        return BY_NAME[name]
    return _scalar(schema, name)


def _object(schema: dict[str, Any], definitions: dict[str, Any], required_only: bool) -> Any:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    return {
        key: _value(sub, key, definitions, required_only=required_only)
        for key, sub in properties.items()
        if key in required or not required_only
    }


def _scalar(schema: dict[str, Any], name: str) -> Any:
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "uuid":
        return str(uuid5(_NAMESPACE, name))
    if fmt == "date-time":
        return AT.isoformat()
    if fmt == "date":
        return (DAY + timedelta(days=10 if "due" in name or "date" in name else 0)).isoformat()
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        value = max(1, int(low) + (1 if "exclusiveMinimum" in schema else 0))
        return min(value, schema.get("maximum", value))
    text = name.replace("_", " ") or "text"
    low, high = schema.get("minLength", 1), schema.get("maxLength", 64)
    return (text * (1 + low // max(1, len(text))))[: max(low, min(high, len(text)))]
