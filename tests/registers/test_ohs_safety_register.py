"""#17 OHS safety registers — hazards, emergency drills, special-operation workers: a bad
file is refused whole naming row and column (nothing written, no audit event), figures are
counted by hand with lineage to the rows, an entity without rows has no figure (never 0), a
later file restates a row and the digests follow, listings filter and page."""

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
from esgledger.ledger.entities import import_entities
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.ohs_models import Drill, Hazard, SpecialOperator
from esgledger.registers.ohs_safety import import_drills, import_hazards, import_operators
from esgledger.registers.ohs_safety_listing import list_drills, list_hazards, list_operators
from tests.factories import entities_file
from tests.registers.ohs_safety_files import (
    ACTOR,
    DRILLS,
    HAZARDS,
    OPERATORS,
    drills_file,
    hazards_file,
    load,
    operators_file,
)


def counts(db: Database) -> tuple[int, ...]:
    with db.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Hazard, Drill, SpecialOperator, AuditEvent)
        )


def figures(db: Database, year: int = 2025) -> dict[str, dict[str, Any]]:
    with db.read() as session:
        series = kpi_series(session, year, years=1)
    return {k["metric"]: k["figures"][str(year)] for k in series["kpis"] if not k["dims"]}


def refused(db: Database, importer: Any, path: Path) -> str:
    before = counts(db)
    with pytest.raises(ImportRejected) as caught:
        importer(db, path, actor=ACTOR)
    assert counts(db) == before  # nothing written, no audit event
    return str(caught.value)


def test_bad_hazard_file_is_refused_whole(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor=ACTOR)
    text = refused(
        db,
        import_hazards,
        hazards_file(
            tmp_path,
            [
                HAZARDS[0],
                ["", "XX9", "2025-13-01", "gravity", "red", "", "soon"],
                ["H7", "SZ1", "2025-05-01", "object", "low", "x", "2025-04-01"],
                HAZARDS[0],
            ],
        ),
    )
    for expected in (
        "row 3, column 'ref': ref is empty",
        "row 3, column 'entity': unknown entity 'XX9'",
        "row 3, column 'identified_on': '2025-13-01' is not a date",
        "row 3, column 'category': 'gravity' is not one of person, object, environment, management",
        "row 3, column 'risk_level': 'red' is not one of major, significant, general, low",
        "row 3, column 'corrected_on': 'soon' is not a date",
        "row 4, column 'corrected_on': corrected on 2025-04-01, before it was identified",
        "row 5, column 'ref': duplicate of row 2",
    ):
        assert expected in text, text


def test_bad_drill_and_operator_files_are_refused_whole(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor=ACTOR)
    text = refused(
        db,
        import_drills,
        drills_file(tmp_path, [["D1", "SZ1", "2025-01-01", "party", "-3", ""], DRILLS[1]]),
    )
    assert "row 2, column 'scenario': 'party' is not one of fire" in text, text
    assert "row 2, column 'participants': '-3' is not a whole number from 0 to" in text, text
    text = refused(
        db,
        import_operators,
        operators_file(
            tmp_path,
            [
                ["SZ1", "E1", "juggling", "2025-01-01", "", "", "", ""],
                ["SZ1", "E2", "electrical", "2025-01-01", "T1", "", "2024-01-01", ""],
                ["SZ1", "E3", "electrical", "2025-01-01", "", "", "", "2024-12-31"],
                ["SZ1", "", "electrical", "", "T3", "2020-01-01", "2030-01-01", ""],
                OPERATORS[0],
                OPERATORS[0],
            ],
        ),
    )
    for expected in (
        "row 2, column 'operation': 'juggling' is not one of electrical",
        "row 3, column 'issued_on': a certificate needs its issue date",
        "row 4, column 'left_on': left on 2024-12-31, before being assigned",
        "row 5, column 'person': person is empty",
        "row 5, column 'assigned_on': '' is not a date",
        "row 7, column 'person': duplicate of row 6",
    ):
        assert expected in text, text


