"""What a stored run says about its factor choices beyond the rule: pins no result used, and
the fallbacks the resolver flagged (an older edition for some sites, a newer edition left out
for lack of a publication date…), so a run never mixes editions of a series unnoticed."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.calc.library import FactorLibrary
from esgledger.calc.resolve import NEWER_VINTAGE, NOT_PUBLISHED, OLDER_EDITION, UNDATED_LEFT_OUT
from esgledger.ledger.models import CalculationCoefficient, CalculationRun

LEFT_OUT = re.compile(r"; ([^;]+) left out: no publication date")

MESSAGES = {
    OLDER_EDITION: "an older edition answered for sites the newest edition of its series does "
    "not cover ({editions}): the run mixes editions of one series",
    UNDATED_LEFT_OUT: "newer editions left out because they record no publication date "
    "({editions}): pin one with --pin SERIES=EDITION to use it",
    NOT_PUBLISHED: "no edition published by the cut-off covered some sites, so the earliest "
    "published later answered ({editions})",
    NEWER_VINTAGE: "no edition had a data year at most the reporting year, so a newer vintage "
    "was used ({editions})",
}


def resolution_notes(
    session: Session, run: CalculationRun, library: FactorLibrary | None = None
) -> list[str]:
    """One line per unused pin and per kind of flagged fallback, with the editions involved;
    ``library``: the one the run was computed with, when at hand (a load costs 0.2 CPU s)."""
    options = json.loads(run.options)
    used = set(json.loads(run.editions))
    notes = [
        f"--pin {series}={edition} was not used: the edition has no factor for these "
        "activities and sites"
        for series, edition in options.get("pins", [])
        if edition not in used
    ]
    library = library or FactorLibrary.load(session)
    involved: dict[str, set[str]] = defaultdict(set)
    rows = session.execute(
        select(
            CalculationCoefficient.flags,
            CalculationCoefficient.factor_ids,
            CalculationCoefficient.rule,
        ).where(CalculationCoefficient.run_id == run.id)
    )
    for flags, factor_ids, rule in rows:
        for flag in set(flags.split(";")) & set(MESSAGES):
            if flag == UNDATED_LEFT_OUT:
                for left in LEFT_OUT.findall(rule):
                    involved[flag].update(e.strip() for e in left.split(","))
                continue
            for fid in filter(None, factor_ids.split(";")):
                rec = library.by_id.get(fid)
                involved[flag].add(rec.edition if rec else fid)
    for flag, message in MESSAGES.items():
        if involved[flag]:
            notes.append(message.format(editions=", ".join(sorted(involved[flag]))))
    return notes
