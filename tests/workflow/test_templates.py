"""Collection templates: generated, filled like a business unit would, imported back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from esgledger.errors import ImportRejected
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.models import KpiValue
from esgledger.workflow.requests import get_request
from esgledger.workflow.templates import units_for, write_template
from esgledger.workflow.values import enter_value, upload_values
from tests.conftest import Cli
from tests.factories import write_csv
from tests.workflow.conftest import YEAR, Org, issue

FIGURES = {("SZ1", "packaging.plastics"): (4.25, "t"), ("HQ", "packaging.plastics"): (900, "kg"),
           ("SZ1", "workforce.headcount"): (120, "person"),
           ("HQ", "workforce.headcount"): (35, "person")}  # fmt: skip


def _seed(org: Org, tmp_path: Path) -> None:
    """Last year's values, and this year's requests: olga has four, mia the group's one."""
    header = ["entity", "year", "metric", "value", "unit"]
    rows = [[e, YEAR - 1, "packaging.plastics", v, "t"] for e, v in
            [("SZ1", "3.5"), ("HQ", "10"), ("WH1", "5")]]  # fmt: skip
    import_kpis(org.db, write_csv(tmp_path / "last.csv", header, rows), actor="t")
    issue(org, ["packaging.plastics", "workforce.headcount"], ["SZ1", "HQ"])
    issue(org, ["packaging.plastics"], ["GRP"], owner="mia")


def _fill(src: Path, dst: Path, figures: dict, scribble: bool = True) -> Path:
    """Fill the kpis sheet as a person would: value and unit, nothing else."""
    wb = load_workbook(src)
    ws = wb["kpis"]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        key = (ws.cell(r, col["entity"]).value, ws.cell(r, col["metric"]).value)
        value, unit = figures[key]
        ws.cell(r, col["value"]).value = value
        ws.cell(r, col["unit"]).value = unit
        if scribble:  # reference columns are ignored, whatever they hold
            ws.cell(r, col["ref_metric_name"]).value = "n/a — see note"
            ws.cell(r, col["ref_last_year"]).value = "unknown"
    wb.save(dst)
    return dst


