"""Breakdown dimensions of KPI values (gender, age band, position, region)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esgledger.catalog._files import read_rows, split_list


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    name: str
    members: tuple[str, ...]
    description: str


@cache
def dimensions() -> dict[str, Dimension]:
    return {
        row["id"]: Dimension(row["id"], row["name"], split_list(row["members"]), row["description"])
        for row in read_rows("dimensions.csv")
    }
