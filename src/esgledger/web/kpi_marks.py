"""What the KPI pages show beside the figures: notes on partial, incomplete and
not-available figures and on caveated changes, and reported against recomputed figures.

The rows come from :func:`esgledger.kpi.readout.series_readout`, so the text is the one the
API gives for the same figure; a marker on screen always has its reason on the page.
"""

from __future__ import annotations

from typing import Any


def figure_notes(rows: list[dict[str, Any]], span: list[str]) -> list[str]:
    """One sentence per partial or incomplete figure shown, and per caveated change."""
    notes = []
    for row in rows:
        for year in span:
            fig = row["figures"][year]
            if fig and fig["partial_reason"]:
                notes.append(f"{row['name']} {year} is partial: {fig['partial_reason']}.")
            if fig and fig["incomplete_reason"]:
                notes.append(f"{row['name']} {year} is incomplete: {fig['incomplete_reason']}.")
        if row["change_caveat"]:
            notes.append(f"{row['name']}, change on {span[-2]}: {row['change_caveat']}.")
    return notes


def side_by_side(rows: list[dict[str, Any]], span: list[str]) -> list[dict[str, Any]]:
    """Every shown figure with both a reported and a recomputed value, as `esg kpi` prints
    them in its second table: both values, difference, tolerance, which is used and why."""
    out = []
    for row in rows:
        for year in span:
            fig = row["figures"][year]
            side = fig and fig.get("comparison")
            if side:
                out.append(
                    {
                        "metric": row["metric"],
                        "name": row["name"],
                        "dims": row["dims"],
                        "precision": row["precision"],
                        "year": year,
                        "figure": fig,
                        "calculated_partial": side["calculated_partial"],
                        "calculated_incomplete": side["calculated_incomplete"],
                    }
                )
    return out
