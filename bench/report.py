"""The benchmark's table: each figure, the hand-written chain's, and their ratio."""

from __future__ import annotations

from typing import Any

_PCTS = ("p50", "p95", "p99")


def rows(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(figure, system, baseline, system / baseline) for every measured figure."""
    base, thr, lat = result["baseline"], result["throughput"], result["latency"]
    out: list[tuple[str, str, str, str]] = []

    def add(name: str, ours: float | None, theirs: float | None, unit: str, fmt: str) -> None:
        ratio = f"{ours / theirs:.2f}" if ours is not None and theirs else "-"
        shown = "-" if ours is None else f"{ours:{fmt}} {unit}"
        baseline = "-" if theirs is None else f"{theirs:{fmt}} {unit}"
        out.append((name, shown, baseline, ratio))

    add("handler tx/s, all services", thr["handler_tx_per_s"], base["handler_tx_per_s"], "", ".0f")
    for name, value in thr["handler_tx_per_s_by_service"].items():
        add(f"  {name}", value, base["handler_tx_per_s"], "", ".0f")
    add(
        "handler tx per CPU-second",
        thr["handler_tx_per_cpu_s"],
        base["handler_tx_per_cpu_s"],
        "",
        ".0f",
    )
    add("orders/s, whole life", thr["orders_per_s"], base["handler_tx_per_s"], "", ".2f")
    for label, key, base_key in (
        ("submit -> order.confirmed", "submit_to_confirmed_s", "hop_latency_s"),
        ("goods.ready -> goods.shipped", "ready_to_shipped_s", "hop_latency_s"),
        ("outbox commit -> publish", "outbox_commit_to_publish_s", "commit_to_publish_s"),
    ):
        for pct in _PCTS:
            ours, theirs = lat[key].get(pct), base[base_key].get(pct)
            add(
                f"{label} {pct}",
                None if ours is None else ours * 1000,
                None if theirs is None else theirs * 1000,
                "ms",
                ".1f",
            )
    for name, pcts in lat["outbox_commit_to_publish_s_by_service"].items():
        ours, theirs = pcts.get("p99"), base["commit_to_publish_s"].get("p99")
        add(f"  outbox p99 {name}", ours and ours * 1000, theirs and theirs * 1000, "ms", ".1f")
    for name, mb in result["peak_rss_mb"].items():
        add(f"peak RSS {name}", mb, base["peak_rss_mb"], "MB", ".0f")
    return out


def table(result: dict[str, Any]) -> str:
    thr, lat, base = result["throughput"], result["latency"], result["baseline"]
    header = ("figure", "system", "hand-written", "ratio")
    body = rows(result)
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(4)]
    lines = [
        f"Orderflow system benchmark, {result['measured_at']}, {result['machine']['cpus']} CPUs",
        f"throughput: {thr['orders']} class-A orders, {thr['concurrency']} at a time,"
        f" {thr['seconds']:.1f} s; {thr['handler_tx_per_order']:.1f} handler tx per order",
        f"latency: {lat['orders']} orders at {lat['rate_per_s']:g}/s;"
        f" hand-written chain at {base['rate_per_s']:g} msg/s (one hop: consume, tx, publish)",
        "",
    ]
    for r in (header, *body):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    cpu = ", ".join(f"{n} {v:.2f}" for n, v in thr["cpu_share_by_service"].items())
    lines += ["", f"CPU cores used during throughput: {cpu}"]
    if "machine_cores_busy" in thr:
        lines.append(
            f"the whole machine meanwhile: {thr['machine_cores_busy']:.2f} cores busy of"
            f" {result['machine']['cpus']} (services, PostgreSQL, RabbitMQ, the driver)"
        )
    http = thr.get("http_requests_per_s_by_service")
    if http:
        served = ", ".join(f"{n} {v:.0f}" for n, v in http.items())
        lines.append(f"HTTP requests/s served meanwhile (actors' steps and polls): {served}")
    lines.append(
        f"dead-lettered: {result['dead_lettered']:.0f}; handler attempts retried (throughput /"
        f" latency): {thr['handler_failures_retried']:.0f} / {lat['handler_failures_retried']:.0f}"
    )
    lines.append(f"free database connections at start: {result['db_connections_free']}")
    return "\n".join(lines)
