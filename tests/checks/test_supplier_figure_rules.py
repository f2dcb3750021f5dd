"""#16: ``esg check`` rules for the register's integrity-agreement share and new-supplier
due-diligence coverage (``checks.csv``: ``fall.*`` and ``available.*``), counted by hand
from the test register, worded in English and Chinese. The falls compare two years'
figures: tested on the figures in memory; "not available" while the register holds what a
share would count reads the register: tested end to end on both databases."""

from __future__ import annotations

from pathlib import Path

from esgledger.checks.engine import run_checks
from esgledger.checks.explained import finding_in, fix_in
from esgledger.checks.findings import Finding
from esgledger.kpi.figures import KpiFigure
from esgledger.kpi.register_figures.notes import coded
from tests.checks.plain import check, registered
from tests.conftest import Cli
from tests.factories import entities_file
from tests.suppliers.factories import register_files

SHARE = "supply_chain.integrity_agreements_share"
COVERAGE = "supply_chain.conflict_minerals.new_supplier_dd_coverage"


def _findings(cli: Cli, year: int, prefix: str) -> list[Finding]:
    with cli.db.read() as session:
        return [f for f in run_checks(session, year) if f.rule.startswith(prefix)]


def _plain(year: int, prefix: str, *figures: KpiFigure) -> list[Finding]:
    """The rules over these register figures in memory (:mod:`tests.checks.plain`)."""
    return [f for f in check(year, [], figures=figures) if f.rule.startswith(prefix)]


def test_a_share_that_fell_beyond_the_tolerance_is_a_warning() -> None:
    # The test register's counts (tests.suppliers.factories): in cooperation at the end of
    # 2024 and 2025: S001, S002, S003 (no onboarding day). S001's integrity agreement runs
    # 2024-03-01 to 2025-02-28: 1 of 3 in 2024 (33.3 %), 0 of 3 in 2025 (0 %): a fall of
    # 33.3 points, beyond the rule's 5. In 2023 no supplier had one (0 %).
    figures = [
        registered(SHARE, 2023, 0.0),
        registered(SHARE, 2024, 1 / 3 * 100),
        registered(SHARE, 2025, 0.0),
    ]
    (fall,) = _plain(2025, "fall.", *figures)
    assert fall.rule == "fall.integrity_agreements_share" and fall.severity == "warning"
    assert fall.metrics == [SHARE] and (fall.found, fall.expected) == (0.0, 33.3333)
    assert fall.explanation.startswith(
        "The integrity-agreement share fell from 33.3 % in 2024 to 0.0 % in 2025"
    )
    assert "more than 5 percentage points" in fall.explanation
    zh = finding_in(fall, "zh")
    assert zh.startswith("签署廉洁协议的供应商比例从2024年的33.3 %降至2025年的0.0 %")
    assert "廉洁协议" in fix_in(fall, "zh")
    assert _plain(2024, "fall.", *figures) == []  # 2023: no supplier had one (0 %); it rose


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


RESPONSE = "supply_chain.conflict_minerals.cmrt_response_rate"
CONFORMANT = "supply_chain.conflict_minerals.rmi_conformant_smelters_share"


