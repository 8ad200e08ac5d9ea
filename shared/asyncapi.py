"""AsyncAPI documents from FastStream's generator, one per service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from faststream.specification import AsyncAPI

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime


def document(runtime: ServiceRuntime) -> str:
    spec = AsyncAPI(
        runtime.broker,
        title=f"orderflow-{runtime.settings.service_name}",
        version="1.0.0",
        description=f"Queues and messages of the {runtime.settings.service_name} service",
    )
    return spec.to_specification().to_json()


def write_document(runtime: ServiceRuntime, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{runtime.settings.service_name}.asyncapi.json"
    path.write_text(document(runtime) + "\n")
    return path
