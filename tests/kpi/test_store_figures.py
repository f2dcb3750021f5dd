"""Issue #18: nothing may silently miss the Parquet activity store's rows.

The same demo rows imported once to the ledger and once with ``--store`` (two workspaces)
give the same KPI figures (energy, water, waste…), the same coverage of the boundary, the
same check findings and the same ``esg activities list``. What the store cannot do is
refused out loud: voiding a store batch, and a backup that would leave the store's files out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from esgledger.checks.context import CheckContext
from esgledger.checks.energy import implied, indirect_energy_notes, run_for
from esgledger.checks.engine import data_years
from esgledger.checks.factors import implied_factors
from esgledger.kpi.coverage import FAMILIES, active_entities
from tests.conftest import Cli
from tests.ledger.test_activity_store import (  # noqa: F401 - fixture
    INTEGRITY,
    YEAR,
    demo_files,
    pair,
    root_of,
)

INVALID = 2


def both(workspaces: tuple[Cli, Cli], tmp_path: Path) -> tuple[Cli, Cli]:
    """The demo's 2024 rows: in the ledger in one workspace, in the store in the other."""
    ledger, store = workspaces
    first, second = demo_files(tmp_path)
    for path in (first, second):
        ledger("import", "activities", str(path))
        store("import", "activities", str(path), "--store")
    return ledger, store


def rounded(value: Any) -> Any:
    """``value`` with each float to 12 significant digits: the database and the store add
    the same quantities in a different order, which moves the last bit of a sum."""
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def kpi(cli: Cli) -> Any:
    result = cli("kpi", "--year", str(YEAR), "--json", expect=None)
    return json.loads(result.stdout)


def findings(cli: Cli) -> Any:
    result = cli("check", "--year", str(YEAR), "--json", expect=None)
    return json.loads(result.stdout)


def test_kpi_figures_and_coverage_count_store_rows(
    pair: tuple[Cli, Cli],  # noqa: F811
    tmp_path: Path,
) -> None:
    ledger, store = both(pair, tmp_path)
    figures = kpi(ledger)
    text = json.dumps(figures)
    assert "energy" in text and "water" in text  # activity-derived figures are there
    got = kpi(store)
    for a, b in zip(got["kpis"], figures["kpis"], strict=True):
        assert rounded(a) == rounded(b), a["metric"]
    assert rounded(got) == rounded(figures)


def test_check_findings_count_store_rows(
    pair: tuple[Cli, Cli],  # noqa: F811
    tmp_path: Path,
) -> None:
    ledger, store = both(pair, tmp_path)
    for cli in (ledger, store):
        cli("calc", "--year", str(YEAR), expect=1)  # water and waste rows have no factor
    assert rounded(findings(store)) == rounded(findings(ledger))


def readings(cli: Cli) -> dict[str, Any]:
    """What the energy checks read off the year's run and activity rows."""
    with cli.db.read() as session:
        ctx = CheckContext(session, YEAR)
        run = run_for(ctx, YEAR)
        assert run is not None
        return {
            "electricity": implied(ctx, run, ("electricity.purchased",), "energy_indirect", "kWh"),
            "factors": implied_factors(ctx, YEAR),
            "notes": indirect_energy_notes(ctx),
            "years": data_years(session),
        }


@pytest.mark.parametrize("chunk", ["0", "150"])  # results stored, and recomputed on read
def test_energy_checks_read_store_rows(
    pair: tuple[Cli, Cli],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk: str,
) -> None:
    ledger, store = both(pair, tmp_path)
    for cli in (ledger, store):  # years with activity data, before any run
        with cli.db.read() as session:
            assert data_years(session) == [YEAR]
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", chunk)
    for cli in (ledger, store):
        cli("calc", "--year", str(YEAR), expect=1)
    expected = readings(ledger)
    assert (
        expected["electricity"]
        and len(expected["factors"]) == 3
        and "heat.purchased" in expected["notes"]
    )
    assert expected["years"] == [YEAR]
    assert rounded(readings(store)) == rounded(expected)


def test_coverage_counts_store_rows(
    pair: tuple[Cli, Cli],  # noqa: F811
    tmp_path: Path,
) -> None:
    ledger, store = both(pair, tmp_path)
    covered = []
    for cli in (ledger, store):
        with cli.db.read() as session:
            covered.append([active_entities(session, YEAR, kinds) for kinds in FAMILIES.values()])
    assert covered[0][0] and covered[0][1] and covered[1] == covered[0]


def test_activities_list_shows_store_rows(
    pair: tuple[Cli, Cli],  # noqa: F811
    tmp_path: Path,
) -> None:
    ledger, store = both(pair, tmp_path)
    for args in (
        [],
        ["--year", str(YEAR), "--limit", "7"],
        ["--entity", "SH-OF", "--activity", "electricity.purchased"],
        ["--history", "--year", str(YEAR - 1)],
    ):
        listed = [json.loads(cli("activities", "list", *args, "--json").stdout) for cli in pair]
        assert listed[1] == listed[0], args
    assert len(listed_all := json.loads(ledger("activities", "list", "--json").stdout)) > 1000
    assert listed_all[0]["id"] < listed_all[-1]["id"]
    assert "kept in the activity store" in store("activities", "list", "--limit", "3").output


def test_a_store_import_after_a_kpi_read_moves_the_figures(
    pair: tuple[Cli, Cli],  # noqa: F811
    tmp_path: Path,
) -> None:
    """A KPI table read (and cached) before a store import is not served after it."""
    ledger, store = pair
    first, second = demo_files(tmp_path)
    for cli, extra in ((ledger, []), (store, ["--store"])):
        cli("import", "activities", str(first), *extra)
        before = kpi(cli)
        cli("import", "activities", str(second), *extra)
        assert rounded(kpi(cli)) != rounded(before)
    assert rounded(kpi(store)) == rounded(kpi(ledger))


def test_a_changed_store_file_stops_the_kpi_table_and_the_checks(
    pair: tuple[Cli, Cli],  # noqa: F811
    tmp_path: Path,
) -> None:
    """A figure is never read off a file that is not what its import registered (exit 3)."""
    _, store = both(pair, tmp_path)
    victim = sorted(root_of(store, tmp_path).rglob("*.parquet"))[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 1
    victim.write_bytes(bytes(data))
    for command in ("kpi", "check"):
        result = store(command, "--year", str(YEAR), expect=INTEGRITY)
        assert f"activity store file {victim}" in result.output, command
