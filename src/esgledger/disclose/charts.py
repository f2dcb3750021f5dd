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

from esgledger.catalog import metrics
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import text
from esgledger.charts import HOUSE_STYLE, drawn_with, edition_style, pyplot
from esgledger.disclose.locale_format import table_number

MPL_IDS = re.compile(r' id="[A-Za-z][A-Za-z0-9.]*_\d+"')  # matplotlib's unreferenced group ids
PALETTE = ("#0f5c4d", "#3fa37f", "#9bd3ae", "#f2b134", "#6c8ead")
REPORT_STYLE = HOUSE_STYLE


HASHED_IDS = re.compile(r'id="([a-z][0-9a-f]{10})"')  # clip paths, markers: hashed from content


def stable_ids(svg: str, prefix: str) -> str:
    """The chart's hashed ids (which change with its labels) as ``prefix-1``, ``prefix-2`` …,
    so each edition's chart has the same ids and the editions the same anchors."""
    for number, old in enumerate(dict.fromkeys(HASHED_IDS.findall(svg)), start=1):
        svg = svg.replace(f'id="{old}"', f'id="{prefix}-{number}"')
        svg = svg.replace(f"#{old})", f"#{prefix}-{number})").replace(
            f'"#{old}"', f'"#{prefix}-{number}"'
        )
    return svg


def _svg(fig: Any, alt: str, name: str = "chart") -> str:
    """The figure as SVG text with ``alt`` as its title and accessible name; ``name`` prefixes
    its ids."""
    buffer = io.StringIO()
    fig.savefig(
        buffer,
        format="svg",
        bbox_inches="tight",
        pad_inches=0.08,
        metadata={"Date": None, "Creator": None},
    )
    pyplot().close(fig)
    return with_alt(stable_ids(buffer.getvalue(), name), alt)


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


def _said(
    values: Sequence[float], unit: str, years: Sequence[str], digits: int = 0, lang: str = "en"
) -> str:
    """``2023 1,234 tCO2e, 2024 not available`` for a text alternative."""
    missing = translate("%(year)s not available", lang)
    return translate(", ", lang).join(
        missing % {"year": y} if math.isnan(v) else f"{y} {_number(v, digits, lang)} {unit}"
        for y, v in zip(years, values, strict=True)
    )


def _number(value: float, digits: int, lang: str) -> str:
    return f"{value:,.{digits}f}" if lang == "en" else table_number(value, digits, lang)


def _described(
    intro: str,
    series: Sequence[tuple[str, Sequence[float], str, int]],
    years: Sequence[str],
    lang: str = "en",
) -> str:
    """A chart's text alternative: what it shows, then each series' values per year."""
    parts = [
        f"{label}{translate(': ', lang)}{_said(values, unit, years, digits, lang)}"
        + translate(".", lang)
        for label, values, unit, digits in series
    ]
    return ("" if lang != "en" else " ").join([intro, *parts])


def _thousands(ax: Any) -> None:
    """Whole numbers with thousands separators on the value axis."""
    from matplotlib.ticker import StrMethodFormatter

    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def _padded(ax: Any, values: Sequence[float]) -> None:
    """Room around the points: from zero to a fifth above the highest, half a step each side."""
    top = max((v for v in values if not math.isnan(v)), default=0.0)
    ax.set_ylim(0, top * 1.2 if top > 0 else 1.0)
    ax.margins(x=0.15)


def report_charts(
    rows: dict[str, dict[str, Any]], years: Sequence[str], lang: str = "en"
) -> dict[str, str]:
    """The report's three charts in ``lang``, labels in its words and its font."""
    return {
        "emissions": emissions_by_scope(rows, years, lang),
        "energy": energy_mix(rows, years, lang),
        "intensity": intensity_trends(rows, years, lang),
    }


def _t(message: str, lang: str) -> str:
    return translate(message, lang)


@drawn_with(REPORT_STYLE)
def emissions_by_scope(
    rows: dict[str, dict[str, Any]], years: Sequence[str], lang: str = "en"
) -> str:
    """Stacked bars of Scope 1 and market-based Scope 2, with location-based Scope 2 marked."""
    pyplot().rcParams.update(edition_style(lang))
    scope1 = _values(rows.get("ghg.scope1"), years)
    scope2 = _values(rows.get("ghg.scope2_market"), years)
    location = _values(rows.get("ghg.scope2_location"), years)
    fig, ax = pyplot().subplots(figsize=(6.4, 3.0))
    ax.bar(years, scope1, color=PALETTE[0], label=_t(N_("Scope 1"), lang))
    ax.bar(
        years,
        scope2,
        bottom=scope1,
        color=PALETTE[1],
        label=_t(N_("Scope 2 (market-based)"), lang),
    )
    ax.plot(
        years,
        [a + b for a, b in zip(scope1, location, strict=True)],
        "o--",
        color=PALETTE[3],
        label=_t(N_("Scope 1 + Scope 2 (location-based)"), lang),
        clip_on=False,
    )
    ax.set_ylabel("tCO2e")
    _thousands(ax)
    totals = [a + b for a, b in zip(scope1, location, strict=True)]
    _padded(ax, [*totals, *(a + b for a, b in zip(scope1, scope2, strict=True))])
    ax.legend(frameon=False, loc="upper left", fontsize=8)
    ax.set_title(_t(N_("GHG emissions by scope (tCO2e)"), lang), loc="left", fontweight="bold")
    alt = _described(
        _t(N_("Bar chart, GHG emissions by scope in tCO2e."), lang),
        [
            (_t(N_("Scope 1"), lang), scope1, "tCO2e", 0),
            (_t(N_("Scope 2 market-based"), lang), scope2, "tCO2e", 0),
            (_t(N_("Scope 2 location-based"), lang), location, "tCO2e", 0),
        ],
        years,
        lang,
    )
    return _svg(fig, alt, "chart-emissions")


