"""The PostgreSQL part of a benchmark's command line, shared by ``bench/exports.py`` and the
plan benchmarks (``bench/register_sort_pg.py``): the ``--postgres`` option, and the private
clusters started for a run (``api._postgres_url``), stopped at its end whatever happens."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT_HELP = "an empty PostgreSQL database (default: a private cluster)"


def add_postgres_option(parser: argparse.ArgumentParser, help: str = DEFAULT_HELP) -> None:
    """``--postgres URL``, by default ``$ESG_BENCH_POSTGRES_URL``."""
    parser.add_argument("--postgres", default=os.environ.get("ESG_BENCH_POSTGRES_URL"), help=help)


@contextmanager
def clusters_stopped() -> Iterator[list[Any]]:
    """A list the run appends the clusters it starts to; each is stopped at the end."""
    clusters: list[Any] = []
    try:
        yield clusters
    finally:
        for cluster in clusters:
            cluster.stop()
