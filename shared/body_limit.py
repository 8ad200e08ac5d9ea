"""A cap on the size of a request body, checked before any of it is parsed.

A body announced larger than the cap (``Content-Length``) is answered 413 without reading it; a
body sent without a length (chunked) is counted as it arrives and refused once it passes the cap.
Routes that take documents (a proof of delivery) may be given a larger cap by path prefix.
Starlette has no such limit of its own, hence this small ASGI middleware.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.problems import MEDIA_TYPE, TYPE_PREFIX, Problem

MIB = 1024 * 1024
DEFAULT_LIMIT = 1 * MIB


class BodyTooLarge(HTTPException):
    """Raised while the body is read, so FastAPI passes it on (it turns other errors met while
    reading into a 400) and the app answers 413 as a problem."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body may be at most {limit} bytes")


class BodyLimit:
    def __init__(
        self, app: ASGIApp, limit: int = DEFAULT_LIMIT, larger: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.larger = dict(larger or {})

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.larger.items():
            if path.startswith(prefix):
                return limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        announced = dict(scope["headers"]).get(b"content-length")
        if announced is not None and announced.isdigit() and int(announced) > limit:
            await _refuse(send, limit)
            return
        seen = 0
        responded = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not responded:
                await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    problem = Problem(
        type=TYPE_PREFIX + "too-large",
        title="Request body too large",
        status=413,
        detail=f"the request body may be at most {limit} bytes",
    )
    body = problem.model_dump_json(exclude_none=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
