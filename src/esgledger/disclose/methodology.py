"""The reader-facing methodology, generated from what the report's runs and data used.

Nothing here is typed by hand: the standards are the frameworks the report indexes (with
their catalog citations), the factor editions, GWP set and gases are those of each year's
calculation run, the consolidation approach is each boundary's (or the workspace setting
where a year has none), the base year is the workspace's (or "no base year set"), and the
estimates and exclusions are the figures the appendix marks so.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.calc.options import PROFILES
from esgledger.catalog.frameworks import frameworks
from esgledger.kpi.calculated import latest_run
from esgledger.kpi.scope import Scopes
from esgledger.ledger.models import Boundary
from esgledger.settings import get_settings

FAMILY_NAMES = {"energy_ghg": "Energy and greenhouse gases", "environment": "Other environmental"}
APPROACH_NAMES = {
    "operational_control": "operational control",
    "financial_control": "financial control",
    "equity_share": "equity share",
}


def standards(framework_ids: tuple[str, ...]) -> list[dict[str, str]]:
    """The frameworks the report's content indices follow, as the catalog cites them."""
    known = frameworks()
    return [
        {"name": known[f].name, "edition": known[f].edition, "citation": known[f].citation}
        for f in framework_ids
        if f in known
    ]


def calculation_runs(session: Session, years: list[str]) -> list[dict[str, Any]]:
    """Per year, the run behind its energy and GHG figures: profile, GWP set, gases."""
    out = []
    for year in years:
        scope = Scopes(session, int(year)).for_family("energy_ghg")
        run = latest_run(session, int(year), scope.code)
        if run is None:
            continue
        options = json.loads(run.options)
        profile = PROFILES.get(run.profile)
        gases = profile.gases if profile and profile.gases else None
        out.append(
            {
                "year": year,
                "run": run.id,
                "profile": run.profile,
                "profile_description": profile.description if profile else "",
                "gwp": options.get("gwp", ""),
                "gases": ", ".join(gases) if gases else "every gas a factor exists for",
                "electricity_basis": str(options.get("electricity_basis", "")).replace("_", " "),
                "unresolved": run.unresolved,
            }
        )
    return out


def consolidation(session: Session, series: dict[str, Any]) -> list[dict[str, str]]:
    """Each family and year's consolidation approach: its boundary's, else the setting's."""
    default = get_settings().consolidation_approach
    out = []
    for family, info in series["boundaries"].items():
        for year, code in info["codes"].items():
            boundary = (
                session.scalar(select(Boundary).where(Boundary.code == code)) if code else None
            )
            approach = boundary.approach if boundary is not None else default
            out.append(
                {
                    "family": FAMILY_NAMES.get(family, family),
                    "year": year,
                    "approach": APPROACH_NAMES.get(approach, approach),
                    "source": f"boundary {code}" if boundary is not None else "workspace setting",
                }
            )
    return out


def boundary_changes(series: dict[str, Any]) -> list[dict[str, Any]]:
    """Entities that joined or left each family's boundary between consecutive years."""
    return [
        {
            "family": FAMILY_NAMES.get(family, family),
            "from": change["from"],
            "to": change["to"],
            "added": len(change["added"]),
            "removed": len(change["removed"]),
        }
        for family, info in series["boundaries"].items()
        for change in info["changes"]
    ]


def estimates_and_exclusions(series: dict[str, Any]) -> dict[str, list[str]]:
    """The report year's figures that are estimates, partial, incomplete or not disclosed."""
    year = str(series["year"])
    estimates, partial, excluded = [], [], []
    for row in series["kpis"]:
        figure = row["figures"].get(year)
        if figure is None:
            continue
        name = row["name"] + (" — " + ", ".join(row["dims"].values()) if row["dims"] else "")
        if figure["qualifier"] != "exact" or figure["preliminary"]:
            why = "preliminary" if figure["preliminary"] else figure["qualifier"].replace("_", " ")
            estimates.append(f"{name} ({why})")
        if figure.get("partial") or figure.get("incomplete"):
            partial.append(name)
        if figure["status"] == "not_disclosed":
            excluded.append(name)
    return {"estimates": estimates, "partial": partial, "not_disclosed": excluded}


def methodology(
    session: Session, series: dict[str, Any], framework_ids: tuple[str, ...]
) -> dict[str, Any]:
    """Everything the methodology chapter prints, from the ledger and the run."""
    years = [str(y) for y in series["years"]]
    runs = calculation_runs(session, years)
    return {
        "standards": standards(framework_ids),
        "runs": runs,
        "gwp_sets": sorted({r["gwp"] for r in runs if r["gwp"]}),
        "consolidation": consolidation(session, series),
        "changes": boundary_changes(series),
        "base_year": get_settings().base_year,
        **estimates_and_exclusions(series),
    }
