"""#17: every register page's "Export CSV" link answers with the rows the page lists — under
its filters and search, every page of them (not only the one shown), in the page's order —
with every user-supplied text neutralised against formula injection, and the same
visibility as the page (a whistleblowing case's content never to a role that cannot read
cases)."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Text, event, literal, select, update

from esgledger.auth.users import principal
from esgledger.http_shared import paging
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.ohs_models import Drill, Hazard, SpecialOperator
from esgledger.ledger.regcert_models import AssuranceEngagement, Certificate, Donation
from esgledger.ledger.register_lines import COMPLAINTS as COMPLAINTS_LINE
from esgledger.ledger.register_lines import VULNERABILITIES as VULNERABILITIES_LINE
from esgledger.ledger.register_lines import Line
from esgledger.ledger.register_models import (
    BoardMember,
    Complaint,
    OhsIncident,
    TrainingCampaign,
    Vulnerability,
    WhistleCase,
)
from esgledger.registers import whistle
from esgledger.registers.assurance import import_engagements
from esgledger.registers.certifications import import_certificates
from esgledger.registers.giving import import_donations
from esgledger.web import listing
from esgledger.web.app import PAGE_ROUTERS
from tests.factories import ENTITY_HEADER, entities_file, write_csv
from tests.filled import filled_db
from tests.registers import ohs_files, ohs_safety_files
from tests.registers.certification_files import CERTIFICATES, PLANTS, certificates_file
from tests.registers.test_assurance_register import ENGAGEMENTS, engagements_file
from tests.registers.test_giving_register import DONATION_HEADER
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import EN, ZH
from tests.web.test_register_pages_in_chinese import _registers
from tests.web.test_whistle_register_pages import SECRET

CsvKey = Callable[[dict[str, str]], str]
MORE_CASES = (
    ("fraud", "fake invoices paid twice"),
    ("fraud", "a cash box left open"),
    ("harassment", "shouting in the cash office"),
)


@dataclass(frozen=True)
class Export:
    """One register page: its filters and search, how a listed row is marked in the page and
    found in the CSV, and the user-supplied text made to look like a formula."""

    path: str
    query: dict[str, Any]
    row_mark: str  # the attribute on each listed <tr>
    key: CsvKey  # the same mark, from a CSV row
    poisoned: tuple[Any, str]  # (model column, CSV heading) prefixed with "="
    reader: str = "aldo"


def _column(name: str) -> CsvKey:
    return lambda row: row[name]


EXPORTS = [  # every register page with a paged list, in English
    Export("/registers/whistleblowing", {"type": "fraud", "q": "cash"}, "data-case",
           _column("code"), (WhistleCase.description, "description"), reader="cora"),
    Export("/registers/complaints", {"year": 2025, "entity": "SZ1", "q": "ac"}, "data-complaint",
           _column("ref"), (Complaint.product_line, "product_line")),
    Export("/registers/vulnerabilities", {"year": 2025, "q": "router"}, "data-vulnerability",
           _column("ref"), (Vulnerability.product_line, "product_line")),
    Export("/registers/board", {"entity": "GRP", "q": "n"}, "data-member",
           _column("ref"), (BoardMember.name, "name")),
    Export("/registers/training", {"year": 2025, "q": "ic25"}, "data-row",
           lambda r: f"{r['campaign']}/{r['entity']}", (TrainingCampaign.code, "campaign")),
    Export("/registers/ohs", {"year": 2025, "kind": "injury", "q": "i-"}, "data-incident",
           _column("ref"), (OhsIncident.ref, "ref")),
    Export("/registers/ohs-safety", {"year": 2025, "entity": "SZ1", "q": "line"}, "data-hazard",
           _column("ref"), (Hazard.description, "description")),
    Export("/registers/ohs-safety", {"view": "drills", "year": 2025, "entity": "SZ1"},
           "data-drill", _column("ref"), (Drill.scenario, "scenario")),
    Export("/registers/ohs-safety", {"view": "operators", "entity": "SZ1", "q": "e00"},
           "data-post", lambda r: f"{r['person']}-{r['operation']}",
           (SpecialOperator.person, "person")),
    Export("/registers/certifications", {"year": 2025, "q": "cqc"}, "data-certificate",
           _column("number"), (Certificate.body, "body")),
    Export("/registers/assurance", {"year": 2025, "q": "llp"}, "data-engagement",
           _column("ref"), (AssuranceEngagement.provider, "provider")),
]  # fmt: skip
MORE_ENGAGEMENTS = [  # another year, and another provider the search leaves out
    ["AS24", 2024, "Example Assurance LLP", "isae_3000", "limited", "workforce.headcount", "",
     "2025-03-20", "statement.md"],
    ["AA25", 2025, "Sample Verifiers", "aa1000as_v3", "moderate", "ghg.scope1", "", "2026-03-01",
     "statement.md"],
]  # fmt: skip
WITHOUT_LIST = {"/registers"}  # no list to export
OWN_TESTS = {"/registers/giving"}  # exported, tested on its own below
CSV_LINK = re.compile(r'<a href="([^"]+)" data-testid="csv">')


def _load(db: Database, tmp_path: Path) -> None:
    """Every register with rows, more whistleblowing cases, and one text per register
    turned into a formula (as a hostile import or intake could leave it)."""
    _registers(db, tmp_path)
    import_entities(db, write_csv(tmp_path / "p.csv", ENTITY_HEADER, PLANTS), actor="setup")
    import_certificates(db, certificates_file(tmp_path, CERTIFICATES), actor="setup")
    ohs_files.load(SimpleNamespace(db=db, tmp=tmp_path))  # type: ignore[arg-type]
    ohs_safety_files.load(db, tmp_path, entities=False)
    engagements = engagements_file(tmp_path, [*ENGAGEMENTS, *MORE_ENGAGEMENTS])
    import_engagements(db, engagements, actor="setup")
    with db.write() as s:
        tokens = whistle.issue_links(s, principal(s, "cora"), entity="WH1", count=len(MORE_CASES))
    with db.write() as s:
        for token, (case_type, text) in zip(tokens, MORE_CASES, strict=True):
            whistle.submit_report(s, token, case_type=case_type, description=text)
    with db.write() as s:
        for export in EXPORTS:
            column = export.poisoned[0]
            s.execute(update(column.class_).values({column.key: literal("=") + column}))


def loaded_or_fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As tests/web's ``db``; for a test of ``loaded``, a copy of the workspace :func:`_load`
    filled once per run, where each test used to fill its own (#20)."""
    if "loaded" not in request.fixturenames:
        yield request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
        return
    yield from filled_db(request, tmp_path, "web_exports", _load)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh workspace, or for a test of ``loaded`` a copy of :func:`_load`'s (#20)."""
    yield from loaded_or_fresh(request, tmp_path)


