"""#15: the screening of the 15 Scope 3 categories per year, stored as ledger data and used
by the calculation: excluded categories say why, relevant ones without data are "not
available" (never 0) and leave Scope 3 incomplete; shares come from the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.calc.scope3.workspace import Scope3Calc, row, scope3_runner
from tests.conftest import Cli
from tests.factories import write_csv
from tests.scope3.screening_files import HEADER, screening_rows, write_screening

CEMENT = 3.924  # EPA v1.3 NAICS 327310, SEF+MEF, kg CO2e per 2022 USD (see tests/calc/scope3)
WTT_DIESEL_T = 752.0276  # DESNZ 2025 WTT- fuels, diesel, kg CO2e per tonne (11_101_1012_15_1)


@pytest.fixture
def calc(cli: Cli, tmp_path: Path) -> Scope3Calc:
    return scope3_runner(cli, tmp_path)


def test_a_screening_is_stored_shown_and_audited(cli: Cli, tmp_path: Path) -> None:
    path = write_screening(tmp_path, screening_rows({1: "spend_based", 6: "distance_based"}))
    out = cli("scope3", "screening", "import", str(path), "--year", "2025").stdout
    assert "relevant: cat1, cat6" in out
    shown = json.loads(cli("scope3", "screening", "show", "--year", "2025", "--json").stdout)
    assert [r["category"] for r in shown] == [f"cat{n}" for n in range(1, 16)]
    assert shown[0] == {
        "category": "cat1", "relevant": True, "reason": "size", "note": "",
        "method": "spend_based", "data_quality": 3, "batch": shown[0]["batch"],
    }  # fmt: skip
    assert shown[1]["relevant"] is False and shown[1]["note"] == "no category 2 activity"
    assert shown[1]["method"] is None and shown[1]["data_quality"] is None
    events = json.loads(cli("audit", "log", "--json").stdout)
    assert any(e["action"] == "import.scope3_screening" for e in events)
    assert cli("audit", "verify", "--deep").exit_code == 0
    # another year has none: said, and exit 2
    result = cli("scope3", "screening", "show", "--year", "2024", expect=2)
    assert "no Scope 3 screening for 2024" in result.output


def test_a_newer_screening_of_the_year_replaces_the_older_which_stays(
    cli: Cli, tmp_path: Path
) -> None:
    first = write_screening(tmp_path, screening_rows({1: "spend_based"}), "a.csv")
    second = write_screening(tmp_path, screening_rows({1: "hybrid", 4: "distance_based"}), "b.csv")
    cli("scope3", "screening", "import", str(first), "--year", "2025")
    cli("scope3", "screening", "import", str(second), "--year", "2025")
    shown = json.loads(cli("scope3", "screening", "show", "--year", "2025", "--json").stdout)
    assert (shown[0]["method"], shown[3]["relevant"]) == ("hybrid", True)
    with cli.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM scope3_screenings")).scalar() == 30


def test_an_edited_screening_row_is_found_by_the_deep_audit(cli: Cli, tmp_path: Path) -> None:
    path = write_screening(tmp_path, screening_rows({1: "spend_based"}))
    cli("scope3", "screening", "import", str(path), "--year", "2025")
    with cli.db.engine.begin() as conn:
        conn.execute(text("UPDATE scope3_screenings SET relevant = false WHERE category = 1"))
    result = cli("audit", "verify", "--deep", expect=1)
    assert "scope3_screenings differs" in result.output


BAD = {
    "a category missing": (
        lambda rows: rows[:-1], None, None, "every category is screened: missing cat15"
    ),
    "a category twice": (
        lambda rows: [*rows, rows[2]], 17, "category", "category 3 is screened twice (first on row 4)"
    ),
    "an unknown reason": (
        lambda rows: [[*r[:2], "cost", *r[3:]] if r[0] == "5" else r for r in rows],
        6, "reason", "reason 'cost' is not one of size, influence",
    ),
    "a score beyond the scale": (
        lambda rows: [[*r[:5], 9] if r[0] == "cat1" else r for r in rows],
        2, "data_quality", "data_quality '9' is not a score 1 (very good) … 5 (very poor)",
    ),
    "a category 16": (
        lambda rows: [["cat16", *r[1:]] if r[0] == "cat1" else r for r in rows],
        2, "category", "'cat16' is not a Scope 3 category",
    ),
    "relevance not yes or no": (
        lambda rows: [[r[0], "maybe", *r[2:]] if r[0] == "7" else r for r in rows],
        8, "relevant", "'maybe' is not yes or no",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_screening_is_refused_whole_with_row_and_column(
    cli: Cli, tmp_path: Path, case: str
) -> None:
    change, line, column, says = BAD[case]
    path = write_screening(tmp_path, change(screening_rows({1: "spend_based"})))
    result = cli("scope3", "screening", "import", str(path), "--year", "2025", expect=2)
    where = f"screening.csv, row {line}, column '{column}': " if line else "screening.csv: "
    assert where + says in result.output
    assert "nothing was imported" in result.output and "Traceback" not in result.output
    with cli.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM scope3_screenings")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM import_batches")).scalar() == 0


def test_calc_excludes_screened_out_categories_with_their_reason(
    calc: Scope3Calc, cli: Cli, tmp_path: Path
) -> None:
    path = write_screening(tmp_path, screening_rows({1: "spend_based"}))
    cli("scope3", "screening", "import", str(path), "--year", "2022")
    out = calc([row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310")], 2022)
    by = out["scope3"]["by_category"]
    assert by["cat1"]["status"] == "calculated"
    assert by["cat1"]["tco2e"] == pytest.approx(1000 * CEMENT / 1000, rel=1e-12)
    assert by["cat1"]["share"] == 1.0 and by["cat1"]["data_quality"] == 3
    assert by["cat14"]["status"] == "excluded" and by["cat14"]["tco2e"] is None
    assert by["cat14"]["reason"] == "no_activity: no category 14 activity"
    assert by["cat14"]["share"] is None and by["cat14"]["screening"]["relevant"] is False
    assert not out["scope3"]["incomplete"] and not out["incomplete"]


def test_a_relevant_category_without_data_is_not_available_and_incomplete(
    calc: Scope3Calc, cli: Cli, tmp_path: Path
) -> None:
    path = write_screening(tmp_path, screening_rows({1: "spend_based", 7: "distance_based"}))
    cli("scope3", "screening", "import", str(path), "--year", "2022")
    rows = [row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310")]
    out = calc(rows, 2022, expect=1)  # incomplete: exit 1 without --allow-incomplete
    cat7 = out["scope3"]["by_category"]["cat7"]
    assert (cat7["status"], cat7["tco2e"], cat7["incomplete"]) == ("not_available", None, True)
    assert cat7["reason"] == (
        "not available: screened relevant (size: large (or small) against the expected total) "
        "but no activity data"
    )
    assert cat7["method"] == "distance_based"
    assert out["scope3"]["incomplete"] and out["incomplete"]
    assert "scope3_tco2e" in out["incomplete_figures"]
    text_out = cli("calc", "--year", "2022", expect=1).output
    assert "not available Scope 3 cat7" in text_out and "INCOMPLETE" in text_out
    cli("calc", "--year", "2022", "--allow-incomplete")


def test_data_in_a_category_screened_out_still_counts_and_says_so(
    calc: Scope3Calc, cli: Cli, tmp_path: Path
) -> None:
    path = write_screening(tmp_path, screening_rows({2: "spend_based"}))
    cli("scope3", "screening", "import", str(path), "--year", "2022")
    rows = [
        row("SZ", 2022, "spend.purchased_goods", 1000, "USD", naics="327310"),
        row("SZ", 2022, "spend.capital_goods", 3000, "USD", naics="327310"),
    ]
    out = calc(rows, 2022)
    by = out["scope3"]["by_category"]
    assert by["cat1"]["status"] == "calculated"
    assert by["cat1"]["reason"].startswith("screened not relevant (no_activity: ")
    assert by["cat1"]["share"] == pytest.approx(0.25) and by["cat2"]["share"] == pytest.approx(0.75)
    assert out["totals"]["scope3_tco2e"] == pytest.approx(4000 * CEMENT / 1000, rel=1e-12)


def test_a_screening_may_leave_an_activity_out_of_a_relevant_category_saying_why(
    calc: Scope3Calc, cli: Cli, tmp_path: Path
) -> None:
    """Category 3 of a Chinese site: fuel upstream from DESNZ's well-to-tank factors, the
    grid's T&D losses without a cited Chinese factor, left out by the screening's note."""
    note = "T&D losses and WTT of the Chinese grid: no cited factor"
    rows = [
        [*r, ""] if r[0] not in ("cat3", 3) else [*r[:3], note, r[4], r[5], "electricity.purchased"]
        for r in screening_rows({1: "spend_based", 3: "average_data"})
    ]
    path = write_csv(tmp_path / "screening.csv", [*HEADER, "excluded_activities"], rows)
    cli("scope3", "screening", "import", str(path), "--year", "2025")
    out = calc(
        [
            row("SZ", 2025, "fuel.diesel", 10, "t"),
            row("SZ", 2025, "electricity.purchased", 1000, "MWh"),
            row(
                "SZ", 2025, "spend.purchased_goods", 1000, "USD", naics="327310", price_year="2022"
            ),
        ],
        2025,
    )  # exit 0: complete, the left-out part stated
    cat3 = out["scope3"]["by_category"]["cat3"]
    assert cat3["tco2e"] == pytest.approx(10 * WTT_DIESEL_T / 1000, rel=1e-12)
    assert (cat3["status"], cat3["incomplete"], cat3["unresolved_rows"]) == ("calculated", False, 0)
    [part] = cat3["left_out"]
    assert (part["activity"], part["rows"]) == ("electricity.purchased", 1)
    assert "td_loss" in part["reasons"][0] and "CN-GD" in part["reasons"][0]
    assert cat3["reason"] == (
        f"left out by the screening: electricity.purchased (1 rows); size: {note}"
    )
    assert not out["scope3"]["incomplete"] and not out["incomplete"] and out["unresolved"] == []


def test_an_unknown_excluded_activity_is_refused(cli: Cli, tmp_path: Path) -> None:
    rows = [
        [*r, "electricity.bought" if r[0] == "cat1" else ""]
        for r in screening_rows({1: "spend_based"})
    ]
    path = write_csv(tmp_path / "screening.csv", [*HEADER, "excluded_activities"], rows)
    result = cli("scope3", "screening", "import", str(path), "--year", "2025", expect=2)
    assert "row 2, column 'excluded_activities': 'electricity.bought' is not an activity type" in (
        result.output
    )
    assert "row 2, column 'note': a category that leaves activities out needs a note" in (
        result.output
    )
