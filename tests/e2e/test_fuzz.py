"""The HTTP APIs fuzzed from their own OpenAPI documents: bad or odd input is a 4xx, never a 5xx."""

from __future__ import annotations

import asyncio

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.e2e

EXAMPLES_PER_OPERATION = 8


def _fuzz(base_url: str) -> list[str]:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in {"/metrics", "/health/live", "/health/ready"}:
            continue

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=base_url, timeout=10)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:200]} (body {case.body!r:.200})"
                )

        check()
    return failures


@pytest.mark.parametrize(
    "service", ["sales", "production", "warehouse", "logistics", "customer_service"]
)
async def test_api_answers_bad_input_with_4xx_never_5xx(system, service):
    failures = await asyncio.to_thread(_fuzz, system[service].base_url())
    assert failures == [], "\n".join(failures)
