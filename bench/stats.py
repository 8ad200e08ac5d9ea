"""Small helpers the benchmarks share: percentiles, peak memory, Prometheus samples."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families


def percentiles(values: Iterable[float]) -> dict[str, float | int]:
    """p50/p95/p99 (nearest rank) of a sample, with its size; empty sample: only n=0."""
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}

    def rank(q: float) -> float:
        return ordered[max(1, math.ceil(q * len(ordered))) - 1]

    return {"n": len(ordered), "p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99)}


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no VmHWM for process {pid}")


def sample_sum(metrics_text: str, sample_name: str) -> float:
    """The sum of every sample of that name (over all its labels) in a /metrics page."""
    total = 0.0
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == sample_name:
                total += sample.value
    return total
