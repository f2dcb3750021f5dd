"""Charts as SVG or PNG, drawn through :mod:`esgledger.charts` (matplotlib, Agg backend).

Both take the plain dicts the services return, so the same data feed ``--json`` and the
pictures. Output is reproducible: no creation date in the files and a fixed SVG id salt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from esgledger.assess.materiality import AXIS_TITLES
from esgledger.charts import HOUSE_STYLE, drawn_with, pyplot
from esgledger.errors import InvalidInput

FORMATS = {".svg": "svg", ".png": "png"}
LEVEL_COLOURS = {"low": "#9ccc65", "medium": "#ffca28", "high": "#ef5350"}
MATRIX_STYLE = HOUSE_STYLE  # as they appear in the report and the pages


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


def _shade_material(ax: Any, mode: str, rule: str, low: float, high: float) -> None:
    """Mark where topics are material: the double-material corner, the ESRS 'either' zone, or
    the legacy tiers' diagonal bands."""
    if mode == "single":
        for t, style in ((low, ":"), (high, "--")):
            ax.plot([2 * t - 1.05, 1.05], [1.05, 2 * t - 1.05], style, color="grey", lw=0.8)
        ax.text(1.03, 1.03, "high tier", ha="right", va="top", color="grey")
        return
    for t in (low, high):
        ax.axvline(t, color="grey", lw=0.8, ls="--")
        ax.axhline(t, color="grey", lw=0.8, ls="--")
    if rule == "double":
        ax.axvspan(high, 1.05, ymin=(high + 0.05) / 1.1, ymax=1, color="#fde0dc", zorder=0)
        ax.text(1.03, high + 0.01, "double-material", ha="right", va="bottom", color="#b71c1c")
    else:
        ax.axvspan(high, 1.05, color="#fde0dc", zorder=0)
        ax.axhspan(high, 1.05, color="#fde0dc", zorder=0)
        ax.text(
            1.03,
            high + 0.01,
            "material (ESRS: either axis)",
            ha="right",
            va="bottom",
            color="#b71c1c",
        )


@drawn_with(MATRIX_STYLE)
def materiality_chart(shown: dict[str, Any], path: str | Path) -> Path:
    """The matrix of :func:`esgledger.assess.matrix.show`: numbered topics, a key beside it."""
    path = Path(path)
    _format(path)
    plt = pyplot()
    a = shown["assessment"]
    y_axis, x_axis = a["axes"]  # impact (or stakeholder) upwards, financial (business) across
    topics = shown["topics"]
    domains = sorted({t["domain"] for t in topics})
    colours = {d: plt.get_cmap("tab10")(i % 10) for i, d in enumerate(domains)}
    fig, (ax, key) = plt.subplots(1, 2, figsize=(12, 7.5), width_ratios=[1.6, 1])
    _shade_material(ax, a["mode"], a["rule"], a["low_threshold"], a["high_threshold"])
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
    ax.set_xlabel(AXIS_TITLES[x_axis])
    ax.set_ylabel(AXIS_TITLES[y_axis])
    ax.set_title(f"{a['name']} (rule: {a['rule'] if a['mode'] == 'double' else 'tiers'})")
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
    handles = [plt.Line2D([], [], marker="o", ls="", color=colours[d], label=d) for d in domains]
    ax.legend(handles=handles, loc="lower right", fontsize=7, title="domain")
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
    title: str = "Enterprise risk heat map",
    impact_rule: str = "max",
) -> Path:
    """A 5 × 5 grid of likelihood × impact, cells coloured by the matrix's level, with the
    risk codes that sit in each cell."""
    path = Path(path)
    _format(path)
    plt = pyplot()
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
    ax.set_xlabel("Likelihood (1 rare … 5 almost certain)")
    how = "highest" if impact_rule == "max" else "mean, rounded,"
    ax.set_ylabel(f"Impact ({how} of the seven dimensions, 1 … 5)")
    ax.set_title(title)
    ax.set_aspect("equal")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c, label=lv) for lv, c in LEVEL_COLOURS.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), title="level")
    try:
        return _save(fig, path)
    finally:
        plt.close(fig)
