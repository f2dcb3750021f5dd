"""Issue 12, narrative tags that format like an editor: unit words as prose, rounding to the
appendix's precision, like-for-like change, a boundary marker, and a lint on the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.disclose.narrative import Printed, bind, load_sections
from esgledger.disclose.narrative_lint import lint_narrative
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure

VALUES = {
    ("workforce.headcount", 2025): 55780.0,
    ("innovation.patents.new", 2025): 2557.0,
    ("ohs.serious_injuries", 2025): 0.0,
    ("energy.total", 2025): 66976.004,
    ("ghg.total", 2025): 124800.0,
    ("ghg.total", 2024): 100000.0,
    ("ghg.scope1", 2025): 9.876,
}
SERIES = {
    "boundaries": {
        "energy_ghg": {"changes": [{"from": 2024, "to": 2025, "added": ["X"], "removed": []}]},
        "environment": {"changes": []},
    },
    "kpis": [
        {
            "metric": "ghg.total",
            "dims": {},
            "like_for_like": {"previous": 100.0, "current": 99.5, "change_pct": -0.5},
        }
    ],
}


def lookup(metric: str, year: int, dims: str) -> KpiFigure | None:
    value = VALUES.get((metric, year))
    if value is None:
        return None
    return KpiFigure(metric=metric, year=year, value=value, unit="", source="reported")


def _bind(text: str, printed: list[Printed] | None = None) -> str:
    return bind(text, year=2025, lookup=lookup, source="s.md", series=SERIES, printed=printed)


def _lint(text: str) -> None:
    printed: list[Printed] = []
    lint_narrative(_bind(text, printed), printed, source="s.md")


def test_count_units_print_as_numbers_so_the_prose_names_them() -> None:
    assert _bind("{{kpi:workforce.headcount}} people") == "55,780 people"
    assert _bind("{{kpi:innovation.patents.new}} new patents") == "2,557 new patents"
    assert _bind("{{kpi:ohs.serious_injuries}} serious injuries") == "0 serious injuries"


def test_large_figures_round_like_an_editor_never_finer_than_the_appendix() -> None:
    assert _bind("{{kpi:energy.total}}") == "66,976 tce"
    assert _bind("{{kpi:ghg.scope1}}") == "9.88 tCO2e"  # the appendix prints 2 decimals
    assert _bind("{{kpi:energy.total|decimals=1}}") == "66,976.0 tce"
    assert _bind("{{kpi:energy.total|number}}") == "66,976"


def test_change_carries_a_boundary_marker_and_like_for_like_on_request() -> None:
    assert _bind("{{change:ghg.total}}") == "+24.8% (boundary changed; like-for-like −0.5%)"
    assert _bind("{{change:ghg.total|like-for-like}}") == "−0.5% like-for-like"
    with pytest.raises(InvalidInput, match=r"s.md, line 1: no like-for-like change for ghg.scope1"):
        _bind("{{change:ghg.scope1|like-for-like}}")
    with pytest.raises(InvalidInput, match=r"s.md, line 1: unknown tag option 'bold'"):
        _bind("{{kpi:ghg.total|bold}}")


def test_the_lint_refuses_more_precision_than_the_appendix_and_doubled_units() -> None:
    with pytest.raises(InvalidInput, match=r"s.md, line 2: .*3 decimals.*appendix prints 2"):
        _lint("ok\n{{kpi:ghg.scope1|decimals=3}}")
    with pytest.raises(InvalidInput, match=r"s.md, line 1: unit word doubled: 'person people'"):
        lint_narrative("We employ 55,780 person people.", [], source="s.md")
    with pytest.raises(InvalidInput, match=r"unit word doubled: 'tCO2e tCO2e'"):
        _lint("{{kpi:ghg.total}} tCO2e")
    _lint("{{kpi:workforce.headcount}} people and {{kpi:energy.total}}, 3 cases")


def caveated(metric: str, year: int, dims: str) -> KpiFigure | None:
    """The figures of ``lookup``; Scope 1 restated and an estimate, energy preliminary."""
    figure = lookup(metric, year, dims)
    if figure is not None and metric == "ghg.scope1":
        figure.restated, figure.qualifier = True, "approximately"
        figure.restatement = {"reason": "a meter was misread", "previous": 9.5}
    if figure is not None and metric == "energy.total":
        figure.preliminary = True
    return figure


def test_caveated_figures_carry_markers_linked_to_chapter_end_notes(tmp_path: Path) -> None:
    (tmp_path / "10-climate.md").write_text(
        "# Climate {{kpi:ghg.scope1}}\n\n"
        "Scope 1 was {{kpi:ghg.scope1}} and energy {{kpi:energy.total}}; emissions changed "
        "{{change:ghg.total}}. Again {{kpi:ghg.scope1}}; {{kpi:workforce.headcount}} people.\n",
        encoding="utf-8",
    )
    (section,) = load_sections(tmp_path, year=2025, lookup=caveated, series=SERIES)
    assert section.notes == (
        "Scope 1 (direct) emissions 2025 is restated: a meter was misread.",
        "Scope 1 (direct) emissions 2025 is an estimate (approximately).",
        "Total energy consumption 2025 is preliminary and may be revised.",
        "The energy and GHG boundary changed from 2024 to 2025 (1 entities added, 0 removed), "
        "so the two years are not like for like.",
    )
    ref = '<sup class="fn"><a href="#climate--note-{0}" id="climate--note-{0}-ref">{0}</a></sup>'
    assert f"9.88 tCO2e{ref.format(1)}{ref.format(2)}" in section.html  # the same notes again
    assert section.html.count(ref.format(1)) == 2
    assert f"66,976 tce{ref.format(3)}" in section.html
    assert f"like-for-like −0.5%){ref.format(4)}" in section.html
    assert "55,780 people" in section.html  # no caveat, no marker
    assert section.title == "Climate 9.88 tCO2e"  # headings never carry a marker
    assert "\ue000" not in section.html + section.title


def test_the_lint_still_reads_through_a_marker(tmp_path: Path) -> None:
    (tmp_path / "s.md").write_text("Emitted {{kpi:ghg.scope1}} tCO2e.\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"s.md, line 1: unit word doubled: 'tCO2e tCO2e'"):
        load_sections(tmp_path, year=2025, lookup=caveated, series=SERIES)
