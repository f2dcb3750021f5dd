"""Issue #12: report charts never clip a point, never draw a missing value as zero, and carry
units and a text alternative."""

from __future__ import annotations

import re

from esgledger.assess.charts import _cell_label
from esgledger.disclose import charts

YEARS = ["2023", "2024", "2025"]


def row(*values: float | None) -> dict:
    return {"values": dict(zip(YEARS, values, strict=True))}


def test_intensity_points_are_never_clipped_and_are_described() -> None:
    rows = {
        "ghg.intensity": row(1.2, 1.5, 9.75),  # the last point is the highest
        "energy.intensity": row(0.4, None, 0.5),
        "water.intensity": row(10.0, 11.0, 12.0),
    }
    svg = charts.intensity_trends(rows, YEARS)
    assert svg.startswith("<svg") and 'role="img"' in svg.split(">")[0]
    title = re.search(r"<title>(.*?)</title>", svg).group(1)
    assert "2025 9.75 tCO2e per RMB million" in title
    assert "2024 not available" in title and "2024 0.00" not in title  # missing is not zero
    assert not re.search(r'<g clip-path="[^"]*">\s*<use', svg)  # markers drawn unclipped
    assert "tCO2e per RMB million" in svg  # the unit is on the axis


def test_scope_and_energy_charts_have_units_and_alternatives() -> None:
    rows = {
        "ghg.scope1": row(100.0, 110.0, 120.0),
        "ghg.scope2_market": row(50.0, 40.0, 30.0),
        "ghg.scope2_location": row(60.0, 60.0, 60.0),
        "energy.direct": row(5.0, 6.0, 7.0),
        "energy.indirect": row(1.0, 2.0, 3.0),
        "energy.electricity.purchased": row(10.0, 10.0, 10.0),
        "energy.electricity.photovoltaic": row(1.0, 2.0, 3.0),
    }
    emissions = charts.emissions_by_scope(rows, YEARS)
    energy = charts.energy_mix(rows, YEARS)
    assert "Scope 1: 2023 100 tCO2e" in emissions and "(tCO2e)" in emissions
    assert "Renewable share: 2023 10.0 %" in energy and "(tce)" in energy
    assert ' id="line2d_' not in emissions  # ids stay unique when several charts share a page


def test_a_heat_map_cell_shows_every_risk() -> None:
    codes = [f"R-{i:02d}" for i in range(1, 12)]
    label, size = _cell_label(codes)
    assert all(code in label for code in codes) and "+" not in label
    assert size < 7
