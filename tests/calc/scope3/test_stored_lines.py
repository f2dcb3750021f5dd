"""Issue #15: a run's Scope 3 lines live in ``calculation_scope3_lines``, not in the run's
totals JSON (which every reader parses); they are covered by the run's digest, and runs
stored with the lines inside their totals still explain."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli

ROWS = [
    row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310", supplier_kgco2e="1500"),
    row("UK1", 2022, "spend.purchased_goods", 250, "USD", naics="327310"),
]


def _explain(cli: Cli, run: str) -> dict[str, Any]:
    args = ("calc", "explain", "--run", run, "--metric", "ghg.scope3.cat1", "--json")
    out: dict[str, Any] = json.loads(cli(*args).stdout)
    return out


def test_lines_are_rows_of_their_table_and_the_totals_stay_small(cli: Cli, tmp_path: Path) -> None:
    run = str(scope3_runner(cli, tmp_path)(ROWS, 2022)["run_id"])
    with cli.db.engine.connect() as conn:
        totals = json.loads(conn.execute(text("SELECT totals FROM calculation_runs")).scalar_one())
        lines = conn.execute(
            text(
                "SELECT category, entity_id, method, used FROM calculation_scope3_lines"
                " WHERE run_id = :run ORDER BY position"
            ),
            {"run": int(run)},
        ).all()
    assert "lines" not in totals["scope3"]
    assert totals["scope3"]["by_category"]["cat1"]["status"] == "calculated"
    assert [tuple(line) for line in lines] == [
        ("cat1", "SZ", "supplier_specific", True),
        ("cat1", "SZ", "spend_based", False),
        ("cat1", "UK1", "spend_based", True),
    ]
    out = _explain(cli, run)
    assert [(r["entity"], r["method"], r["used"]) for r in out["rows"]] == [
        tuple(line[1:]) for line in lines
    ]
    assert out["rows"][0]["factors"] == [] and out["rows"][1]["factors"][0]["value"] == 3.924
    assert cli("audit", "verify", "--deep").exit_code == 0


def test_an_edited_line_is_found_by_the_deep_audit(cli: Cli, tmp_path: Path) -> None:
    scope3_runner(cli, tmp_path)(ROWS, 2022)
    with cli.db.engine.begin() as conn:
        conn.execute(text("UPDATE calculation_scope3_lines SET tco2e = 0 WHERE position = 0"))
    result = cli("audit", "verify", "--deep", expect=1)
    assert "calculation_scope3_lines differs" in result.output


def test_a_run_stored_with_its_lines_in_the_totals_still_explains(cli: Cli, tmp_path: Path) -> None:
    run = str(scope3_runner(cli, tmp_path)(ROWS, 2022)["run_id"])
    before = _explain(cli, run)
    with cli.db.engine.begin() as conn:
        stored = conn.execute(
            text(
                "SELECT category, entity_id, activity, method, used, tco2e, detail"
                " FROM calculation_scope3_lines ORDER BY position"
            )
        ).all()
        legacy = [
            {"category": c, "entity_id": e, "activity": a, "method": m, "used": bool(u),
             "tco2e": t, **json.loads(d)}
            for c, e, a, m, u, t, d in stored
        ]  # fmt: skip
        totals = json.loads(conn.execute(text("SELECT totals FROM calculation_runs")).scalar_one())
        totals["scope3"]["lines"] = legacy
        conn.execute(text("DELETE FROM calculation_scope3_lines"))
        conn.execute(text("UPDATE calculation_runs SET totals = :t"), {"t": json.dumps(totals)})
    assert _explain(cli, run) == before
    summary = json.loads(cli("calc", "show", "--run", run, "--json").stdout)
    assert "lines" not in summary["scope3"]
