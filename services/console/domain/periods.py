"""Reporting periods as customer service names them: ``2026-11`` and ``2026-Q4``."""

from __future__ import annotations

from datetime import date


def last_months(today: date, count: int) -> list[str]:
    """The ``count`` months up to and including this one, oldest first."""
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found[::-1]


def quarter_of(day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def last_quarters(today: date, count: int) -> list[str]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-Q{quarter}")
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return found[::-1]
