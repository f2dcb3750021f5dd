"""Reading the CSV files shipped in ``catalog/data``."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources


def read_rows(name: str) -> Iterator[dict[str, str]]:
    """Rows of ``catalog/data/<name>`` as dicts with whitespace-stripped values."""
    with resources.files("esgledger.catalog").joinpath("data", name).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield {k: (v or "").strip() for k, v in row.items()}


def split_list(cell: str, sep: str = ";") -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(sep) if part.strip())