def test_conflict_mineral_figures_not_available_with_suppliers_in_scope_are_warnings(
    cli: Cli, tmp_path: Path
) -> None:
    from tests.factories import write_csv
    from tests.suppliers.cmrt_files import cmrt_file

    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    assert _findings(cli, 2026, "available.cmrt") == []  # no declaration: no figure at all
    # S001 ("castings;tin solder", onboarded 2024-03-01) is the one supplier in scope; its
    # CMRT is effective 15-Jan-2026.
    cli("suppliers", "cmrt", "import", "S001", str(cmrt_file(tmp_path / "s001.xlsx")))
    found = {f.rule: f for f in _findings(cli, 2026, "available.")}
    assert "available.cmrt_response_rate" not in found  # 1 of 1 returned a CMRT
    share = found["available.conformant_smelters_share"]
    assert share.metrics == [CONFORMANT] and share.found == "not available"
    assert share.explanation.startswith(
        "The conformant-smelter share is not available for 2026 although 1 in-scope suppliers "
        "were asked for a CMRT (not available: no conformant-smelter list imported)."
    )
    assert "esg suppliers cmrt conformant" in share.fix
    assert finding_in(share, "zh").startswith("2026年合规冶炼厂比例不可得")
    assert "（不适用：未导入合规冶炼厂清单）" in finding_in(share, "zh")
    earlier = {f.rule: f for f in _findings(cli, 2025, "available.")}
    rate = earlier["available.cmrt_response_rate"]
    assert rate.metrics == [RESPONSE] and rate.details["base"] == 1
    assert "(not available: no CMRT is effective in 2025)" in rate.explanation
    assert finding_in(rate, "zh").startswith("2025年CMRT回复率不可得")
    assert "available.conformant_smelters_share" in earlier
    listing = write_csv(
        tmp_path / "conformant.csv",
        ["smelter_id", "metal", "status", "assessed_on"],
        [["CID000001", "tin", "Conformant", "2026-03-01"]],
    )
    cli("suppliers", "cmrt", "conformant", str(listing))
    assert _findings(cli, 2026, "available.c") == []  # 1 of 2 identified smelters: 50 %
    # 2023: S001 not yet onboarded, no supplier in scope: "not available" is the answer.
    assert _findings(cli, 2023, "available.c") == []


def test_cmrt_response_and_conformant_share_falls_are_warnings() -> None:
    """#16: the CMRT response rate and the conformant-smelter share fell from 2025 to 2026
    by more than the rules' 5 points; each warning names both years' figures, in English and
    Chinese, and a year that did not fall has none."""
    # The register behind the figures: in scope in 2025 and 2026, S001 (tin solder,
    # onboarded 2024) and S005 (tungsten). 2025: 2 of 2 returned a CMRT (100 %), 2 of 2
    # smelters conformant (100 %). 2026: 1 of 2 (50 %), and S001's latest CMRT names
    # CID000001 and CID000003: 1 of 2 (50 %). 2024: no CMRT effective, nothing to compare.
    figures = [
        registered(RESPONSE, 2024, None, coded("no_cmrt_in", year=2024)),
        registered(CONFORMANT, 2024, None, coded("no_cmrt_in", year=2024)),
        registered(RESPONSE, 2025, 100.0, coded("cmrt_returned", a=2, b=2)),
        registered(CONFORMANT, 2025, 100.0, coded("identified_smelters", a=2, b=2)),
        registered(RESPONSE, 2026, 50.0, coded("cmrt_returned", a=1, b=2)),
        registered(CONFORMANT, 2026, 50.0, coded("identified_smelters", a=1, b=2)),
    ]
    found = {f.rule: f for f in _plain(2026, "fall.", *figures)}
    assert set(found) == {"fall.cmrt_response_rate", "fall.conformant_smelters_share"}
    rate, share = found["fall.cmrt_response_rate"], found["fall.conformant_smelters_share"]
    assert rate.metrics == [RESPONSE] and share.metrics == [CONFORMANT]
    assert (rate.expected, rate.found) == (100.0, 50.0)
    assert (share.expected, share.found) == (100.0, 50.0)
    assert rate.severity == share.severity == "warning"
    assert rate.explanation.startswith(
        "The CMRT response rate fell from 100.0 % in 2025 to 50.0 % in 2026, more than 5 "
        "percentage points"
    )
    assert share.explanation.startswith(
        "The conformant-smelter share fell from 100.0 % in 2025 to 50.0 % in 2026, more than 5 "
        "percentage points"
    )
    assert "esgledger's own choice" in rate.details["spec"]
    assert finding_in(rate, "zh").startswith("CMRT回复率从2025年的100.0 %降至2026年的50.0 %")
    assert finding_in(share, "zh").startswith("合规冶炼厂比例从2025年的100.0 %降至2026年的50.0 %")
    assert "esg suppliers cmrt import" in fix_in(rate, "zh")
    assert _plain(2025, "fall.c", *figures) == []  # 2024: no CMRT effective, nothing to compare
