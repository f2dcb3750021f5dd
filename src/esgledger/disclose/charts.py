"""Charts for the report, drawn offline with matplotlib and embedded as SVG text.

Each SVG carries a ``<title>`` and ``role="img"`` with an ``aria-label``: a text alternative
that states the plotted values with their units, for screen readers and the tagged PDF. A
missing value is not drawn (never as zero) and the alternative says it is not available.
Points sit inside padded axes with clipping off, so the last point is never cut.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Sequence
from typing import Any

from esgledger.charts import HOUSE_STYLE, drawn_with, pyplot

MPL_IDS = re.compile(r' id="[A-Za-z][A-Za-z0-9.]*_\d+"')  # matplotlib's unreferenced group ids
PALETTE = ("#0f5c4d", "#3fa37f", "#9bd3ae", "#f2b134", "#6c8ead")
REPORT_STYLE = HOUSE_STYLE


def _svg(fig: Any, alt: str) -> str:
    """The figure as SVG text with ``alt`` as its title and accessible name."""
    buffer = io.StringIO()
    fig.savefig(
        buffer,
        format="svg",
        bbox_inches="tight",
        pad_inches=0.08,
        metadata={"Date": None, "Creator": None},
    )
    pyplot().close(fig)
    return with_alt(buffer.getvalue(), alt)


def with_alt(svg: str, alt: str) -> str:
    """SVG text from its ``<svg`` tag on, named by ``alt`` (``role="img"``, ``<title>``)."""
    text = MPL_IDS.sub("", svg[svg.index("<svg") :])  # unique in the page: drop group ids
    label = html.escape(alt, quote=True)
    opening = text.index(">") + 1
    return (
        text[: opening - 1]
        + f' role="img" aria-label="{label}">'
        + f"<title>{label}</title>"
        + text[opening:]
    )


def _values(row: dict[str, Any] | None, years: Sequence[str]) -> list[float]:
    """The row's values per year; a missing one is NaN (not drawn), never zero."""
    if row is None:
        return [math.nan] * len(years)
    return [math.nan if row["values"].get(y) is None else float(row["values"][y]) for y in years]


def _said(values: Sequence[float], unit: str, years: Sequence[str], digits: int = 0) -> str:
    """``2023 1,234 tCO2e, 2024 not available`` for a text alternative."""
    return ", ".join(
        f"{y} not available" if math.isnan(v) else f"{y} {v:,.{digits}f} {unit}"
        for y, v in zip(years, values, strict=True)
    )


def _described(
    intro: str, series: Sequence[tuple[str, Sequence[float], str, int]], years: Sequence[str]
) -> str:
    """A chart's text alternative: what it shows, then each series' values per year."""
    parts = [
        f"{label}: {_said(values, unit, years, digits)}." for label, values, unit, digits in series
    ]
    return " ".join([intro, *parts])


def _thousands(ax: Any) -> None:
    """Whole numbers with thousands separators on the value axis."""
    from matplotlib.ticker import StrMethodFormatter

    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def _padded(ax: Any, values: Sequence[float]) -> None:
    """Room around the points: from zero to a fifth above the highest, half a step each side."""
    top = max((v for v in values if not math.isnan(v)), default=0.0)
    ax.set_ylim(0, top * 1.2 if top > 0 else 1.0)
    ax.margins(x=0.15)


