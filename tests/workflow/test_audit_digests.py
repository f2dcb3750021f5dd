"""Values entered through data requests stay covered by the audit chain's data digests.

A draft value is corrected in place (online, or by uploading a template again, which moves
the row into the new upload's batch); each such write digests the batches it touched again,
so ``esg audit verify --deep`` passes after legitimate edits and fails after a direct one.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from esgledger.ledger import audit_deep
from esgledger.workflow.templates import write_template
from esgledger.workflow.values import enter_value, upload_values
from tests.workflow.conftest import YEAR, Org
from tests.workflow.test_templates import FIGURES, _fill, _seed


def _problems(org: Org) -> list[str]:
    with org.db.read() as session:
        return audit_deep.verify_data(session).problems


def test_values_edited_in_place_still_verify_and_a_direct_edit_does_not(
    org: Org, tmp_path: Path
) -> None:
    _seed(org, tmp_path)
    with org.db.read() as s:
        write_template(s, tmp_path / "t.xlsx", year=YEAR, owner="olga")
    with org.db.write() as s:
        upload_values(s, org.olga, _fill(tmp_path / "t.xlsx", tmp_path / "a.xlsx", FIGURES))
    with org.db.write() as s:
        enter_value(s, org.manager, 1, version=2, value=5, unit="t")  # in place, same batch
    assert _problems(org) == []
    with org.db.read() as s:
        write_template(s, tmp_path / "t2.xlsx", year=YEAR, owner="olga")
    second = dict(FIGURES) | {("HQ", "workforce.headcount"): (36, "person")}
    with org.db.write() as s:  # two rows move from the first upload's batch to this one
        filled = _fill(tmp_path / "t2.xlsx", tmp_path / "b.xlsx", second)
        assert upload_values(s, org.olga, filled)["updated"] == 2  # mia's 5 t back to 4.25 t
    assert _problems(org) == []
    with org.db.engine.begin() as conn:
        conn.execute(text("UPDATE kpi_values SET value = 37 WHERE value = 36"))
    assert any("kpi_values differs from the digest of event" in p for p in _problems(org))
