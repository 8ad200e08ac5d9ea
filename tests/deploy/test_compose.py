"""deploy/docker-compose.yml and what it mounts: the Dockerfile, RabbitMQ and PostgreSQL set-up,
the secret files, Prometheus and Grafana. No Docker engine needed: structure and cross-references.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import generate_latest
from pydantic_settings import SettingsConfigDict

from orderflow.deploy_postgres import password_variable, roles_sql
from orderflow.services import by_name
from shared.config import SECRETS_DIR_ENV, ServiceSettings
from shared.metrics import KitMetrics
from tests.deploy.manifests import COMPOSE, DEPLOY, SERVICE_NAMES, load

GRACEFUL_TIMEOUT_S = ServiceSettings.model_fields["graceful_timeout_s"].default
INFRA = {"rabbitmq", "postgres", "prometheus", "grafana"}
# Keys of a compose service this file may use (a subset of the Compose Specification's).
SERVICE_KEYS = {
    "build", "image", "restart", "stop_grace_period", "depends_on", "command", "entrypoint",
    "environment", "secrets", "expose", "ports", "volumes", "healthcheck", "hostname",
}  # fmt: skip
TOP_LEVEL_KEYS = {"name", "services", "volumes", "secrets", "networks", "configs"}

compose = load(COMPOSE)
services: dict[str, dict[str, Any]] = compose["services"]


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)", duration)
    assert match, duration
    return int(match[1]) * (60 if match[2] == "m" else 1)


def test_compose_has_the_infrastructure_and_all_five_services() -> None:
    assert set(services) == INFRA | set(SERVICE_NAMES)
    assert {k for k in compose if not k.startswith("x-")} <= TOP_LEVEL_KEYS
    for name, service in services.items():
        assert set(service) <= SERVICE_KEYS, f"{name}: {set(service) - SERVICE_KEYS}"
    assert services["rabbitmq"]["image"] == "rabbitmq:3.13-management"
    assert services["postgres"]["image"].startswith("postgres:16")


@pytest.mark.parametrize("name", sorted(INFRA | set(SERVICE_NAMES)))
def test_every_container_has_a_health_check(name: str) -> None:
    check = services[name]["healthcheck"]
    assert check["test"][0] in ("CMD", "CMD-SHELL")
    assert len(check["test"]) > 1


def test_every_dependency_waits_for_health() -> None:
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services
            assert condition == {"condition": "service_healthy"}, name
            assert "healthcheck" in services[dependency]


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_container(name: str) -> None:
    service = services[name]
    port = by_name(name).port
    assert service["command"] == [name]
    assert service["image"] == services["sales"]["image"]  # one image for all
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert set(service["depends_on"]) == {"rabbitmq", "postgres"}
    # No host port: `docker compose up --scale <name>=3` must not collide.
    assert "ports" not in service
    assert service["expose"] == [str(port)]
    assert f":{port}/health/ready" in " ".join(service["healthcheck"]["test"])
    assert _seconds(service["stop_grace_period"]) > GRACEFUL_TIMEOUT_S


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_settings_use_its_prefix_and_secret_files(name: str) -> None:
    service = services[name]
    prefix = by_name(name).env_prefix
    env = service["environment"]
    assert env[SECRETS_DIR_ENV] == "/run/secrets"
    assert env[f"{prefix}HTTP_HOST"] == "0.0.0.0"
    assert env[f"{prefix}HTTP_PORT"] == str(by_name(name).port)
    assert all(k.startswith(prefix) or k == SECRETS_DIR_ENV for k in env)
    # The URLs carry passwords: secret files only (an environment variable would win over them).
    assert f"{prefix}AMQP_URL" not in env and f"{prefix}DATABASE_URL" not in env
    assert not any(re.search(r"://[^/@\s]+:[^/@\s]+@", str(v)) for v in env.values())
    # logistics also reads the carriers' signing secrets from a file
    extra = [f"{name}_carrier_secrets"] if name == "logistics" else []
    assert service["secrets"] == [f"{name}_amqp_url", f"{name}_database_url", *extra]


def test_secret_file_names_are_what_the_settings_read(tmp_path: Path, monkeypatch: Any) -> None:
    class SalesSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="SALES_", extra="ignore")

    (tmp_path / "sales_amqp_url").write_text("amqp://sales:pw@rabbitmq:5672/")
    (tmp_path / "sales_database_url").write_text("postgresql+asyncpg://sales:pw@postgres/x")
    monkeypatch.setenv(SECRETS_DIR_ENV, str(tmp_path))
    monkeypatch.delenv("SALES_AMQP_URL", raising=False)
    monkeypatch.delenv("SALES_DATABASE_URL", raising=False)
    settings = SalesSettings()
    assert settings.amqp_url == "amqp://sales:pw@rabbitmq:5672/"
    assert settings.database_url == "postgresql+asyncpg://sales:pw@postgres/x"


def test_every_secret_is_a_generated_file_and_the_script_makes_them_all(tmp_path: Path) -> None:
    declared = compose["secrets"]
    used = {s for service in services.values() for s in service.get("secrets", [])}
    assert used == set(declared)
    for name, secret in declared.items():
        assert secret == {"file": f"./compose/secrets/{name}"}
    assert "secrets/" in (DEPLOY / "compose" / ".gitignore").read_text().split()
    script = tmp_path / "make-secrets.sh"
    shutil.copy(DEPLOY / "compose" / "make-secrets.sh", script)
    subprocess.run(["sh", str(script)], check=True, capture_output=True, timeout=60)
    made = {p.name for p in (tmp_path / "secrets").iterdir()}
    assert made == set(declared)
    url = (tmp_path / "secrets" / "warehouse_database_url").read_text()
    password = (tmp_path / "secrets" / "warehouse_db_password").read_text()
    assert url == f"postgresql+asyncpg://warehouse:{password}@postgres:5432/orderflow"
    assert len(password) >= 32


def test_broker_and_database_get_exactly_the_service_passwords() -> None:
    assert set(services["rabbitmq"]["secrets"]) == {f"{s}_amqp_password" for s in SERVICE_NAMES}
    assert set(services["postgres"]["secrets"]) == {"postgres_password"} | {
        f"{s}_db_password" for s in SERVICE_NAMES
    }
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD_FILE"].startswith("/run/secrets/")


def _mounts(name: str) -> dict[str, str]:
    """Bind mounts of a compose service: container path -> source relative to deploy/."""
    mounts = {}
    for volume in services[name]["volumes"]:
        source, target = volume.split(":")[:2]
        if source.startswith("./"):
            mounts[target] = source
    return mounts


def test_bind_mounted_files_exist() -> None:
    for name in services:
        for source in _mounts(name).values() if "volumes" in services[name] else []:
            if source == "./rabbitmq/definitions.json":
                continue  # rendered by `python -m orderflow.deploy_rabbitmq`
            assert (DEPLOY / source).exists(), source
    named = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    assert {v for v in named if not v.startswith(".")} == set(compose["volumes"])


def test_rabbitmq_loads_the_definitions_with_management_and_prometheus_on() -> None:
    mounts = _mounts("rabbitmq")
    conf = (DEPLOY / mounts["/etc/rabbitmq/rabbitmq.conf"]).read_text()
    settings = dict(
        line.split(" = ", 1) for line in conf.splitlines() if line and not line.startswith("#")
    )
    assert mounts[settings["load_definitions"]] == "./rabbitmq/definitions.json"
    assert settings["prometheus.tcp.port"] == "15692"
    assert settings["prometheus.return_per_object_metrics"] == "true"
    plugins = (DEPLOY / mounts["/etc/rabbitmq/enabled_plugins"]).read_text()
    assert "rabbitmq_management" in plugins and "rabbitmq_prometheus" in plugins
    start = services["rabbitmq"]["entrypoint"][-1]
    script = (DEPLOY / mounts[start]).read_text()
    assert "change_password" in script and "_amqp_password" in script


def test_postgres_init_applies_roles_sql_with_every_password_variable() -> None:
    mounts = _mounts("postgres")
    [init] = [t for t in mounts if t.startswith("/docker-entrypoint-initdb.d/")]
    script = (DEPLOY / mounts[init]).read_text()
    assert mounts["/orderflow/postgres"] == "./postgres"
    assert "/orderflow/postgres/roles.sql" in script
    for service in SERVICE_NAMES:
        assert service in script.split("services=(")[1].split(")")[0].split()
    assert "\\\\set %s_service_password" in script
    assert password_variable("sales") == "sales_service_password"


@pytest.mark.parametrize(
    "script",
    ["compose/rabbitmq-start.sh", "compose/make-secrets.sh", "postgres/initdb.sh"],
)
def test_shell_scripts_parse(script: str) -> None:
    subprocess.run(["bash", "-n", str(DEPLOY / script)], check=True, timeout=30)


def test_roles_sql_is_the_generators_output() -> None:
    committed = (DEPLOY / "postgres" / "roles.sql").read_text()
    assert committed == roles_sql(SERVICE_NAMES), (
        "regenerate: python -m orderflow.deploy_postgres > deploy/postgres/roles.sql"
    )
    assert "PASSWORD '" not in committed  # passwords only through psql variables


def test_dockerfile() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    instructions = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert "FROM python:3.11-slim" in instructions
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert 'ENTRYPOINT ["orderflow", "run"]' in instructions
    healthcheck = text[text.index("HEALTHCHECK") :]
    assert "/health/live" in healthcheck.split("ENTRYPOINT")[0]
    assert "pip install /tmp/contracts" in text and "pip install --no-deps -e ." in text
    assert not re.search(r"(?im)^(ENV|ARG)\b.*(PASSWORD|SECRET|_URL)", text)
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    patterns = [line for line in ignore if line and not line.startswith("#")]
    assert patterns[0] == "*"  # an allow-list: deploy/ with its secret files stays out
    assert not any(p.startswith("!deploy") or p == "!*" for p in patterns)


def test_prometheus_finds_every_replica_of_every_service() -> None:
    config = load(DEPLOY / "prometheus" / "prometheus.yml")
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    discovered = {
        name: sd["port"] for sd in jobs["orderflow"]["dns_sd_configs"] for name in sd["names"]
    }
    assert discovered == {s: by_name(s).port for s in SERVICE_NAMES}
    assert all(sd["type"] == "A" for sd in jobs["orderflow"]["dns_sd_configs"])
    assert jobs["orderflow"]["metrics_path"] == "/metrics"
    [target] = [t for sc in jobs["rabbitmq"]["static_configs"] for t in sc["targets"]]
    assert target == "rabbitmq:15692"
    assert {"prometheus", "grafana"} <= set(services)


DASHBOARD = DEPLOY / "grafana" / "dashboards" / "orderflow.json"
# The six topics and the series each must chart.
TOPICS = {
    "orders per stage": ["orderflow_orders_by_stage"],
    "handler rate and latency": [
        "orderflow_messages_handled_total",
        "orderflow_handler_seconds_bucket",
    ],
    "queue depth": ["rabbitmq_queue_messages_ready"],
    "outbox lag": ["orderflow_outbox_backlog", "orderflow_outbox_oldest_age_seconds"],
    "dead letters": ["orderflow_messages_dead_lettered_total", ".dlq"],
    "sla breaches": ["orderflow_sla_breaches_total"],
}


def _panels() -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = json.loads(DASHBOARD.read_text())["panels"]
    return panels


def test_dashboard_charts_the_six_topics() -> None:
    exprs = " ".join(t["expr"] for p in _panels() for t in p["targets"])
    for topic, series in TOPICS.items():
        for needle in series:
            assert needle in exprs, f"{topic}: {needle}"
    descriptions = {p["title"]: p["description"] for p in _panels()}
    assert "customer service's order timeline" in descriptions["Orders per stage"]
    assert "may not exist yet" in descriptions["Orders per stage"]
    assert "may not exist yet" in descriptions["SLA breaches"]


def test_dashboard_uses_the_metric_names_the_kit_emits() -> None:
    emitted = set(
        re.findall(r"^# TYPE (\S+)", generate_latest(KitMetrics().registry).decode(), re.M)
    )
    families = emitted | {f"{n}_total" for n in emitted} | {f"{n}_bucket" for n in emitted}
    used = set(re.findall(r"\borderflow_[a-z_]+", json.dumps(_panels())))
    assert used - families == {"orderflow_orders_by_stage"}  # customer service's, not the kit's


def test_grafana_is_provisioned_with_the_datasource_and_dashboard() -> None:
    provisioning = DEPLOY / "grafana" / "provisioning"
    [datasource] = load(provisioning / "datasources" / "prometheus.yml")["datasources"]
    assert datasource["url"] == "http://prometheus:9090"
    dashboard = json.loads(DASHBOARD.read_text())
    [variable] = dashboard["templating"]["list"]
    assert variable["current"]["value"] == datasource["uid"]
    [provider] = load(provisioning / "dashboards" / "orderflow.yml")["providers"]
    mounts = _mounts("grafana")
    assert mounts[provider["options"]["path"]] == "./grafana/dashboards"
    assert mounts["/etc/grafana/provisioning"] == "./grafana/provisioning"


def test_the_carriers_secrets_file_is_read_as_logistics_setting(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """make-secrets.sh writes ``logistics_carrier_secrets`` as JSON; the setting takes it."""
    from services.logistics.settings import LogisticsSettings

    (tmp_path / "logistics_carrier_secrets").write_text('{"zto-gateway": "s3cret"}')
    monkeypatch.setenv(SECRETS_DIR_ENV, str(tmp_path))
    monkeypatch.delenv("LOGISTICS_CARRIER_SECRETS", raising=False)
    secrets = LogisticsSettings().carrier_secrets
    assert {k: v.get_secret_value() for k, v in secrets.items()} == {"zto-gateway": "s3cret"}
