"""The approval matrix: each rule x amount band -> the role that approves, amounts in the base
currency, every rule covered, four eyes. Pure domain, no IO.

Policies cited as in the repository: 000 = /work/shared/policies/000_a81a01dca9cad86b.txt,
002 = 002_328723b7327b15cc.txt, 003 = 003_18d6eaa232f11129.txt."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from contracts.common import PaymentTerms
from contracts.enums import ApprovalReason, Initiator
from contracts.events.sales import OrderApprovalRequested, OrderApproved, OrderConfirmed
from contracts.roles import Role
from contracts.status.sales import ApprovalRule, ApprovalStatus, OrderStatus
from services.sales.domain.approval import ApprovalMatrix, Band, Person, Valuation, default_matrix
from services.sales.domain.customer import Customer, PriceEntry
from services.sales.domain.errors import FourEyes, NotEntitled
from services.sales.domain.intake import DraftLine
from services.sales.domain.order import LineChange, Order
from services.sales.domain.policy import SalesPolicy
from shared.calendar import BusinessCalendar
from tests.unit.sales.conftest import NOW, PRICES, approve_reviews, customer, new_order

R = ApprovalRule
S = OrderStatus

SALES_MANAGER = Person("Zhou", frozenset({Role.SALES_MANAGER}))
GENERAL_MANAGER = Person("Wang", frozenset({Role.GENERAL_MANAGER}))
PRODUCTION_VP = Person("Wu", frozenset({Role.PRODUCTION_VP}))
MARKETING = Person("Zheng", frozenset({Role.MARKETING}))
AFTER_SALES_MANAGER = Person("Feng", frozenset({Role.AFTER_SALES_MANAGER}))
DESK = "Li"  # enters the orders below


@pytest.fixture(scope="module")
def policy() -> SalesPolicy:
    """The defaults: CNY 100,000 threshold, the general manager above CNY 500,000."""
    return SalesPolicy(calendar=BusinessCalendar("CN"))


def frames(quantity: int, price: str = "250") -> list[DraftLine]:
    return [DraftLine("P-200", "aluminium frame, 2 m", quantity, Decimal(price))]


def reviewed(
    policy: SalesPolicy,
    c: Customer | None = None,
    value: Valuation | None = None,
    prices: dict[str, PriceEntry] | None = None,
    **over: object,
) -> Order:
    """An order entered by the desk, reviewed by warehouse and production."""
    c = c or customer("A")
    order = new_order(entered_by=DESK, **over)
    assert order.check_completeness(c, PRICES if prices is None else prices, date(2026, 12, 2))
    value = value or Valuation.in_base(Decimal(0), c.credit_limit)
    order.accept("202612-001", c, value, NOW, policy)
    approve_reviews(order, policy)
    return order


def of(order: Order, kind: type) -> list:
    return [e for e in order.events if isinstance(e, kind)]


def test_large_order_up_to_the_band_is_approved_by_the_sales_manager(policy):
    """000 订单管理流程及制度 二、1 订单审批制度: 重要的订单需要经过高层领导的审批. CNY 125,000 is
    over the CNY 100,000 threshold and within the sales manager's band."""
    order = reviewed(policy, lines=frames(500))
    assert (order.status, order.approval_reasons) == (
        S.AWAITING_APPROVAL,
        [R.OVER_AMOUNT_THRESHOLD],
    )
    order.approve(SALES_MANAGER, None, NOW, policy)
    assert order.status == S.RELEASED
    assert order.approvals[R.OVER_AMOUNT_THRESHOLD].role == Role.SALES_MANAGER


def test_large_order_above_the_band_needs_the_general_manager(policy):
    """000 订单审批制度: important orders need senior leadership. CNY 750,000 is above the
    sales manager's band (CNY 500,000): the sales manager is refused, naming the role."""
    order = reviewed(policy, lines=frames(3000))
    with pytest.raises(NotEntitled) as refused:
        order.approve(SALES_MANAGER, None, NOW, policy)
    assert refused.value.roles == [Role.GENERAL_MANAGER]
    assert order.status == S.AWAITING_APPROVAL and order.approvals == {}
    order.approve(GENERAL_MANAGER, None, NOW, policy)
    assert order.status == S.RELEASED


