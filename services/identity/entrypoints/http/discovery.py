"""Where a client or a service finds the issuer's endpoints and keys (OpenID Connect Discovery,
RFC 7517 JWKS). Services fetch the JWKS to check tokens; nothing here is secret."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from services.identity.entrypoints.http.deps import Anyone, provider_of
from services.identity.entrypoints.http.schemas import Discovery, Jwk, Jwks

router = APIRouter(tags=["discovery"], dependencies=[Anyone])


@router.get("/.well-known/openid-configuration", response_model=Discovery)
async def openid_configuration(request: Request) -> Discovery:
    issuer = provider_of(request).settings.issuer.rstrip("/")
    return Discovery(
        issuer=provider_of(request).settings.issuer,
        jwks_uri=f"{issuer}/.well-known/jwks.json",
        token_endpoint=f"{issuer}/token",
        revocation_endpoint=f"{issuer}/revoke",
        userinfo_endpoint=f"{issuer}/userinfo",
        grant_types_supported=["password", "refresh_token"],
        response_types_supported=["token"],
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=["RS256"],
        token_endpoint_auth_methods_supported=["none"],
        revocation_endpoint_auth_methods_supported=["none"],
        claims_supported=[
            "iss",
            "aud",
            "sub",
            "preferred_username",
            "name",
            "roles",
            "locale",
            "kind",
            "iat",
            "exp",
            "jti",
        ],
    )


@router.get("/.well-known/jwks.json", response_model=Jwks)
async def jwks(request: Request, response: Response) -> Jwks:
    """The current signing key, and a retired one while tokens it signed may still be valid."""
    keys = await provider_of(request).signing_keys()
    # Verifiers cache the keys themselves and fetch again for an unknown key id.
    response.headers["Cache-Control"] = "public, max-age=300"
    return Jwks(keys=[Jwk.model_validate(k) for k in keys.jwks()["keys"]])