@drawn_with(REPORT_STYLE)
def emissions_by_scope(rows: dict[str, dict[str, Any]], years: Sequence[str]) -> str:
    """Stacked bars of Scope 1 and market-based Scope 2, with location-based Scope 2 marked."""
    scope1 = _values(rows.get("ghg.scope1"), years)
    scope2 = _values(rows.get("ghg.scope2_market"), years)
    location = _values(rows.get("ghg.scope2_location"), years)
    fig, ax = pyplot().subplots(figsize=(6.4, 3.0))
    ax.bar(years, scope1, color=PALETTE[0], label="Scope 1")
    ax.bar(years, scope2, bottom=scope1, color=PALETTE[1], label="Scope 2 (market-based)")
    ax.plot(
        years,
        [a + b for a, b in zip(scope1, location, strict=True)],
        "o--",
        color=PALETTE[3],
        label="Scope 1 + Scope 2 (location-based)",
        clip_on=False,
    )
    ax.set_ylabel("tCO2e")
    _thousands(ax)
    totals = [a + b for a, b in zip(scope1, location, strict=True)]
    _padded(ax, [*totals, *(a + b for a, b in zip(scope1, scope2, strict=True))])
    ax.legend(frameon=False, loc="upper left", fontsize=8)
    ax.set_title("GHG emissions by scope (tCO2e)", loc="left", fontweight="bold")
    alt = _described(
        "Bar chart, GHG emissions by scope in tCO2e.",
        [
            ("Scope 1", scope1, "tCO2e", 0),
            ("Scope 2 market-based", scope2, "tCO2e", 0),
            ("Scope 2 location-based", location, "tCO2e", 0),
        ],
        years,
    )
    return _svg(fig, alt)


@drawn_with(REPORT_STYLE)
def energy_mix(rows: dict[str, dict[str, Any]], years: Sequence[str]) -> str:
    """Direct and indirect energy per year, and the renewable share of electricity."""
    direct = _values(rows.get("energy.direct"), years)
    indirect = _values(rows.get("energy.indirect"), years)
    bought = _values(rows.get("energy.electricity.purchased"), years)
    green = _values(rows.get("energy.electricity.photovoltaic"), years)
    fig, (ax, ax2) = pyplot().subplots(
        1, 2, figsize=(6.8, 2.8), gridspec_kw={"width_ratios": [3, 2]}
    )
    ax.bar(years, direct, color=PALETTE[0], label="Direct (fuels)")
    ax.bar(years, indirect, bottom=direct, color=PALETTE[2], label="Indirect (electricity, heat)")
    ax.set_ylabel("tce")
    _thousands(ax)
    _padded(ax, [a + b for a, b in zip(direct, indirect, strict=True)])
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.set_title("Energy consumption (tce)", loc="left", fontweight="bold")
    share = [g / b * 100 if b else math.nan for g, b in zip(green, bought, strict=True)]
    ax2.plot(years, share, "o-", color=PALETTE[1], clip_on=False)
    _padded(ax2, [*share, 10.0])
    ax2.set_ylabel("% of purchased electricity")
    ax2.set_title("Renewable electricity (%)", loc="left", fontweight="bold")
    alt = _described(
        "Bar chart, energy consumption in tce; line chart, renewable share of purchased "
        "electricity.",
        [
            ("Direct (fuels)", direct, "tce", 0),
            ("Indirect (electricity, heat)", indirect, "tce", 0),
            ("Renewable share", share, "%", 1),
        ],
        years,
    )
    return _svg(fig, alt)


@drawn_with(REPORT_STYLE)
def intensity_trends(rows: dict[str, dict[str, Any]], years: Sequence[str]) -> str:
    """Intensities per RMB million of revenue, one small panel each."""
    panels = [
        ("ghg.intensity", "GHG", "tCO2e"),
        ("energy.intensity", "Energy", "tce"),
        ("water.intensity", "Water withdrawal", "t"),
    ]
    fig, axes = pyplot().subplots(1, len(panels), figsize=(6.8, 2.4))
    said = []
    for ax, (metric, label, unit) in zip(axes, panels, strict=True):
        values = _values(rows.get(metric), years)
        ax.plot(years, values, "o-", color=PALETTE[0], clip_on=False)
        _padded(ax, values)
        ax.set_title(label, loc="left", fontsize=9)
        ax.set_ylabel(f"{unit} per RMB million", fontsize=8)
        said.append(f"{label}: " + _said(values, f"{unit} per RMB million", years, 2))
    fig.suptitle(
        "Intensity per RMB million of revenue", x=0.01, ha="left", fontweight="bold", fontsize=9
    )
    fig.tight_layout()
    return _svg(fig, "Line charts, intensity per RMB million of revenue. " + ". ".join(said) + ".")
