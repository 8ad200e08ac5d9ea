"""Approval by the matrix: which rules an order falls under, who covers each, four eyes.

Each rule the order falls under needs its own approval, from a person holding a role the matrix
names for the rule at the order's amount in the base currency (``approval``). An order falling
under several rules waits until each is covered, by one person holding several roles or by
several people. Nobody approves an order they entered or amended (four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NoReturn

from contracts.common import PaymentTerms
from contracts.enums import Deadline
from contracts.events.sales import OrderApprovalRequested, OrderApproved
from contracts.events.sla import OrderSlaBreached
from contracts.status.sales import ApprovalRule, ApprovalStatus
from services.sales.domain.approval import (
    Approval,
    ApprovalMatrix,
    Person,
    Valuation,
    contract_reasons,
)
from services.sales.domain.customer import Customer
from services.sales.domain.errors import FourEyes, IllegalTransition, NotEntitled
from services.sales.domain.order_state import REVIEWING
from services.sales.domain.policy import SalesPolicy
from services.sales.domain.release import Releasing
from shared.aggregate import CancelTimer, ScheduleTimer

R = ApprovalRule


@dataclass(frozen=True)
class ApprovalStep:
    """One rule of an order: the roles that may approve it now, and the approval if given."""

    rule: ApprovalRule
    roles: frozenset[str]
    approval: Approval | None


def easier_terms(sent: PaymentTerms | None, standard: PaymentTerms) -> bool:
    """Terms sent with an order that ask less of the customer than its standard terms: a lower
    deposit, longer to pay, a lower late fee. They never waive the deposit without approval."""
    if sent is None:
        return False
    return (
        (sent.deposit_percent or 0) < (standard.deposit_percent or 0)
        or sent.net_days > standard.net_days
        or (sent.late_fee_percent or 0) < (standard.late_fee_percent or 0)
    )


class Approving(Releasing):
    """The matrix's rules for this order, and the approvals that cover them."""

    def _base(self) -> Decimal:
        return self.base_total if self.base_total is not None else self.total

    def _approval_rules(
        self, customer: Customer, value: Valuation, p: SalesPolicy
    ) -> list[ApprovalRule]:
        base = self._base()
        rules = []
        if base > p.approval_threshold:
            rules.append(R.OVER_AMOUNT_THRESHOLD)
        if self.rush:
            rules.append(R.RUSH)
        # A free replacement owes nothing to the price list: it is priced at 0 on purpose.
        if self.original_order_id is None:
            priced = [ln for ln in self.lines if ln.quantity != 0 and ln.unit_price is not None]
            if any(
                ln.product_code in self.list_prices
                and ln.unit_price is not None
                and ln.unit_price < self.list_prices[ln.product_code]
                for ln in priced
            ):
                rules.append(R.BELOW_LIST_PRICE)
            if any(ln.product_code not in self.list_prices for ln in priced):
                rules.append(R.UNLISTED_PRICE)
        if value.credit_in_use + base > value.credit_limit:
            rules.append(R.CREDIT_LIMIT)
        if self.original_order_id is None and easier_terms(
            self.payment_terms, customer.payment_terms
        ):
            rules.append(R.SPECIAL_TERMS)
        return rules

    def approval_steps(self, matrix: ApprovalMatrix) -> list[ApprovalStep]:
        base = self._base()
        return [
            ApprovalStep(rule, matrix.roles_for(rule, base), self.approvals.get(rule))
            for rule in self.approval_reasons
        ]

    def _still_valid(self, rule: ApprovalRule, given: Approval, p: SalesPolicy) -> bool:
        """An approval given before an amendment still covers its rule only for no more money,
        by a role the matrix still names, from someone who has not amended the order since."""
        base = self._base()
        return (
            given.by not in self.hands
            and given.base_amount >= base
            and given.role in p.matrix.roles_for(rule, base)
        )

    def _ask_for_approval(self, rules: list[ApprovalRule], now: datetime, p: SalesPolicy) -> None:
        """A review round sets the rules; approvals that still hold are kept."""
        self.approvals = {
            r: a for r, a in self.approvals.items() if r in rules and self._still_valid(r, a, p)
        }
        self.approval_reasons = rules
        assert self.order_no
        if not rules or set(rules) <= set(self.approvals):
            if rules and self.approval_status == ApprovalStatus.PENDING:
                # an amendment left only rules already approved: the order is approved now
                last = max(self.approvals.values(), key=lambda a: a.at)
                self.approved_by = last.by
                self.events.append(
                    OrderApproved(
                        order_id=self.order_id,
                        order_no=self.order_no,
                        approved_by=last.by,
                        notes=self._approval_summary(None),
                    )
                )
            self.approval_status = ApprovalStatus.APPROVED if rules else ApprovalStatus.NOT_NEEDED
            self.timers.append(CancelTimer(self._key("approval")))
            return
        self.approval_status = ApprovalStatus.PENDING
        self.events.append(
            OrderApprovalRequested(
                order_id=self.order_id,
                order_no=self.order_no,
                reasons=contract_reasons(rules),
                total_amount=self.total,
                currency=self.currency,
                details=self._needs(p),
            )
        )
        self._approval_deadline(now, p)

    def _needs(self, p: SalesPolicy) -> str:
        """``total 1500.00 CNY (1500.00 CNY), class B; rush: production_vp; ...``"""
        open_steps = [s for s in self.approval_steps(p.matrix) if s.approval is None]
        needs = "; ".join(f"{s.rule.value}: {' or '.join(sorted(s.roles))}" for s in open_steps)
        amount = f"total {self.total} {self.currency} ({self._base()} {p.base_currency})"
        return f"{amount}, class {self.customer_class}; needs {needs}"

    def _approval_deadline(self, now: datetime, p: SalesPolicy) -> None:
        """The approvers decide within the approval deadline (24 h by default), or it is a
        breach (``order.sla_breached``, deadline ``approval``)."""
        due = p.approval.due(now, p.calendar)
        self.timers.append(
            ScheduleTimer(
                self._key("approval"),
                due,
                OrderSlaBreached(
                    deadline=Deadline.APPROVAL,
                    subject_id=str(self.order_id),
                    subject_no=self.order_no,
                    order_id=self.order_id,
                    due_at=due,
                    breached_at=due,
                    details="approval not decided: " + ", ".join(self.approval_reasons),
                ),
            )
        )

    def _record_approval(
        self, person: Person, notes: str | None, now: datetime, p: SalesPolicy
    ) -> bool:
        """Returns True when this approval covered the last open rule. The same person
        approving again (their answer lost on the way) changes nothing."""
        already = any(a.by == person.name for a in self.approvals.values())
        if self.approval_status == ApprovalStatus.APPROVED and already:
            return False
        self._require("approve", *REVIEWING)
        if self.approval_status != ApprovalStatus.PENDING:
            raise IllegalTransition("approve", self.status.value, "no approval pending")
        if person.name in self.hands:
            raise FourEyes(
                f"four eyes: {person.name} entered or amended this order,"
                " so another person approves it"
            )
        base = self._base()
        open_rules = [r for r in self.approval_reasons if r not in self.approvals]
        mine = {
            r: sorted(person.roles & p.matrix.roles_for(r, base))
            for r in open_rules
            if person.roles & p.matrix.roles_for(r, base)
        }
        if not mine:
            if already:
                return False
            self._refuse(person, open_rules, p)
        for rule, roles in mine.items():
            self.approvals[rule] = Approval(person.name, roles[0], now, base, notes)
        if set(self.approval_reasons) - set(self.approvals):
            return False
        self.approval_status = ApprovalStatus.APPROVED
        self.approved_by = person.name
        self.timers.append(CancelTimer(self._key("approval")))
        return True

    def _require_approver_of_any(self, person: Person, p: SalesPolicy) -> None:
        base = self._base()
        rules = self.approval_reasons
        if not any(person.roles & p.matrix.roles_for(r, base) for r in rules):
            self._refuse(person, rules, p)

    def _refuse(self, person: Person, rules: list[ApprovalRule], p: SalesPolicy) -> NoReturn:
        base = self._base()
        needed = frozenset().union(*(p.matrix.roles_for(r, base) for r in rules))
        raise NotEntitled(
            f"{', '.join(rules)} at {base} {p.base_currency} needs one of the roles:"
            f" {', '.join(sorted(needed))}",
            needed,
        )

    def _approval_summary(self, notes: str | None) -> str:
        given = "; ".join(f"{r.value}: {a.by} ({a.role})" for r, a in self.approvals.items())
        return given + (f"; {notes}" if notes else "")