@pytest.fixture
def loaded(db: Database) -> None:
    """The test's ``db`` holds what :func:`_load` writes."""


def _listed(web: TestClient, export: Export) -> tuple[list[str], str]:
    """The marks of every row the page lists (one a page, following "next"), and the
    page's CSV link."""
    mark = re.compile(rf'<tr {export.row_mark}="([^"]*)"')
    marks: list[str] = []
    number, link = 1, ""
    while True:
        page = web.get(export.path, params={**export.query, "limit": 1, "page": number})
        assert page.status_code == 200, page.text
        marks += [html.unescape(m) for m in mark.findall(page.text)]
        found = CSV_LINK.search(page.text)
        assert found, f"{export.path} has no CSV link"
        link = link or html.unescape(found.group(1))
        if 'rel="next"' not in page.text:
            return marks, link
        number += 1


def _csv(web: TestClient, link: str) -> list[dict[str, str]]:
    got = web.get(link)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: f"{e.path}:{e.row_mark}")
def test_the_csv_holds_every_listed_row_made_safe(
    web: TestClient, db: Database, loaded: None, export: Export
) -> None:
    log_in(web, export.reader)
    marks, link = _listed(web, export)
    assert len(marks) >= 2 and "format=csv" in link and "page=" not in link
    assert "limit=" not in link
    rows = _csv(web, link)
    heading = export.poisoned[1]
    assert [r[heading][:2] for r in rows] == ["'="] * len(rows)  # shown as text, never run
    keys = [export.key({k: v.removeprefix("'") for k, v in r.items()}) for r in rows]
    if export.row_mark == "data-row":  # training: campaign/entity/worker type's label
        marks = ["/".join(m.split("/")[:2]) for m in marks]
    assert keys == marks
    unfiltered = {k: v for k, v in export.query.items() if k == "view"}
    everything = _csv(web, export.path + "?" + "&".join(f"{k}={v}" for k, v in unfiltered.items())
                      + ("&" if unfiltered else "") + "format=csv")  # fmt: skip
    assert len(everything) > len(rows)  # the filters and the search were applied


def test_every_register_list_page_is_exported() -> None:
    paths = {getattr(r, "path", "") for router in PAGE_ROUTERS for r in router.routes}
    paths = {p for p in paths if p.startswith("/registers")}
    assert paths - WITHOUT_LIST == {e.path for e in EXPORTS} | OWN_TESTS


