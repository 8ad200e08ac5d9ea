"""Write the JSON Schema of every registered message, and of the envelope.

``python -m contracts.export [DIR]`` writes ``<type>.v<version>.json`` per message and
``envelope.v1.json`` into DIR (default: the package's ``schemas/`` folder, which is committed).

The schemas are pydantic's *validation* schemas: they say what a consumer accepts, which is
the promise every producer must keep (a Decimal may arrive as a JSON string or number; the
platform itself always sends strings). Output is deterministic: sorted keys, 2-space indent,
a trailing newline, so a diff shows exactly what a model change did to the contract.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic.json_schema import JsonSchemaMode

from contracts.envelope import Envelope
from contracts.registry import REGISTRY, MessageSpec

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_MODE: JsonSchemaMode = "validation"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_SCHEMA_NAME = "envelope.v1"


def message_schema(spec: MessageSpec) -> dict[str, Any]:
    """The published JSON Schema of one message payload, with its routing metadata."""
    schema = spec.model.model_json_schema(mode=SCHEMA_MODE)
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = f"urn:orderflow:contracts:{spec.schema_name}"
    schema["x-orderflow"] = {
        "type": spec.type,
        "version": spec.version,
        "kind": spec.kind,
        "exchange": spec.exchange,
        "routing_key": spec.routing_key,
    }
    return schema


def envelope_schema() -> dict[str, Any]:
    """The published JSON Schema of the envelope."""
    schema = Envelope.model_json_schema(mode=SCHEMA_MODE)
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = f"urn:orderflow:contracts:{ENVELOPE_SCHEMA_NAME}"
    return schema


def render(schema: dict[str, Any]) -> str:
    """Deterministic text of a schema file."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def current_schemas() -> dict[str, dict[str, Any]]:
    """Every schema the code defines now, by file base name (``goods.shipped.v1``)."""
    schemas = {spec.schema_name: message_schema(spec) for spec in REGISTRY.all()}
    schemas[ENVELOPE_SCHEMA_NAME] = envelope_schema()
    return schemas


def published_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file shipped in the package, by file base name."""
    folder = resources.files("contracts").joinpath("schemas")
    found: dict[str, dict[str, Any]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            found[entry.name.removesuffix(".json")] = json.loads(entry.read_text("utf-8"))
    return found


def export(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema into ``directory``; returns the files written (existing or not).

    Files of versions no longer defined are left alone: published versions are never deleted.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in sorted(current_schemas().items()):
        path = directory / f"{name}.json"
        text = render(schema)
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(arg in ("-h", "--help") for arg in args):
        print("usage: python -m contracts.export [DIR]", file=sys.stderr)  # noqa: T201
        return 2
    directory = Path(args[0]) if args else SCHEMA_DIR
    files = export(directory)
    print(f"wrote {len(files)} schemas to {directory}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
