"""#19: the lookup diagnostics inside "not available: all N rows unresolved (…)" — each
"activity: method: why" the Scope 3 engine writes — are worded in the Chinese edition when
their form is one the engine writes (the activity and method from the catalog, the why from
its pattern), their values (units, codes, variants) as stored; a piece of another form (or
cut short by the run's 300-character limit) is shown as stored. English is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

from esgledger.catalog.messages import translate
from esgledger.catalog.scope3_diagnostics import diagnostics_words
from esgledger.catalog.translations import text as catalog_text
from esgledger.kpi.register_figures.notes import worded_note
from tests.conftest import Cli
from tests.i18n.test_scope3_run_reasons_in_chinese import _stored, _unresolved_only_run

ACTIVITY = "spend.purchased_goods"


def _latin_words(text: str) -> list[str]:
    """Runs of Latin letters left, minus codes (with "." or "_") and quoted values."""
    out = []
    for word in re.sub(r"'[^']*'", " ", text).split():
        if word.isascii() and word.isalpha() and len(word) > 3:
            out.append(word)
    return out


def test_a_run_s_diagnostics_are_worded_in_chinese(cli: Cli, tmp_path: Path) -> None:
    run_id = _unresolved_only_run(cli, tmp_path)
    cat1 = _stored(cli, run_id)["by_category"]["cat1"]
    diagnostics = cat1["reason"].split(" (", 1)[1].removesuffix(")")
    zh = worded_note(cat1["reason"], cat1["reason_why"], "zh")
    assert diagnostics not in zh  # was quoted as the run wrote it
    said = diagnostics_words(diagnostics, "zh")
    assert zh == f"不可用：全部 1 行未能解析（{said}）"
    assert said.startswith(catalog_text("activity", ACTIVITY, "zh") + "：")
    assert translate("spend based", "zh") in said
    assert "999999" in said  # the variant tried, as stored
    assert _latin_words(said) == [], said
    assert worded_note(cat1["reason"], cat1["reason_why"], "en") == cat1["reason"]


def test_each_form_the_engine_writes_is_worded() -> None:
    pieces = [
        f"{ACTIVITY}: spend_based: unit 'kg' is not a currency",
        f"{ACTIVITY}: spend_based: unit 'kg' does not fit factor unit 'USD'",
        f"{ACTIVITY}: average_data: no Scope 3 method for {ACTIVITY} yet",
        f"{ACTIVITY}: spend_based: {ACTIVITY} rows need a 'naics' column for the factor",
        f"{ACTIVITY}: supplier_specific: supplier_kgco2e 'abc' is not a number",
        f"{ACTIVITY}: supplier_specific: supplier_kgco2e '-1' is negative",
    ]
    for piece in pieces:
        said = diagnostics_words(piece, "zh")
        assert said != piece and _latin_words(said) == [], said


def test_pieces_of_another_form_stay_as_stored() -> None:
    cut = f"{ACTIVITY}: spend_based: no spend_based factor for spend.eeio in USD for C"
    typed = "gizmo: no factor"
    assert diagnostics_words(f"{typed}; {cut}", "zh") == f"{typed}; {cut}"
    known = f"{ACTIVITY}: supplier_specific: supplier_kgco2e '-1' is negative"
    assert diagnostics_words(f"{known}; {typed}", "zh").endswith(f"；{typed}")
    assert diagnostics_words(known, "en") == known
