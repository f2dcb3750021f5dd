"""#17 community giving register: donations, volunteering and rates refused whole naming row
and column; donations converted only at an imported rate with its source — a currency
without a rate leaves the total not available, never short; volunteer hours, participations
and programmes counted by hand, with lineage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from esgledger.errors import ImportRejected
from esgledger.kpi.explain import explain_figure
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from esgledger.registers.giving import (
    import_donations,
    import_rates,
    import_volunteering,
    list_donations,
)
from tests.checks.workspace import ACTOR, Workspace
from tests.conftest import Cli
from tests.factories import write_csv

DONATION_HEADER = ["ref", "entity", "date", "programme", "recipient_type", "form", "amount", "currency"]  # fmt: skip
DONATIONS = [
    ["D1", "SZ1", "2025-03-10", "Rural schools", "education", "cash", "1,200,000", "CNY"],
    ["D2", "WH1", "2025-07-01", "Rural schools", "education", "in kind", "300000", "CNY"],
    ["D3", "VN1", "2025-05-03", "Flood relief", "disaster_relief", "cash", "50000", "USD"],
    ["D4", "VN1", "2024-12-20", "Flood relief", "disaster_relief", "cash", "10000", "USD"],
]
VOLUNTEER_HEADER = ["entity", "year", "programme", "participations", "hours"]
VOLUNTEERING = [
    ["SZ1", 2025, "Rural schools", 120, "960"],
    ["HQ", 2025, "River clean-up", 40, "160.5"],
]
RATE_HEADER = ["currency", "quote", "valid_from", "valid_to", "rate", "source"]
# An illustrative rate for the tests; a real one names its publication (e.g. a central
# bank's published central parity of the day).
RATES = [["USD", "CNY", "2025-01-01", "2025-12-31", "7.1", "test rate, not a published one"]]


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def load(ws: Workspace, rates: list[list[object]] = RATES) -> None:
    import_donations(ws.db, write_csv(ws.tmp / "d.csv", DONATION_HEADER, DONATIONS), actor=ACTOR)
    import_volunteering(
        ws.db, write_csv(ws.tmp / "v.csv", VOLUNTEER_HEADER, VOLUNTEERING), actor=ACTOR
    )
    if rates:
        import_rates(ws.db, write_csv(ws.tmp / "r.csv", RATE_HEADER, rates), actor=ACTOR)


def figures(ws: Workspace, year: int = 2025) -> dict[str, dict[str, Any]]:
    with ws.db.read() as session:
        series = kpi_series(session, year, years=1)
    return {k["metric"]: k["figures"][str(year)] for k in series["kpis"] if not k["dims"]}


def test_bad_files_are_refused_whole_naming_row_and_column(ws: Workspace) -> None:
    bad_donations = write_csv(
        ws.tmp / "d.csv",
        DONATION_HEADER,
        [
            DONATIONS[0],
            ["D9", "XX9", "2025-02-30", "", "church", "shares", "-5", "usd1"],
            DONATIONS[0],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        import_donations(ws.db, bad_donations, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 3, column 'entity': unknown entity 'XX9'",
        "row 3, column 'date': '2025-02-30' is not a date",
        "row 3, column 'programme': programme is empty",
        "row 3, column 'recipient_type': 'church' is not one of charity",
        "row 3, column 'form': 'shares' is not one of cash, in_kind",
        "row 3, column 'amount': -5 is not above 0",
        "row 3, column 'currency': 'USD1' is not an ISO 4217 currency code",
        "row 4, column 'ref': duplicate of row 2",
    ):
        assert expected in text, text
    bad_rates = write_csv(
        ws.tmp / "r.csv",
        RATE_HEADER,
        [
            RATES[0],
            ["USD", "CNY", "2025-06-01", "2026-06-30", "7.2", "x"],
            ["EUR", "EUR", "2025-01-01", "2024-01-01", "0", ""],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        import_rates(ws.db, bad_rates, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 3, column 'valid_from': the period overlaps row 2's",
        "row 4, column 'quote': a rate converts one currency into another",
        "row 4, column 'valid_to': ends on 2024-01-01 before it starts",
        "row 4, column 'rate': 0 is not above 0",
        "row 4, column 'source': source is empty",
    ):
        assert expected in text, text
    with ws.db.read() as session:
        assert list_donations(session)["total"] == 0


def test_figures_match_hand_computed_values(ws: Workspace) -> None:
    load(ws)
    got = figures(ws)
    # 1,200,000 + 300,000 CNY + 50,000 USD × 7.1 = 1,855,000 CNY (D4 is 2024's)
    assert got["social.donations"]["value"] == pytest.approx(1.855)
    assert got["social.donations"]["source"] == "register"
    assert got["social.volunteering.hours"]["value"] == pytest.approx(1120.5)
    assert got["social.volunteering.participation"]["value"] == 160
    # Rural schools (SZ1 and WH1: counted at GRP), Flood relief (VN1), River clean-up (HQ)
    assert got["social.giving.programmes"]["value"] == 3
    with ws.db.read() as session:
        found = explain_figure(session, "social.donations", 2025)
    rows = {r["entity"]: len(r["rows"]) for r in found["register_rows"] if r["rows"]}
    assert rows == {"SZ1": 1, "VN1": 1, "WH1": 1}


def test_a_currency_without_a_rate_makes_the_total_not_available(ws: Workspace) -> None:
    load(ws, rates=[])
    donations = figures(ws)["social.donations"]
    assert donations["value"] is None
    assert "no CNY rate for their date, first D3 (USD, 2025-05-03)" in donations["note"]
    # a rate for another period does not convert it either
    load(ws, rates=[["USD", "CNY", "2024-01-01", "2024-12-31", "7.0", "test rate"]])
    assert figures(ws)["social.donations"]["value"] is None
    assert figures(ws, 2024)["social.donations"]["value"] == pytest.approx(0.07)


def test_the_command_line_imports_and_lists(cli: Cli, tmp_path: Path) -> None:
    Workspace(cli.db, tmp_path)
    donations = write_csv(tmp_path / "d.csv", DONATION_HEADER, DONATIONS)
    rates = write_csv(tmp_path / "r.csv", RATE_HEADER, RATES)
    assert "4 added" in cli("register", "giving", "import-donations", str(donations)).output
    assert "1 added" in cli("register", "giving", "import-rates", str(rates)).output
    listed = cli("register", "giving", "donations", "--year", "2025").output
    assert "3 of 3 donations" in listed and "D3" in listed and "D4" not in listed
    bad = write_csv(tmp_path / "bad.csv", RATE_HEADER, [["USD", "CNY", "x", "y", "7", "s"]])
    result = cli("register", "giving", "import-rates", str(bad), expect=2)
    assert "bad.csv, row 2, column 'valid_from': 'x' is not a date" in result.output


def test_a_restated_donation_changes_the_total_and_the_digests_follow(ws: Workspace) -> None:
    from esgledger.ledger.audit_deep import verify_data

    load(ws)
    corrected = [["D2", "WH1", "2025-07-01", "Rural schools", "education", "in_kind", "500000", "CNY"]]  # fmt: skip
    done = import_donations(
        ws.db, write_csv(ws.tmp / "fix.csv", DONATION_HEADER, corrected), actor=ACTOR
    )
    assert (done.added, done.replaced) == (0, 1)
    assert figures(ws)["social.donations"]["value"] == pytest.approx(2.055)
    with ws.db.read() as session:
        assert verify_data(session).ok, verify_data(session).problems
