"""ASGI middleware of the chat UI's server: no remote files or uploads, and a bound on request bodies."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from qa.errors import ConfigError
from qa.settings import Settings


class NoRemoteFiles:
    """ASGI middleware for two Gradio routes this app never uses: `file=<http(s) URL>`, where
    Gradio would fetch any public URL for a caller (an open proxy), and `upload`, which would let
    anyone store files on the server."""

    _REMOTE = re.compile(r"file=\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)
    _UPLOAD = re.compile(r"/upload(?:_progress)?/?$")

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") == "http":
            path = unquote(scope.get("path", ""))
            refusal = ("remote files are not served here" if self._REMOTE.search(path)
                       else "this app takes no uploads" if self._UPLOAD.search(path) else None)
            if refusal:
                from starlette.responses import PlainTextResponse

                await PlainTextResponse(refusal, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    """The request body grew past the limit (raised inside the app's `receive`)."""


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes gets 413 Payload Too Large. A declared
    Content-Length over the limit is refused before the body is read; a body without one (chunked)
    is counted as it arrives and cut off at the limit."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, scope: Any, receive: Any, send: Any) -> None:
        from starlette.responses import PlainTextResponse

        message = (f"request body over {self.limit} bytes: send a shorter question and history "
                   "(the server's limit is QA_UI_MAX_REQUEST_BYTES)")
        await PlainTextResponse(message, status_code=413, headers={"Connection": "close"})(
            scope, receive, send
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        declared = [v for k, v in scope.get("headers", []) if k.lower() == b"content-length"]
        try:
            too_big = any(int(v) > self.limit for v in declared)
        except ValueError:
            too_big = True  # unreadable: the server would refuse it anyway
        if too_big:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = refused = False

        async def counted() -> Any:
            nonlocal received, refused
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    refused = not started  # what the app sends next is not for the client
                    raise _TooLarge
            return message

        async def tracked(message: Any) -> None:
            nonlocal started
            if refused:
                return  # the app's own reply to the cut-off body: the 413 goes out instead
            if message.get("type") == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except Exception:
            if received <= self.limit:
                raise
        if refused:
            await self._refuse(scope, receive, send)


def request_limit(settings: Settings) -> int:
    """`ui_max_request_bytes`, checked: it must hold the longest question (4 bytes a character in
    UTF-8) and room for a history."""
    needed = 4 * settings.max_question_chars + 16_384
    if settings.ui_max_request_bytes < needed:
        raise ConfigError(
            f"QA_UI_MAX_REQUEST_BYTES={settings.ui_max_request_bytes} cannot hold a question of "
            f"QA_MAX_QUESTION_CHARS={settings.max_question_chars} characters and a history: "
            f"set it to at least {needed}"
        )
    return settings.ui_max_request_bytes