def test_a_filled_template_imports_unchanged(cli: Cli, org: Org, tmp_path: Path) -> None:
    _seed(org, tmp_path)
    blank = tmp_path / "olga.xlsx"
    made = json.loads(cli("template", "--year", str(YEAR), "--owner", "olga", "--out",
                          str(blank), "--json").stdout)  # fmt: skip
    assert made["rows"] == 4
    wb = load_workbook(blank)
    assert wb.sheetnames == ["readme", "kpis", "lists"] and wb["lists"].sheet_state == "hidden"
    ws = wb["kpis"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["entity", "year", "metric", "value", "unit"]
    assert {"gender", "age_band", "status", "restatement_reason"} <= set(header)
    assert [h for h in header if h.startswith("ref_")] == [
        "ref_metric_name", "ref_entity_name", "ref_last_year", "ref_last_year_unit",
        "ref_due_date", "ref_state", "ref_request", "ref_version",
    ]  # fmt: skip
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    sz1 = next(r for r in rows if (r["entity"], r["metric"]) == ("SZ1", "packaging.plastics"))
    assert (sz1["ref_last_year"], sz1["ref_last_year_unit"], sz1["unit"]) == (3.5, "t", "t")
    assert (sz1["ref_metric_name"], sz1["ref_state"], sz1["ref_version"]) == (
        "Plastic packaging",
        "draft",
        1,
    )
    rules = {(dv.type, str(dv.sqref)): dv for dv in ws.data_validations.dataValidation}
    assert ("decimal", "D2:D5") in rules and rules[("decimal", "D2:D5")].formula1 == "0"
    assert rules[("decimal", "D2:D5")].operator == "greaterThanOrEqual"
    assert "kg" in units_for("packaging.plastics") and "person" not in units_for(
        "packaging.plastics"
    )
    unit_rules = [dv for (kind, ref), dv in rules.items() if kind == "list" and ref[0] == "E"]
    assert len(unit_rules) == 2, "one unit list per metric"

    filled = _fill(blank, tmp_path / "olga-filled.xlsx", FIGURES)
    summary = json.loads(cli("request", "upload", str(filled), "--as", "olga", "--json").stdout)
    assert (summary["added"], summary["restated"]) == (4, 0)
    with org.db.read() as s:
        stored = {(v.entity_id, v.metric_id): (v.value, v.unit) for v in s.scalars(
            select(KpiValue).where(KpiValue.year == YEAR, KpiValue.is_current))}  # fmt: skip
    assert stored == {k: (float(v), u) for k, (v, u) in FIGURES.items()}
    again = json.loads(cli("request", "upload", str(filled), "--as", "olga", "--json").stdout)
    assert (again["added"], again["unchanged"]) == (0, 4)

    # the group's template shows last year's roll-up from the KPI table (3.5 + 10 + 5)
    group = tmp_path / "mia.xlsx"
    cli("template", "--year", str(YEAR), "--owner", "mia", "--out", str(group))
    ws = load_workbook(group)["kpis"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("ref_last_year") + 1).value == pytest.approx(18.5)


def test_a_bad_unit_in_the_filled_template_is_refused_with_its_row(
    cli: Cli, org: Org, tmp_path: Path
) -> None:
    _seed(org, tmp_path)
    blank = tmp_path / "olga.xlsx"
    cli("template", "--year", str(YEAR), "--entity", "HQ", "--out", str(blank))
    wrong = dict(FIGURES) | {("SZ1", "packaging.plastics"): (4.25, "person")}
    filled = _fill(blank, tmp_path / "bad.xlsx", wrong, scribble=False)
    result = cli("import", "kpis", str(filled), expect=2)
    ws = load_workbook(filled)["kpis"]
    row = next(r for r in range(2, ws.max_row + 1)
               if (ws.cell(r, 1).value, ws.cell(r, 3).value) == ("SZ1", "packaging.plastics"))  # fmt: skip
    assert (
        f"error: bad.xlsx, row {row}, column 'unit': unit 'person' does not fit metric "
        "'packaging.plastics' (measured in t)" in result.output
    )
    assert "refused, 1 problem; nothing was imported" in result.output
    with org.db.read() as s:
        assert s.scalar(select(KpiValue.id).where(KpiValue.year == YEAR)) is None


def test_uploading_a_template_fills_the_requests(org: Org, tmp_path: Path) -> None:
    _seed(org, tmp_path)
    with org.db.read() as s:
        write_template(s, tmp_path / "t.xlsx", year=YEAR, owner="olga")
    filled = _fill(tmp_path / "t.xlsx", tmp_path / "filled.xlsx", FIGURES)
    with pytest.raises(ImportRejected) as err, org.db.write() as s:
        upload_values(s, org.otto, filled)
    assert "row 2, column 'entity': otto may not enter values for HQ" in str(err.value)
    with org.db.write() as s:
        assert upload_values(s, org.olga, filled)["added"] == 4
    with org.db.write() as s:
        assert upload_values(s, org.olga, filled)["unchanged"] == 4, "same file twice: no change"
        req = get_request(s, 1)
        assert (req.state, req.version, req.updated_by) == ("draft", 2, "olga")
        enter_value(s, org.manager, 1, version=2, value=5, unit="t")  # mia corrects it online
    stale = dict(FIGURES) | {("SZ1", "packaging.plastics"): (4.5, "t")}
    second = _fill(tmp_path / "t.xlsx", tmp_path / "stale.xlsx", stale)
    with pytest.raises(ImportRejected) as err, org.db.write() as s:
        upload_values(s, org.olga, second)
    assert "was changed by mia at" in str(err.value)
    assert "after this template was made (version 1 → 3); make a new template" in str(err.value)
    with org.db.read() as s:
        assert get_request(s, 1).version == 3, "nothing of the refused file was written"


def test_the_template_command_says_what_is_missing(cli: Cli, org: Org, tmp_path: Path) -> None:
    result = cli("template", "--year", str(YEAR), "--owner", "olga", "--out",
                 str(tmp_path / "t.xlsx"), expect=2)  # fmt: skip
    assert "no open data requests for 2025 owned by olga; issue them with" in result.output
