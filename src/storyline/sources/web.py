"""Fetching http(s) URLs with httpx.

Redirects are followed (at most five), the whole exchange is bounded by
``fetch_timeout`` seconds, and the body is streamed with the size limit
enforced while reading: a server that sends more than ``max_bytes`` (after
content decoding, so a gzip bomb counts at its real size) is cut off.
"""

from __future__ import annotations

import errno
import time
from dataclasses import dataclass

import httpx

from storyline.errors import FetchError, InputError, TooLargeError
from storyline.sources.sniff import parse_content_type

MAX_REDIRECTS = 5
USER_AGENT = "storyline/0.1 (news article reader)"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    """The final URL, after redirects."""
    data: bytes
    content_type: str | None
    charset: str | None


def is_url(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


def _seconds(timeout: float) -> str:
    return f"{timeout:g}s"


def _connect_reason(exc: Exception) -> str:
    text = str(exc)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OSError) and cause.errno is not None:
            if cause.errno == errno.ECONNREFUSED:
                return "connection refused"
            if cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
                return "network unreachable"
        cause = cause.__cause__ or cause.__context__
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return "cannot resolve the host name"
    if "temporary failure in name resolution" in lowered or "no address associated" in lowered:
        return "cannot resolve the host name"
    if "unreachable" in lowered:
        return "network unreachable"
    if "certificate" in lowered or "ssl" in lowered:
        return f"TLS error: {text}"
    return f"cannot connect: {text}" if text else "cannot connect"


def fetch(url: str, *, max_bytes: int, timeout: float) -> Fetched:
    """GET a URL; raise FetchError/TooLargeError with a one-line reason."""
    deadline = time.monotonic() + timeout
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=httpx.Timeout(timeout),
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                },
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                phrase = f" {response.reason_phrase}" if response.reason_phrase else ""
                raise FetchError(url, f"HTTP {response.status_code}{phrase}")
            if not 200 <= response.status_code < 300:
                raise FetchError(url, f"HTTP {response.status_code} without a usable body")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise TooLargeError(
                    url,
                    f"{int(declared)} bytes announced, over the size limit of {max_bytes} bytes",
                )
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise TooLargeError(
                        url, f"body larger than the size limit of {max_bytes} bytes"
                    )
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise FetchError(url, f"timed out after {_seconds(timeout)}")
            media, charset = parse_content_type(response.headers.get("Content-Type"))
            return Fetched(
                url=str(response.url), data=b"".join(chunks), content_type=media, charset=charset
            )
    except InputError:
        raise
    except httpx.TooManyRedirects:
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(url, f"timed out after {_seconds(timeout)}") from None
    except httpx.ConnectError as exc:
        raise FetchError(url, _connect_reason(exc)) from None
    except httpx.UnsupportedProtocol:
        raise FetchError(url, "unsupported URL scheme") from None
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"invalid URL ({exc})") from None
    except httpx.DecodingError as exc:
        raise FetchError(url, f"cannot decode the response body ({exc})") from None
    except httpx.HTTPError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FetchError(url, f"transfer failed: {reason}") from None
