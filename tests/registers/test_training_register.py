"""#17 integrity commitments and training: campaigns with their audience, LMS exports
refused whole naming row and column, an export replacing its campaigns' records, coverage
by population, test pass rate and hours computed by hand, lineage and digests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from esgledger.errors import ImportRejected
from esgledger.kpi.explain import explain_figure
from esgledger.kpi.series import kpi_series
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.register_models import TrainingRecord
from esgledger.registers.training import import_campaigns, import_records
from tests.checks.workspace import ACTOR, Workspace, kpi
from tests.factories import write_csv
from tests.registers.training_files import (
    CAMPAIGN_HEADER,
    CAMPAIGNS,
    RECORDS,
    load,
    records_file,
)


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def figures(ws: Workspace, year: int = 2025) -> dict[tuple[str, str], dict[str, Any]]:
    with ws.db.read() as session:
        series = kpi_series(session, year, years=1)
    return {
        (k["metric"], ";".join(f"{a}={b}" for a, b in sorted(k["dims"].items()))): k["figures"][
            str(year)
        ]
        for k in series["kpis"]
    }


def records(ws: Workspace) -> int:
    with ws.db.read() as session:
        return session.scalar(select(func.count()).select_from(TrainingRecord)) or 0


def test_a_bad_campaigns_file_is_refused_whole(ws: Workspace) -> None:
    path = write_csv(
        ws.tmp / "c.csv",
        CAMPAIGN_HEADER,
        [CAMPAIGNS[0], ["", "x", "course", "golf", "20x5", "robot", "XX9", "high"], CAMPAIGNS[0]],
    )
    with pytest.raises(ImportRejected) as caught:
        import_campaigns(ws.db, path, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 3, column 'code': code is empty",
        "row 3, column 'kind': 'course' is not one of commitment, training",
        "row 3, column 'topic': 'golf' is not one of anti_corruption",
        "row 3, column 'year': '20x5' is not a year",
        "row 3, column 'worker_types': 'robot' is not one of employee",
        "row 3, column 'entities': unknown entity 'XX9'",
        "row 3, column 'pass_score': 'high' is not a score",
        "row 4, column 'code': duplicate of row 2",
    ):
        assert expected in text, text


def test_a_bad_lms_export_is_refused_whole_and_nothing_is_written(ws: Workspace) -> None:
    load(ws)
    before = records(ws)
    path = records_file(
        ws.tmp,
        [
            ["NOPE", "P1", "SZ1", "", "employee", "", "", ""],
            ["AC25", "P9", "SZ1", "", "intern", "2025-03-01", "", ""],
            ["AC25", "P8", "VN1", "", "employee", "", "", ""],
            ["AC25", "P7", "SZ1", "", "employee", "2025-02-30", 101000, -1],
            ["AC25", "P6", "SZ1", "", "employee", "", 50, ""],
            ["AC25", "P6", "SZ1", "", "employee", "", "", ""],
        ],
        "bad.csv",
    )
    with pytest.raises(ImportRejected) as caught:
        import_records(ws.db, path, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 2, column 'campaign': unknown campaign 'NOPE'; import the campaigns first",
        "row 3, column 'worker_type': 'intern' workers are not in the audience of campaign 'AC25'",
        "row 4, column 'entity': 'VN1' is not in the audience of campaign 'AC25'",
        "row 5, column 'completed_on': '2025-02-30' is not a date",
        "row 5, column 'score': 101000 is not between 0 and 1000",
        "row 5, column 'hours': -1 is not between 0 and 10000",
        "row 6, column 'score': a score without completed_on",
        "row 7, column 'person': duplicate of row 6",
    ):
        assert expected in text, text
    assert records(ws) == before


def test_coverage_pass_rate_and_hours_match_hand_computed_values(ws: Workspace) -> None:
    load(ws)
    ws.kpis(kpi("workforce.headcount", "5", "person"))
    got = figures(ws)
    value = {key: f["value"] for key, f in got.items()}
    assert value[("compliance.integrity_commitment.required", "")] == 5
    assert value[("compliance.integrity_commitment.signed", "")] == 4
    assert value[("compliance.integrity_commitment_coverage", "")] == pytest.approx(80.0)
    # employees: P1, P2 at SZ1 and P5 at WH1 required; P1 and P5 signed
    employees = "worker_type=employee"
    assert value[("compliance.integrity_commitment.required", employees)] == 3
    assert value[("compliance.integrity_commitment.signed", employees)] == 2
    assert value[("compliance.integrity_commitment.signed", "worker_type=intern")] == 1
    assert value[("compliance.anti_corruption_training.required", "")] == 4
    assert value[("compliance.anti_corruption_training.completed", "")] == 3
    assert value[("compliance.anti_corruption_training_coverage", "")] == pytest.approx(75.0)
    assert value[("compliance.anti_corruption_training.tested", "")] == 3
    assert value[("compliance.anti_corruption_training.passed", "")] == 2
    assert value[("compliance.anti_corruption_test_pass_rate", "")] == pytest.approx(200 / 3)
    assert value[("training.hours.campaigns", "")] == pytest.approx(5.5)
    assert value[("training.campaign_hours_per_employee", "")] == pytest.approx(1.1)
    required = got[("compliance.integrity_commitment.required", "")]
    assert required["source"] == "register" and required["partial"]  # VN1 has no records
    assert required["inputs"] == [{"register": "training_records", "rows": 5, "entities": 2}]


def test_an_export_replaces_its_campaigns_records_and_the_digests_follow(ws: Workspace) -> None:
    load(ws)
    again = [r if r[:2] != ["AC25", "P3"] else [*r[:5], "2025-06-01", 95, 1] for r in RECORDS]
    done = import_records(ws.db, records_file(ws.tmp, again[5:9], "again.csv"), actor=ACTOR)
    assert (done.added, done.replaced) == (4, 4)
    assert records(ws) == len(RECORDS)
    assert figures(ws)[("compliance.anti_corruption_training.completed", "")]["value"] == 4
    with ws.db.read() as session:
        assert verify_data(session).ok, verify_data(session).problems
        found = explain_figure(session, "compliance.integrity_commitment.signed", 2025)
    rows = {r["entity"]: len(r["rows"]) for r in found["register_rows"]}
    assert rows == {"SZ1": 2, "WH1": 2}
    with ws.db.write() as session:  # an edit behind the writer's back
        row = session.scalars(select(TrainingRecord).where(TrainingRecord.score == 70)).one()
        row.score = 100
    with ws.db.read() as session:
        result = verify_data(session)
    assert any("training_records differs from the digest" in p for p in result.problems)