def test_case_content_is_never_exported_to_a_role_that_cannot_read_cases(
    web: TestClient, db: Database, loaded: None
) -> None:
    log_in(web, "aldo")  # an auditor: the counts, never the cases
    page = web.get("/registers/whistleblowing")
    assert page.status_code == 200 and 'data-testid="csv"' not in page.text
    refused = web.get("/registers/whistleblowing", params={"format": "csv", "q": "cash"})
    assert refused.status_code == 403
    assert SECRET not in refused.text and "cash" not in refused.text.lower()
    assert not refused.headers["content-type"].startswith("text/csv")


def test_the_hours_view_exports_its_rows(web: TestClient, db: Database, loaded: None) -> None:
    log_in(web, "aldo")
    page = web.get("/registers/ohs", params={"view": "hours", "year": 2025, "entity": "SZ1"})
    shown = re.findall(r'<tr data-hours="([^"]*)"', page.text)
    found = CSV_LINK.search(page.text)
    assert found and len(shown) == 2, page.text
    rows = _csv(web, html.unescape(found.group(1)))
    assert [f"{r['entity']}-{r['year']}-{r['worker_type']}" for r in rows] == shown
    assert sum(float(r["hours"]) for r in rows) == 500_000  # 400,000 + 100,000


def test_the_giving_page_exports_every_listed_donation(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "aldo", "auditor")
    rows = [[f"G{n}", "SZ1" if n % 6 else "WH1", f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
             "=HYPERLINK(\"http://x\")" if n == 7 else f"Programme {n}", "education", "cash",
             str(100 * n), "CNY"] for n in range(1, 71)]  # fmt: skip
    rows.append(["G99", "SZ1", "2024-06-01", "Old", "education", "cash", "5", "CNY"])
    import_donations(db, write_csv(tmp_path / "d.csv", DONATION_HEADER, rows), actor="s")
    log_in(web, "aldo")
    query, marks, link = {"year": 2025, "entity": "SZ1"}, [], ""
    for offset in (0, 50, 100):
        page = web.get("/registers/giving", params={**query, "offset": offset})
        marks += re.findall(r'<tr data-donation="([^"]*)"', page.text)
        found = CSV_LINK.search(page.text)
        link = link or (html.unescape(found.group(1)) if found else "")
    exported = _csv(web, link)
    assert len(marks) == 59 and [r["ref"] for r in exported] == marks  # both pages, in order
    assert "offset" not in link and "entity=SZ1" in link
    assert next(r["programme"] for r in exported if r["ref"] == "G7").startswith("'=")


UNEXPORTED_TEXT = {  # a free-text column a list page's export leaves out, and why
    "training_campaigns.entities": "a coverage row is one entity of the campaign",
    "vulnerabilities.title": "an undisclosed flaw's details stay out of what KPI readers take",
    # personal information (an injured worker's health, a customer's account of a complaint)
    # stays with the register's owners: neither the page nor the API shows it either
    "ohs_incidents.description": "an injured worker's health details are personal information",
    "complaints.description": "a customer's own account may hold their personal information",
}


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: f"{e.path}:{e.row_mark}")
def test_the_csv_holds_the_free_text_of_its_register(
    web: TestClient, db: Database, loaded: None, export: Export
) -> None:
    """An auditor reads the export for what the register holds, not only the page's columns:
    every free-text column of the listed table is there, with the stored text (made safe)."""
    model = export.poisoned[0].class_
    texts = [c.key for c in model.__table__.columns if isinstance(c.type, Text)]
    texts = [t for t in texts if f"{model.__tablename__}.{t}" not in UNEXPORTED_TEXT]
    with db.write() as s:
        if texts:  # board members, coverage rows and operators hold no free text
            s.execute(update(model).values({t: literal("=note ") + model.__table__.c[t]
                                            for t in texts}))  # fmt: skip
    log_in(web, export.reader)
    query = {k: v for k, v in export.query.items() if k == "view"}
    rows = _csv(web, export.path + "?" + "&".join(f"{k}={v}" for k, v in query.items())
                + ("&" if query else "") + "format=csv")  # fmt: skip
    assert rows
    for text in texts:
        heading = CSV_HEADINGS.get(text, text)
        assert heading in rows[0], f"{export.path}: no {heading!r} column"
        assert all(r[heading].startswith("'=note ") for r in rows), (text, rows[0])


CSV_HEADINGS = {"metrics": "metrics", "entities": "entities"}  # column → heading, where they differ


