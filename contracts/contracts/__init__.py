"""Orderflow message contracts.

Importing this package registers every event and command model, so
:data:`contracts.registry.REGISTRY` is complete whatever is imported first.
"""

from __future__ import annotations

from contracts import commands, events
from contracts.base import Command, Event, Message
from contracts.envelope import Envelope
from contracts.registry import (
    COMMANDS_EXCHANGE,
    EVENTS_EXCHANGE,
    REGISTRY,
    DuplicateMessageType,
    MessageSpec,
    Registry,
    UnknownMessageType,
)

__version__ = "0.1.0"

__all__ = [
    "COMMANDS_EXCHANGE",
    "EVENTS_EXCHANGE",
    "REGISTRY",
    "Command",
    "DuplicateMessageType",
    "Envelope",
    "Event",
    "Message",
    "MessageSpec",
    "Registry",
    "UnknownMessageType",
    "commands",
    "events",
]