def test_order_at_the_threshold_needs_no_approval(policy):
    """000 订单审批制度: only orders over the threshold are important ones."""
    order = reviewed(policy, lines=frames(400))  # exactly CNY 100,000
    assert order.approval_status == ApprovalStatus.NOT_NEEDED
    assert order.status == S.RELEASED


def test_a_usd_order_is_judged_by_its_value_in_cny(policy):
    """000 订单审批制度 with amounts in the base currency: USD 90,000 at 7.1 is CNY 639,000, over
    the CNY 100,000 threshold and above the sales manager's band, not an order of 90,000."""
    usd = Valuation("CNY", Decimal("7.1"), Decimal(0), Decimal("1000000"))
    listed = {"P-200": PriceEntry("P-200", Decimal("35.21"), "USD")}  # CNY 250 at 7.1
    order = reviewed(policy, value=usd, prices=listed, currency="USD", lines=frames(1000, "90"))
    assert order.total == Decimal("90000.00")
    assert order.base_total == Decimal("639000.00")
    assert order.approval_reasons == [R.OVER_AMOUNT_THRESHOLD]
    [asked] = of(order, OrderApprovalRequested)
    assert "639000.00 CNY" in (asked.details or "")
    with pytest.raises(NotEntitled):
        order.approve(SALES_MANAGER, None, NOW, policy)
    order.approve(GENERAL_MANAGER, None, NOW, policy)
    assert order.status == S.RELEASED


def test_a_small_usd_order_stays_under_the_threshold(policy):
    """000 订单审批制度, converted: USD 10,000 at 7.1 is CNY 71,000, under the threshold."""
    usd = Valuation("CNY", Decimal("7.1"), Decimal(0), Decimal("1000000"))
    listed = {"P-200": PriceEntry("P-200", Decimal("35.21"), "USD")}
    order = reviewed(policy, value=usd, prices=listed, currency="USD", lines=frames(250, "40"))
    assert order.base_total == Decimal("71000.00")
    assert order.approval_status == ApprovalStatus.NOT_NEEDED


def test_rush_order_is_approved_by_the_production_vp_only(policy):
    """000 南昌 第六条(三): 对于紧急订单,须经产销协调会议主管生产副总意见后安排生产."""
    order = reviewed(policy, rush=True)
    assert order.approval_reasons == [R.RUSH]
    for wrong in (SALES_MANAGER, GENERAL_MANAGER, MARKETING):
        with pytest.raises(NotEntitled) as refused:
            order.approve(wrong, None, NOW, policy)
        assert refused.value.roles == [Role.PRODUCTION_VP]
    order.approve(PRODUCTION_VP, None, NOW, policy)
    assert order.status == S.RELEASED


@pytest.mark.parametrize("approver", [AFTER_SALES_MANAGER, MARKETING])
def test_price_below_list_is_approved_by_after_sales_manager_or_marketing(policy, approver):
    """003 客户订单下单流程: a price that does not match the 《价格执行方案》 is reported to the
    customer-service supervisor and the marketing director (上报客服主管和营销总监)."""
    order = reviewed(policy, lines=[DraftLine("P-100", "steel 40 mm", 10, Decimal("90"))])
    assert order.approval_reasons == [R.BELOW_LIST_PRICE]
    with pytest.raises(NotEntitled) as refused:
        order.approve(SALES_MANAGER, None, NOW, policy)
    assert refused.value.roles == sorted([Role.AFTER_SALES_MANAGER, Role.MARKETING])
    order.approve(approver, None, NOW, policy)
    assert order.status == S.RELEASED


def test_line_without_a_list_price_needs_approval(policy):
    """003 客户订单下单流程: a price not found in the 《价格执行方案》 goes to the customer-service
    supervisor or the marketing director; the contract event calls it ``other``."""
    unlisted = [DraftLine("X-900", "custom bracket", 5, Decimal("80"))]
    order = reviewed(policy, lines=unlisted)
    assert order.approval_reasons == [R.UNLISTED_PRICE]
    [asked] = of(order, OrderApprovalRequested)
    assert asked.reasons == [ApprovalReason.OTHER]
    with pytest.raises(NotEntitled):
        order.approve(SALES_MANAGER, None, NOW, policy)
    order.approve(MARKETING, None, NOW, policy)
    assert order.status == S.RELEASED


