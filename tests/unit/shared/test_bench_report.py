"""The benchmark's arithmetic: percentiles by nearest rank, ratios to the hand-written chain."""

from __future__ import annotations

from bench.report import rows, table
from bench.stats import percentiles, sample_sum


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentiles(values) == {"n": 100, "p50": 50.0, "p95": 95.0, "p99": 99.0}
    assert percentiles([3.0]) == {"n": 1, "p50": 3.0, "p95": 3.0, "p99": 3.0}
    assert percentiles([]) == {"n": 0}


def test_sample_sum_adds_every_label_of_a_counter():
    page = (
        "# TYPE orderflow_messages_handled counter\n"
        'orderflow_messages_handled_total{handler="a"} 2.0\n'
        'orderflow_messages_handled_total{handler="b"} 3.0\n'
    )
    assert sample_sum(page, "orderflow_messages_handled_total") == 5.0


def _result() -> dict:
    lat = {"n": 10, "p50": 0.010, "p95": 0.020, "p99": 0.040}
    return {
        "measured_at": "2026-12-01T00:00:00+00:00",
        "machine": {"cpus": 2},
        "baseline": {
            "handler_tx_per_s": 200.0,
            "handler_tx_per_cpu_s": 400.0,
            "hop_latency_s": {"n": 10, "p50": 0.005, "p95": 0.010, "p99": 0.020},
            "commit_to_publish_s": {"n": 10, "p50": 0.001, "p95": 0.002, "p99": 0.004},
            "rate_per_s": 50.0,
            "peak_rss_mb": 100.0,
        },
        "throughput": {
            "orders": 10,
            "concurrency": 2,
            "seconds": 5.0,
            "orders_per_s": 2.0,
            "handler_tx_per_s": 100.0,
            "handler_tx_per_cpu_s": 100.0,
            "handler_tx_per_order": 50.0,
            "handler_tx_per_s_by_service": {"sales": 40.0},
            "handler_failures_retried": 0,
            "cpu_share_by_service": {"sales": 0.5},
            "http_requests_per_s_by_service": {"sales": 31.6},
            "machine_cores_busy": 1.87,
        },
        "latency": {
            "rate_per_s": 1.0,
            "orders": 10,
            "handler_failures_retried": 0,
            "submit_to_confirmed_s": lat,
            "ready_to_shipped_s": {"n": 0},
            "outbox_commit_to_publish_s": lat,
            "outbox_commit_to_publish_s_by_service": {"sales": lat},
        },
        "peak_rss_mb": {"sales": 120.0},
        "dead_lettered": 0,
        "db_connections_free": 50,
    }


def test_each_figure_is_given_as_a_ratio_to_the_hand_written_chain():
    by_name = {r[0]: r for r in rows(_result())}
    assert by_name["handler tx/s, all services"][3] == "0.50"
    assert by_name["handler tx per CPU-second"][3] == "0.25"
    assert by_name["submit -> order.confirmed p99"][1:] == ("40.0 ms", "20.0 ms", "2.00")
    assert by_name["outbox commit -> publish p50"][3] == "10.00"
    assert by_name["peak RSS sales"][3] == "1.20"
    assert by_name["goods.ready -> goods.shipped p99"][1] == "-"  # nothing measured
    shown = table(_result())
    assert "handler tx/s" in shown
    assert "HTTP requests/s served meanwhile (actors' steps and polls): sales 32" in shown
    assert "the whole machine meanwhile: 1.87 cores busy of" in shown
