"""OAuth 2.0 form parameters, read without a multipart parser: a URL-encoded body, each parameter
at most once (RFC 6749 section 3.2), anything wrong answered as ``invalid_request``."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import BaseModel, ValidationError

from services.identity.domain.errors import InvalidClient, InvalidRequest

F = TypeVar("F", bound=BaseModel)
MAX_BODY = 16_384
FORM = "application/x-www-form-urlencoded"


async def read_form(request: Request, model: type[F]) -> F:
    if request.headers.get("authorization", "").lower().startswith("basic "):
        raise InvalidClient("this issuer has public clients only: send no client credentials")
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != FORM:
        raise InvalidRequest(f"send the parameters as {FORM}")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise InvalidRequest("the request is too large")
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequest("the body is not valid form encoding") from None
    names = [name for name, _ in pairs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidRequest(f"parameter given more than once: {', '.join(repeated)}")
    params = {name: value for name, value in pairs if value != ""}
    if "client_secret" in params:
        raise InvalidClient("this issuer has public clients only: send no client secret")
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise InvalidRequest(f"{where}: {first['msg']}") from None


def form_body(model: type[BaseModel]) -> dict[str, object]:
    """The OpenAPI request body of a form endpoint (FastAPI sees no parameters to document)."""
    return {
        "requestBody": {
            "required": True,
            "content": {FORM: {"schema": model.model_json_schema()}},
        }
    }
