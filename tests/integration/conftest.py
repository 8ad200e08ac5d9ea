from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _clean_up_after_run(cleanup_run: None) -> None:
    """Drop this run's schemas, queues and exchanges when the session ends."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/integration/" in str(item.path):
            item.add_marker(pytest.mark.integration)
