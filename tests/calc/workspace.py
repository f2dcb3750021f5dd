"""A small workspace for hand-computed calculation cases: four entities, one year's rows."""

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
    ["CD", "Chengdu plant", "GRP", "CN", "CN-SC", "site"],
    ["VN1", "Vietnam plant", "GRP", "VN", "", "legal_entity"],
]
HEADER = ["entity", "start", "end", "activity", "quantity", "unit", "use", "volume_basis"]
Calc = Callable[..., dict[str, Any]]


def year_row(
    entity: str, activity: str, quantity: float, unit: str, use: str = "", basis: str = ""
) -> list[object]:
    return [entity, "2024-01-01", "2024-12-31", activity, quantity, unit, use, basis]


def calc_runner(cli: Cli, tmp_path: Path, entities: list[list[str]] = ENTITIES) -> Calc:
    """Imports the entities; returns ``run(rows, *calc args, expect=0)``: it imports the rows,
    runs ``esg calc --year 2024 --json`` and gives its JSON, or ``{"output": …}`` on exit 2."""
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entities)))

    def run(rows: list[list[object]], *args: str, expect: int | None = 0) -> dict[str, Any]:
        if rows:
            path = write_csv(tmp_path / f"a{len(list(tmp_path.iterdir()))}.csv", HEADER, rows)
            cli("import", "activities", str(path))
        result = cli("calc", "--year", "2024", *args, "--json", expect=expect)
        if result.exit_code == 2:
            return {"output": result.output}
        return json.loads(result.stdout)

    return run
