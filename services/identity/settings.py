"""Identity provider settings (env prefix ``IDENTITY_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class IdentitySettings(ServiceSettings):
    """The issuer's own settings; the broker settings it inherits are unused (it needs none).

    Tokens live on the real clock whatever ``clock_*`` says: every service checks ``exp``
    against its system clock, so a simulated month must not age a token."""

    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    service_name: str = "identity"
    http_port: int = 8006
    issuer: str = Field(
        default="http://127.0.0.1:8006",
        description="The tokens' iss claim and the base of the discovery document's URLs; must"
        " equal every service's <SVC>_AUTH_ISSUER",
    )
    audience: str = Field(default="orderflow", description="The access tokens' aud claim")
    access_token_ttl_s: int = Field(default=900, ge=30, le=86_400)
    refresh_token_ttl_s: int = Field(
        default=8 * 3600,
        ge=60,
        le=30 * 86_400,
        description="How long a sign-in lasts, refreshes included: a working day by default",
    )
    signing_key_file: str = Field(
        default="",
        description="A PEM RSA private key to sign with (production: a mounted secret); empty:"
        " a key generated at first start and kept in the identity schema",
    )
    free_login_failures: int = Field(
        default=5, ge=1, description="Wrong passwords for one username before sign-ins slow down"
    )
    max_login_delay_s: int = Field(
        default=300, ge=1, description="The longest wait imposed after repeated wrong passwords"
    )
