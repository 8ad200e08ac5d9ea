"""Prometheus metrics every service exposes on ``/metrics``.

One registry per runtime, so several replicas in one test process do not collide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass
class KitMetrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        labels = ["handler"]
        self.handled = Counter(
            "orderflow_messages_handled",
            "Messages handled successfully",
            labels,
            registry=self.registry,
        )
        self.duplicates = Counter(
            "orderflow_messages_duplicate",
            "Redelivered messages skipped by the inbox",
            labels,
            registry=self.registry,
        )
        self.failed = Counter(
            "orderflow_messages_failed",
            "Handler attempts that raised",
            labels,
            registry=self.registry,
        )
        self.dead_lettered = Counter(
            "orderflow_messages_dead_lettered",
            "Messages sent to a dead-letter queue",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "orderflow_handler_seconds",
            "Handler latency including its transaction",
            labels,
            registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.outbox_backlog = Gauge(
            "orderflow_outbox_backlog", "Outbox rows not yet published", registry=self.registry
        )
        self.outbox_oldest_age = Gauge(
            "orderflow_outbox_oldest_age_seconds",
            "Age of the oldest unpublished outbox row",
            registry=self.registry,
        )
        self.published = Counter(
            "orderflow_outbox_published",
            "Outbox rows published with confirm",
            registry=self.registry,
        )
        self.outbox_publish_delay = Histogram(
            "orderflow_outbox_publish_delay_seconds",
            "From an outbox row's insert in its transaction to the broker's confirm of its publish",
            registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 5, 30),
        )
        self.http_latency = Histogram(
            "orderflow_http_request_seconds",
            "HTTP request latency, by method and route",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.timers_fired = Counter(
            "orderflow_timers_fired", "Deadlines fired", registry=self.registry
        )
        self.sla_breaches = Counter(
            "orderflow_sla_breaches",
            "Deadlines that fired as an SLA breach event, by event type",
            ["type"],
            registry=self.registry,
        )
