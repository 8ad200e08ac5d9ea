"""Several RabbitMQ node addresses in one setting."""

from __future__ import annotations

import pytest

from shared.amqp import node_urls
from shared.config import ServiceSettings


def test_comma_separated_amqp_url_lists_each_node_in_order():
    urls = node_urls("amqp://u:p@rabbit-0:5672/, amqp://u:p@rabbit-1:5672/,amqp://u:p@rabbit-2/")
    assert urls == [
        "amqp://u:p@rabbit-0:5672/",
        "amqp://u:p@rabbit-1:5672/",
        "amqp://u:p@rabbit-2/",
    ]


def test_one_address_is_a_list_of_one():
    assert node_urls(ServiceSettings().amqp_url) == ["amqp://guest:guest@127.0.0.1:5672/"]


def test_an_amqp_url_without_any_node_is_refused():
    with pytest.raises(ValueError, match="no RabbitMQ node"):
        node_urls(" , ")
