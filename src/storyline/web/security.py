"""Security middleware: response headers on every response, and a request body limit.

Every response means errors too: a route that raises is answered here with a bare 500
(and the exception re-raised, so the server still logs it), because Starlette's own 500
is sent by its outermost middleware, which no header-adding middleware wraps.

A pure ASGI middleware (not ``BaseHTTPMiddleware``) so that an oversized body is
refused while it streams in — a ``Content-Length`` over the limit before a byte is
read, a chunked body as soon as it passes the limit — never buffered whole.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
"""No inline script, no inline style, nothing from elsewhere: a scraped payload that
slipped through escaping still could not run."""

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class _TooLarge(Exception):
    pass


async def _send_plain(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    """A whole response with a known body; the headers are added by the ``send`` given."""
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await _send_plain(send, status, body, b"application/json")


class SecurityMiddleware:
    """Adds :data:`HEADERS` to every response (a 500 of its own included) and answers 413
    to bodies over ``max_body``."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name for name, _ in HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + HEADERS}
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse(send_with_headers)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _TooLarge:
            if started:
                raise
            await self._refuse(send_with_headers)
        except Exception:
            if started:
                raise
            await _server_error(scope, send_with_headers)
            raise

    async def _refuse(self, send: Send) -> None:
        await _send_json(send, 413, f"request body larger than {self.max_body} bytes")


async def _server_error(scope: Scope, send: Send) -> None:
    """A 500 that says nothing of the cause (the log has it): JSON under ``/api/``, text
    elsewhere, like the other errors of each side."""
    if str(scope.get("path", "")).startswith("/api/"):
        await _send_json(send, 500, "internal server error")
    else:
        await _send_plain(send, 500, b"Internal Server Error", b"text/plain; charset=utf-8")
