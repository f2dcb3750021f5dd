"""#19: the Chinese edition of the report holds no English precedence sentence (the five of
kpi.precedence_why, nor the parts of the old notes): the report words a figure's notes from
their codes or known patterns and prints no `why`. A guard on the demo, whose 2025 series
has figures both reported and recomputed."""

from __future__ import annotations

from pathlib import Path

from esgledger.kpi.precedence_why import CODES, OLD_PARTS

PARTS = ("the reported value is", "nothing recomputed", "the recomputed figure")


def test_the_chinese_report_holds_no_english_precedence_sentence(
    demo_report: dict[str, Path],
) -> None:
    zh = demo_report["zh.html"].read_text(encoding="utf-8").replace("&#39;", "'")
    assert '<html lang="zh' in zh
    english = [*CODES.values(), *PARTS, OLD_PARTS["old_from_ledger"][0]]
    left = [sentence for sentence in english if sentence in zh]
    assert left == [], left
