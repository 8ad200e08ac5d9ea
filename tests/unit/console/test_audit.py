"""The order page's "who did what": the five services' audit entries merged by time."""

from __future__ import annotations

from services.console.domain.audit import merge_audit


def _entry(at: str, name: str, action: str, id_: int = 1, **actor: object) -> dict:
    return {
        "id": id_,
        "recorded_at": at,
        "actor": {"name": name, "subject": f"user-{name}", "roles": ["b", "a"], **actor},
        "channel": "http",
        "action": action,
        "subject": "/orders/1",
        "correlation_ids": ["1"],
        "change": {},
    }


def test_entries_of_every_service_are_merged_oldest_first():
    merged = merge_audit(
        {
            "sales": [
                _entry("2026-12-01T09:00:00+00:00", "li.wei", "POST /orders"),
                _entry("2026-12-01T11:00:00+00:00", "zhao", "POST /orders/{ref}/approve", 2),
            ],
            "warehouse": [
                _entry("2026-12-01T10:00:00+08:00", "wang", "POST /pick-lists/{id}/confirm"),
            ],
            "logistics": [],
        }
    )
    assert [(r.service, r.who) for r in merged] == [
        ("warehouse", "wang"),  # 02:00 UTC
        ("sales", "li.wei"),
        ("sales", "zhao"),
    ]
    assert merged[0].roles == ("a", "b")


def test_entries_of_the_same_instant_keep_each_services_order():
    at = "2026-12-01T09:00:00Z"
    merged = merge_audit(
        {
            "sales": [_entry(at, "second", "x", 7), _entry(at, "first", "x", 3)],
            "customer_service": [_entry(at, "cs", "y", 1)],
        }
    )
    assert [r.who for r in merged] == ["cs", "first", "second"]


def test_a_system_actor_is_marked_as_such():
    merged = merge_audit(
        {"production": [_entry("2026-12-01T09:00:00Z", "sales", "sales.commands", kind="system")]}
    )
    assert merged[0].kind == "system"
