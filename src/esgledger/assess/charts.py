"""Charts as SVG or PNG, drawn through :mod:`esgledger.charts` (matplotlib, Agg backend).

Both take the plain dicts the services return, so the same data feed ``--json`` and the
pictures. Output is reproducible: no creation date in the files and a fixed SVG id salt.
Each is drawn in an edition's language (#19): titles, axes, marks and legends from the
message catalog, the topic libraries' domains by their Chinese names, and only the ledger's
own words (an assessment's name, a topic's entered name, a risk's code) as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from esgledger.assess.materiality import AXIS_TITLES
from esgledger.catalog.messages import N_, translate
from esgledger.charts import HOUSE_STYLE, drawn_with, edition_style, pyplot
from esgledger.errors import InvalidInput

FORMATS = {".svg": "svg", ".png": "png"}
LEVEL_COLOURS = {"low": "#9ccc65", "medium": "#ffca28", "high": "#ef5350"}
MATRIX_STYLE = HOUSE_STYLE  # as they appear in the report and the pages
# The shipped topic libraries' domains (catalog/data/materiality_*.csv and the ESRS matters),
# so a legend can name them in Chinese; a domain entered by a user is printed as entered.
TOPIC_DOMAINS = frozenset(
    (
        N_("Environment"),
        N_("Integrity"),
        N_("People & community"),
        N_("Reliability"),
        N_("Value chain"),
        N_("Community"),
        N_("Corporate operation"),
        N_("Employment"),
        N_("Operation practices"),
        N_("Affected communities"),
        N_("Biodiversity and ecosystems"),
        N_("Business conduct"),
        N_("Circular economy"),
        N_("Climate change"),
        N_("Consumers and end-users"),
        N_("Own workforce"),
        N_("Pollution"),
        N_("Water and marine resources"),
        N_("Workers in the value chain"),
    )
)
TITLES = {
    "double": N_("%(name)s (rule: double)"),
    "esrs": N_("%(name)s (rule: esrs)"),
    "tiers": N_("%(name)s (rule: tiers)"),
}
IMPACT_AXES = {
    "max": N_("Impact (highest of the seven dimensions, 1 … 5)"),
    "mean": N_("Impact (mean, rounded, of the seven dimensions, 1 … 5)"),
}
LEVELS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInput(f"{path.name}: the chart file must end in .svg or .png")
    return fmt


def _save(fig: Any, path: Path) -> Path:
    fmt = _format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(path, format=fmt, dpi=150, metadata=metadata, bbox_inches="tight")
    return path


def domain_name(domain: str, lang: str) -> str:
    """A topic's domain in ``lang``: a shipped library's by its catalog name, else as entered."""
    return translate(domain, lang) if domain in TOPIC_DOMAINS else domain


def _shade_material(
    ax: Any, mode: str, rule: str, low: float, high: float, lang: str = "en"
) -> None:
    """Mark where topics are material: the double-material corner, the ESRS 'either' zone, or
    the legacy tiers' diagonal bands."""
    if mode == "single":
        for t, style in ((low, ":"), (high, "--")):
            ax.plot([2 * t - 1.05, 1.05], [1.05, 2 * t - 1.05], style, color="grey", lw=0.8)
        ax.text(1.03, 1.03, translate(N_("high tier"), lang), ha="right", va="top", color="grey")
        return
    for t in (low, high):
        ax.axvline(t, color="grey", lw=0.8, ls="--")
        ax.axhline(t, color="grey", lw=0.8, ls="--")
    if rule == "double":
        ax.axvspan(high, 1.05, ymin=(high + 0.05) / 1.1, ymax=1, color="#fde0dc", zorder=0)
        ax.text(
            1.03,
            high + 0.01,
            translate(N_("double-material"), lang),
            ha="right",
            va="bottom",
            color="#b71c1c",
        )
    else:
        ax.axvspan(high, 1.05, color="#fde0dc", zorder=0)
        ax.axhspan(high, 1.05, color="#fde0dc", zorder=0)
        ax.text(
            1.03,
            high + 0.01,
            translate(N_("material (ESRS: either axis)"), lang),
            ha="right",
            va="bottom",
            color="#b71c1c",
        )


