"""Charts for the report, drawn offline with matplotlib and embedded as SVG text."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

PALETTE = ("#0f5c4d", "#3fa37f", "#9bd3ae", "#f2b134", "#6c8ead")
plt.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: searchable and crisp in the PDF
        "svg.hashsalt": "esgledger",  # the same data draws the same SVG
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _values(row: dict[str, Any] | None, years: Sequence[str]) -> list[float]:
    if row is None:
        return [0.0] * len(years)
    return [float(row["values"].get(y) or 0.0) for y in years]


def emissions_by_scope(rows: dict[str, dict[str, Any]], years: Sequence[str]) -> str:
    """Stacked bars of Scope 1 and market-based Scope 2, with location-based Scope 2 marked."""
    scope1 = _values(rows.get("ghg.scope1"), years)
    scope2 = _values(rows.get("ghg.scope2_market"), years)
    location = _values(rows.get("ghg.scope2_location"), years)
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    ax.bar(years, scope1, color=PALETTE[0], label="Scope 1")
    ax.bar(years, scope2, bottom=scope1, color=PALETTE[1], label="Scope 2 (market-based)")
    ax.plot(
        years,
        [a + b for a, b in zip(scope1, location, strict=True)],
        "o--",
        color=PALETTE[3],
        label="Scope 1 + Scope 2 (location-based)",
    )
    ax.set_ylabel("tCO2e")
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.legend(frameon=False, loc="upper left", fontsize=8)
    ax.set_title("GHG emissions by scope", loc="left", fontweight="bold")
    return _svg(fig)


def energy_mix(rows: dict[str, dict[str, Any]], years: Sequence[str]) -> str:
    """Direct and indirect energy per year, and the renewable share of electricity."""
    direct = _values(rows.get("energy.direct"), years)
    indirect = _values(rows.get("energy.indirect"), years)
    bought = _values(rows.get("energy.electricity.purchased"), years)
    green = _values(rows.get("energy.electricity.photovoltaic"), years)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(6.8, 2.8), gridspec_kw={"width_ratios": [3, 2]})
    ax.bar(years, direct, color=PALETTE[0], label="Direct (fuels)")
    ax.bar(years, indirect, bottom=direct, color=PALETTE[2], label="Indirect (electricity, heat)")
    ax.set_ylabel("tce")
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.set_title("Energy consumption", loc="left", fontweight="bold")
    share = [g / b * 100 if b else 0.0 for g, b in zip(green, bought, strict=True)]
    ax2.plot(years, share, "o-", color=PALETTE[1])
    ax2.set_ylim(0, max([*share, 10.0]) * 1.3)
    ax2.set_ylabel("% of purchased electricity")
    ax2.set_title("Renewable electricity", loc="left", fontweight="bold")
    return _svg(fig)


def intensity_trends(rows: dict[str, dict[str, Any]], years: Sequence[str]) -> str:
    """Intensities per RMB million of revenue, one small panel each."""
    panels = [
        ("ghg.intensity", "GHG, tCO2e"),
        ("energy.intensity", "Energy, tce"),
        ("water.intensity", "Water withdrawal, t"),
    ]
    fig, axes = plt.subplots(1, len(panels), figsize=(6.8, 2.2))
    for ax, (metric, label) in zip(axes, panels, strict=True):
        ax.plot(years, _values(rows.get(metric), years), "o-", color=PALETTE[0])
        ax.set_title(label, loc="left", fontsize=9)
        ax.set_ylim(bottom=0)
    fig.suptitle(
        "Intensity per RMB million of revenue", x=0.01, ha="left", fontweight="bold", fontsize=9
    )
    fig.tight_layout()
    return _svg(fig)
