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
from esgledger.catalog.messages import N_, translate
from esgledger.catalog.translations import text
from esgledger.disclose.framework_titles import shown
from esgledger.disclose.labels import plain
from esgledger.kpi.calculated import latest_run
from esgledger.kpi.scope import Scopes
from esgledger.ledger.models import Boundary
from esgledger.settings import get_settings

FAMILY_NAMES = {
    "energy_ghg": N_("Energy and greenhouse gases"),
    "environment": N_("Other environmental"),
    "social": N_("Social"),
    "financial": N_("Financial"),
    "all": N_("All data"),
}
APPROACH_NAMES = {
    "operational_control": N_("operational control"),
    "financial_control": N_("financial control"),
    "equity_share": N_("equity share"),
}
BASIS_NAMES = {"equivalent_value": N_("equivalent value"), "equal_value": N_("equal value")}
# The calculation profiles (:data:`esgledger.calc.options.PROFILES`) as the edition describes
# them; a profile not listed here prints its own description.
PROFILE_TEXT = {
    "default": N_(
        "GB/T 2589 energy; NDRC electronics guideline for CO2 in China, IPCC 2006 elsewhere and "
        "for CH4/N2O; MEE/NBS grid factors in China (most specific region), life-cycle national "
        "factors (OWID/Ember) elsewhere; purchased heat and steam: NDRC in China, DESNZ in the "
        "UK, EPA in the US"
    ),
    "cn-report": N_(
        "As Chinese ESG reports compute: CO2 only, the national-average grid factor for every "
        "Chinese site"
    ),
}
QUALIFIER_NAMES = {
    "approximately": N_("approximately"),
    "at_most": N_("at most"),
    "at_least": N_("at least"),
    "over": N_("over"),
    "under": N_("under"),
    "preliminary": N_("preliminary"),
}


def _named(table: dict[str, str], code: str, lang: str) -> str:
    return translate(table[code], lang) if code in table else code.replace("_", " ")


def standards(framework_ids: tuple[str, ...], lang: str = "en") -> list[dict[str, str]]:
    """The frameworks the report's content indices follow, as the catalog cites them: the
    name, edition and citation in the framework's own Chinese where the catalog cites one
    (SZSE No. 17), else as the publisher titles them in English, the name with our gloss
    (:mod:`esgledger.disclose.framework_titles`)."""
    known = frameworks()
    out = []
    for f in framework_ids:
        if f not in known:
            continue
        own = lang != "en" and known[f].official_zh
        name = shown("framework", f, lang)
        out.append(
            {
                "name": name.text,
                "title_en": name.english,
                "gloss": name.gloss,
                "edition": (own and known[f].edition_zh) or known[f].edition,
                "citation": (own and known[f].citation_zh) or known[f].citation,
            }
        )
    return out


def calculation_runs(session: Session, years: list[str], lang: str = "en") -> list[dict[str, Any]]:
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
        described = profile.description if profile else ""
        if lang != "en" and run.profile in PROFILE_TEXT:
            described = translate(PROFILE_TEXT[run.profile], lang)
        out.append(
            {
                "year": year,
                "run": run.id,
                "profile": run.profile,
                "profile_description": described,
                "gwp": options.get("gwp", ""),
                "gases": ", ".join(gases)
                if gases
                else translate("every gas a factor exists for", lang),
                "electricity_basis": _named(
                    BASIS_NAMES, str(options.get("electricity_basis", "")), lang
                ),
                "unresolved": run.unresolved,
            }
        )
    return out


def consolidation(
    session: Session, series: dict[str, Any], lang: str = "en"
) -> list[dict[str, str]]:
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
                    "family": _named(FAMILY_NAMES, family, lang),
                    "year": year,
                    "approach": _named(APPROACH_NAMES, approach, lang),
                    "source": translate("boundary %(code)s", lang) % {"code": code}
                    if boundary is not None
                    else translate("workspace setting", lang),
                }
            )
    return out


def boundary_changes(series: dict[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """Entities that joined or left each family's boundary between consecutive years."""
    return [
        {
            "family": _named(FAMILY_NAMES, family, lang),
            "from": change["from"],
            "to": change["to"],
            "added": len(change["added"]),
            "removed": len(change["removed"]),
        }
        for family, info in series["boundaries"].items()
        for change in info["changes"]
    ]


def _figure_name(row: dict[str, Any], lang: str) -> str:
    """A KPI row's name with its breakdown members, in ``lang``."""
    if lang == "en":
        return str(row["name"]) + (" — " + ", ".join(row["dims"].values()) if row["dims"] else "")
    name = text("metric", row["metric"], lang)
    members = [plain(str(m), lang) for m in row["dims"].values()]
    return name + (" — " + "、".join(members) if members else "")


def estimates_and_exclusions(series: dict[str, Any], lang: str = "en") -> dict[str, list[str]]:
    """The report year's figures that are estimates, partial, incomplete or not disclosed."""
    year = str(series["year"])
    estimates, partial, excluded = [], [], []
    for row in series["kpis"]:
        figure = row["figures"].get(year)
        if figure is None:
            continue
        name = _figure_name(row, lang)
        if figure["qualifier"] != "exact" or figure["preliminary"]:
            code = "preliminary" if figure["preliminary"] else figure["qualifier"]
            why = _named(QUALIFIER_NAMES, code, lang)
            estimates.append(f"{name} ({why})" if lang == "en" else f"{name}（{why}）")
        if figure.get("partial") or figure.get("incomplete"):
            partial.append(name)
        if figure["status"] == "not_disclosed":
            excluded.append(name)
    return {"estimates": estimates, "partial": partial, "not_disclosed": excluded}


def methodology(
    session: Session, series: dict[str, Any], framework_ids: tuple[str, ...], lang: str = "en"
) -> dict[str, Any]:
    """Everything the methodology chapter prints, from the ledger and the run, in ``lang``."""
    years = [str(y) for y in series["years"]]
    runs = calculation_runs(session, years, lang)
    return {
        "standards": standards(framework_ids, lang),
        "runs": runs,
        "gwp_sets": sorted({r["gwp"] for r in runs if r["gwp"]}),
        "consolidation": consolidation(session, series, lang),
        "changes": boundary_changes(series, lang),
        "base_year": get_settings().base_year,
        **estimates_and_exclusions(series, lang),
    }
