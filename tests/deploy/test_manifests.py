"""deploy/k8s: every manifest parses, the core resources pass the Kubernetes schemas, and the
pieces fit together (probes, grace period, resources, selectors, KEDA targets, the overlay)."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from orderflow.services import by_name
from shared.config import ServiceSettings
from shared.topology import Topology
from tests.deploy.manifests import (
    BASE,
    CRD_KINDS,
    K8S,
    KUSTOMIZATION,
    OVERLAY,
    SERVICE_NAMES,
    by_kind,
    k8s_name,
    load,
    load_all,
    memory_mib,
    resources,
    yaml_files,
)

# The newest Kubernetes the package ships schemas for, and an older one clusters still run.
K8S_VERSIONS = [latest_version(), "1.30.0"]
GRACEFUL_TIMEOUT_S = ServiceSettings.model_fields["graceful_timeout_s"].default

# The queue each service scales on: its command queue for sales, else its busiest event queue.
SCALING_QUEUES = {
    "sales": Topology().command_queue("sales"),
    "production": Topology().event_queue("production", "stock.reserved"),
    "warehouse": Topology().event_queue("warehouse", "order.confirmed"),
    "logistics": Topology().event_queue("logistics", "goods.ready"),
    "customer_service": Topology().event_queue("customer_service", "order.received"),
}

BASE_DOCS = resources(BASE)
OVERLAY_DOCS = resources(OVERLAY)
ALL_DOCS = BASE_DOCS + OVERLAY_DOCS + load_all(OVERLAY / "warehouse-settings.yaml")


def _core(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] not in CRD_KINDS]


def _id(doc: dict[str, Any]) -> str:
    return f"{doc['kind']}/{doc['metadata']['name']}"


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(K8S.parent)))
def test_every_yaml_file_parses(path: Path) -> None:
    docs = load_all(path)
    assert docs, f"{path} is empty"
    assert all(isinstance(d, dict) for d in docs)


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("doc", _core(BASE_DOCS + OVERLAY_DOCS), ids=_id)
def test_core_resources_pass_the_kubernetes_schema(doc: dict[str, Any], version: str) -> None:
    kubernetes_validate.validate(doc, version, strict=True)


def test_the_schema_check_rejects_a_broken_deployment() -> None:
    """The validator really looks: a misspelt field and a wrong type both fail."""
    deployment = copy.deepcopy(by_kind(BASE_DOCS, "Deployment")["sales"])
    deployment["spec"]["template"]["spec"]["terminationGracePeriod"] = 45
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, latest_version(), strict=True)
    deployment = copy.deepcopy(by_kind(BASE_DOCS, "Deployment")["sales"])
    deployment["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, latest_version(), strict=True)


def test_base_lists_every_manifest_in_its_folder() -> None:
    listed = set(load(BASE / KUSTOMIZATION)["resources"])
    present = {p.name for p in BASE.glob("*.yaml")} - {KUSTOMIZATION}
    assert listed == present


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_has_its_resources(service: str) -> None:
    name = k8s_name(service)
    for kind in ("Deployment", "Service", "PodDisruptionBudget", "ScaledObject"):
        assert name in by_kind(BASE_DOCS, kind), f"no {kind} {name}"
    assert f"{name}-settings" in by_kind(BASE_DOCS, "ConfigMap")


def _container(deployment: dict[str, Any]) -> dict[str, Any]:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    container: dict[str, Any] = containers[0]
    return container


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_deployment_runs_the_service_with_probes_on_its_port(service: str) -> None:
    deployment = by_kind(BASE_DOCS, "Deployment")[k8s_name(service)]
    container = _container(deployment)
    port = by_name(service).port
    assert container["image"] == "orderflow"  # the overlay pins registry and tag
    assert container["args"] == [service]
    assert [p["containerPort"] for p in container["ports"]] == [port]
    port_name = container["ports"][0]["name"]
    probes = {
        "readinessProbe": "/health/ready",
        "livenessProbe": "/health/live",
        "startupProbe": "/health/live",
    }
    for probe, path in probes.items():
        assert container[probe]["httpGet"]["path"] == path
        assert container[probe]["httpGet"]["port"] in (port, port_name)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_grace_period_outlasts_the_graceful_shutdown(service: str) -> None:
    name = k8s_name(service)
    pod = by_kind(BASE_DOCS, "Deployment")[name]["spec"]["template"]["spec"]
    settings = by_kind(BASE_DOCS, "ConfigMap")[f"{name}-settings"]["data"]
    configured = float(settings.get(f"{service.upper()}_GRACEFUL_TIMEOUT_S", GRACEFUL_TIMEOUT_S))
    pre_stop = _container(by_kind(BASE_DOCS, "Deployment")[name])["lifecycle"]["preStop"]
    pause = float(pre_stop["exec"]["command"][-1])
    assert pod["terminationGracePeriodSeconds"] > GRACEFUL_TIMEOUT_S
    # preStop pause + in-flight handlers + relay flush, with room to spare.
    assert pod["terminationGracePeriodSeconds"] >= pause + configured + 15


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_resources_and_security(service: str) -> None:
    deployment = by_kind(BASE_DOCS, "Deployment")[k8s_name(service)]
    container = _container(deployment)
    resources_ = container["resources"]
    assert memory_mib(resources_["limits"]["memory"]) <= 192
    assert memory_mib(resources_["requests"]["memory"]) == 150
    assert "cpu" in resources_["requests"]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_settings_come_from_a_configmap_and_credentials_from_a_secret(service: str) -> None:
    name = k8s_name(service)
    prefix = by_name(service).env_prefix
    container = _container(by_kind(BASE_DOCS, "Deployment")[name])
    [source] = container["envFrom"]
    settings = by_kind(BASE_DOCS, "ConfigMap")[source["configMapRef"]["name"]]["data"]
    assert all(key.startswith(prefix) for key in settings)
    assert settings[f"{prefix}HTTP_HOST"] == "0.0.0.0"
    assert settings[f"{prefix}HTTP_PORT"] == str(by_name(service).port)
    env = {e["name"]: e for e in container["env"]}
    # logistics also takes the carriers' signing secrets (optional: none until one connects)
    extra = {f"{prefix}CARRIER_SECRETS"} if service == "logistics" else set()
    assert set(env) == {f"{prefix}AMQP_URL", f"{prefix}DATABASE_URL", *extra}
    for entry in env.values():
        # Passwords only by reference: no literal value, no Secret in the manifests.
        assert "value" not in entry
        assert entry["valueFrom"]["secretKeyRef"]["name"] == f"{name}-credentials"
    kinds = {d["kind"] for d in BASE_DOCS + OVERLAY_DOCS}
    assert "Secret" not in kinds


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_service_and_pdb_select_the_deployments_pods(service: str) -> None:
    name = k8s_name(service)
    deployment = by_kind(BASE_DOCS, "Deployment")[name]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod_labels.items()
    pdb = by_kind(BASE_DOCS, "PodDisruptionBudget")[name]
    assert pdb["spec"]["selector"]["matchLabels"] == selector
    assert "maxUnavailable" in pdb["spec"] or "minAvailable" in pdb["spec"]
    svc = by_kind(BASE_DOCS, "Service")[name]
    assert svc["spec"]["selector"].items() <= pod_labels.items()
    assert [p["port"] for p in svc["spec"]["ports"]] == [by_name(service).port]


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_scaled_object_scales_the_deployment_on_its_queue(service: str) -> None:
    name = k8s_name(service)
    scaled = by_kind(BASE_DOCS, "ScaledObject")[name]
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    spec = scaled["spec"]
    assert spec["scaleTargetRef"]["name"] in by_kind(BASE_DOCS, "Deployment")
    assert spec["scaleTargetRef"]["name"] == name
    assert spec["scaleTargetRef"].get("kind", "Deployment") == "Deployment"
    assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
    [trigger] = spec["triggers"]
    assert trigger["type"] == "rabbitmq"
    assert trigger["metadata"]["queueName"] == SCALING_QUEUES[service]
    assert trigger["metadata"]["mode"] == "QueueLength"
    assert int(trigger["metadata"]["value"]) > 0
    auths = by_kind(BASE_DOCS, "TriggerAuthentication")
    assert trigger["authenticationRef"]["name"] in auths


def test_trigger_authentication_reads_the_broker_address_from_a_secret() -> None:
    [auth] = by_kind(BASE_DOCS, "TriggerAuthentication").values()
    assert auth["apiVersion"] == "keda.sh/v1alpha1"
    [ref] = auth["spec"]["secretTargetRef"]
    assert ref["parameter"] == "host"
    assert ref["name"] and ref["key"]


def test_scaling_queues_exist_in_the_rabbitmq_definitions() -> None:
    definitions = K8S.parent / "rabbitmq" / "definitions.json"
    if not definitions.exists():
        pytest.skip("deploy/rabbitmq/definitions.json not rendered yet")
    import json

    queues = {q["name"] for q in json.loads(definitions.read_text())["queues"]}
    assert set(SCALING_QUEUES.values()) <= queues


def test_overlay_pins_the_image_and_patches_only_what_exists() -> None:
    kustomization = load(OVERLAY / KUSTOMIZATION)
    assert kustomization["namespace"]
    assert "../../base" in kustomization["resources"]
    [image] = kustomization["images"]
    assert image["name"] == "orderflow"
    assert image["newName"] and image["newTag"]
    deployments = by_kind(BASE_DOCS, "Deployment")
    assert {r["name"] for r in kustomization["replicas"]} <= set(deployments)
    for patch in kustomization["patches"]:
        target = load(OVERLAY / patch["path"])
        assert target["metadata"]["name"] in by_kind(BASE_DOCS, target["kind"])


def test_overlay_runs_rabbitmq_as_an_operator_managed_cluster() -> None:
    path = OVERLAY / "rabbitmq-cluster.yaml"
    [cluster] = by_kind(load_all(path), "RabbitmqCluster").values()
    assert cluster["apiVersion"] == "rabbitmq.com/v1beta1"
    assert cluster["spec"]["replicas"] == 3
    assert cluster["spec"]["image"].startswith("rabbitmq:")
    comment = path.read_text().lower()
    assert "operator" in comment and "quorum queues replicate" in comment


def test_readme_says_postgresql_runs_outside() -> None:
    readme = (K8S / "README.md").read_text()
    assert "PostgreSQL outside these manifests" in readme
    assert "managed instance" in readme and "operator" in readme
    assert "PostgreSQL" not in {d["kind"] for d in ALL_DOCS}


def _kustomize(folder: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl (with its built-in kustomize) is not installed")
    out = subprocess.run(
        [kubectl, "kustomize", str(folder)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def test_the_overlay_builds_and_its_output_validates() -> None:
    built = _kustomize(OVERLAY)
    for doc in _core(built):
        kubernetes_validate.validate(doc, latest_version(), strict=True)
    deployments = by_kind(built, "Deployment")
    assert set(deployments) == {k8s_name(s) for s in SERVICE_NAMES}
    for deployment in deployments.values():
        assert deployment["metadata"]["namespace"] == "orderflow"
        assert _container(deployment)["image"] == "registry.example.com/orderflow/orderflow:0.1.0"
    assert deployments["warehouse"]["spec"]["replicas"] == 3
    assert by_kind(built, "ScaledObject")["warehouse"]["spec"]["minReplicaCount"] == 3
    assert by_kind(built, "ConfigMap")["warehouse-settings"]["data"]["WAREHOUSE_PREFETCH"] == "50"
    assert by_kind(built, "RabbitmqCluster")["rabbitmq"]["spec"]["replicas"] == 3
