"""#16: ``esg check`` rules for the register's integrity-agreement share and new-supplier
due-diligence coverage (``checks.csv``: ``fall.*`` and ``available.*``), counted by hand
from the test register, worded in English and Chinese."""

from __future__ import annotations

from pathlib import Path

from esgledger.checks.engine import run_checks
from esgledger.checks.explained import finding_in, fix_in
from esgledger.checks.findings import Finding
from tests.conftest import Cli
from tests.factories import entities_file
from tests.suppliers.factories import register_files

SHARE = "supply_chain.integrity_agreements_share"
COVERAGE = "supply_chain.conflict_minerals.new_supplier_dd_coverage"


def _findings(cli: Cli, year: int, prefix: str) -> list[Finding]:
    with cli.db.read() as session:
        return [f for f in run_checks(session, year) if f.rule.startswith(prefix)]


def test_a_share_that_fell_beyond_the_tolerance_is_a_warning(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    for kind, path in register_files(tmp_path).items():
        cli("suppliers", "import", kind, str(path))
    # In cooperation at the end of 2024 and 2025: S001, S002, S003 (no onboarding day). S001's
    # integrity agreement runs 2024-03-01 to 2025-02-28: 1 of 3 in 2024 (33.3 %), 0 of 3 in
    # 2025 (0 %): a fall of 33.3 points, beyond the rule's 5.
    (fall,) = _findings(cli, 2025, "fall.")
    assert fall.rule == "fall.integrity_agreements_share" and fall.severity == "warning"
    assert fall.metrics == [SHARE] and (fall.found, fall.expected) == (0.0, 33.3333)
    assert fall.explanation.startswith(
        "The integrity-agreement share fell from 33.3 % in 2024 to 0.0 % in 2025"
    )
    assert "more than 5 percentage points" in fall.explanation
    zh = finding_in(fall, "zh")
    assert zh.startswith("签署廉洁协议的供应商比例从2024年的33.3 %降至2025年的0.0 %")
    assert "廉洁协议" in fix_in(fall, "zh")
    assert _findings(cli, 2024, "fall.") == []  # 2023: no supplier had one (0 %); it rose


def test_a_figure_not_available_while_suppliers_cooperate_is_a_warning(
    cli: Cli, tmp_path: Path
) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    found = {f.rule: f for f in _findings(cli, 2024, "available.")}
    # No agreement recorded: the share is not available with 3 suppliers in cooperation.
    share = found["available.integrity_agreements_share"]
    assert share.metrics == [SHARE] and share.found == "not available"
    assert share.explanation.startswith(
        "The integrity-agreement share is not available for 2024 although 3 suppliers are in "
        "cooperation at its end (not available: no supplier agreements are recorded)."
    )
    assert finding_in(share, "zh").startswith("2024年签署廉洁协议的供应商比例不可得")
    assert "3家" in finding_in(share, "zh") and "（不适用：未登记任何供应商协议）" in finding_in(
        share, "zh"
    )
    # S001 (castings; tin solder) was onboarded in 2024 and no CMRT is effective: coverage
    # is not available with 1 new material supplier; in 2025 none is new, so no finding.
    coverage = found["available.new_supplier_dd_coverage"]
    assert coverage.metrics == [COVERAGE] and "1 new material suppliers" in coverage.explanation
    assert "no CMRT is effective by the end of 2024" in coverage.explanation
    assert "截至2024年末没有生效的CMRT" in finding_in(coverage, "zh")
    later = {f.rule for f in _findings(cli, 2025, "available.")}
    assert later == {"available.integrity_agreements_share"}
