"""Issue 12, narrative tags that format like an editor: unit words as prose, rounding to the
appendix's precision, like-for-like change, a boundary marker, and a lint on the result."""

from __future__ import annotations

import pytest

from esgledger.disclose.narrative import Printed, bind
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
