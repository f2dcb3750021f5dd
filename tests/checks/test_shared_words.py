"""#20 review: the relative-difference sentence and the supplier finding words each have one
source. The four wordings of :func:`relative_message` (unrounded or not, with a unit or
without) come from one call; a finding's grades and states are the supplier-audit service's
own, labelled by the pages and named by the overdue-action check from that one list."""

from __future__ import annotations

from esgledger.checks import supplier_actions
from esgledger.checks.explained import english, worded
from esgledger.checks.tolerance import relative_message, relative_text
from esgledger.suppliers.audits import GRADES, PLAN_DAYS, STATES, TRANSITIONS
from esgledger.web import vocabulary


def test_the_four_wordings_of_a_difference() -> None:
    assert relative_text(3.0, 0.0, "t") == (
        "The difference is 3.00 t; the figures compared are unrounded, so no rounding explains it."
    )
    assert relative_text(3.0, 0.0, None) == (
        "The difference is 3.00; the figures compared are unrounded, so no rounding explains it."
    )
    assert relative_text(3.0, 0.5, "t") == (
        "The difference is 3.00 t, 6.0 × the ±0.50 t that rounding of the printed figures allows."
    )
    assert relative_text(3.0, 0.5, "") == (
        "The difference is 3.00, 6.0 × the ±0.50 that rounding of the printed figures allows."
    )
    # a unit the catalog names is a name (worded in the reader's language); none, no names
    assert relative_message(3.0, 0.5, "MWh")["names"] == {"unit": ["unit", "MWh"]}
    assert relative_message(3.0, 0.5, None)["names"] == {}
    assert english(relative_message(3.0, 0.5, None)) == relative_text(3.0, 0.5, None)
    assert worded(relative_message(3.0, 0.5, "MWh"), "zh") == (
        "差额为3.00 兆瓦时，是所列数字四舍五入所允许的±0.50 兆瓦时的6.0倍。"
    )


def test_finding_grades_and_states_have_one_source() -> None:
    assert set(GRADES) == set(PLAN_DAYS)
    assert set(STATES) == set(TRANSITIONS)
    for word in (*GRADES, *STATES):
        assert word in vocabulary.WORDS and word in supplier_actions.WORDS, word
