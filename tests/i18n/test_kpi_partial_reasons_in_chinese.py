"""#19: on the Chinese KPI page a partial figure's reason is worded from codes: a register's
"the register does not cover …" from its note's code, a formula's "from INPUT (its
reason)" from its partial inputs, each input named in Chinese. The API's English reason
(kpi.readout) is unchanged word for word."""

from __future__ import annotations

from typing import Any

from esgledger.catalog import metrics, translations
from esgledger.kpi.partial_why import partial_words
from esgledger.kpi.readout import partial_reason
from esgledger.kpi.register_figures.notes import coded, note_of

INPUT = "ohs.special_operators_certified"
NAME = metrics()[INPUT].name


def _name(metric: str, english: str, lang: str) -> str:
    return english if lang == "en" else translations.text("metric", metric, lang)


def _register_part() -> dict[str, Any]:
    why = [coded("members_uncovered", n=1, members="WH1")]
    return {"partial": True, "note": note_of(why), "note_why": why}


def test_a_register_figure_s_partial_reason_is_worded_in_chinese() -> None:
    fig = _register_part()
    assert partial_reason(fig) == "the register does not cover 1 member(s) (WH1)"
    assert partial_words(fig, "zh", _name, {}) == "登记册未覆盖1个成员（WH1）"
    assert partial_words(fig, "en", _name, {}) == partial_reason(fig)


def test_a_formula_s_partial_reason_names_its_input_in_chinese() -> None:
    fig = {"partial": True, "note": None, "note_why": [], "inputs": [{"metric": INPUT}]}
    inputs = {INPUT: (NAME, _register_part())}
    english = f"from {NAME} (the register does not cover 1 member(s) (WH1))"
    assert partial_reason(fig, inputs) == english
    assert partial_words(fig, "en", _name, inputs) == english
    zh = translations.text("metric", INPUT, "zh")
    assert partial_words(fig, "zh", _name, inputs) == f"来自{zh}（登记册未覆盖1个成员（WH1））"


def test_a_figure_not_partial_has_no_reason() -> None:
    assert partial_words({"partial": False, "note": None}, "zh", _name, {}) is None