def test_figures_match_hand_counts(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path)
    got = figures(db)
    value = {metric: f["value"] for metric, f in got.items()}
    assert value["ohs.hazards_identified"] == 4  # H1, H2, H3 (SZ1), H4 (WH1)
    assert value["ohs.hazards_corrected"] == 2  # H1, H4; H3 only in 2026
    assert value["ohs.emergency_drills"] == 3
    assert value["ohs.emergency_drill_participants"] == 460
    assert value["ohs.special_operators"] == 4  # E001, E002, E003, E101 (once)
    assert value["ohs.special_operators_certified"] == 2  # E001, E101
    hazards = got["ohs.hazards_identified"]
    assert hazards["source"] == "register"
    assert hazards["inputs"] == [{"register": "ohs_hazards", "rows": 4, "entities": 2}]
    before = figures(db, 2024)
    assert before["ohs.hazards_identified"]["value"] == 1  # H5
    assert before["ohs.hazards_corrected"]["value"] == 0  # corrected in 2025
    assert before["ohs.emergency_drill_participants"]["value"] == 250
    assert before["ohs.special_operators"]["value"] == 4
    assert before["ohs.special_operators_certified"]["value"] == 4


def test_without_rows_there_is_no_figure_never_zero(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor=ACTOR)
    got = figures(db)
    for metric in ("ohs.hazards_identified", "ohs.emergency_drills", "ohs.special_operators"):
        assert got[metric]["value"] is None and got[metric]["source"] != "register"
    load(db, tmp_path, entities=False)
    assert figures(db, 2023)["ohs.emergency_drills"]["value"] is None  # no drill that year


def test_lineage_names_the_rows(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path)
    with db.read() as session:
        ids = dict(session.execute(select(Hazard.ref, Hazard.id)).all())
        found = explain_figure(session, "ohs.hazards_corrected", 2025)
    rows = {r["entity"]: sorted(r["rows"]) for r in found["register_rows"] if r["rows"]}
    assert rows == {"SZ1": [ids["H1"]], "WH1": [ids["H4"]]}


def test_a_restated_hazard_moves_the_figure_and_the_digests(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path)
    corrected = [*HAZARDS[1][:6], "2025-12-01"]
    done = import_hazards(db, hazards_file(tmp_path, [corrected], "again.csv"), actor=ACTOR)
    assert (done.added, done.replaced) == (0, 1)
    assert figures(db)["ohs.hazards_corrected"]["value"] == 3
    with db.read() as session:
        assert verify_data(session).ok, verify_data(session).problems
    with db.write() as session:  # an edit behind the writer's back
        session.scalars(select(Drill).where(Drill.ref == "D1")).one().participants = 1
    with db.read() as session:
        result = verify_data(session)
    assert not result.ok
    assert any("ohs_drills differs from the digest" in p for p in result.problems)


def test_listings_filter_search_and_page(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path)
    with db.read() as session:
        open_ = list_hazards(session, year=2025, state="open")
        sz1 = list_hazards(session, entity="SZ1", limit=2)
        noise = list_hazards(session, search="NOISE")
        drills = list_drills(session, year=2025)
        operators = list_operators(session, year=2025)
        uncertified = list_operators(session, year=2025, certified=False)
    assert sorted(r["ref"] for r in open_["rows"]) == ["H2", "H3"]  # open at 2025's end
    assert sz1["total"] == 3 and len(sz1["rows"]) == 2
    assert [r["ref"] for r in noise["rows"]] == ["H2"]
    assert drills["total"] == 3 and drills["rows"][0]["ref"] == "D2"  # newest first
    assert operators["total"] == 5  # posts held on 2025-12-31 (E101 holds two)
    assert sorted(r["person"] for r in uncertified["rows"]) == ["E002", "E003"]
    e002 = next(r for r in operators["rows"] if r["person"] == "E002")
    assert e002["certificate_status"] == "expired"
