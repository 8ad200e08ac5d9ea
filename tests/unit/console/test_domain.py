"""The console's pure rules: board columns, late and at-risk flags, actions, errors, SLA clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services.console.domain.actions import order_actions
from services.console.domain.board import Filters, board_stage, build_board
from services.console.domain.charts import bar_chart
from services.console.domain.clocks import sla_clock
from services.console.domain.errors import describe_error
from services.console.domain.forms import unflatten
from services.console.domain.periods import last_months, last_quarters

TODAY = date(2026, 12, 1)


def _order(no: str, status: str, promised: str | None = None, **kw: object) -> dict:
    return {
        "order_id": f"id-{no}",
        "order_no": no,
        "status": status,
        "customer_id": kw.get("customer_id", "C1"),
        "customer_name": kw.get("customer_name", "Acme"),
        "customer_class": kw.get("customer_class", "A"),
        "promised_date": promised,
        "created_at": kw.get("created_at", "2026-11-20T08:00:00+00:00"),
        "total_amount": "100.00",
    }


def test_released_order_is_in_production_until_goods_are_ready():
    assert board_stage("released", "in_production") == "in_production"
    assert board_stage("released", "confirmed") == "in_production"
    assert board_stage("released", "ready_to_ship") == "ready"
    assert board_stage("released", "shipped") == "ready", "booked, not yet collected"
    assert board_stage("awaiting_deposit", None) == "awaiting_release"
    assert board_stage("awaiting_approval", None) == "in_review"
    assert board_stage("rejected", None) == "cancelled"


def test_order_past_its_promised_date_is_late_and_one_due_soon_is_at_risk():
    orders = [
        _order("1", "released", "2026-11-28"),
        _order("2", "released", "2026-12-03"),
        _order("3", "released", "2026-12-30"),
        _order("4", "delivered", "2026-11-20"),
    ]
    columns = {c.key: c for c in build_board(orders, {}, Filters(), TODAY, at_risk_days=3)}
    cards = {c.order_no: c for c in columns["in_production"].cards}
    assert cards["1"].flag == "late"
    assert cards["2"].flag == "at-risk"
    assert cards["3"].flag == ""
    assert columns["delivered"].cards[0].flag == "", "a delivered order is no longer late"


def test_expected_date_after_promised_date_makes_an_order_late():
    timelines = {"1": {"stage": "in_production", "expected_date": "2027-01-10"}}
    board = build_board([_order("1", "released", "2027-01-05")], timelines, Filters(), TODAY)
    card = next(c for col in board for c in col.cards)
    assert card.late and card.expected_date == date(2027, 1, 10)


def test_filters_by_customer_class_and_creation_date():
    orders = [
        _order("1", "in_review", customer_name="Ningbo Steel", customer_class="A"),
        _order("2", "in_review", customer_name="Other", customer_class="B"),
        _order("3", "in_review", customer_class="A", created_at="2026-10-01T00:00:00+00:00"),
    ]

    def kept(filters: Filters) -> set[str]:
        return {c.order_no for col in build_board(orders, {}, filters, TODAY) for c in col.cards}

    assert kept(Filters(customer="ningbo")) == {"1"}
    assert kept(Filters(customer_class="A")) == {"1", "3"}
    assert kept(Filters(created_from=date(2026, 11, 1))) == {"1", "2"}
    assert kept(Filters(created_to=date(2026, 10, 31))) == {"3"}


def test_actions_follow_the_order_status():
    assert order_actions("awaiting_approval")[:2] == ["approve", "reject"]
    assert "sign" in order_actions("awaiting_signature")
    assert "payment" in order_actions("awaiting_deposit")
    assert "cancel" in order_actions("released")
    assert "cancel" not in order_actions("shipped")
    assert order_actions("completed") == []


def test_a_refusal_reads_as_the_services_problem_detail():
    """Every service answers a refusal with one RFC 9457 body (shared/problems.py)."""
    invalid = {
        "type": "urn:orderflow:problem:invalid",
        "title": "Invalid input",
        "status": 422,
        "detail": "reason: Field required",
        "field": "reason",
        "errors": [{"field": "reason", "reason": "Field required"}],
    }
    assert describe_error(422, invalid) == "reason: Field required"
    conflict = {
        "type": "urn:orderflow:problem:conflict",
        "title": "Not allowed in the current state",
        "status": 409,
        "detail": "cannot reject in status released",
        "state": "released",
    }
    assert describe_error(409, conflict) == "cannot reject in status released"
    forbidden = {"status": 403, "detail": "this needs one of the roles: sales_manager"}
    assert describe_error(403, forbidden) == "this needs one of the roles: sales_manager"


def test_an_answer_that_is_no_problem_body_shows_its_status_and_start():
    assert describe_error(502, "<html>\n  Bad   gateway</html>") == "502: <html> Bad gateway</html>"
    assert describe_error(500, "x" * 1000) == "500: " + "x" * 300
    assert describe_error(503, "") == "503"


def test_sla_clock_shows_time_left_and_breaches():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert sla_clock(now + timedelta(hours=30), None, now).label == "1d 6h left"
    assert sla_clock(now + timedelta(hours=2), None, now).state == "due-soon"
    breached = sla_clock(now - timedelta(minutes=90), None, now)
    assert (breached.label, breached.state) == ("breached 1h 30m ago", "breached")
    assert sla_clock(now, now - timedelta(hours=1), now).state == "met"
    assert sla_clock(now - timedelta(hours=2), now, now).state == "missed"


def test_form_fields_nest_by_dotted_names_and_blanks_are_left_out():
    form = {"a.b": "1", "lines.0.quantity": "2", "lines.0.code": "P", "notes": " ", "x": "y"}
    assert unflatten(form) == {"a": {"b": "1"}, "lines": [{"quantity": "2", "code": "P"}], "x": "y"}


def test_periods_run_back_over_year_ends():
    assert last_months(date(2027, 2, 10), 3) == ["2026-12", "2027-01", "2027-02"]
    assert last_quarters(date(2027, 2, 10), 2) == ["2026-Q4", "2027-Q1"]


def test_bar_chart_draws_one_bar_per_known_value():
    svg = bar_chart("On time", ["2026-11", "2026-12"], [80.0, None], unit="%", maximum=100)
    assert svg.startswith("<svg") and svg.count('class="bar"') == 1
    assert "n/a" in svg and 'data-value="80.0"' in svg
