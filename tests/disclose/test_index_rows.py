"""Issue #12: every index row, of every framework, can take a recorded reason for omission.

SZSE No. 17 prints four element rows under each double-material topic
(``<topic>/<element>``); ``esg index omit`` records a reason for them as for any disclosure,
and ``esg index`` and the rendered report print it. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esgledger.assess.materiality import add_topic, create_assessment
from esgledger.assess.respondents import import_respondents
from esgledger.ledger import audit
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import entities_file, write_csv

TOPIC = "response to climate change"
ELEMENT = f"{TOPIC}/governance"
HEADER = ["respondent", "topic", "valence", "actuality", "scale", "scope"]
HEADER += ["likelihood_short", "magnitude_short"]


@pytest.fixture
def assessed(cli: Cli, tmp_path: Path) -> Cli:
    """A 2025 assessment whose one topic, mapped to SZSE 'response to climate change', is
    rated high on impact and on financial effect: double-material."""
    cli("import", "entities", str(entities_file(tmp_path)))
    people = write_csv(
        tmp_path / "people.csv", ["name", "group"], [["r1", "investors"], ["e1", "executives"]]
    )
    with cli.db.write() as session:
        a = create_assessment(session, year=2025, library="none", actor="test")
        add_topic(session, a, code="climate-change", name="Climate", szse17=TOPIC, actor="test")
        add_topic(session, a, code="X", name="Other", actor="test")
        import_respondents(session, a, people, actor="test")
    rows = [
        ["r1", "climate-change", "positive", "actual", 5, 5, "", ""],
        ["r1", "X", "positive", "actual", 1, 1, "", ""],
        ["e1", "climate-change", "", "", "", "", 5, 5],
        ["e1", "X", "", "", "", "", 1, 1],
    ]
    answers = write_csv(tmp_path / "answers.csv", HEADER, rows)
    cli("materiality", "responses", "import", str(answers), "--year", "2025")
    return cli


def szse_rows(cli: Cli) -> dict[str, dict]:
    out = cli("index", "--year", "2025", "--framework", "szse-17", "--json").stdout
    return {e["code"]: e for e in json.loads(out)["entries"]}


def omit(cli: Cli, code: str, *extra: str, expect: int = 0):
    return cli(
        "index", "omit", "--year", "2025", "--framework", "szse-17", "--disclosure", code,
        *extra, expect=expect,
    )  # fmt: skip


def test_an_szse_element_row_takes_a_recorded_reason(
    assessed: Cli, db: Database, tmp_path: Path
) -> None:
    rows = szse_rows(assessed)
    assert {f"{TOPIC}/{e}" for e in ("strategy", "iro-management", "metrics-targets")} <= set(rows)
    before = rows[ELEMENT]
    assert before["status"] == "gap" and before["omission"]["generated"] is True
    # the element as a reader would type it: topic and element label, any case
    omit(
        assessed,
        "Response to climate change/Governance",
        "--reason", "confidentiality",
        "--explanation", "Board minutes on climate are confidential",
    )  # fmt: skip
    after = szse_rows(assessed)[ELEMENT]
    assert after["status"] == "omitted"
    assert after["omission"]["reason"] == "confidentiality constraints"
    assert after["omission"]["generated"] is False
    assert "Omitted: confidentiality constraints — Board minutes" in after["printed"]
    with db.read() as session:
        subjects = [e.subject for e in audit.events(session, action="index.omission")]
    assert subjects == [f"szse-17:2025:{ELEMENT}"]
    gaps = json.loads(
        assessed("index", "gaps", "--year", "2025", "--framework", "szse-17", "--json").stdout
    )
    assert ELEMENT not in {g["code"] for g in gaps["gaps"]}
    # the rendered report prints the recorded reason in the element's row
    out = tmp_path / "report"
    assessed("report", "--year", "2025", "--preview", "--format", "html", "--out", str(out))
    html = (out / "esg-report-2025.html").read_text(encoding="utf-8")
    row = html[html.index(f'<tr data-code="{ELEMENT}"') :]
    assert "Board minutes on climate are confidential" in row[: row.index("</tr>")]
    # withdrawn, the report's own reason is back
    omit(assessed, ELEMENT, "--withdraw")
    assert szse_rows(assessed)[ELEMENT]["omission"]["generated"] is True


def test_bad_element_rows_are_refused_and_change_nothing(assessed: Cli, db: Database) -> None:
    with db.read() as session:
        before = audit.count(session)
    unknown = omit(assessed, f"{TOPIC}/finance", "--reason", "confidentiality",
                   "--explanation", "x", expect=2)  # fmt: skip
    assert "no element 'finance'" in unknown.output and "iro-management" in unknown.output
    no_topic = omit(assessed, "weather/governance", "--reason", "confidentiality",
                    "--explanation", "x", expect=2)  # fmt: skip
    assert "has no disclosure 'weather'" in no_topic.output
    wrong_reason = omit(assessed, ELEMENT, "--reason", "too busy", "--explanation", "x", expect=2)
    assert "use one of" in wrong_reason.output
    assert "Traceback" not in unknown.output + no_topic.output + wrong_reason.output
    with db.read() as session:
        assert audit.count(session) == before


def test_gri_3_comes_from_the_assessment_and_points_at_its_headings(
    assessed: Cli, tmp_path: Path
) -> None:
    sections = tmp_path / "sections"
    sections.mkdir()
    (sections / "10-climate-change.md").write_text(
        "# Climate change\n\n## Impact, risk and opportunity management\n\n"
        "Climate risks are reviewed each quarter by the risk committee.\n",
        encoding="utf-8",
    )
    out = assessed(
        "index", "--year", "2025", "--framework", "gri-2021", "--sections", str(sections),
        "--json",
    ).stdout  # fmt: skip
    rows = {e["code"]: e for e in json.loads(out)["entries"]}
    assert [r["anchor"] for r in rows["3-1"]["refs"]] == ["materiality-process"]
    assert [r["anchor"] for r in rows["3-2"]["refs"]] == ["material-topics"]
    assert "material-topics-management" in [r["anchor"] for r in rows["3-3"]["refs"]]
    report = tmp_path / "report"
    assessed(
        "report", "--year", "2025", "--preview", "--format", "html", "--out", str(report),
        "--sections", str(sections),
    )  # fmt: skip
    html = (report / "esg-report-2025.html").read_text(encoding="utf-8")
    listed = html[
        html.index('id="material-topics"') : html.index('id="material-topics-management"')
    ]
    assert "<li>Climate (impact and financial)</li>" in listed and "Other" not in listed
    assert "No materiality assessment is recorded for 2024" in listed
    managed = html[html.index('id="material-topics-management"') :]
    managed = managed[: managed.index("</table>")]
    assert 'href="#climate-change--management"' in managed
    # without narrative on its management the topic says so instead of pointing
    (sections / "10-climate-change.md").write_text("# Climate change\n", encoding="utf-8")
    assessed(
        "report", "--year", "2025", "--preview", "--format", "html", "--out", str(report),
        "--sections", str(sections),
    )  # fmt: skip
    html = (report / "esg-report-2025.html").read_text(encoding="utf-8")
    managed = html[html.index('id="material-topics-management"') :]
    managed = managed[: managed.index("</table>")]
    assert "Not reported for 2025" in managed and "href=" not in managed
