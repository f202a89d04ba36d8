"""ASGI middleware (pure ASGI, so streamed bodies pass through): a request id on every
response, and the size limit of non-upload bodies."""

from __future__ import annotations

import re
import uuid

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from avatars_server.api.errors import REQUEST_ID_HEADER, error_body

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


class RequestIdMiddleware:
    """Reuse a sane incoming X-Request-ID, else make one; expose it on request.state."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(REQUEST_ID_HEADER.lower().encode())
        text = incoming.decode("latin-1") if incoming else ""
        request_id = text if _SAFE_ID.match(text) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != REQUEST_ID_HEADER.lower().encode()
                ]
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_id)


# Routes that stream a multipart upload: their size and part limits are enforced while
# receiving (AVATARS_MAX_UPLOAD_BYTES, AVATARS_MAX_UPLOAD_PARTS), not by BodyLimitMiddleware.
UPLOAD_ROUTES = frozenset({("POST", "/datasets"), ("POST", "/datasets/stream")})


def body_too_large_message(limit: int) -> str:
    return (
        f"The request body is larger than this server's limit of {limit} bytes "
        f"({limit / 1024 / 1024:g} MiB) for anything but a dataset upload. Send a smaller "
        "body, or ask the administrator to raise AVATARS_MAX_JSON_BODY_BYTES."
    )


class BodyLimitMiddleware:
    """413 for a body over `limit` bytes on every route but the uploads.

    A declared Content-Length over the limit is refused before anything is read; a chunked
    body is counted as it arrives and refused as soon as it passes the limit, so the server
    never holds more than the limit of it.
    """

    def __init__(self, app: ASGIApp, limit: int, root_path: str = "") -> None:
        self.app = app
        self.limit = limit
        self.root_path = root_path.rstrip("/")

    def _exempt(self, scope: Scope) -> bool:
        path: str = scope.get("path", "")
        if self.root_path and path.startswith(self.root_path + "/"):
            path = path[len(self.root_path) :]
        return (scope.get("method", ""), path) in UPLOAD_ROUTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._exempt(scope):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # FastAPI re-raises HTTPException from body reading; the error handlers
                    # turn it into the usual {"message", "detail"} body.
                    raise HTTPException(413, detail=body_too_large_message(self.limit))
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = error_body(body_too_large_message(self.limit), {"max_body_bytes": self.limit})
        response = JSONResponse(status_code=413, content=body, headers={"Connection": "close"})
        await response(scope, receive, send)
