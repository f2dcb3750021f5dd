"""A printed figure's caveats say why it is incomplete — the figure's own reason, not a
guess: a Scope 3 total short of a relevant category is not a run with unresolved rows. The
reason is the figure's code and values (``incomplete_why``), worded by each edition in its
language (#19), never read back from the English note."""

from __future__ import annotations

from typing import Any

from esgledger.catalog import metric
from esgledger.catalog.translations import text
from esgledger.disclose.footnotes import figure_caveats
from esgledger.kpi import incomplete_why as why_of
from esgledger.kpi.figures import KpiFigure


def _figure(why: dict[str, Any] | None, note: str = "") -> KpiFigure:
    return KpiFigure(
        "ghg.scope3",
        2024,
        362024.4,
        "tCO2e",
        "calculated",
        note=note,
        incomplete=True,
        incomplete_why=why,
    )


def test_the_caveat_gives_the_figures_own_reason() -> None:
    gaps = why_of.screening_gaps(["cat11", "cat12"])
    (caveat,) = figure_caveats(metric("ghg.scope3"), _figure(gaps))
    assert caveat.endswith(
        "2024 is incomplete: screened relevant but without a figure: cat11, cat12."
    )
    assert "unresolved" not in caveat


def test_the_chinese_edition_words_the_same_reason() -> None:
    gaps = why_of.screening_gaps(["cat11", "cat12"])
    (caveat,) = figure_caveats(metric("ghg.scope3"), _figure(gaps), "zh")
    assert caveat.endswith("（2024年）数据不完整：经筛选为相关但尚无数据：cat11, cat12。"), caveat
    (rows,) = figure_caveats(metric("ghg.scope3.cat1"), _figure(why_of.category_rows(3)), "zh")
    assert rows.endswith("数据不完整：3 行未能解析。"), rows
    (english,) = figure_caveats(metric("ghg.scope3.cat1"), _figure(why_of.category_rows(3)))
    assert english.endswith("2024 is incomplete: 3 rows unresolved."), english


def test_without_a_stated_reason_the_runs_unresolved_rows_are_named() -> None:
    (caveat,) = figure_caveats(metric("ghg.scope3"), _figure(None))
    assert "incomplete: the calculation left activity rows unresolved." in caveat
    (zh,) = figure_caveats(metric("ghg.scope3"), _figure(None), "zh")
    assert zh.endswith("数据不完整：计算中有活动数据行未能匹配排放因子。"), zh


def test_a_runs_unresolved_rows_are_said_for_readers_without_run_ids_or_commands() -> None:
    note = "incomplete: run 3 left 2 activity result(s) of it unresolved (`esg calc show --run 3`)"
    figure = _figure(why_of.unresolved(3, 2), note)
    (caveat,) = figure_caveats(metric("ghg.scope3"), figure)
    assert caveat.endswith("2024 is incomplete: the calculation left activity rows unresolved.")
    assert "esg " not in caveat and "run 3" not in caveat
    (zh,) = figure_caveats(metric("ghg.scope3"), figure, "zh")
    assert "esg " not in zh and "3" not in zh.split("数据不完整")[1]


def test_an_english_note_alone_is_not_read_back() -> None:
    """Only the structured reason counts: an English note is the tool's record."""
    note = "incomplete: screened relevant but without a figure: cat11, cat12"
    (zh,) = figure_caveats(metric("ghg.scope3"), _figure(None, note), "zh")
    assert "screened" not in zh and "cat11" not in zh


def test_a_formula_names_its_incomplete_inputs_in_each_edition() -> None:
    """A derived figure's own reason is its inputs, named in the edition's language (not
    "unresolved rows", which may not be why: an input may miss a screened category)."""
    figure = _figure(why_of.from_inputs(["ghg.scope2_market", "ghg.scope3"]))
    (english,) = figure_caveats(metric("ghg.total"), figure)
    scope2, scope3 = metric("ghg.scope2_market").name, metric("ghg.scope3").name
    assert english.endswith(f"2024 is incomplete: from {scope2}; {scope3}."), english
    (zh,) = figure_caveats(metric("ghg.total"), figure, "zh")
    names = [text("metric", m, "zh") for m in ("ghg.scope2_market", "ghg.scope3")]
    assert zh.endswith(f"（2024年）数据不完整：来自{names[0]}；{names[1]}。"), zh
