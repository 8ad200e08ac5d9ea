"""Wiring of the identity provider: settings in, provider and app out; nothing built at import."""

from __future__ import annotations

from pathlib import Path

import uvicorn
from fastapi import FastAPI

from services.identity.app.unit import Provider
from services.identity.entrypoints.http import create_app
from services.identity.settings import IdentitySettings
from shared.clock import Clock
from shared.logging import configure_logging

MIGRATIONS = Path(__file__).parent / "migrations"


def build_provider(
    settings: IdentitySettings | None = None, clock: Clock | None = None
) -> Provider:
    return Provider(settings or IdentitySettings(), clock=clock, migrations=MIGRATIONS)


def build_app(provider: Provider, *, manage: bool = True) -> FastAPI:
    return create_app(provider, manage=manage)


def main() -> None:
    provider = build_provider()
    settings = provider.settings
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    uvicorn.run(
        build_app(provider),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.graceful_timeout_s) + 5,
        timeout_keep_alive=settings.http_keep_alive_s,
    )