@drawn_with(REPORT_STYLE)
def energy_mix(rows: dict[str, dict[str, Any]], years: Sequence[str], lang: str = "en") -> str:
    """Direct and indirect energy per year, and the renewable share of electricity."""
    pyplot().rcParams.update(edition_style(lang))
    direct = _values(rows.get("energy.direct"), years)
    indirect = _values(rows.get("energy.indirect"), years)
    bought = _values(rows.get("energy.electricity.purchased"), years)
    green = _values(rows.get("energy.electricity.photovoltaic"), years)
    fig, (ax, ax2) = pyplot().subplots(
        1, 2, figsize=(6.8, 2.8), gridspec_kw={"width_ratios": [3, 2]}
    )
    ax.bar(years, direct, color=PALETTE[0], label=_t(N_("Direct (fuels)"), lang))
    ax.bar(
        years,
        indirect,
        bottom=direct,
        color=PALETTE[2],
        label=_t(N_("Indirect (electricity, heat)"), lang),
    )
    ax.set_ylabel("tce")
    _thousands(ax)
    _padded(ax, [a + b for a, b in zip(direct, indirect, strict=True)])
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.set_title(_t(N_("Energy consumption (tce)"), lang), loc="left", fontweight="bold")
    share = [g / b * 100 if b else math.nan for g, b in zip(green, bought, strict=True)]
    ax2.plot(years, share, "o-", color=PALETTE[1], clip_on=False)
    _padded(ax2, [*share, 10.0])
    ax2.set_ylabel(_t(N_("% of purchased electricity"), lang))
    ax2.set_title(_t(N_("Renewable electricity (%)"), lang), loc="left", fontweight="bold")
    alt = _described(
        _t(
            N_(
                "Bar chart, energy consumption in tce; line chart, renewable share of purchased "
                "electricity."
            ),
            lang,
        ),
        [
            (_t(N_("Direct (fuels)"), lang), direct, "tce", 0),
            (_t(N_("Indirect (electricity, heat)"), lang), indirect, "tce", 0),
            (_t(N_("Renewable share"), lang), share, "%", 1),
        ],
        years,
        lang,
    )
    return _svg(fig, alt, "chart-energy")


@drawn_with(REPORT_STYLE)
def intensity_trends(
    rows: dict[str, dict[str, Any]], years: Sequence[str], lang: str = "en"
) -> str:
    """Intensities per RMB million of revenue, one small panel each."""
    pyplot().rcParams.update(edition_style(lang))
    panels = [
        ("ghg.intensity", _t(N_("GHG"), lang), "tCO2e"),
        ("energy.intensity", _t(N_("Energy"), lang), "tce"),
        ("water.intensity", _t(N_("Water withdrawal"), lang), "t"),
    ]
    per = "%(unit)s per RMB million" if lang == "en" else "%(unit)s"
    fig, axes = pyplot().subplots(1, len(panels), figsize=(6.8, 2.4))
    said = []
    for ax, (metric, label, unit) in zip(axes, panels, strict=True):
        if lang != "en":  # the intensity's published unit in the edition's words
            unit = text("unit", metrics()[metric].published_unit, lang)
        values = _values(rows.get(metric), years)
        ax.plot(years, values, "o-", color=PALETTE[0], clip_on=False)
        _padded(ax, values)
        ax.set_title(label, loc="left", fontsize=9)
        ax.set_ylabel(per % {"unit": unit}, fontsize=8)
        said.append(label + _t(": ", lang) + _said(values, per % {"unit": unit}, years, 2, lang))
    fig.suptitle(
        _t(N_("Intensity per RMB million of revenue"), lang),
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=9,
    )
    fig.tight_layout()
    intro = _t(N_("Line charts, intensity per RMB million of revenue."), lang)
    if lang == "en":
        return _svg(fig, intro + " " + ". ".join(said) + ".", "chart-intensity")
    return _svg(fig, intro + _t("; ", lang).join(said) + _t(".", lang), "chart-intensity")
