"""#19: the fixes of the status checks (a restated prior year, a preliminary value, a label
without a value, a scope-qualified figure mixed with group totals) are worded in the
reader's language from their message, as the other checks' fixes are; ``esg check`` keeps
the English word for word. Found by the acceptance audit: the Chinese dashboard and
findings page printed "处理方法：Replace it with the final value …"."""

from __future__ import annotations

import re

from esgledger.checks.explained import fix_in
from tests.checks.plain import check, restate, typed
from tests.checks.workspace import only

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
