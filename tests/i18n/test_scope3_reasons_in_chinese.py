"""#19: why a Scope 3 category or the Scope 3 total has no figure, in the Chinese edition:
read as a code and its counts from the run's stored fields (rows unresolved, no activity
data), never the run's English sentence, which stays what ``esg calc --json`` shows."""

from __future__ import annotations

import re
from pathlib import Path

from esgledger.disclose.scope3_section import scope3_section
from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli
from tests.scope3.screening_files import screening_rows, write_screening

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b(?:not available|rows unresolved|no activity data|not screened)\b")


def test_scope3_reasons_are_worded_in_chinese(cli: Cli, tmp_path: Path) -> None:
    calc = scope3_runner(cli, tmp_path)
    calc([row("SZ", 2022, "spend.purchased_goods", 10000, "USD", naics="999999")], 2022,
         "--allow-incomplete")  # fmt: skip
    with cli.db.read() as session:
        zh, en = (scope3_section(session, 2022, lang) for lang in ("zh", "en"))
    assert zh is not None and en is not None
    reasons = {r["key"]: str(r["reason"]) for r in zh["rows"]}
    english = {r["key"]: str(r["reason"]) for r in en["rows"]}
    assert english["cat1"].startswith("not available: all 1 rows unresolved"), english["cat1"]
    assert english["cat2"] == "not available: no activity data and not screened"
    assert "1" in reasons["cat1"] and CJK.search(reasons["cat1"]), reasons["cat1"]
    for key, text in reasons.items():
        assert not ENGLISH.search(text), (key, text)
    assert en["total_reason"] == "no Scope 3 row could be computed (1 rows unresolved)"
    assert CJK.search(zh["total_reason"]) and not ENGLISH.search(zh["total_reason"])


def test_a_category_screened_relevant_without_data_says_so_in_chinese(
    cli: Cli, tmp_path: Path
) -> None:
    """The screening's framing (relevant, yet no activity data) is worded in the edition's
    language around the criterion and the note as entered, not reduced to the note."""
    calc = scope3_runner(cli, tmp_path)
    path = write_screening(tmp_path, screening_rows({1: "spend_based", 7: "distance_based"}))
    cli("scope3", "screening", "import", str(path), "--year", "2022")
    calc([row("SZ", 2022, "spend.purchased_goods", 10000, "USD", naics="327310")], 2022,
         "--allow-incomplete")  # fmt: skip
    with cli.db.read() as session:
        zh, en = (scope3_section(session, 2022, lang) for lang in ("zh", "en"))
    assert zh is not None and en is not None
    english = {r["key"]: str(r["reason"]) for r in en["gaps"]}
    assert english == {"cat7": "not available: screened relevant (size: large (or small) "
                       "against the expected total) but no activity data"}  # fmt: skip
    (gap,) = zh["gaps"]
    assert (
        str(gap["reason"]) == "经筛选为相关（规模：相对于预期总量较大（或较小）），但没有活动数据"
    )
    excluded = {r["key"]: str(r["reason"]) for r in zh["exclusions"]}
    # the note as entered, marked as English for the reader's tools
    assert excluded["cat2"] == '无相关活动：<span lang="en">no category 2 activity</span>'
