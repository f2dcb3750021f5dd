"""Screening files for tests: all 15 categories, with the relevant ones chosen per test."""

from __future__ import annotations

from pathlib import Path

from tests.factories import write_csv

HEADER = ["category", "relevant", "reason", "note", "method", "data_quality"]


def screening_rows(relevant: dict[int, str] | None = None) -> list[list[object]]:
    """Categories in ``relevant`` (number → method) relevant for their size, the others not
    relevant for want of any activity."""
    relevant = relevant or {}
    return [
        [f"cat{n}", "yes", "size", "", relevant[n], 3]
        if n in relevant
        else [str(n), "no", "no_activity", f"no category {n} activity", "", ""]
        for n in range(1, 16)
    ]


def write_screening(folder: Path, rows: list[list[object]], name: str = "screening.csv") -> Path:
    return write_csv(folder / name, HEADER, rows)
