"""One order's audit trail across the five services: who did what, in the order it happened."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AuditRow:
    recorded_at: datetime
    service: str
    who: str
    kind: str  # "person" or "system"
    roles: tuple[str, ...]
    channel: str  # "http" or "command"
    action: str
    subject: str


def merge_audit(by_service: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[AuditRow]:
    """Every service's entries (``AuditEntryView``) in one list, oldest first. Entries of the
    same instant keep each service's own order (its ids), services by name."""
    rows = []
    for service, entries in by_service.items():
        for entry in entries:
            actor = entry.get("actor") or {}
            rows.append(
                (
                    _at(entry["recorded_at"]),
                    service,
                    int(entry.get("id") or 0),
                    AuditRow(
                        recorded_at=_at(entry["recorded_at"]),
                        service=service,
                        who=str(actor.get("name") or actor.get("subject") or "?"),
                        kind=str(actor.get("kind") or "person"),
                        roles=tuple(sorted(str(r) for r in actor.get("roles") or ())),
                        channel=str(entry.get("channel") or ""),
                        action=str(entry.get("action") or ""),
                        subject=str(entry.get("subject") or ""),
                    ),
                )
            )
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [row for *_, row in rows]


def _at(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
