"""Webhooks: post each watch's digest, as JSON, to the address the watch names.

Run by ``storyline digest --notify`` (from cron, after or between ingests), never by the
ingest itself: a slow or dead receiver can then delay only the notice, not the pages.
Each post is bounded: a few attempts, a short timeout each, a growing pause between
them; a receiver that keeps failing is reported, not retried for ever, and nothing
raises. Only digests with news are posted: silence means nothing new.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from storyline.report.digest import WatchDigest, digest_record

ATTEMPTS = 3
TIMEOUT = 5.0
"""Seconds one attempt may take, connecting and answering."""
BACKOFF = 0.5
"""Seconds before the second attempt; doubled before each later one."""


@dataclass(frozen=True)
class Delivery:
    watch_id: str
    url: str
    attempts: int
    status: int | None
    """The last HTTP status, ``None`` when no answer came."""
    error: str | None
    """Why it failed, ``None`` when delivered (a 2xx answer)."""

    @property
    def ok(self) -> bool:
        return self.error is None


def _retryable(status: int) -> bool:
    """Worth another try: the receiver is busy or broken for now (5xx, 408, 429); any
    other 4xx will refuse the same body again."""
    return status >= 500 or status in (408, 429)


def post_digest(
    found: WatchDigest,
    *,
    attempts: int = ATTEMPTS,
    timeout: float = TIMEOUT,
    backoff: float = BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """Post ``found`` to its watch's webhook, at most ``attempts`` times."""
    url = found.watch.webhook or ""
    status: int | None = None
    error = "no webhook"
    tries = 0
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for tries in range(1, attempts + 1):
            try:
                response = client.post(url, json=digest_record(found))
            except httpx.HTTPError as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return Delivery(found.watch.id, url, tries, status, None)
                error = f"HTTP {status}"
                if not _retryable(status):
                    break
            if tries < attempts:
                sleep(backoff * 2 ** (tries - 1))
    return Delivery(found.watch.id, url, tries, status, error)


def notify(
    digests: Sequence[WatchDigest],
    *,
    attempts: int = ATTEMPTS,
    timeout: float = TIMEOUT,
    backoff: float = BACKOFF,
) -> list[Delivery]:
    """Post every digest that has news and a webhook; one :class:`Delivery` each."""
    return [
        post_digest(found, attempts=attempts, timeout=timeout, backoff=backoff)
        for found in digests
        if found.watch.webhook and found.stories
    ]
