"""The committed JSON Schemas are the published contract: code may only extend it compatibly."""

from __future__ import annotations

from contracts.compat import breaking_changes
from contracts.export import (
    ENVELOPE_SCHEMA_NAME,
    current_schemas,
    message_schema,
    published_schemas,
    render,
)
from contracts.registry import REGISTRY


def test_published_v1_schemas_are_unchanged_or_compatible() -> None:
    published = published_schemas()
    current = current_schemas()
    problems = []
    for name, old in sorted(published.items()):
        if name not in current:
            problems.append(f"{name}: published but no longer defined (keep the old version)")
            continue
        problems += [f"{name}: {problem}" for problem in breaking_changes(old, current[name])]
    assert problems == [], "breaking changes to published contracts:\n" + "\n".join(problems)


def test_every_registered_message_has_a_committed_schema() -> None:
    published = published_schemas()
    missing = [spec.schema_name for spec in REGISTRY.all() if spec.schema_name not in published]
    if ENVELOPE_SCHEMA_NAME not in published:
        missing.append(ENVELOPE_SCHEMA_NAME)
    assert missing == [], f"run `python -m contracts.export` and commit: {missing}"


def test_committed_schemas_carry_their_routing() -> None:
    published = published_schemas()
    for spec in REGISTRY.all():
        meta = published[spec.schema_name]["x-orderflow"]
        assert meta == message_schema(spec)["x-orderflow"]


def test_export_is_deterministic() -> None:
    first = {name: render(schema) for name, schema in current_schemas().items()}
    second = {name: render(schema) for name, schema in current_schemas().items()}
    assert first == second
    assert all(text.endswith("}\n") for text in first.values())
