"""The story report's KPI block: one column of values, whatever the longest label."""

from __future__ import annotations

from orderflow.simulate.report import Report

KPIS = {
    "on_time_delivery": {"rate": 0.5, "on_time": 1, "delivered": 2},
    "cycle_time_hours": {"received->confirmed": 10.0, "confirmed->ready_to_ship": 30.25},
    "review_time": {"mean_hours": None},
    "complaints": {"opened": 2, "assignment_within_sla_rate": 0.5, "resolution_within_sla_rate": 1},
    "satisfaction": {"answers": 2, "mean_score": 4.5},
}


def test_kpi_values_stand_in_one_column_apart_from_their_labels():
    report = Report(kpis={"2026-12": KPIS})
    block = [line for line in report.lines() if line.startswith("  ")]
    values = ["50 % (1 of 2)", "10.0 h", "30.2 h", "-", "2 opened", '{"answers": 2']
    columns = {line.index(value) for line, value in zip(block, values, strict=True)}
    assert len(columns) == 1, block
    (column,) = columns
    assert all(line[column - 2 : column] == "  " for line in block), block
