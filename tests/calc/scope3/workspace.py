"""A small workspace for Scope 3 cases: a Chinese and a British site, rows with the
methods' attribute columns, ``esg calc --json`` run through the CLI on a real database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import Cli
from tests.factories import ENTITY_HEADER, write_csv

ENTITIES = [
    ["GRP", "Group", "", "CN", "CN-GD", "group"],
    ["SZ", "Shenzhen plant", "GRP", "CN", "CN-GD", "site"],
    ["UK1", "Reading office", "GRP", "GB", "", "site"],
]
COLUMNS = ["naics", "vehicle", "treatment", "supplier_kgco2e", "direction", "price_year"]
HEADER = ["entity", "start", "end", "activity", "quantity", "unit", *COLUMNS]
Scope3Calc = Callable[..., dict[str, Any]]


def row(entity: str, year: int, activity: str, quantity: float, unit: str, **attrs: str) -> list:
    """One year-long row; ``attrs`` fill the method columns (naics, vehicle, treatment…)."""
    unknown = set(attrs) - set(COLUMNS)
    assert not unknown, unknown
    cells = [attrs.get(c, "") for c in COLUMNS]
    return [entity, f"{year}-01-01", f"{year}-12-31", activity, quantity, unit, *cells]


def scope3_runner(cli: Cli, tmp_path: Path) -> Scope3Calc:
    """``run(rows, year, *args, expect=0)``: import the rows, give ``esg calc --json``."""
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, ENTITIES)))

    def run(rows: list[list], year: int, *args: str, expect: int = 0) -> dict[str, Any]:
        if rows:
            path = write_csv(tmp_path / f"a{len(list(tmp_path.iterdir()))}.csv", HEADER, rows)
            cli("import", "activities", str(path))
        result = cli("calc", "--year", str(year), *args, "--json", expect=expect)
        return json.loads(result.stdout)

    return run
