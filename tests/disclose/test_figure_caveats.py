"""A printed figure's caveats say why it is incomplete — the figure's own reason, not a
guess: a Scope 3 total short of a relevant category is not a run with unresolved rows."""

from __future__ import annotations

from esgledger.catalog import metric
from esgledger.disclose.footnotes import figure_caveats
from esgledger.kpi.figures import KpiFigure


def _figure(note: str) -> KpiFigure:
    return KpiFigure(
        "ghg.scope3", 2024, 362024.4, "tCO2e", "calculated", note=note, incomplete=True
    )


def test_the_caveat_gives_the_figures_own_reason() -> None:
    note = "incomplete: screened relevant but without a figure: cat11, cat12"
    (caveat,) = figure_caveats(metric("ghg.scope3"), _figure(note))
    assert caveat.endswith(
        "2024 is incomplete: screened relevant but without a figure: cat11, cat12."
    )
    assert "unresolved" not in caveat


def test_without_a_stated_reason_the_runs_unresolved_rows_are_named() -> None:
    (caveat,) = figure_caveats(metric("ghg.scope3"), _figure(""))
    assert "incomplete: the calculation left activity rows unresolved." in caveat


def test_a_runs_unresolved_rows_are_said_for_readers_without_run_ids_or_commands() -> None:
    note = "incomplete: run 3 left 2 activity result(s) of it unresolved (`esg calc show --run 3`)"
    (caveat,) = figure_caveats(metric("ghg.scope3"), _figure(note))
    assert caveat.endswith("2024 is incomplete: the calculation left activity rows unresolved.")
    assert "esg " not in caveat and "run 3" not in caveat
