"""Changes before shipment and cancellation before dispatch."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from contracts.common import Address
from contracts.enums import Initiator
from contracts.events.sales import LineQuantityChange, OrderAmended, OrderCancelled
from services.sales.domain.approval import Valuation
from services.sales.domain.customer import Customer
from services.sales.domain.errors import InvalidChange
from services.sales.domain.intake import DraftLine, is_vague_spec
from services.sales.domain.order_state import (
    BEFORE_SHIPMENT,
    REVIEWING,
    WAITING_FOR_RELEASE,
    LineChange,
    S,
)
from services.sales.domain.policy import SalesPolicy, money
from services.sales.domain.review import Reviewing
from shared.aggregate import CancelTimer


class Amending(Reviewing):
    """Amendments before shipment and cancellation before dispatch."""

    def amend(
        self,
        changes: list[LineChange],
        requested_date: date | None,
        address: Address | None,
        initiated_by: Initiator,
        reason: str | None,
        customer: Customer,
        value: Valuation,
        now: datetime,
        p: SalesPolicy,
        added: list[DraftLine] | None = None,
        *,
        by: str | None = None,
    ) -> None:
        """Before shipment only; ``order.amended`` goes to every department.

        Before release, more goods or an earlier date is a new contract: re-reviewed,
        re-confirmed, and the release gate (signature, deposit) applies again; less goods or
        a later date keeps the reviews. Once released, the departments have already reserved
        and scheduled, and the amendment changes what they did: any change of quantities or
        date is reviewed again by warehouse and production, and the order goes back through
        review, approval where needed, a new confirmation and the release gate (A at once,
        B and C after the new signature and any deposit the new total needs) before it is
        released again with a new ``order.confirmed``. A new delivery address alone needs no
        review and the order stays released. New lines (priced by the caller) only before
        release. ``by`` (who amends) is kept: they may not approve the order after it."""
        self._require("amend", *REVIEWING, *WAITING_FOR_RELEASE, S.RELEASED)
        assert self.order_no and self.requested_date
        line_changes: list[LineQuantityChange] = []
        more = False
        for change in changes:
            if not 1 <= change.line_no <= len(self.lines):
                raise InvalidChange(f"lines[{change.line_no}]", "no such line")
            line = self.lines[change.line_no - 1]
            old = line.quantity or 0
            if change.quantity == old:
                continue
            more = more or change.quantity > old
            line_changes.append(
                LineQuantityChange(
                    line_no=change.line_no,
                    product_code=line.product_code or "",
                    old_quantity=old,
                    new_quantity=change.quantity,
                )
            )
        new_quantities = {c.line_no: c.new_quantity for c in line_changes}
        added = added or []
        if added and self.status == S.RELEASED:
            raise InvalidChange("add_lines", "the order is released: order extra goods separately")
        for i, new in enumerate(added, start=1):
            if not (new.product_code and new.spec and new.quantity and new.unit_price is not None):
                raise InvalidChange(f"add_lines[{i}]", "needs product code, spec, quantity, price")
            if is_vague_spec(new.spec):
                raise InvalidChange(f"add_lines[{i}].spec", "not a specification")
            line_changes.append(
                LineQuantityChange(
                    line_no=len(self.lines) + i,
                    product_code=new.product_code,
                    old_quantity=0,
                    new_quantity=new.quantity,
                )
            )
        more = more or bool(added)
        if not added and all(
            new_quantities.get(no, ln.quantity) == 0 for no, ln in enumerate(self.lines, 1)
        ):
            raise InvalidChange("lines", "an order keeps at least one line; cancel it instead")
        earlier = requested_date is not None and requested_date < self.requested_date
        new_date = requested_date is not None and requested_date != self.requested_date
        if requested_date is not None and requested_date < p.calendar.local_date(now):
            raise InvalidChange("requested_date", "in the past")
        if not line_changes and requested_date in (None, self.requested_date) and address is None:
            raise InvalidChange("amendment", "changes nothing")
        for no, qty in new_quantities.items():
            # a dropped line stays with quantity 0 so the other lines keep their numbers
            self.lines[no - 1].quantity = qty
        self.lines.extend(added)
        if requested_date is not None:
            self.requested_date = requested_date
        if address is not None:
            self.delivery_address = address
        self.amendment_count += 1
        if by and by not in self.amended_by:
            self.amended_by.append(by)
        self.events.append(
            OrderAmended(
                order_id=self.order_id,
                order_no=self.order_no,
                amendment_no=self.amendment_count,
                initiated_by=initiated_by,
                line_changes=line_changes,
                requested_date=requested_date,
                delivery_address=address,
                total_amount=self.total,
                currency=self.currency,
                reason=reason,
            )
        )
        released_before = self.released_at is not None
        if more or earlier or (released_before and (line_changes or new_date)):
            self.timers.append(CancelTimer(self._key("signature")))
            self._start_review(customer, value, now, p)
        elif self.status != S.RELEASED:
            percent = (self.payment_terms.deposit_percent if self.payment_terms else None) or 0
            self.deposit_required = money(self.total * Decimal(percent) / 100)
            self._try_release(now)

    def cancel(self, initiated_by: Initiator, reason: str, cancelled_by: str | None) -> None:
        """Before dispatch; after it a return is the way (after-sales). The same cancellation
        again (its answer lost on the way) changes nothing."""
        if self.status == S.CANCELLED and self.closed_reason == reason:
            return
        self._require("cancel", *BEFORE_SHIPMENT)
        self._close(S.CANCELLED, reason)
        self.events.append(
            OrderCancelled(
                order_id=self.order_id,
                order_no=self.order_no,
                initiated_by=initiated_by,
                reason=reason,
                cancelled_by=cancelled_by,
            )
        )
