"""An order as the warehouse fulfils it: reservations per line and location, picking, packing.

Life: ``reserving`` (shortfall left) -> ``picking`` (fully reserved, pick lists out) -> ``picked``
-> ``ready`` (packed, QC passed, ``goods.ready``) -> ``shipped``; ``cancelled`` from any state
before shipping. A cancellation that arrives before the confirmation leaves a cancelled
tombstone, so the late confirmation reserves nothing.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from contracts.base import Event
from contracts.common import Address, LineQuantity, Package
from contracts.enums import StockReleaseReason
from contracts.events.warehouse import (
    GoodsReady,
    ReservedLine,
    ShortfallChange,
    StockReleased,
    StockReserved,
)
from contracts.status.warehouse import FulfilmentStatus, PickListStatus
from services.warehouse.domain.errors import IllegalTransition, QcCheckFailed, WarehouseError


class StockChange(NamedTuple):
    """What the stock ledger must book for a step of the order."""

    product_code: str
    location: str
    quantity: int


@dataclass
class Allocation:
    reserved: int = 0  # reserved on the shelf, not yet picked
    picked: int = 0  # off the shelf, waiting to be packed / dispatched


@dataclass
class FulfilmentLine:
    line_no: int
    product_code: str
    ordered: int
    allocations: dict[str, Allocation] = field(default_factory=dict)

    @property
    def covered(self) -> int:
        return sum(a.reserved + a.picked for a in self.allocations.values())

    @property
    def shortfall(self) -> int:
        return max(self.ordered - self.covered, 0)


@dataclass
class PickLine:
    line_no: int
    product_code: str
    quantity: int


@dataclass
class PickList:
    pick_list_id: UUID
    location: str
    lines: list[PickLine]
    status: PickListStatus = PickListStatus.OPEN
    picked_by: str | None = None
    picked_at: datetime | None = None


@dataclass
class Fulfilment:
    order_id: UUID
    order_no: str | None
    status: FulfilmentStatus
    lines: dict[int, FulfilmentLine] = field(default_factory=dict)
    delivery_address: Address | None = None
    promised_date: date | None = None
    rush: bool = False
    pick_lists: list[PickList] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    # the amendments its lines and address include: a stale one is not applied twice
    amendment_no: int = 0
    # the shortfall per line production last heard of (what it is making); a stored order's
    # is its shortfall, as every change of it is reported in the transaction that makes it
    reported: dict[int, int] | None = None
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.reported is None:
            self.reported = {no: line.shortfall for no, line in self.lines.items()}

    @classmethod
    def open(
        cls,
        order_id: UUID,
        order_no: str,
        lines: list[tuple[int, str, int]],
        delivery_address: Address,
        promised_date: date | None,
        rush: bool,
        amendment_no: int = 0,
    ) -> Fulfilment:
        return cls(
            order_id,
            order_no,
            FulfilmentStatus.RESERVING,
            {no: FulfilmentLine(no, code, qty) for no, code, qty in lines},
            delivery_address,
            promised_date,
            rush,
            amendment_no=amendment_no,
            reported={},
        )

    @classmethod
    def cancelled_before_confirmation(cls, order_id: UUID, order_no: str | None) -> Fulfilment:
        return cls(order_id, order_no, FulfilmentStatus.CANCELLED)

    @classmethod
    def amended_before_confirmation(
        cls, order_id: UUID, order_no: str, amendment_no: int, delivery_address: Address | None
    ) -> Fulfilment:
        """What an amendment says of an order whose confirmation has not been handled yet
        (an order still in review, or one whose confirmation is late)."""
        return cls(
            order_id,
            order_no,
            FulfilmentStatus.AWAITING_CONFIRMATION,
            delivery_address=delivery_address,
            amendment_no=amendment_no,
        )

    # --- confirmation ------------------------------------------------------------------------

    def is_behind(self, amendment_no: int) -> bool:
        """Does an amendment (or a confirmation including it) change what this one knows?"""
        return self.status != FulfilmentStatus.CANCELLED and amendment_no > self.amendment_no

    def confirm(self, confirmation: Fulfilment) -> None:
        """The confirmation of an order an amendment announced: its lines and date, and the
        address of whichever of the two includes more amendments. The number stays the
        confirmation's: changed quantities come with the order's next release."""
        assert self.status == FulfilmentStatus.AWAITING_CONFIRMATION
        keep_address = self.amendment_no > confirmation.amendment_no and self.delivery_address
        self.status = FulfilmentStatus.RESERVING
        self.order_no = confirmation.order_no
        self.lines, self.reported = confirmation.lines, {}
        self.delivery_address = (
            self.delivery_address if keep_address else confirmation.delivery_address
        )
        self.promised_date, self.rush = confirmation.promised_date, confirmation.rush
        self.amendment_no = confirmation.amendment_no

    def reconfirm(
        self, confirmation: Fulfilment
    ) -> tuple[list[StockChange], list[StockChange]] | None:
        """A confirmation including amendments this one missed: take its address, date and
        quantities. Returns (releases, put_backs) when quantities changed, else None."""
        self.delivery_address = confirmation.delivery_address
        self.promised_date, self.rush = confirmation.promised_date, confirmation.rush
        self.amendment_no = confirmation.amendment_no
        wanted = {no: line.ordered for no, line in confirmation.lines.items()}
        changes = [
            (no, confirmation.lines[no].product_code, qty)
            for no, qty in wanted.items()
            if no not in self.lines or self.lines[no].ordered != qty
        ] + [
            (no, line.product_code, 0)
            for no, line in self.lines.items()
            if no not in wanted and line.ordered
        ]
        if not changes:
            return None
        releases, put_backs = self.amend(changes)
        return releases, put_backs

    def take_amendment(self, amendment_no: int, delivery_address: Address | None) -> None:
        """Note an amendment as applied (its new address, if it has one)."""
        if delivery_address is not None:
            self.delivery_address = delivery_address
        self.amendment_no = amendment_no

    # --- reservation -----------------------------------------------------------------------

    def held(self, product_code: str) -> int:
        """What the order already holds of a product, reserved or picked."""
        return sum(ln.covered for ln in self.lines.values() if ln.product_code == product_code)

    @property
    def fully_reserved(self) -> bool:
        return all(line.shortfall == 0 for line in self.lines.values())

    @property
    def accepts_reservations(self) -> bool:
        return self.status == FulfilmentStatus.RESERVING

    def add_reservation(self, line_no: int, granted: dict[str, int]) -> None:
        line = self.lines[line_no]
        for location, quantity in granted.items():
            line.allocations.setdefault(location, Allocation()).reserved += quantity

    def record_reservation(self, lot_no: str | None = None) -> None:
        """Raise ``stock.reserved`` with the state of every line, then start picking if full.

        A report that is not a lot's tells production how much more (or less) to make."""
        if self.order_no is None:
            return
        changes = None if lot_no is not None else self._shortfall_changes()
        self.reported = {no: line.shortfall for no, line in self.lines.items()}
        self.events.append(
            StockReserved(
                order_id=self.order_id,
                order_no=self.order_no,
                lines=[
                    ReservedLine(
                        line_no=line.line_no,
                        product_code=line.product_code,
                        quantity_ordered=line.ordered,
                        quantity_reserved=line.covered,
                        shortfall=line.shortfall,
                    )
                    for line in sorted(self.lines.values(), key=lambda x: x.line_no)
                    if line.ordered > 0
                ],
                fully_reserved=self.fully_reserved,
                lot_no=lot_no,
                shortfall_changes=changes,
            )
        )
        self.plan_picking()

    def _shortfall_changes(self) -> list[ShortfallChange]:
        reported = self.reported or {}
        return [
            ShortfallChange(
                line_no=no,
                product_code=line.product_code,
                change=line.shortfall - reported.get(no, 0),
            )
            for no, line in sorted(self.lines.items())
            if line.shortfall != reported.get(no, 0)
        ]

    def plan_picking(self) -> None:
        """Once every line is reserved in full: one pick list per location."""
        if self.status != FulfilmentStatus.RESERVING or not self.fully_reserved:
            return
        per_location: dict[str, list[PickLine]] = defaultdict(list)
        for line in sorted(self.lines.values(), key=lambda x: x.line_no):
            for location, allocation in sorted(line.allocations.items()):
                if allocation.reserved > 0:
                    per_location[location].append(
                        PickLine(line.line_no, line.product_code, allocation.reserved)
                    )
        for location, pick_lines in sorted(per_location.items()):
            self.pick_lists.append(PickList(uuid.uuid4(), location, pick_lines))
        self.status = FulfilmentStatus.PICKING if per_location else FulfilmentStatus.PICKED

    # --- picking and packing ---------------------------------------------------------------

    def confirm_pick(
        self,
        pick_list_id: UUID,
        picked: list[tuple[int, str, int]] | None,
        picked_by: str,
        picked_at: datetime,
    ) -> list[StockChange]:
        """Staff confirm a pick list; the quantities must be the listed ones. The same
        confirmation again (its answer lost on the way) changes nothing."""
        if self._picked_already(pick_list_id, picked, picked_by):
            return []
        if self.status != FulfilmentStatus.PICKING:
            raise IllegalTransition("order", self.status, "no picking in progress")
        pick_list = self._pick_list(pick_list_id)
        if pick_list.status != PickListStatus.OPEN:
            raise IllegalTransition("pick list", pick_list.status)
        expected = _listed(pick_list)
        if picked is not None and sorted(picked) != expected:
            raise WarehouseError(f"picked {sorted(picked)} but the pick list says {expected}")
        changes = []
        for p in pick_list.lines:
            allocation = self.lines[p.line_no].allocations[pick_list.location]
            allocation.reserved -= p.quantity
            allocation.picked += p.quantity
            changes.append(StockChange(p.product_code, pick_list.location, p.quantity))
        pick_list.status, pick_list.picked_by, pick_list.picked_at = (
            PickListStatus.PICKED,
            picked_by,
            picked_at,
        )
        if all(pl.status != PickListStatus.OPEN for pl in self.pick_lists):
            self.status = FulfilmentStatus.PICKED
        return changes

    def _picked_already(
        self, pick_list_id: UUID, picked: list[tuple[int, str, int]] | None, picked_by: str
    ) -> bool:
        done = next((pl for pl in self.pick_lists if pl.pick_list_id == pick_list_id), None)
        return (
            done is not None
            and done.status == PickListStatus.PICKED
            and done.picked_by == picked_by
            and (picked is None or sorted(picked) == _listed(done))
        )

    def open_pick_lists(self) -> list[PickList]:
        return [pl for pl in self.pick_lists if pl.status == PickListStatus.OPEN]

    def _pick_list(self, pick_list_id: UUID) -> PickList:
        for pick_list in self.pick_lists:
            if pick_list.pick_list_id == pick_list_id:
                return pick_list
        raise WarehouseError(f"pick list {pick_list_id} is not for order {self.order_no}")

    def pack(self, packages: list[Package]) -> None:
        """Pack the picked goods; QC checks quantity and model against the order.

        Passing QC makes the goods ready for the carrier (``goods.ready``). The same packages
        again (an answer lost on the way) change nothing.
        """
        done = (FulfilmentStatus.READY, FulfilmentStatus.SHIPPED)
        if self.status in done and self.packages == list(packages):
            return
        if self.status != FulfilmentStatus.PICKED:
            raise IllegalTransition("order", self.status, "only picked orders can be packed")
        problems = qc_problems(self.lines, packages)
        if problems:
            raise QcCheckFailed(problems)
        assert self.order_no is not None and self.delivery_address is not None
        self.packages = list(packages)
        self.status = FulfilmentStatus.READY
        self.events.append(
            GoodsReady(
                order_id=self.order_id,
                order_no=self.order_no,
                packages=self.packages,
                total_weight_kg=sum((p.weight_kg for p in packages), Decimal(0)),
                delivery_address=self.delivery_address,
                promised_date=self.promised_date,
                rush=self.rush,
            )
        )

    def mark_shipped(self) -> None:
        if self.status != FulfilmentStatus.CANCELLED:
            self.status = FulfilmentStatus.SHIPPED

    # --- changes and cancellation ----------------------------------------------------------

    def cancel(self) -> tuple[list[StockChange], list[StockChange]]:
        """Give everything back: reserved stock is released, picked goods go back on the shelf.

        Returns (releases, put_backs). Goods already dispatched cannot be taken back here.
        """
        if self.status == FulfilmentStatus.CANCELLED:
            return [], []
        if self.status == FulfilmentStatus.SHIPPED:
            raise IllegalTransition("order", self.status, "goods already dispatched")
        releases, put_backs = self._give_back({no: 0 for no in self.lines})
        self.status = FulfilmentStatus.CANCELLED
        return releases, put_backs

    def amend(self, changes: list[tuple[int, str, int]]) -> tuple[list[StockChange], ...]:
        """New line quantities: give back what is now too much, then reserve the rest again.

        Returns (releases, put_backs); the caller reserves the new shortfalls.
        """
        if self.status == FulfilmentStatus.CANCELLED:
            return [], []
        if self.status in (FulfilmentStatus.READY, FulfilmentStatus.SHIPPED):
            raise IllegalTransition("order", self.status, "already packed; amend by a return")
        for line_no, product_code, _ in changes:
            if line_no not in self.lines:
                self.lines[line_no] = FulfilmentLine(line_no, product_code, 0)
        result = self._give_back(
            {no: qty for no, _, qty in changes}, StockReleaseReason.ORDER_AMENDED
        )
        self.status = FulfilmentStatus.RESERVING
        return result

    def _give_back(
        self,
        new_quantities: dict[int, int],
        reason: StockReleaseReason = StockReleaseReason.ORDER_CANCELLED,
    ) -> tuple[list[StockChange], list[StockChange]]:
        releases: list[StockChange] = []
        put_backs: list[StockChange] = []
        released_lines: list[LineQuantity] = []
        for line_no, new_quantity in sorted(new_quantities.items()):
            line = self.lines[line_no]
            line.ordered = new_quantity
            excess = line.covered - new_quantity
            given = 0
            # unpicked reservations go first: they need no walk to the shelf
            for field_name, into in (("reserved", releases), ("picked", put_backs)):
                for location, allocation in sorted(line.allocations.items()):
                    take = min(excess - given, getattr(allocation, field_name))
                    if take > 0:
                        setattr(allocation, field_name, getattr(allocation, field_name) - take)
                        into.append(StockChange(line.product_code, location, take))
                        given += take
            if given:
                released_lines.append(
                    LineQuantity(line_no=line_no, product_code=line.product_code, quantity=given)
                )
        if released_lines and self.order_no is not None:
            self.events.append(
                StockReleased(
                    order_id=self.order_id,
                    order_no=self.order_no,
                    lines=released_lines,
                    reason=reason,
                )
            )
        for pick_list in self.open_pick_lists():
            pick_list.status = PickListStatus.VOID
        return releases, put_backs


