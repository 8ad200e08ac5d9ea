"""Constrained types and value objects shared by events and commands."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints

from contracts.base import ContractModel

OrderNo = Annotated[str, StringConstraints(pattern=r"^\d{6}-\d{3,}$")]
"""Order number ``YYYYMM-NNN``: per month, never reused."""

ComplaintNo = Annotated[str, StringConstraints(pattern=r"^\d{6}-T\d{3,}$")]
"""Complaint number ``YYYYMM-Tnnn``."""

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""ISO 4217 currency code, e.g. ``CNY``."""

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
"""ISO 3166-1 alpha-2 country code, e.g. ``CN``."""

Text = Annotated[str, StringConstraints(min_length=1)]
"""A non-empty string."""

Money = Annotated[Decimal, Field(ge=0)]
EnteredMoney = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
"""An amount a person or a departmental system enters: whole cents, at most 12 digits before the
point (the services keep money as ``NUMERIC(14, 2)``); ``0.004`` or ``1E+999999`` is refused
rather than rounded or overflowed."""
"""A non-negative amount of money: a string in JSON (``"12.30"``), never a float."""

Percent = Annotated[Decimal, Field(ge=0, le=100)]
"""A percentage between 0 and 100."""

Quantity = Annotated[int, Field(ge=1)]
"""A positive piece count."""

Count = Annotated[int, Field(ge=0)]
"""A piece count that may be zero."""

LineNo = Annotated[int, Field(ge=1)]
"""Position of a line on its order, from 1."""


class Contact(ContractModel):
    """The person at the customer to talk to about this order or complaint."""

    name: Text = Field(description="Full name of the contact person.")
    phone: str | None = Field(default=None, description="Phone number, as given.")
    email: str | None = Field(default=None, description="E-mail address, as given.")


class Address(ContractModel):
    """A postal address for delivery, pickup or an on-site service visit."""

    recipient: Text = Field(description="Person or department who receives the goods.")
    company: str | None = Field(default=None, description="Company name, if any.")
    phone: str | None = Field(default=None, description="Phone number for the carrier.")
    line1: Text = Field(description="Street and number.")
    line2: str | None = Field(default=None, description="Building, floor, unit.")
    city: Text = Field(description="City.")
    region: str | None = Field(default=None, description="Province, state or region.")
    postal_code: str | None = Field(default=None, description="Postal code.")
    country: CountryCode = Field(
        default="CN", description="ISO 3166-1 alpha-2 country; decides domestic or foreign."
    )


class PaymentTerms(ContractModel):
    """The payment terms agreed with the customer for this order."""

    code: Text = Field(description="Terms code from the customer master, e.g. 'NET30'.")
    net_days: int = Field(ge=0, description="Days from invoice date to due date.")
    deposit_percent: Percent | None = Field(
        default=None,
        description="Deposit required before release, as a percentage of the order total; "
        "None or 0 means no deposit.",
    )
    late_fee_percent: Percent | None = Field(
        default=None,
        description="Late fee charged when collections start, as a percentage of the overdue "
        "amount; None when the contract sets none.",
    )


class OrderLine(ContractModel):
    """One line of an order: what, in which specification, how many, at what price."""

    line_no: LineNo = Field(description="Position of the line on the order, from 1.")
    product_code: Text = Field(description="Product code from the catalogue.")
    spec: Text = Field(description="Specification (size, material, finish, options).")
    quantity: Quantity = Field(description="Number of pieces ordered.")
    unit_price: Money = Field(description="Agreed price per piece, in the order's currency.")


class LineQuantity(ContractModel):
    """A quantity of one order line (reserved, picked, returned, ...)."""

    line_no: LineNo = Field(description="Order line this quantity belongs to.")
    product_code: Text = Field(description="Product code of the line.")
    quantity: Quantity = Field(description="Number of pieces.")


class Dimensions(ContractModel):
    """Outer dimensions of a package, in centimetres."""

    length_cm: Decimal = Field(gt=0, description="Length in cm.")
    width_cm: Decimal = Field(gt=0, description="Width in cm.")
    height_cm: Decimal = Field(gt=0, description="Height in cm.")


class Package(ContractModel):
    """One packed parcel or pallet, labelled and ready for the carrier."""

    package_no: Text = Field(description="Package number, unique within the order.")
    label: Text = Field(description="Label or barcode printed on the package.")
    weight_kg: Decimal = Field(gt=0, description="Gross weight in kg.")
    dimensions: Dimensions = Field(description="Outer dimensions.")
    contents: list[LineQuantity] = Field(
        default_factory=list, description="Order lines and quantities in this package."
    )


class MaterialLine(ContractModel):
    """A quantity of raw material or a component."""

    material_code: Text = Field(description="Material or component code.")
    quantity: Decimal = Field(gt=0, description="Quantity in the given unit.")
    unit: Text = Field(description="Unit of measure, e.g. 'kg', 'm', 'pcs'.")
