from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.private_infra import PrivateNode, private_cluster, unavailable_reason


@pytest.fixture(scope="module")
def cluster() -> Iterator[list[PrivateNode]]:
    """Three private RabbitMQ nodes joined into one cluster, beside the machine's broker;
    stopped and removed after the module, also when a test fails."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    with private_cluster(3, prefix="ofcluster") as nodes:
        yield nodes