def test_over_credit_follows_the_ladder_of_large_orders(policy):
    """No policy names an approver for credit; the default follows 000 订单审批制度 (the sales
    manager up to the band, the general manager above): lending is a commercial decision, and
    the finance clerks who record money do not also grant credit."""
    small = reviewed(policy, value=Valuation.in_base(Decimal("999000"), Decimal("1000000")))
    assert small.approval_reasons == [R.CREDIT_LIMIT]
    with pytest.raises(NotEntitled):
        small.approve(Person("Qian", frozenset({Role.FINANCE})), None, NOW, policy)
    small.approve(SALES_MANAGER, None, NOW, policy)
    assert small.status == S.RELEASED
    big = reviewed(
        policy,
        value=Valuation.in_base(Decimal(0), Decimal("600000")),
        lines=frames(2600),  # CNY 650,000: over credit and above the band
    )
    assert set(big.approval_reasons) == {R.OVER_AMOUNT_THRESHOLD, R.CREDIT_LIMIT}
    with pytest.raises(NotEntitled):
        big.approve(SALES_MANAGER, None, NOW, policy)
    big.approve(GENERAL_MANAGER, None, NOW, policy)
    assert big.status == S.RELEASED


def test_terms_easier_than_the_customers_need_approval(policy):
    """002 二(一) 信息完整性核验: 付款方式需符合公司政策, and 002 三 表1 销售订单审批表 (备注: 特殊
    需求): terms easier than the customer's (no deposit, longer to pay) are special terms and
    go to an approver; by default the ladder of large orders (000 订单审批制度), as for
    credit: a deposit not asked for is credit given."""
    c = customer("C", deposit="30")
    standard = c.payment_terms
    no_deposit = PaymentTerms(code="NET30", net_days=30, late_fee_percent=Decimal("2"))
    longer = standard.model_copy(update={"net_days": 90})
    for terms in (no_deposit, longer):
        order = reviewed(policy, c=c, payment_terms=terms)
        assert order.approval_reasons == [R.SPECIAL_TERMS]
        with pytest.raises(NotEntitled):
            order.approve(MARKETING, None, NOW, policy)
        order.approve(SALES_MANAGER, None, NOW, policy)
        assert order.approval_status == ApprovalStatus.APPROVED
    assert reviewed(policy, c=c, payment_terms=standard).approval_reasons == []
    stricter = standard.model_copy(update={"deposit_percent": Decimal("50")})
    assert reviewed(policy, c=c, payment_terms=stricter).approval_reasons == []


def test_every_rule_needs_its_own_approver(policy):
    """000 订单审批制度 and 000 南昌 第六条(三) together: a large rush order waits for the sales
    manager and the production VP; it is approved (one ``order.approved``) after the second."""
    order = reviewed(policy, lines=frames(500), rush=True)
    assert order.approval_reasons == [R.OVER_AMOUNT_THRESHOLD, R.RUSH]
    order.approve(SALES_MANAGER, None, NOW, policy)
    assert order.status == S.AWAITING_APPROVAL
    assert of(order, OrderApproved) == []
    order.approve(SALES_MANAGER, None, NOW, policy)  # their part again: nothing changes
    assert list(order.approvals) == [R.OVER_AMOUNT_THRESHOLD]
    order.approve(PRODUCTION_VP, "rush slot on line 2", NOW, policy)
    assert order.status == S.RELEASED
    [approved] = of(order, OrderApproved)
    assert approved.approved_by == "Wu"
    assert "over_amount_threshold: Zhou (sales_manager)" in (approved.notes or "")
    assert len(of(order, OrderConfirmed)) == 1


def test_one_person_holding_both_roles_covers_both_rules(policy):
    """000 订单审批制度 and 000 南昌 第六条(三): the roles decide, not the number of people."""
    order = reviewed(policy, lines=frames(500), rush=True)
    both = Person("Hu", frozenset({Role.SALES_MANAGER, Role.PRODUCTION_VP}))
    order.approve(both, None, NOW, policy)
    assert order.status == S.RELEASED
    assert {a.role for a in order.approvals.values()} == {Role.SALES_MANAGER, Role.PRODUCTION_VP}


def test_nobody_approves_an_order_they_entered(policy):
    """Four eyes (DESIGN, Identity and authority: nobody approves their own order): the desk
    clerk who entered it is refused even holding the manager's role."""
    order = reviewed(policy, lines=frames(500))
    with pytest.raises(FourEyes):
        order.approve(Person(DESK, frozenset({Role.SALES_MANAGER})), None, NOW, policy)
    order.approve(SALES_MANAGER, None, NOW, policy)
    assert order.status == S.RELEASED