def test_the_incident_and_vulnerability_exports_hold_what_the_register_holds(
    web: TestClient, db: Database, loaded: None
) -> None:
    """The advisory date is exported; an incident's description is not (personal information
    the page and the API do not show either), though the fixture's incidents have one."""
    with db.read() as s:
        stored = dict(s.execute(select(OhsIncident.ref, OhsIncident.description)).all())
        published = {ref: at for ref, at in s.execute(
            select(Vulnerability.ref, Vulnerability.advisory_published_at))}  # fmt: skip
    log_in(web, "aldo")
    incidents = _csv(web, "/registers/ohs?format=csv")
    assert {r["ref"].removeprefix("'") for r in incidents} == set(stored)
    assert any(stored.values()) and "description" not in incidents[0]
    exported = "\n".join(",".join(r.values()) for r in incidents)
    assert not any(text and text in exported for text in stored.values())
    vulns = _csv(web, "/registers/vulnerabilities?format=csv")
    got = {r["ref"].removeprefix("'"): r["advisory_published"] for r in vulns}
    assert got == {ref: at.isoformat() if at else "" for ref, at in published.items()}
    assert any(published.values())


@pytest.mark.parametrize("language", [EN, ZH], ids=["en", "zh"])
@pytest.mark.parametrize(
    ("path", "model", "line"),
    [("/registers/complaints", Complaint, COMPLAINTS_LINE),
     ("/registers/vulnerabilities", Vulnerability, VULNERABILITIES_LINE)],
    ids=["complaints", "vulnerabilities"],
)  # fmt: skip
def test_the_staged_exports_hold_every_stage_time(
    web: TestClient,
    db: Database,
    loaded: None,
    language: dict[str, str],
    path: str,
    model: Any,
    line: Line,
) -> None:
    """A complaint's or a vulnerability's time of entering each stage of its line (assigned,
    processing… triage, fixing…) is a column of the export, headed with the stage's name as
    the page's other columns are, the same in both languages; a stage not reached is empty."""
    stages = [(state, column) for state, column in line.stages]
    with db.read() as s:
        stored = {row.ref: row for row in s.scalars(select(model))}
    log_in(web, "aldo")
    got = web.get(f"{path}?format=csv", headers=language)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert {r["ref"].removeprefix("'") for r in rows} == set(stored)
    for state, column in stages:
        assert state in rows[0], f"{path}: no {state!r} column"
        want = {ref: getattr(row, column) for ref, row in stored.items()}
        assert any(want.values()), column  # the fixture reaches every stage somewhere
        exported = {r["ref"].removeprefix("'"): r[state] for r in rows}
        assert exported == {ref: at.isoformat() if at else "" for ref, at in want.items()}


def test_the_giving_export_is_streamed_a_page_at_a_time(
    web: TestClient, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the other registers' exports: never every donation in memory at once — each read
    holds one page of them, the response goes out in chunks, and a list over the limit is
    refused before any byte."""
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "aldo", "auditor")
    rows = [[f"G{n:02d}", "SZ1", f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}", f"Programme {n}",
             "education", "cash", str(10 * n), "CNY"] for n in range(1, 31)]  # fmt: skip
    import_donations(db, write_csv(tmp_path / "d.csv", DONATION_HEADER, rows), actor="s")
    monkeypatch.setattr(listing, "MAX_LIMIT", 7)  # many pages, as a large register would be
    monkeypatch.setattr(paging, "STREAM_ROWS", 5)  # many chunks on the wire
    reads: list[list[object]] = []  # [query context, donations it loaded], in order

    def loaded(target: object, context: object) -> None:
        if not reads or reads[-1][0] is not context:
            reads.append([context, 0])
        reads[-1][1] += 1  # type: ignore[operator]

    log_in(web, "aldo")
    event.listen(Donation, "load", loaded)
    try:
        with web.stream("GET", "/registers/giving?year=2025&format=csv") as got:
            assert got.status_code == 200 and "content-length" not in got.headers
            chunks = list(got.iter_raw())
    finally:
        event.remove(Donation, "load", loaded)
    per_read = [count for _, count in reads]
    assert len(chunks) > 2 and max(per_read) <= 7 and len(per_read) >= 5, per_read  # type: ignore[type-var]
    exported = list(csv.DictReader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    page = web.get("/registers/giving", params={"year": 2025})
    assert [r["ref"] for r in exported] == re.findall(r'<tr data-donation="([^"]*)"', page.text)
    monkeypatch.setattr(listing, "CSV_ROWS", 10)
    refused = web.get("/registers/giving?format=csv")
    assert refused.status_code == 422 and not refused.headers["content-type"].startswith("text/csv")
    assert "more than a CSV export's 10" in html.unescape(refused.text)
