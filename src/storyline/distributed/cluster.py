"""Reaching a Dask cluster: a running scheduler, or a local one started for this run.

``ADDRESS`` is ``tcp://host:port`` (or ``host:port``) of a running ``dask scheduler``,
or ``local:N`` for a :class:`~distributed.LocalCluster` of ``N`` single-threaded
worker processes on this machine, bound to the loopback interface only. One thread
per worker process: the NLP libraries hold the GIL, so threads would only queue.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from distributed import Client, LocalCluster

from storyline.errors import ConfigError, StorylineError

CONNECT_TIMEOUT_S = 30
_LOCAL = re.compile(r"^local:(\d+)$")
_REMOTE = re.compile(r"^(?:tcp|tls)://[^\s/]+:\d+$|^[^\s/:]+:\d+$")


class ClusterError(StorylineError):
    """The Dask cluster cannot be reached or lost what it was asked to do."""


@dataclass(frozen=True, slots=True)
class Address:
    """Where to run: ``workers`` local processes, or the scheduler at ``url``."""

    workers: int | None = None
    url: str | None = None


def parse_address(text: str) -> Address:
    """``local:N`` or a scheduler address, or a :class:`ConfigError` saying what fits."""
    value = text.strip()
    if match := _LOCAL.match(value):
        workers = int(match[1])
        if workers < 1:
            raise ConfigError(f"--dask {text!r}: a local cluster needs at least one worker")
        return Address(workers=workers)
    if _REMOTE.match(value):
        return Address(url=value if "://" in value else f"tcp://{value}")
    raise ConfigError(
        f"--dask {text!r}: give local:N (N worker processes here) or the scheduler's "
        "address, tcp://host:8786"
    )


def connect(text: str) -> tuple[Client, LocalCluster | None]:
    """A client for the cluster at ``text``, and the local cluster if one was started
    (the caller closes both)."""
    address = parse_address(text)
    cluster: LocalCluster | None = None
    try:
        if address.workers is not None:
            cluster = LocalCluster(
                n_workers=address.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster, timeout=CONNECT_TIMEOUT_S)
        else:
            client = Client(address.url, timeout=CONNECT_TIMEOUT_S)
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = address.url or text
        raise ClusterError(
            f"{where}: cannot reach the Dask scheduler or it has no workers ({exc}); "
            "is `dask scheduler` running there, with `dask worker` processes connected?"
        ) from None
    return client, cluster