def test_nobody_approves_an_order_they_amended(policy):
    """Four eyes: whoever amended the order cannot approve it either, and an approval given
    before by someone who amends it afterwards no longer counts."""
    c = customer("A")
    order = reviewed(policy, lines=frames(500))
    order.approve(SALES_MANAGER, None, NOW, policy)
    assert order.status == S.RELEASED
    value = Valuation.in_base(Decimal(0), c.credit_limit)
    order.amend(
        [LineChange(1, 600)], None, None, Initiator.CUSTOMER, None, c, value, NOW, policy, by="Zhou"
    )
    assert order.amended_by == ["Zhou"]
    assert order.approvals == {}
    approve_reviews(order, policy)
    assert order.status == S.AWAITING_APPROVAL
    with pytest.raises(FourEyes):
        order.approve(SALES_MANAGER, None, NOW, policy)
    order.approve(Person("Sun", frozenset({Role.SALES_MANAGER})), None, NOW, policy)
    assert order.status == S.RELEASED


def test_an_approval_covers_no_more_money_than_it_was_given_for(policy):
    """000 订单审批制度: an amendment that raises the total asks again; one that lowers it keeps
    the approval (the same rule, within the approver's band)."""
    c = customer("B")
    value = Valuation.in_base(Decimal(0), c.credit_limit)
    order = reviewed(policy, c=c, lines=frames(500))
    order.approve(SALES_MANAGER, None, NOW, policy)
    order.amend([LineChange(1, 1500)], None, None, Initiator.CUSTOMER, None, c, value, NOW, policy)
    assert order.approval_status == ApprovalStatus.PENDING, "CNY 375,000 was never approved"
    approve_reviews(order, policy)
    order.approve(SALES_MANAGER, None, NOW, policy)
    order.amend([LineChange(1, 3000)], None, None, Initiator.CUSTOMER, None, c, value, NOW, policy)
    assert order.approval_status == ApprovalStatus.PENDING
    approve_reviews(order, policy)
    with pytest.raises(NotEntitled):  # CNY 750,000 is the general manager's now
        order.approve(SALES_MANAGER, None, NOW, policy)
    order.approve(GENERAL_MANAGER, None, NOW, policy)
    order.sign("Li", NOW, policy)
    order.amend([LineChange(1, 2000)], None, None, Initiator.CUSTOMER, None, c, value, NOW, policy)
    assert order.approval_status == ApprovalStatus.APPROVED  # less money: still covered


def test_rejection_needs_a_role_of_the_matrix(policy):
    """000 南昌 第六条(三): the production VP judges a rush order, and may turn it down; a
    sales manager may not."""
    order = reviewed(policy, rush=True)
    with pytest.raises(NotEntitled):
        order.reject(SALES_MANAGER, "no", policy)
    order.reject(PRODUCTION_VP, "no capacity this month", policy)
    assert order.status == S.REJECTED


def test_a_free_replacement_owes_nothing_to_the_price_list(policy):
    """003: the price rules guard what the customer pays; a replacement is free on purpose."""
    order = reviewed(
        policy, lines=[DraftLine("P-200", "frame", 1, Decimal(0))], original_order_id=uuid.uuid4()
    )
    assert order.approval_reasons == []


def test_matrix_is_checked_when_built():
    base = dict(default_matrix().bands)
    anyone = frozenset({Role.GENERAL_MANAGER})
    broken = {
        "warehouse cannot approve": (Band(None, frozenset({Role.WAREHOUSE})),),
        "only the last band is without limit": (Band(None, anyone), Band(None, anyone)),
        "positive and rising": (
            Band(Decimal(500), anyone),
            Band(Decimal(100), anyone),
            Band(None, anyone),
        ),
        "names no role": (Band(None, frozenset()),),
        "no band": (),
    }
    for message, bands in broken.items():
        with pytest.raises(ValueError, match=f"approval_matrix.rush: .*{message}"):
            ApprovalMatrix({**base, R.RUSH: bands})
    without = {rule: bands for rule, bands in base.items() if rule != R.SPECIAL_TERMS}
    with pytest.raises(ValueError, match="special_terms: no band"):
        ApprovalMatrix(without)
