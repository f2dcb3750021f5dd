"""#19: why a Scope 3 category or the Scope 3 total has no figure, in the Chinese edition:
read as a code and its counts from the run's stored fields (rows unresolved, no activity
data), never the run's English sentence, which stays what ``esg calc --json`` shows."""

from __future__ import annotations

import re
from pathlib import Path

from esgledger.disclose.scope3_section import scope3_section
from tests.calc.scope3.workspace import row, scope3_runner
from tests.conftest import Cli

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
