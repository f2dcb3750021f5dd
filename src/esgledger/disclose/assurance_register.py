"""The report's assurance section from the assurance register (#17): the year's
engagements in both editions' words, and the metrics an engagement over the whole boundary
holds in scope (their appendix cells get the assurance mark). Nothing is claimed that the
register does not hold: without an engagement the section says the report is not
externally assured (unless the provider's statement file was given)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog.translations import LANGS, text
from esgledger.registers.assurance import assured_metrics, year_engagements


def assurance_extras(session: Session, year: int) -> dict[str, Any]:
    """``{"engagements": [...], "assured": {metric: level}}`` for the report model."""
    engagements = year_engagements(session, year)
    for e in engagements:
        e["metric_names"] = {
            lang: [text("metric", m, lang) for m in e["metrics"]] for lang in LANGS
        }
    return {"engagements": engagements, "assured": assured_metrics(engagements)}
