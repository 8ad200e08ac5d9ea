"""Settings: one pydantic-settings base, one subclass per service with its own env prefix.

Defaults point at RabbitMQ and PostgreSQL on localhost so a machine that has them needs no
configuration. Secrets can also come from files: with ``ORDERFLOW_SECRETS_DIR=/run/secrets`` a file
``/run/secrets/sales_database_url`` sets ``SALES_DATABASE_URL`` (environment variables still win).
"""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Self

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    SettingsConfigDict,
)

from shared.auth import AuthConfig

SECRETS_DIR_ENV = "ORDERFLOW_SECRETS_DIR"


class ServiceSettings(BaseSettings):
    """What every service needs; a service subclass sets ``env_prefix`` and its own fields."""

    model_config = SettingsConfigDict(env_prefix="ORDERFLOW_", extra="ignore")

    service_name: str = "orderflow"
    amqp_url: str = Field(
        default="amqp://guest:guest@127.0.0.1:5672/",
        description="One RabbitMQ node, or several nodes of one cluster as comma-separated"
        " URLs: connections go to the first that answers and move to another node when theirs"
        " goes away",
    )
    amqp_reconnect_interval_s: float = Field(
        default=2.0, gt=0, description="Pause between passes over the nodes while none answers"
    )
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    db_schema: str = Field(
        default="", description="PostgreSQL schema; defaults to the service name"
    )
    namespace: str = Field(
        default="",
        description="Prefix for exchanges and queues; lets test runs and tenants stay apart",
    )
    db_pool_size: int = Field(
        default=8, ge=1, description="Database connections the process keeps open"
    )
    db_max_overflow: int = Field(
        default=4, ge=0, description="Extra connections opened under load, closed after"
    )
    http_max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body taken (413 above it); routes taking documents may"
        " allow more",
    )
    http_larger_bodies: dict[str, int] = Field(
        default={},
        description="Path prefix -> body limit in bytes, for the routes that take documents",
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8000

    quorum_queues: bool = Field(
        default=True, description="Quorum (replicated) queues; classic only by choice"
    )
    prefetch: int = Field(default=20, ge=1)
    retry_delays_ms: list[int] = Field(default=[500, 2_000, 10_000])
    max_attempts: int = Field(default=5, ge=1, description="Handler attempts before dead-letter")
    delivery_limit: int = Field(
        default=20,
        ge=1,
        description="Broker-side redelivery cap: a message that keeps killing"
        " the process is dead-lettered by RabbitMQ instead of looping forever",
    )
    graceful_timeout_s: float = 15.0
    slow_request_s: float = Field(
        default=2.0, gt=0, description="An HTTP request slower than this is logged as a warning"
    )
    http_keep_alive_s: int = Field(
        default=30,
        ge=1,
        description="Idle keep-alive before the server closes a connection: longer than"
        " clients keep theirs (5 s for httpx), so a request never meets a closing socket",
    )
    startup_timeout_s: float = Field(
        default=300.0,
        ge=0,
        description="How long a starting service waits for its broker and database",
    )
    trusted_broker_logins: list[str] = Field(
        default=["guest"],
        description="Broker logins whose events are taken whatever the event: the one login"
        " every process shares on a development machine (RabbitMQ lets guest in from"
        " localhost only). Empty where each service and system has its own broker user"
        " (deploy/): then an event is taken only from its publisher's login",
    )
    declare_topology: bool = Field(
        default=True, description="Off when ops pre-declare queues and the user may not"
    )

    relay_batch: int = Field(default=200, ge=1)
    relay_idle_poll_s: float = 0.2
    relay_max_backoff_s: float = 5.0
    timer_poll_s: float = Field(
        default=1.0,
        gt=0,
        description="Deadline scan interval in simulated seconds (a faster clock scans more"
        " often, down to every 0.1 s of wall time)",
    )

    clock_start: datetime | None = Field(
        default=None, description="Simulated instant at clock_origin; None: the system clock"
    )
    clock_origin: datetime | None = Field(
        default=None,
        description="Wall-clock instant at which simulated time equalled clock_start; every"
        " process given the same start, origin and speed agrees on the time, restarts included",
    )
    clock_speed: float = Field(
        default=1.0, gt=0, description="Simulated seconds per wall-clock second"
    )

    calendar_file: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("calendar_file", "ORDERFLOW_CALENDAR_FILE"),
        description="The company calendar every service reads (one TOML file: country,"
        " timezone, extra_days_off, extra_working_days), so that no two services count a"
        " deadline differently; ORDERFLOW_CALENDAR_FILE for all services at once",
    )
    calendar_country: str = Field(default="CN", description="Public holidays of this country")
    calendar_tz: str = "Asia/Shanghai"
    calendar_extra_days_off: list[date] = Field(
        default=[], description="Local days off on top of the package's holidays"
    )
    calendar_extra_working_days: list[date] = Field(
        default=[], description="Make-up working days not yet in the package's data"
    )

    @model_validator(mode="after")
    def _company_calendar(self) -> Self:
        """Take the calendar from the company's file when one is given; a service that also
        sets its own additions is refused, rather than counting days its own way."""
        if self.calendar_file is None:
            return self
        own = {"calendar_extra_days_off", "calendar_extra_working_days"} & self.model_fields_set
        if own:
            raise ValueError(
                f"{', '.join(sorted(own))}: the calendar comes from {self.calendar_file} alone"
            )
        company = company_calendar(self.calendar_file)
        self.calendar_country = company.country
        self.calendar_tz = company.timezone
        self.calendar_extra_days_off = list(company.extra_days_off)
        self.calendar_extra_working_days = list(company.extra_working_days)
        return self

    auth_issuer: str = Field(
        default="http://127.0.0.1:8006",
        description="The identity provider whose tokens are accepted (the token's iss claim)",
    )
    auth_audience: str = Field(
        default="orderflow", description="The token's aud claim must name this audience"
    )
    auth_jwks_url: str = Field(
        default="",
        description="Where the issuer publishes its signing keys; empty: the embedded issuer's"
        " <auth_issuer>/.well-known/jwks.json (Keycloak: <realm>/protocol/openid-connect/certs)",
    )
    auth_jwks: str = Field(
        default="", description="The signing keys as a JWKS document, instead of fetching them"
    )
    auth_roles_claim: str = Field(
        default="roles",
        description="Where the token carries the roles, as a dotted path (Keycloak:"
        " realm_access.roles)",
    )

    log_level: str = "INFO"
    log_json: bool | None = Field(default=None, description="None: JSON when not on a terminal")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = [init_settings, env_settings, dotenv_settings]
        secrets_dir = os.environ.get(SECRETS_DIR_ENV)
        if secrets_dir:
            sources.append(SecretsSettingsSource(settings_cls, secrets_dir=secrets_dir))
        return tuple(sources)

    def auth_config(self) -> AuthConfig:
        return AuthConfig(
            issuer=self.auth_issuer,
            audience=self.auth_audience,
            jwks_url=self.auth_jwks_url or f"{self.auth_issuer.rstrip('/')}/.well-known/jwks.json",
            jwks=self.auth_jwks,
            roles_claim=self.auth_roles_claim,
        )

    @property
    def schema_name(self) -> str:
        return self.db_schema or self.service_name


class CompanyCalendar(BaseModel):
    """The company calendar file: the country whose public holidays apply, the time zone a
    business day ends in, and the days off and make-up working days the holiday package does
    not know yet (TOML dates)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    country: str = "CN"
    timezone: str = "Asia/Shanghai"
    extra_days_off: tuple[date, ...] = ()
    extra_working_days: tuple[date, ...] = ()


def company_calendar(path: Path) -> CompanyCalendar:
    with path.open("rb") as file:
        return CompanyCalendar.model_validate(tomllib.load(file))