def _listed(pick_list: PickList) -> list[tuple[int, str, int]]:
    return sorted((p.line_no, p.product_code, p.quantity) for p in pick_list.lines)


def qc_problems(lines: dict[int, FulfilmentLine], packages: list[Package]) -> list[str]:
    """Packed contents against the order: every line's model and quantity, nothing extra."""
    problems: list[str] = []
    numbers = [p.package_no for p in packages]
    if len(set(numbers)) != len(numbers):
        problems.append("package numbers repeat")
    packed: dict[int, int] = defaultdict(int)
    for package in packages:
        if not package.contents:
            problems.append(f"package {package.package_no} has no contents")
        for content in package.contents:
            line = lines.get(content.line_no)
            if line is None or line.ordered == 0:
                problems.append(f"package {package.package_no}: line {content.line_no} not ordered")
                continue
            if content.product_code != line.product_code:
                problems.append(
                    f"package {package.package_no}: line {content.line_no} is"
                    f" {line.product_code}, packed {content.product_code}"
                )
            packed[content.line_no] += content.quantity
    for line in sorted(lines.values(), key=lambda x: x.line_no):
        if line.ordered and packed.get(line.line_no, 0) != line.ordered:
            problems.append(
                f"line {line.line_no}: ordered {line.ordered}, packed {packed.get(line.line_no, 0)}"
            )
    return problems
