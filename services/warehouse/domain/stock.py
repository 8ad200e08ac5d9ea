"""The stock ledger of one item: levels per location, changed only by recorded movements.

Every change is a ``Movement`` (receipt, reservation, release, pick, adjustment, count, ...)
with its effect on on-hand and on reserved; the level per location is the sum of its movements,
so on-hand, reserved and available (on-hand - reserved) can always be derived from the ledger.
Two rules hold after every movement: on-hand >= reserved >= 0, so nothing is ever reserved
that is not on hand (no overselling).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from contracts.events.warehouse import StockBelowReorderPoint
from services.warehouse.domain.errors import StockRuleViolation


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # goods received (purchase, initial stock)
    INBOUND = "inbound"  # finished goods from production that passed QC
    RESERVE = "reserve"
    RELEASE = "release"
    PICK = "pick"  # reserved goods taken off the shelf for packing
    PUT_BACK = "put_back"  # picked goods returned to the shelf (cancellation, amendment)
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    RETURN_RESTOCK = "return_restock"  # customer return that passed inspection


@dataclass(frozen=True)
class Movement:
    product_code: str
    location: str
    kind: MovementKind
    on_hand_delta: int
    reserved_delta: int
    order_id: UUID | None = None
    reference: str | None = None
    reason: str | None = None


@dataclass
class StockLevel:
    location: str
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass
class StockBook:
    """All stock of one item, loaded (and locked) as one unit."""

    product_code: str
    levels: dict[str, StockLevel] = field(default_factory=dict)
    reorder_point: int = 0
    reorder_quantity: int | None = None
    movements: list[Movement] = field(default_factory=list)
    events: list[StockBelowReorderPoint] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._available_at_load = self.available

    @property
    def on_hand(self) -> int:
        return sum(level.on_hand for level in self.levels.values())

    @property
    def reserved(self) -> int:
        return sum(level.reserved for level in self.levels.values())

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    def level(self, location: str) -> StockLevel:
        return self.levels.setdefault(location, StockLevel(location))

    def _move(
        self,
        location: str,
        kind: MovementKind,
        on_hand_delta: int,
        reserved_delta: int,
        *,
        order_id: UUID | None = None,
        reference: str | None = None,
        reason: str | None = None,
    ) -> Movement:
        level = self.level(location)
        on_hand, reserved = level.on_hand + on_hand_delta, level.reserved + reserved_delta
        if reserved < 0:
            raise StockRuleViolation(
                f"{self.product_code}@{location}: cannot release {-reserved_delta},"
                f" only {level.reserved} reserved"
            )
        if on_hand < reserved:
            raise StockRuleViolation(
                f"{self.product_code}@{location}: on hand would be {on_hand}"
                f" with {reserved} reserved"
            )
        level.on_hand, level.reserved = on_hand, reserved
        movement = Movement(
            self.product_code,
            location,
            kind,
            on_hand_delta,
            reserved_delta,
            order_id,
            reference,
            reason,
        )
        self.movements.append(movement)
        return movement

    def receive(
        self,
        location: str,
        quantity: int,
        *,
        kind: MovementKind = MovementKind.RECEIPT,
        reference: str | None = None,
        order_id: UUID | None = None,
    ) -> None:
        if quantity <= 0:
            raise StockRuleViolation("a receipt needs a positive quantity")
        self._move(location, kind, quantity, 0, reference=reference, order_id=order_id)

    def reserve(
        self, order_id: UUID, wanted: int, *, only_location: str | None = None
    ) -> dict[str, int]:
        """Reserve up to ``wanted`` from free stock; returns what was reserved per location.

        Locations are used in name order; a shortfall is simply what could not be reserved.
        """
        granted: dict[str, int] = {}
        for location in sorted(self.levels):
            if only_location is not None and location != only_location:
                continue
            take = min(wanted, self.levels[location].available)
            if take > 0:
                self._move(location, MovementKind.RESERVE, 0, take, order_id=order_id)
                granted[location] = take
                wanted -= take
            if wanted == 0:
                break
        return granted

    def release(self, location: str, quantity: int, order_id: UUID, reason: str) -> None:
        self._move(location, MovementKind.RELEASE, 0, -quantity, order_id=order_id, reason=reason)

    def pick(self, location: str, quantity: int, order_id: UUID, reference: str) -> None:
        """Reserved goods leave the shelf: both on-hand and reserved go down."""
        self._move(
            location,
            MovementKind.PICK,
            -quantity,
            -quantity,
            order_id=order_id,
            reference=reference,
        )

    def put_back(self, location: str, quantity: int, order_id: UUID, reason: str) -> None:
        """Picked (not dispatched) goods go back to the shelf as free stock."""
        self._move(location, MovementKind.PUT_BACK, quantity, 0, order_id=order_id, reason=reason)

    def adjust(self, location: str, delta: int, reason: str, reference: str | None = None) -> None:
        if delta == 0:
            raise StockRuleViolation("an adjustment needs a non-zero quantity")
        if not reason.strip():
            raise StockRuleViolation("an adjustment needs a reason")
        self._move(location, MovementKind.ADJUSTMENT, delta, 0, reason=reason, reference=reference)

    def count(self, location: str, counted: int, counted_by: str) -> int:
        """Set on-hand to what was counted; the difference is booked. Returns the difference."""
        if counted < 0:
            raise StockRuleViolation("a count cannot be negative")
        delta = counted - self.level(location).on_hand
        self._move(
            location,
            MovementKind.COUNT,
            delta,
            0,
            reason=f"stock count: {delta:+d}",
            reference=counted_by,
        )
        return delta

    def restock_return(self, location: str, quantity: int, reference: str) -> None:
        self._move(location, MovementKind.RETURN_RESTOCK, quantity, 0, reference=reference)

    def check_reorder_point(self) -> None:
        """Raise ``stock.below_reorder_point`` when free stock fell below the reorder point.

        Only on the crossing (it was at or above the point when loaded): a level that stays low
        does not repeat the signal on every movement.
        """
        if self.reorder_point <= 0:
            return
        if self._available_at_load >= self.reorder_point > self.available:
            suggested = self.reorder_quantity or (self.reorder_point - self.available)
            self.events.append(
                StockBelowReorderPoint(
                    product_code=self.product_code,
                    on_hand=self.on_hand,
                    reserved=self.reserved,
                    available=self.available,
                    reorder_point=self.reorder_point,
                    suggested_quantity=max(suggested, 1),
                )
            )
        self._available_at_load = self.available
