"""Loading deploy/'s files for the tests: paths, YAML documents, Kubernetes resources by kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from orderflow.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
BASE = K8S / "base"
OVERLAY = K8S / "overlays" / "example"
COMPOSE = DEPLOY / "docker-compose.yml"
GENERATED = DEPLOY / "compose" / "secrets"  # made by make-secrets.sh, never committed

# Custom resources: the Kubernetes schemas do not know them, so the tests check them by hand.
CRD_KINDS = {"ScaledObject", "TriggerAuthentication", "RabbitmqCluster"}
KUSTOMIZATION = "kustomization.yaml"

SERVICE_NAMES = [s.name for s in SERVICES]


def k8s_name(service: str) -> str:
    """Kubernetes names may not hold underscores: customer_service -> customer-service."""
    return service.replace("_", "-")


def yaml_files() -> list[Path]:
    files = [*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")]
    return sorted(f for f in files if GENERATED not in f.parents)


def load_all(path: Path) -> list[dict[str, Any]]:
    with path.open() as stream:
        return [doc for doc in yaml.safe_load_all(stream) if doc is not None]


def load(path: Path) -> dict[str, Any]:
    docs = load_all(path)
    assert len(docs) == 1, f"{path}: expected one YAML document"
    return docs[0]


def resources(folder: Path) -> list[dict[str, Any]]:
    """Every Kubernetes resource a kustomization folder lists, read from its own files."""
    kustomization = load(folder / KUSTOMIZATION)
    docs: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = folder / entry
        if path.is_file():
            docs += load_all(path)
    return docs


def by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def memory_mib(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1.0, "Gi": 1024.0}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return float(quantity[: -len(suffix)]) * factor
    return float(quantity) / (1024 * 1024)
