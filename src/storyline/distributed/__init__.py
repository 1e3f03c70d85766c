"""Batch ingest on a Dask cluster: extraction and annotation on the workers, the rest here.

``storyline ingest … --dask ADDRESS`` (or ``STORYLINE_DASK``) hands
:class:`DaskRunner` to :func:`storyline.ingest.ingest`; the reading and the
single writer are the same as on one machine, so the store ends up the same.
Kept apart from :mod:`storyline.ingest` because importing Dask costs a second
that a plain ingest should not pay.
"""

from __future__ import annotations

from storyline.distributed.cluster import ClusterError, connect, parse_address
from storyline.distributed.runner import DaskRunner

__all__ = ["ClusterError", "DaskRunner", "connect", "parse_address"]
