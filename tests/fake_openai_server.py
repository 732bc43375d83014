"""A small OpenAI-compatible chat server for tests, on 127.0.0.1 (stdlib only).

Replies are scripted: `server.enqueue(Reply(...))` adds one reply per request, in order; when the
queue is empty, `server.default` answers. Every request body is kept in `server.requests`, with
its headers in `server.headers`, so tests can check exactly what the client sent.

    with FakeOpenAIServer() as server:
        server.enqueue(Reply(text="Hello [1]."))
        ChatOpenAI(base_url=server.base_url, api_key="x", model="fake").invoke("hi")
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Kind = Literal["text", "status", "malformed", "empty", "hang", "drop"]


@dataclass
class Reply:
    """One scripted reply.

    kind: `text` (stream or return `text`), `status` (HTTP `status` with an OpenAI error body),
    `malformed` (a 200 whose body or SSE event is not JSON), `empty` (a reply with no content),
    `hang` (accept, then send nothing for `delay` seconds), `drop` (close the connection at once).
    delay: seconds before the first byte; piece_delay: seconds between streamed pieces;
    stall_after/stall: go silent in the middle of a stream."""

    text: str = ""
    kind: Kind = "text"
    status: int = 200
    delay: float = 0.0
    piece_delay: float = 0.0
    pieces: list[str] | None = None  # how to split `text` into SSE events (default: words)
    retry_after: float | None = None
    stall_after: int | None = None  # after this many pieces, go silent for `stall` seconds
    stall: float = 0.0


def _split(text: str) -> list[str]:
    out, word = [], ""
    for ch in text:
        word += ch
        if ch == " ":
            out.append(word)
            word = ""
    if word:
        out.append(word)
    return out


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that hangs up (timeouts, dropped connections) is part of the script


class FakeOpenAIServer:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.default = Reply(text="NOT_IN_ARTICLE")
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:  # /v1/models, for clients that probe
                body = json.dumps({"object": "list", "data": [{"id": "fake", "object": "model"}]}).encode()
                self._send(200, body, "application/json")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    payload = json.loads(raw or b"{}")
                except ValueError:
                    payload = {"_raw": raw.decode("utf-8", "replace")}
                with server._lock:
                    server.requests.append(payload)
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                    reply = server.replies.popleft() if server.replies else server.default
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(
                        404, json.dumps({"error": {"message": "no such route"}}).encode(), "application/json"
                    )
                    return
                server._wait(reply.delay)
                if reply.kind == "hang":
                    return  # the client's read timeout ends it; the handler thread just returns
                if reply.kind == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if reply.kind == "status":
                    headers = {"Retry-After": str(reply.retry_after)} if reply.retry_after is not None else {}
                    body = json.dumps({"error": {"message": f"scripted error {reply.status}",
                                                 "type": "server_error", "code": reply.status}}).encode()
                    self._send(reply.status, body, "application/json", headers)
                    return
                if payload.get("stream"):
                    self._stream(payload, reply)
                else:
                    self._complete(payload, reply)

            def _send(
                self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _complete(self, payload: dict[str, Any], reply: Reply) -> None:
                if reply.kind == "malformed":
                    self._send(200, b"{this is not json", "application/json")
                    return
                content = "" if reply.kind == "empty" else reply.text
                body = {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                    "model": payload.get("model", "fake"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                self._send(200, json.dumps(body).encode(), "application/json")

            def _event(self, data: str) -> None:
                chunk = f"data: {data}\n\n".encode()
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()

            def _stream(self, payload: dict[str, Any], reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                model = payload.get("model", "fake")

                def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
                    return json.dumps({
                        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                        "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                    }, ensure_ascii=False)

                try:
                    self._event(chunk({"role": "assistant", "content": ""}))
                    if reply.kind == "malformed":
                        self._event("{not json at all")
                    elif reply.kind != "empty":
                        pieces = reply.pieces if reply.pieces is not None else _split(reply.text)
                        for n, piece in enumerate(pieces):
                            if n == reply.stall_after:
                                server._wait(reply.stall)
                            server._wait(reply.piece_delay)
                            self._event(chunk({"content": piece}))
                    self._event(chunk({}, "stop"))
                    self._event("[DONE]")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):  # the client gave up: fine
                    pass

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-openai", daemon=True)

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._stop.wait(seconds)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()  # wake handlers sleeping in a scripted delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
