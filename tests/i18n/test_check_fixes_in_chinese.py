"""#19: the fixes of the status checks (a restated prior year, a preliminary value, a label
without a value, a scope-qualified figure mixed with group totals) are worded in the
reader's language from their message, as the other checks' fixes are; ``esg check`` keeps
the English word for word. Found by the acceptance audit: the Chinese dashboard and
findings page printed "处理方法：Replace it with the final value …"."""

from __future__ import annotations

import re

from esgledger.checks.explained import fix_in
from tests.checks.plain import PlainWorkspace, check, restate, typed
from tests.checks.workspace import kpi, only

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{4,}")
# The English each check has always printed (its text must not move).
FIXES = {
    "restated.prior_year": (
        "Footnote the restatement next to the prior-year figure, and check that the figures "
        "derived from it (intensities, totals) show the restated basis."
    ),
    "preliminary.value": (
        "Replace it with the final value before publication (a restatement with the reason), "
        "or label it as an estimate in the report."
    ),
    "missing.value": (
        "Enter the value, or mark the row not applicable (n.a.) and give the omission reason "
        "in the content index."
    ),
    "scope.qualified": (
        "Report the figure for the whole group, or show it as a scope-qualified row (its own "
        "label) and leave it out of group ratios and totals."
    ),
}


def test_the_status_checks_fixes_are_worded_in_chinese() -> None:
    revenue_2024 = typed("economy.revenue", "1000.00", "RMB million", 2024)
    stored = [
        typed("economy.revenue", "1080.00", "RMB million"),
        typed("economy.cash_dividend", "0.05", "RMB billion", preliminary=True),
        typed("air.vocs", "/", "t"),
        typed("workforce.headcount", 1000, "person"),
        typed("workforce.new_hires", 120, "person", note="Overseas subsidiaries only"),
        *restate(revenue_2024, "1012.50", "Business combination under common control"),
    ]
    findings = check(2025, stored, claims={})
    for rule, english in FIXES.items():
        found = only(findings, rule)
        assert found, rule
        for finding in found:
            assert finding.fix == english, rule
            assert fix_in(finding, "en") == english
            zh = fix_in(finding, "zh")
            assert CJK.search(zh) and not WORD.search(zh.replace("n.a.", "")), (rule, zh)


def test_the_coverage_and_claims_checks_fixes_are_worded_in_chinese() -> None:
    """A boundary member without activity data, members without a summed metric's value, a
    content-index claim without data: the fix in Chinese, its values (entity, year) kept."""
    mem = PlainWorkspace()
    mem.boundary("2025-env", 2025, "environment", "SZ1", "WH1", "VN1")
    mem.activities(
        [(e, 2025, "water.discharge", 10, "t") for e in ("SZ1", "WH1")]
        + [("VN1", 2025, "electricity.purchased", 50, "MWh")]
    )
    mem.kpis(kpi("wastewater.cod", "1.50", "t", entity="SZ1"))
    findings = mem.check(2025, claims={"305-1": ["ghg.scope1"]})
    english = {
        "coverage.no_activity": (
            "Import VN1's 2025 activity data, or remove it from the boundary with a change "
            "note saying why."
        ),
        "coverage.kpi_members": (
            "Collect the missing members' values (zero where there is none), or report the "
            "group figure directly with a note on its coverage."
        ),
        "index.no_data": (
            "Collect and import the data, or change the index entry to an omission with its "
            "reason (not applicable, information unavailable…)."
        ),
    }
    for rule, fix in english.items():
        (finding, *_) = only(findings, rule) or [None]
        assert finding is not None, (rule, [f.rule for f in findings])
        assert finding.fix == fix and fix_in(finding, "en") == fix
        zh = fix_in(finding, "zh")
        assert CJK.search(zh) and not WORD.search(zh), (rule, zh)
    assert "VN1" in fix_in(only(findings, "coverage.no_activity")[0], "zh")
