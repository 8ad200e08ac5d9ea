"""The registry of every message type and version, and where each one is sent.

A model joins the registry through the :func:`register` class decorator. ``import contracts``
imports every event and command module, so the registry is complete whatever a program imports
first.

Each ``(type, version)`` pair has exactly one model class. Routing keys equal the type for events
(published to :data:`EVENTS_EXCHANGE`) and for commands (sent to :data:`COMMANDS_EXCHANGE`).
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from contracts.base import Message, MessageKind

EVENTS_EXCHANGE = "orderflow.events"
COMMANDS_EXCHANGE = "orderflow.commands"

_RESERVED_NAMES = frozenset({"kind", "message_type", "message_version"})
_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

M = TypeVar("M", bound=type[Message])


class UnknownMessageType(LookupError):
    """No model is registered for this message type and version (or for this class)."""


class DuplicateMessageType(ValueError):
    """A second model was registered for a ``(type, version)`` already taken."""


@dataclass(frozen=True)
class MessageSpec:
    """What the platform knows about one message type and version."""

    type: str
    version: int
    model: builtins.type[Message]
    kind: MessageKind
    routing_key: str

    @property
    def exchange(self) -> str:
        """The exchange this message goes to (before any deployment namespace prefix)."""
        return EVENTS_EXCHANGE if self.kind == "event" else COMMANDS_EXCHANGE

    @property
    def schema_name(self) -> str:
        """Base name of the JSON Schema file, e.g. ``goods.shipped.v1``."""
        return f"{self.type}.v{self.version}"


class Registry:
    """Maps ``(type, version)`` to a :class:`MessageSpec`."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int], MessageSpec] = {}
        self._by_model: dict[type[Message], MessageSpec] = {}

    def register(self, model: M) -> M:
        """Add ``model`` (usable as a class decorator). Raises on a duplicate or a bad name."""
        message_type = getattr(model, "message_type", None)
        version = getattr(model, "message_version", None)
        kind = getattr(model, "kind", None)
        if not isinstance(message_type, str) or not _TYPE_PATTERN.match(message_type):
            raise ValueError(f"{model.__name__}: message_type must look like 'area.name'")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValueError(f"{model.__name__}: message_version must be an int >= 1")
        if kind not in ("event", "command"):
            raise ValueError(f"{model.__name__}: derive from Event or Command")
        model_class: builtins.type[Message] = model
        clashes = sorted(_RESERVED_NAMES & set(model_class.model_fields))
        if clashes:
            raise ValueError(f"{model.__name__}: field names reserved for the class: {clashes}")
        key = (message_type, version)
        if key in self._by_key:
            taken = self._by_key[key].model.__name__
            raise DuplicateMessageType(f"{message_type} v{version} is already {taken}")
        if model in self._by_model:
            raise DuplicateMessageType(f"{model.__name__} is already registered")
        spec = MessageSpec(
            type=message_type, version=version, model=model, kind=kind, routing_key=message_type
        )
        self._by_key[key] = spec
        self._by_model[model] = spec
        return model

    def get(self, type: str, version: int) -> MessageSpec:
        """The spec of ``type`` at ``version``; :class:`UnknownMessageType` if there is none."""
        try:
            return self._by_key[(type, version)]
        except KeyError:
            raise UnknownMessageType(f"unknown message type {type!r} version {version}") from None

    def find(self, type: str, version: int) -> MessageSpec | None:
        """Like :meth:`get` but returns ``None`` for an unknown pair."""
        return self._by_key.get((type, version))

    def spec_for(self, model: type[Message]) -> MessageSpec:
        """The spec a model class was registered under."""
        try:
            return self._by_model[model]
        except KeyError:
            raise UnknownMessageType(f"{model.__name__} is not a registered message") from None

    def latest(self, type: str) -> MessageSpec:
        """The highest registered version of ``type``."""
        versions = [spec for (name, _), spec in self._by_key.items() if name == type]
        if not versions:
            raise UnknownMessageType(f"unknown message type {type!r}")
        return max(versions, key=lambda spec: spec.version)

    def all(self) -> list[MessageSpec]:
        """Every spec, sorted by type then version."""
        return [self._by_key[key] for key in sorted(self._by_key)]

    def events(self) -> list[MessageSpec]:
        """Every event spec, sorted by type then version."""
        return [spec for spec in self.all() if spec.kind == "event"]

    def commands(self) -> list[MessageSpec]:
        """Every command spec, sorted by type then version."""
        return [spec for spec in self.all() if spec.kind == "command"]

    def types(self) -> list[str]:
        """Every registered type name (each once), sorted."""
        return sorted({name for name, _ in self._by_key})

    def __contains__(self, key: object) -> bool:
        if isinstance(key, tuple):
            return key in self._by_key
        if isinstance(key, str):
            return any(name == key for name, _ in self._by_key)
        return key in self._by_model

    def __iter__(self) -> Iterator[MessageSpec]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._by_key)


REGISTRY = Registry()
"""The registry of all Orderflow messages, filled when ``contracts`` is imported."""

register = REGISTRY.register
"""Class decorator adding a model to :data:`REGISTRY`."""
