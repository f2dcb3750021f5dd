"""#19: a finding kept with its English fix alone — as an acknowledgement's snapshot keeps it
(``Finding.as_dict`` leaves the messages out), or from a check run before its check named
the fix — reads in Chinese: the fix is worded at display time from the check's id and what
the finding stored, never from the stored English; the English is unchanged. A stored fix no
message of its check gives exactly stays as stored."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from esgledger.catalog.checks import check_rules
from esgledger.catalog.messages import translate
from esgledger.checks.explained import fix_in
from esgledger.checks.findings import Finding
from esgledger.checks.stored_fixes import FIXES
from tests.checks.plain import PlainWorkspace, check, restate, typed
from tests.checks.workspace import kpi

CHECKS = Path(__file__).resolve().parents[2] / "src" / "esgledger" / "checks"
CJK = re.compile(r"[\u4e00-\u9fff]")


def stored(finding: Finding) -> Finding:
    """The finding as the audit log keeps it (English only), read back."""
    kept: dict[str, Any] = finding.as_dict()
    return Finding(**kept)


def _english_only(rule: str, fix: str, **fields: Any) -> Finding:
    return Finding(
        rule=rule,
        severity="error",
        metrics=fields.pop("metrics", ["energy.total"]),
        entity=fields.pop("entity", None),
        year=fields.pop("year", 2025),
        expected=None,
        found=None,
        explanation="stored before",
        fix=fix,
        **fields,
    )


def test_a_finding_stored_with_its_english_fix_reads_in_chinese() -> None:
    cases = [
        _english_only(
            "coverage.no_activity",
            "Import VN1's 2025 activity data, or remove it from the boundary with a change "
            "note saying why.",
            entity="VN1",
        ),
        _english_only(
            "sum.energy_total",
            "Derive total energy from its two parts; recalculate with `esg calc --year 2025` "
            "if a part changed.",
        ),
        _english_only(
            "yoy.jump",
            "Check the figure and its inputs; if the change is real, explain it in the report "
            "and acknowledge this finding with the explanation.",
        ),
        _english_only(
            "unit.changed",
            "Re-enter 2023 in person-times from the source data, or show the 2023 value in its "
            "own row with a footnote on the change of measure.",
            year=2023,
        ),
        _english_only(
            "sum.breakdown",
            "Correct the Age band rows so they add up to the total; put people whose attribute "
            "is not recorded in 'unknown', which counts in totals.",
            dims={"dimension": "age_band"},
        ),
    ]
    for finding in cases:
        assert not finding.fix_message
        assert fix_in(finding, "en") == finding.fix
        zh = fix_in(finding, "zh")
        assert CJK.search(zh) and zh != finding.fix, (finding.rule, zh)
    assert "VN1" in fix_in(cases[0], "zh") and "2025" in fix_in(cases[1], "zh")
    assert "2023" in fix_in(cases[3], "zh")


def test_a_stored_fix_no_message_of_its_check_gives_stays_as_stored() -> None:
    typed_by_hand = _english_only("missing.value", "Ask Li Wei.")
    unknown_rule = _english_only("custom.rule", "Enter the value.")
    for finding in (typed_by_hand, unknown_rule):
        assert fix_in(finding, "zh") == finding.fix


def test_every_finding_the_checks_make_reads_the_same_once_stored() -> None:
    """Status, coverage, claims and catalog rules, run for real: the Chinese fix of the
    finding read back from its stored form equals the live finding's."""
    revenue_2024 = typed("economy.revenue", "1000.00", "RMB million", 2024)
    status = check(
        2025,
        [
            typed("economy.revenue", "1080.00", "RMB million"),
            typed("economy.cash_dividend", "0.05", "RMB billion", preliminary=True),
            typed("air.vocs", "/", "t"),
            typed("workforce.headcount", 1000, "person"),
            typed("workforce.new_hires", 120, "person", note="Overseas subsidiaries only"),
            typed("energy.total", 500, "tce"),
            typed("energy.direct", 100, "tce"),
            typed("energy.indirect", 100, "tce"),
            *restate(revenue_2024, "1012.50", "Business combination under common control"),
        ],
        claims={},
    )
    mem = PlainWorkspace()
    mem.boundary("2025-env", 2025, "environment", "SZ1", "WH1", "VN1")
    mem.activities(
        [(e, 2025, "water.discharge", 10, "t") for e in ("SZ1", "WH1")]
        + [("VN1", 2025, "electricity.purchased", 50, "MWh")]
    )
    mem.kpis(kpi("wastewater.cod", "1.50", "t", entity="SZ1"))
    findings = [*status, *mem.check(2025, claims={"305-1": ["ghg.scope1"]})]
    rules = {f.rule for f in findings}
    assert {"preliminary.value", "coverage.no_activity", "index.no_data"} <= rules, rules
    assert rules & set(check_rules()), rules  # a checks.csv rule among them
    for finding in findings:
        live = fix_in(finding, "zh")
        assert CJK.search(live), (finding.rule, live)
        again = stored(finding)
        assert not again.fix_message and again.fix == finding.fix
        assert fix_in(again, "zh") == live, finding.rule
        assert fix_in(again, "en") == finding.fix


def _rules_in_code() -> set[str]:
    """Every rule id a built-in check names in its code (``rule="…"``, or a rule passed on)."""
    found: set[str] = set()
    for path in CHECKS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "rule":
                value = node.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(value.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_finding":
                found |= {
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str) and "." in a.value
                }
    return found


def test_every_built_in_check_has_its_fixes_listed_with_chinese() -> None:
    rules = _rules_in_code()
    assert {"yoy.jump", "sum.breakdown", "factor.nonstandard", "calc.incomplete"} <= rules
    assert rules - set(check_rules()) <= set(FIXES), sorted(rules - set(FIXES))
    for rule, messages in FIXES.items():
        for message in messages:
            assert CJK.search(translate(message, "zh")), (rule, message)