@drawn_with(MATRIX_STYLE)
def materiality_chart(shown: dict[str, Any], path: str | Path, *, lang: str = "en") -> Path:
    """The matrix of :func:`esgledger.assess.matrix.show`: numbered topics, a key beside it,
    its words in ``lang`` (topic names as ``shown`` gives them)."""
    path = Path(path)
    _format(path)
    plt = pyplot()
    plt.rcParams.update(edition_style(lang))
    a = shown["assessment"]
    y_axis, x_axis = a["axes"]  # impact (or stakeholder) upwards, financial (business) across
    topics = shown["topics"]
    domains = sorted({t["domain"] for t in topics})
    colours = {d: plt.get_cmap("tab10")(i % 10) for i, d in enumerate(domains)}
    fig, (ax, key) = plt.subplots(1, 2, figsize=(12, 7.5), width_ratios=[1.6, 1])
    _shade_material(ax, a["mode"], a["rule"], a["low_threshold"], a["high_threshold"], lang)
    for number, t in enumerate(topics, start=1):
        x, y = t[f"{x_axis}_score"], t[f"{y_axis}_score"]
        marker = "*" if t["material"] else "o"
        ax.scatter(
            x,
            y,
            s=140 if t["material"] else 45,
            marker=marker,
            color=colours[t["domain"]],
            edgecolor="black",
            linewidth=0.5,
            zorder=3,
        )
        ax.annotate(str(number), (x, y), xytext=(4, 3), textcoords="offset points", fontsize=8)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel(translate(AXIS_TITLES[x_axis], lang))
    ax.set_ylabel(translate(AXIS_TITLES[y_axis], lang))
    title = TITLES.get(a["rule"] if a["mode"] == "double" else "tiers")
    rule = translate(title, lang) % {"name": a["name"]} if title else f"{a['name']} ({a['rule']})"
    ax.set_title(rule)
    key.axis("off")
    for number, t in enumerate(topics, start=1):
        weight = "bold" if t["material"] else "normal"
        key.text(
            0,
            1 - number / (len(topics) + 1),
            f"{number:>2}  {t['name']}",
            fontsize=8,
            color=colours[t["domain"]],
            weight=weight,
            transform=key.transAxes,
        )
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=colours[d], label=domain_name(d, lang))
        for d in domains
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=7, title=translate(N_("domain"), lang))
    try:
        return _save(fig, path)
    finally:
        plt.close(fig)


def _cell_label(codes: Sequence[str]) -> tuple[str, float]:
    """Every risk code of a cell, never "+n": more codes go in more columns, smaller."""
    per_line = 1 if len(codes) <= 4 else 2 if len(codes) <= 10 else 3
    lines = [", ".join(codes[i : i + per_line]) for i in range(0, len(codes), per_line)]
    return "\n".join(lines), 7 if len(codes) <= 4 else 6 if len(codes) <= 10 else 5


@drawn_with(MATRIX_STYLE)
def risk_heatmap(
    risks: Sequence[dict[str, Any]],
    level_of: Callable[[int, int], str],
    path: str | Path,
    *,
    title: str = N_("Enterprise risk heat map"),
    impact_rule: str = "max",
    lang: str = "en",
) -> Path:
    """A 5 × 5 grid of likelihood × impact, cells coloured by the matrix's level, with the
    risk codes that sit in each cell; its words in ``lang`` (``title`` is a catalog message)."""
    path = Path(path)
    _format(path)
    plt = pyplot()
    plt.rcParams.update(edition_style(lang))
    fig, ax = plt.subplots(figsize=(8, 7))
    cells: dict[tuple[int, int], list[str]] = {}
    for r in risks:
        cells.setdefault((r["likelihood"], r["impact"]), []).append(r["code"])
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            colour = LEVEL_COLOURS[level_of(likelihood, impact)]
            ax.add_patch(
                plt.Rectangle(
                    (likelihood - 0.5, impact - 0.5), 1, 1, color=colour, ec="white", lw=2
                )
            )
            codes = cells.get((likelihood, impact), [])
            if codes:
                shown, size = _cell_label(codes)
                ax.text(likelihood, impact, shown, ha="center", va="center", fontsize=size)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_xlabel(translate(N_("Likelihood (1 rare … 5 almost certain)"), lang))
    impact_axis = IMPACT_AXES.get(impact_rule, IMPACT_AXES["mean"])
    ax.set_ylabel(translate(impact_axis, lang))
    ax.set_title(translate(title, lang))
    ax.set_aspect("equal")
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=c, label=translate(LEVELS[lv], lang))
        for lv, c in LEVEL_COLOURS.items()
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        title=translate(N_("level"), lang),
    )
    try:
        return _save(fig, path)
    finally:
        plt.close(fig)
