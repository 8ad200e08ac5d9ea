"""Confirmation letter, signature and the release gate (``order.confirmed``)."""

from __future__ import annotations

from datetime import date, datetime

from contracts.enums import CustomerClass, Deadline
from contracts.events.sales import OrderConfirmationSent, OrderConfirmed, OrderSigned
from contracts.events.sla import OrderSlaBreached
from services.sales.domain.errors import IllegalTransition, InvalidChange
from services.sales.domain.order_state import WAITING_FOR_RELEASE, OrderState, S
from services.sales.domain.policy import SalesPolicy
from shared.aggregate import CancelTimer, ScheduleTimer


class Releasing(OrderState):
    """The confirmation letter, the signature and the release gate."""

    def _send_confirmation(self, now: datetime, p: SalesPolicy) -> None:
        """The letter promises what the reviews allow, assuming signature the same day."""
        assert self.order_no and self.requested_date
        dates = [r.earliest_date for r in self.reviews.values() if r.earliest_date]
        self.promised_date = max([self.requested_date, *dates])
        self.confirmation_sent_at = now
        self.status = S.AWAITING_SIGNATURE
        due = p.signature.due(now, p.calendar)
        self.events.append(
            OrderConfirmationSent(
                order_id=self.order_id,
                order_no=self.order_no,
                promised_date=self.promised_date,
                signature_due_at=due,
                sent_via=self.channel,
                total_amount=self.total,
                currency=self.currency,
                deposit_amount=self.deposit_required or None,
            )
        )
        self.timers.append(
            ScheduleTimer(
                self._key("signature"),
                due,
                OrderSlaBreached(
                    deadline=Deadline.SIGNATURE,
                    subject_id=str(self.order_id),
                    subject_no=self.order_no,
                    order_id=self.order_id,
                    due_at=due,
                    breached_at=due,
                    details="confirmation letter not signed: follow up with the customer",
                ),
            )
        )
        self._try_release(now)

    def sign(
        self,
        recorded_by: str,
        now: datetime,
        p: SalesPolicy,
        *,
        signatory: str | None = None,
        signed_on: date | None = None,
        doc: str | None = None,
    ) -> None:
        """The signed letter is back: recorded by ``recorded_by`` at ``now`` (the server's
        time). Policy: each business day the signature arrives after the day the letter went
        out moves the promised date one business day later (not for an order already released);
        003: 如当日未收到《销售部客户订单确认书》回传的,则预订交货日期自动向后延期. The shift counts
        from when the signature is recorded, never from the date the customer writes on it:
        that date (``signed_on``) is kept as declared, between the letter's day and today.
        The same person recording it again (the answer lost on the way) changes nothing."""
        if self.signed_at is not None:
            if recorded_by == self.signature_recorded_by:
                return
            raise IllegalTransition("sign", self.status.value, "already signed")
        self._require("sign", *WAITING_FOR_RELEASE, S.RELEASED, S.SHIPPED, S.DELIVERED)
        assert self.order_no and self.promised_date and self.confirmation_sent_at
        cal = p.calendar
        letter_day, today = cal.local_date(self.confirmation_sent_at), cal.local_date(now)
        if signed_on is not None and signed_on > today:
            raise InvalidChange("signed_on", f"in the future (today is {today})")
        if signed_on is not None and signed_on < letter_day:
            raise InvalidChange("signed_on", f"before the letter was sent on {letter_day}")
        if self.status == S.AWAITING_SIGNATURE:
            late = cal.business_days_between(letter_day, today)
            self.promised_date = cal.add_business_days_to_date(self.promised_date, late)
        signer = signatory or (self.contact.name if self.contact else None) or "customer"
        self.signed_at, self.signed_by, self.signed_on = now, signer, signed_on or today
        self.signature_recorded_by = recorded_by
        self.timers.append(CancelTimer(self._key("signature")))
        self.events.append(
            OrderSigned(
                order_id=self.order_id,
                order_no=self.order_no,
                signed_by=signer,
                signed_at=now,
                promised_date=self.promised_date,
                document_ref=doc,
            )
        )
        self._try_release(now)

    def _try_release(self, now: datetime) -> None:
        """The release gate: A at once; B and C after signature and any deposit due."""
        if self.status not in WAITING_FOR_RELEASE:
            return
        if self.customer_class != CustomerClass.A:
            if self.signed_at is None:
                self.status = S.AWAITING_SIGNATURE
                return
            if self.deposit_paid < self.deposit_required:
                self.status = S.AWAITING_DEPOSIT
                return
        assert self.order_no and self.customer_id and self.customer_class
        assert self.promised_date and self.delivery_address
        self.status = S.RELEASED
        self.released_at = now
        self.events.append(
            OrderConfirmed(
                order_id=self.order_id,
                order_no=self.order_no,
                customer_id=self.customer_id,
                customer_class=self.customer_class,
                promised_date=self.promised_date,
                lines=self.contract_lines(),
                delivery_address=self.delivery_address,
                rush=self.rush,
                released_before_signature=self.signed_at is None,
                prepaid=self.paid_total > 0,
                amendment_no=self.amendment_count,
            )
        )
