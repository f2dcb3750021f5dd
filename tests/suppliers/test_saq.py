"""#16 questionnaires (SAQ): scoring by hand, one-time links (reuse and expiry refused),
evidence, reminders, the response rate and a tier changed by a score."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from esgledger.auth.tokens import token_hash
from esgledger.cli.main import app
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.kpi.register_figures.suppliers_saq import saq_figures
from esgledger.ledger.db import Database
from esgledger.ledger.supplier_models import SupplierSaqEvidence, SupplierSaqLink
from esgledger.suppliers import saq
from esgledger.suppliers.questionnaire import load_definition
from tests.conftest import Cli
from tests.factories import write_csv
from tests.suppliers.saq_files import SAQ, saq_workspace

NOW = dt.datetime(2025, 3, 1, 9, 0)


def _send(
    db: Database, *suppliers: str, days: int = 30, now: dt.datetime | None = NOW
) -> list[str]:
    with db.write() as session:
        issued = saq.send(session, "SAQ 2025", list(suppliers), days=days, actor="t", now=now)
    return [i["token"] for i in issued]


def _submit(db: Database, token: str, answers: dict[str, str], **kw: object) -> float:
    with db.write() as session:
        return saq.submit(session, token, answers, **kw)  # type: ignore[arg-type]


ISO = saq.Upload("env.iso14001", "iso14001.pdf", b"%PDF-1.4 certificate")


def test_scores_by_hand(cli: Cli, db: Database, tmp_path: Path) -> None:
    saq_workspace(cli, tmp_path)
    token, other = _send(db, "S001", "S002")
    # S001: yes (3 × 1) + intensity only (2 × 0.5) + no (5 × 0) = 4 of 10 → 40.
    answers = {"env.iso14001": "yes", "env.targets": "intensity only",
               "soc.child_labour_policy": "no", "soc.notes": "first year"}  # fmt: skip
    assert _submit(db, token, answers, uploads=[ISO], now=NOW) == pytest.approx(40.0)
    # S002: no (0) + absolute (2) + yes (5) = 7 of 10 → 70; the text question is not scored.
    answers = {"env.iso14001": "no", "env.targets": "absolute", "soc.child_labour_policy": "yes"}
    assert _submit(db, other, answers, now=NOW) == pytest.approx(70.0)
    with db.read() as session:
        assert saq.latest_scores(session) == {"S001": 40.0, "S002": 70.0}
        evidence = session.query(SupplierSaqEvidence).one()
        assert evidence.name == "iso14001.pdf" and evidence.content == ISO.content
    rows = json.loads(cli("suppliers", "saq", "links", "--json").stdout)
    assert [(r["supplier"], r["state"], r["score"]) for r in rows] == [
        ("S001", "answered", 40.0),
        ("S002", "answered", 70.0),
    ]


def test_bad_answers_are_refused_and_nothing_is_written(
    cli: Cli, db: Database, tmp_path: Path
) -> None:
    saq_workspace(cli, tmp_path)
    (token,) = _send(db, "S001")
    answers = {"env.iso14001": "yes", "env.targets": "some", "soc.x": "yes"}
    with pytest.raises(InvalidInput) as refused:
        _submit(db, token, answers, now=NOW)
    message = str(refused.value)
    assert "unknown question 'soc.x'" in message
    assert "question env.targets: answer one of none, intensity only, absolute" in message
    assert "question soc.child_labour_policy: answer one of yes, no, not ''" in message
    assert "question env.iso14001: the answer 'yes' needs an evidence file" in message
    with pytest.raises(InvalidInput, match=r"evidence file 'empty\.pdf' is empty"):
        empty = saq.Upload("env.iso14001", "empty.pdf", b"")
        _submit(db, token, {"env.iso14001": "yes"}, uploads=[empty], now=NOW)
    with db.read() as session:
        link = session.query(SupplierSaqLink).one()
        assert link.answered_at is None and link.score is None
        assert session.query(SupplierSaqEvidence).count() == 0


def test_a_link_is_used_once(cli: Cli, db: Database, tmp_path: Path) -> None:
    saq_workspace(cli, tmp_path)
    (token,) = _send(db, "S002")
    answers = {"env.iso14001": "no", "env.targets": "none", "soc.child_labour_policy": "yes"}
    assert _submit(db, token, answers, now=NOW) == pytest.approx(50.0)
    with pytest.raises(Conflict, match="used already"):
        _submit(db, token, answers, now=NOW)
    with db.read() as session, pytest.raises(Conflict, match="used already"):
        saq.open_link(session, token, now=NOW)
    # An answered supplier gets no new link, even with --reissue.
    result = cli("suppliers", "saq", "send", "SAQ 2025", "S002", "--reissue", expect=2)
    assert "answered questionnaire 'SAQ 2025' already" in result.output


def test_links_expire_and_a_reissue_replaces_the_old_token(
    cli: Cli, db: Database, tmp_path: Path
) -> None:
    saq_workspace(cli, tmp_path)
    (token,) = _send(db, "S001", days=10)
    with db.read() as session:
        assert saq.open_link(session, token, now=NOW).supplier_name == "Pearl River Castings"
        with pytest.raises(Conflict, match="expired on 2025-03-11"):
            saq.open_link(session, token, now=NOW + dt.timedelta(days=10))
        assert saq.links(session, now=NOW + dt.timedelta(days=11))[0]["state"] == "expired"
    result = cli("suppliers", "saq", "send", "SAQ 2025", "S001", expect=2)
    assert "has a link" in result.output and "--reissue" in result.output
    (new,) = _send_reissued(db, "S001")
    with db.read() as session:
        with pytest.raises(NotFound, match="unknown questionnaire link"):
            saq.open_link(session, token, now=NOW)
        assert saq.open_link(session, new, now=NOW).supplier == "S001"
        with pytest.raises(NotFound):
            saq.open_link(session, " ", now=NOW)


def _send_reissued(db: Database, supplier: str) -> list[str]:
    with db.write() as session:
        issued = saq.send(
            session, "SAQ 2025", [supplier], days=30, actor="t", reissue=True, now=NOW
        )
    return [i["token"] for i in issued]


def test_reminders_list_open_links_expiring_soon(cli: Cli, db: Database, tmp_path: Path) -> None:
    saq_workspace(cli, tmp_path)
    _send(db, "S001", days=5)
    _send(db, "S002", days=30)
    with db.read() as session:
        due = saq.reminders(session, within_days=7, now=NOW)
    assert [(r["supplier"], r["contacts"]) for r in due] == [
        ("S001", ["Li Wei <li.wei@pearl.example>"])
    ]


def test_a_changed_questionnaire_needs_a_new_name(cli: Cli, tmp_path: Path) -> None:
    path = saq_workspace(cli, tmp_path)
    cli("suppliers", "saq", "define", str(path))  # the same again: a no-op
    path.write_text(SAQ.replace("weight = 5", "weight = 4"), encoding="utf-8")
    result = cli("suppliers", "saq", "define", str(path), expect=2)
    assert "exists with other questions" in result.output


def test_a_bad_definition_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(SAQ.replace('type = "choice"', 'type = "scale"'), encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"question 'env\.targets': type 'scale' is not one of"):
        load_definition(path)
    path.write_text(SAQ.replace("options = { none = 0,", "options = { none = 2,"), encoding="utf-8")
    with pytest.raises(InvalidInput, match="option 'none' must earn 0 to 1"):
        load_definition(path)
    path.write_text(SAQ + "#" * 1024 * 1024, encoding="utf-8")  # bounded before parsing
    with pytest.raises(InvalidInput, match="larger than 1024 KB; not a questionnaire"):
        load_definition(path)
    with pytest.raises(InvalidInput, match="questionnaire file not found"):
        load_definition(tmp_path / "missing.toml")


def test_answers_from_a_file_on_the_command_line(cli: Cli, db: Database, tmp_path: Path) -> None:
    saq_workspace(cli, tmp_path)
    (token,) = _send(db, "S001", now=None)  # the command answers now
    (tmp_path / "cert.pdf").write_bytes(b"%PDF-1.4")
    header = ["question", "answer", "evidence"]
    bad = write_csv(tmp_path / "bad.csv", header, [["env.iso14001", "yes", "missing.pdf"]])
    result = cli("suppliers", "saq", "answer", token, str(bad), expect=2)
    assert "row 2" in result.output and "evidence file not found: missing.pdf" in result.output
    rows = [
        ["env.iso14001", "yes", "cert.pdf"],
        ["env.targets", "absolute", ""],
        ["soc.child_labour_policy", "yes", ""],
    ]
    good = write_csv(tmp_path / "answers.csv", header, rows)
    out = json.loads(cli("suppliers", "saq", "answer", token, str(good), "--json").stdout)
    assert out == {"score": 100.0}


def test_a_token_issued_with_a_leading_dash_answers_after_a_double_dash(
    cli: Cli, db: Database, tmp_path: Path
) -> None:
    # Tokens issued before one_time_token could start with "-"; "--" ends the options.
    saq_workspace(cli, tmp_path)
    _send(db, "S001", now=None)
    legacy = "-" + "x" * 31
    with db.write() as session:
        session.query(SupplierSaqLink).one().token_hash = token_hash(legacy)
    header = ["question", "answer", "evidence"]
    rows = [["env.iso14001", "no", ""], ["env.targets", "absolute", ""],
            ["soc.child_labour_policy", "yes", ""]]  # fmt: skip
    good = write_csv(tmp_path / "answers.csv", header, rows)
    refused = cli("suppliers", "saq", "answer", legacy, str(good), expect=2)
    assert "No such option" in refused.output  # read as an option without "--"
    args = ["suppliers", "saq", "answer", "--db", db.url, "--json", "--", legacy, str(good)]
    result = cli.runner.invoke(app, args, catch_exceptions=False)  # options before "--"
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"score": 70.0}


def test_a_score_changes_the_tier(cli: Cli, db: Database, tmp_path: Path) -> None:
    saq_workspace(cli, tmp_path)
    cli("suppliers", "tier", "--on", "2025-01-01")
    before = _tier_rows(cli)
    # S002: VN → 2, cable → 1, no spend, no audit: mean 1.5 → low.
    assert before["S002"]["dimensions"]["questionnaire"].startswith("not available")
    assert before["S002"]["tier"] == "low"
    (token,) = _send(db, "S002")
    # 0 of 10 → score 0 < 60 → questionnaire risk 3: mean (2 + 1 + 3) / 3 = 2.0 → medium.
    answers = {"env.iso14001": "no", "env.targets": "none", "soc.child_labour_policy": "no"}
    assert _submit(db, token, answers, now=NOW) == 0.0
    after = _tier_rows(cli)
    assert after["S002"]["dimensions"]["questionnaire"] == 3
    assert after["S002"]["tier"] == "medium" and after["S002"]["previous"] == "low"
    history = json.loads(cli("suppliers", "history", "S002", "--json").stdout)
    assert [h["tier"] for h in history] == ["low", "medium"]


def _tier_rows(cli: Cli) -> dict[str, dict]:  # type: ignore[type-arg]
    rows = json.loads(cli("suppliers", "tier", "--on", "2025-03-02", "--json").stdout)
    return {r["supplier"]: r for r in rows}


def test_the_response_rate_is_a_register_figure(cli: Cli, db: Database, tmp_path: Path) -> None:
    saq_workspace(cli, tmp_path)
    tokens = _send(db, "S001", "S002", "S003")
    answers = {"env.iso14001": "no", "env.targets": "none", "soc.child_labour_policy": "yes"}
    _submit(db, tokens[1], answers, now=NOW)
    metric = "supply_chain.saq.response_rate"
    found = json.loads(cli("kpi", "explain", metric, "--year", "2025", "--json").stdout)
    assert found["figure"]["value"] == pytest.approx(100 / 3)
    assert found["figure"]["source"] == "register"
    assert found["figure"]["inputs"][0]["register"] == "supplier_questionnaires"
    assert found["figure"]["inputs"][0]["rows"] == 3
    # No link sent in 2024: "not available" with why, never 0.
    with db.read() as session:
        (empty,) = saq_figures(session, 2024)
    assert empty.value is None and "no questionnaire link was sent in 2024" in empty.note
