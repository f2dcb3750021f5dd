"""The content index and gap analysis over a small workspace, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from esgledger.catalog.outline import report_sections
from esgledger.cli.main import app
from esgledger.disclose.gaps import default_frameworks, gap_analysis
from esgledger.disclose.index import content_index
from esgledger.ledger import audit
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import entities_file, write_csv

KPI_HEADER = [
    "entity",
    "year",
    "metric",
    "value",
    "unit",
    "gender",
    "qualifier",
    "restatement_reason",
]


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    cli("import", "entities", str(entities_file(tmp_path)))
    return cli


def index_json(ws: Cli, framework: str, *extra: str) -> dict:
    out = ws("index", "--year", "2024", "--framework", framework, "--json", *extra).stdout
    return json.loads(out)


def entry(index: dict, code: str) -> dict:
    return next(e for e in index["entries"] if e["code"] == code)


def gaps_json(ws: Cli, *frameworks: str) -> dict:
    args = [a for f in frameworks for a in ("--framework", f)]
    return json.loads(ws("index", "gaps", "--year", "2024", *args, "--json").stdout)


def gap_codes(report: dict, framework: str = "gri-2021") -> dict[str, str]:
    return {g["code"]: g["kind"] for g in report["gaps"] if g["framework"] == framework}


def test_a_kpi_value_answers_its_disclosure(ws: Cli, tmp_path: Path) -> None:
    before = index_json(ws, "gri-2021")
    assert entry(before, "305-7")["status"] == "kpi-missing"  # only KPIs back it, none has a value
    assert gap_codes(gaps_json(ws, "gri-2021"))["305-7"] == "kpi-missing"
    rows = [["GRP", 2024, "air.nox", 12.5, "t", "", "", ""]]
    ws("import", "kpis", str(write_csv(tmp_path / "k.csv", KPI_HEADER, rows)))
    after = index_json(ws, "gri-2021")
    nox = entry(after, "305-7")
    assert nox["status"] == "answered" and nox["sections"] == []
    by_metric = {k["metric"]: k for k in nox["kpis"]}
    assert by_metric["air.nox"]["value"] == 12.5 and by_metric["air.nox"]["anchor"] == "kpi-air-nox"
    assert by_metric["air.sox"]["value"] is None  # still listed, without a value
    assert "305-7" not in gap_codes(gaps_json(ws, "gri-2021"))
    # the same value answers its SZSE topic; ESRS datapoints keep their own links
    assert "air.nox" in {
        k["metric"] for k in entry(index_json(ws, "szse-17"), "pollutant emissions")["kpis"]
    }


def test_omission_closes_a_gap_and_is_audit_logged(ws: Cli, db: Database) -> None:
    assert gap_codes(gaps_json(ws, "gri-2021"))["2-21"] == "no-answer"
    assert entry(index_json(ws, "gri-2021"), "2-21")["status"] == "gap"
    ws(
        "index", "omit", "--year", "2024", "--framework", "gri-2021", "--disclosure", "2-21",
        "--reason", "Confidentiality constraints", "--explanation", "Pay data is confidential",
    )  # fmt: skip
    assert "2-21" not in gap_codes(gaps_json(ws, "gri-2021"))
    omitted = entry(index_json(ws, "gri-2021"), "2-21")
    assert omitted["status"] == "omitted"
    assert omitted["omission"]["reason"] == "confidentiality constraints"
    assert omitted["omission"]["explanation"] == "Pay data is confidential"
    assert json.loads(ws("audit", "verify", "--json").stdout)["ok"] is True
    with db.read() as session:
        events = audit.events(session, action="index.omission")
    assert [e.subject for e in events] == ["gri-2021:2024:2-21"]
    # another year is untouched (only the reason the report states itself); withdrawing
    # brings the gap back
    other = entry(
        json.loads(ws("index", "--year", "2023", "--framework", "gri-2021", "--json").stdout),
        "2-21",
    )["omission"]
    assert other["generated"] is True and other["reason"] == "information unavailable/incomplete"
    ws(
        "index",
        "omit",
        "--year",
        "2024",
        "--framework",
        "gri-2021",
        "--disclosure",
        "2-21",
        "--withdraw",
    )
    assert gap_codes(gaps_json(ws, "gri-2021"))["2-21"] == "no-answer"
    assert json.loads(ws("audit", "verify", "--json").stdout)["ok"] is True


def test_bad_omissions_are_refused_and_change_nothing(ws: Cli, db: Database) -> None:
    with db.read() as session:
        before = audit.count(session)
    base = ["index", "omit", "--year", "2024", "--framework", "gri-2021", "--explanation", "x"]
    refused = ws(*base, "--disclosure", "2-1", "--reason", "not applicable", expect=2)
    assert "cannot be omitted" in refused.output and "2-1" in refused.output
    unknown = ws(*base, "--disclosure", "2-21", "--reason", "too busy", expect=2)
    assert "use one of" in unknown.output and "confidentiality constraints" in unknown.output
    no_code = ws(*base, "--disclosure", "2-99", "--reason", "not applicable", expect=2)
    assert "has no disclosure" in no_code.output
    no_why = ws(*base[:-2], "--disclosure", "2-21", "--reason", "not applicable", expect=2)
    assert "--explanation" in no_why.output
    assert "Traceback" not in refused.output + unknown.output
    with db.read() as session:
        assert audit.count(session) == before


def test_sections_and_materiality_decide_what_is_required(ws: Cli, db: Database) -> None:
    with db.read() as session:
        full = content_index(session, 2024, "gri-2021")
        bare = content_index(session, 2024, "gri-2021", sections=[], material=["GRI 305"])
    # the shipped outline answers 2-2 in 'About This Report', linked by its anchor
    about = full.entry("2-2")
    assert about.status == "answered"
    assert [(s.id, s.anchor) for s in about.sections] == [("about-report", "about-report")]
    assert {"GRI 305", "GRI 403"} <= set(full.material_groups)
    # without sections 2-2 is a gap; only GRI 305 is material, so 303-3 is not required
    assert bare.entry("2-2").status == "gap"
    assert bare.entry("305-5").status == "gap" and bare.entry("305-5").required
    assert bare.entry("303-1").status == "not-reported" and not bare.entry("303-1").required
    assert bare.entry("3-3").required  # one material topic is enough for 3-3
    report = full.as_report_dict()
    anchors = {s.anchor for s in report_sections().values()}
    for e in report["entries"]:
        assert all(r["anchor"] in anchors or r["anchor"].startswith("kpi-") for r in e["refs"])


def test_gap_report_covers_the_year_frameworks(ws: Cli, db: Database) -> None:
    assert default_frameworks(2020)[0] == "gri-2016" and default_frameworks(2024)[0] == "gri-2021"
    with db.read() as session:
        report = gap_analysis(session, 2024)
    assert report.frameworks == ["gri-2021", "szse-17", "ifrs-s2", "tcfd", "esrs-e1"]
    found = {(g.framework, g.code) for g in report.gaps}
    assert ("gri-2021", "2-8") in found  # not in the reference report's index
    assert ("ifrs-s2", "32") in found  # industry-based metrics: no section answers it
    assert ("esrs-e1", "E1-6 49(b)") in found  # market-based Scope 2 without a value
    assert all(g.framework != "tcfd" for g in report.gaps)  # every recommendation is mapped


def test_json_shapes(ws: Cli) -> None:
    index = index_json(ws, "tcfd")
    assert set(index) == {
        "framework",
        "name",
        "edition",
        "citation",
        "year",
        "material_groups",
        "counts",
        "entries",
    }
    assert set(index["entries"][0]) == {
        "code", "title", "group", "group_title", "kind", "requirement", "required",
        "omission_permitted", "sections", "kpis", "omission", "status", "in_index", "refs",
        "printed",
    }  # fmt: skip
    assert index["framework"] == "tcfd" and index["year"] == 2024
    assert sum(index["counts"].values()) == 11
    default = index_json(ws, "gri-2021")
    everything = index_json(ws, "gri-2021", "--all")
    assert len(default["entries"]) < len(everything["entries"]) == 120
    assert all(e["in_index"] for e in default["entries"])
    gaps = gaps_json(ws, "gri-2021")
    assert set(gaps) == {"year", "frameworks", "counts", "gaps"}
    assert set(gaps["gaps"][0]) == {
        "framework", "code", "title", "group", "kind", "required", "metrics",
        "omission_permitted", "hint", "omission",
    }  # fmt: skip
    missing = ws("index", "--year", "2024", expect=2)
    assert "--framework" in missing.output


def test_frameworks_commands() -> None:
    """Catalog commands read no workspace (so they take no --db)."""
    runner = CliRunner()
    listed = runner.invoke(app, ["frameworks", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [f["id"] for f in json.loads(listed.stdout)] == [
        "gri-2021", "gri-2016", "szse-17", "ifrs-s2", "tcfd", "esrs-e1",
    ]  # fmt: skip
    shown = json.loads(runner.invoke(app, ["frameworks", "show", "gri-2016", "--json"]).stdout)
    assert len(shown["disclosures"]) == 123 and shown["mapping_to_gri_2021"]
    assert {"code", "title", "required", "omission", "status"} <= set(shown["disclosures"][0])
    table = runner.invoke(app, ["frameworks", "show", "esrs-e1"])
    assert table.exit_code == 0 and "E1-6" in table.stdout
    wrong = runner.invoke(app, ["frameworks", "show", "gri-2030"])
    assert wrong.exit_code == 2 and "use one of" in wrong.output
