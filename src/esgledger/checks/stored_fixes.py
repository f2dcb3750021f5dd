"""A finding's fix worded from its check and what it stored, for a finding kept without the
fix's message (#19).

A finding keeps its fix's catalog message (``fix_message``) only while it is a live object: as
an acknowledgement's snapshot in the audit log, in an export or from a check run before the
check named its fix, it keeps the English alone. A page or an edition still words it in its
reader's language: the check's id names the fix's catalog message (a ``checks.csv`` rule's
fix; :data:`FIXES` for the built-in checks), the blanks are read back from the stored English
(values as stored; a breakdown's dimension from the finding's ``dims``), and the message is
used only when its English is exactly the stored English — anything else stays as stored.
"""

from __future__ import annotations

import re
from functools import cache

from esgledger.catalog.checks import check_rules
from esgledger.catalog.messages import N_
from esgledger.catalog.translations import has_text
from esgledger.checks.explained import Message, english, from_catalog, said
from esgledger.checks.findings import Finding

# Each built-in check's fix messages, as the check words them (a test holds every check's
# fix here: a new check or a changed message without its entry fails it).
FIXES: dict[str, tuple[str, ...]] = {
    "sum.breakdown": (
        N_(
            "Correct the %(dimension)s rows so they add up to the total; put people whose "
            "attribute is not recorded in 'unknown', which counts in totals."
        ),
    ),
    "part.breakdown": (
        N_("Check the breakdown row: one member cannot exceed the total it is part of."),
    ),
    "certifications.expired": (
        N_(
            "Import the renewed certificate with `esg register certifications import`, "
            "or say in the report that the certification lapsed."
        ),
    ),
    "certifications.expiring": (
        N_("Plan the recertification audit and import the renewed certificate when issued."),
    ),
    "certifications.lapsed_claim": (
        N_(
            "Remove the typed value (the register counts the certified sites), "
            "or import the certificate in force."
        ),
    ),
    "index.no_data": (
        N_(
            "Collect and import the data, or change the index entry to an omission with its "
            "reason (not applicable, information unavailable…)."
        ),
    ),
    "coverage.no_activity": (
        N_(
            "Import %(entity)s's %(year)s activity data, or remove it from the boundary with a "
            "change note saying why."
        ),
    ),
    "coverage.kpi_members": (
        N_(
            "Collect the missing members' values (zero where there is none), or report the "
            "group figure directly with a note on its coverage."
        ),
    ),
    "duplicate.values": (
        N_(
            "Correct the reported value, or correct the data it is recomputed "
            "from (and recalculate with `esg calc --year %(year)s`)."
        ),
        N_(
            "Decide which source is right; record a change as a restatement "
            "with a reason (`esg import kpis` with restatement_reason), "
            "never as a second value."
        ),
    ),
    "factor.nonstandard": (
        N_(
            "Use the equivalent value 0.1229 kgce/kWh for indirect energy, or disclose "
            "the coefficient (e.g. the equal value) in the methodology note."
        ),
        N_(
            "Use a point value inside the standard's range (recording why), or the "
            "measured heating value, and state it in the methodology note."
        ),
    ),
    "factor.changed": (
        N_(
            "If the factor or its edition changed, disclose it in the "
            "methodology note (and acknowledge this finding with that note); "
            "otherwise recalculate the year with the factor the other years "
            "used."
        ),
    ),
    "factor.edition_changed": (
        N_(
            "Name both editions and the selection rule in the methodology note, then "
            "acknowledge this finding with that note."
        ),
    ),
    "factor.method_changed": (
        N_(
            "Recalculate both years with the same option, or disclose the change in the "
            "methodology note and acknowledge this finding with it."
        ),
    ),
    "calc.incomplete": (
        N_(
            "Fix the rows (factor, unit or attributes) and recalculate with "
            "`esg calc --year %(year)s`; `esg calc show --run %(run)s` lists them."
        ),
    ),
    "unit.changed": (
        N_(
            "Re-enter %(year)s in %(unit)s from the source data, or show the %(year)s value "
            "in its own row with a footnote on the change of measure."
        ),
    ),
    "definition.changed": (
        N_(
            "Restate the other years on the new definition, or show the years in "
            "separate rows with a footnote on the change."
        ),
    ),
    "narrative.mismatch": (
        N_(
            "Replace the typed number with the binding %(binding)s so the text always shows "
            "the ledger's value."
        ),
    ),
    "sum.entities": (
        N_(
            "Correct the entity or group values so they agree, or collect the entities that "
            "are missing from the entity values."
        ),
    ),
    "restated.prior_year": (
        N_(
            "Footnote the restatement next to the prior-year figure, and check that the "
            "figures derived from it (intensities, totals) show the restated basis."
        ),
    ),
    "preliminary.value": (
        N_(
            "Replace it with the final value before publication (a restatement with the "
            "reason), or label it as an estimate in the report."
        ),
    ),
    "missing.value": (
        N_(
            "Enter the value, or mark the row not applicable (n.a.) and give the omission "
            "reason in the content index."
        ),
    ),
    "scope.qualified": (
        N_(
            "Report the figure for the whole group, or show it as a scope-qualified row (its "
            "own label) and leave it out of group ratios and totals."
        ),
    ),
    "suppliers.action_overdue": (
        N_(
            "Chase the supplier and record the plan or its verification with "
            "`esg suppliers finding move %(finding)s …`."
        ),
    ),
    "yoy.jump": (
        N_("Disclose the boundary change next to the figure and show the like-for-like change."),
        N_(
            "Check the figure and its inputs; if the change is real, explain it in the report "
            "and acknowledge this finding with the explanation."
        ),
    ),
}
BLANK = re.compile(r"%\((\w+)\)s|%%")


@cache
def _pattern(message_id: str) -> re.Pattern[str]:
    """The message's English with each blank as a group (a repeated blank must repeat)."""
    parts: list[str] = []
    seen: set[str] = set()
    last = 0
    for blank in BLANK.finditer(message_id):
        parts.append(re.escape(message_id[last : blank.start()]))
        name = blank.group(1)
        if name is None:
            parts.append("%")
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            parts.append(f"(?P<{name}>.+?)")
            seen.add(name)
        last = blank.end()
    parts.append(re.escape(message_id[last:]))
    return re.compile("".join(parts), re.S)


def stored_fix(finding: Finding) -> Message:
    """The fix's message of a finding kept without it, read back from its stored English;
    empty where no message of its check gives exactly that English."""
    if finding.fix_message or not finding.fix:
        return dict(finding.fix_message)
    if finding.rule in check_rules():
        candidates = [from_catalog("check_fix", finding.rule, {"year": str(finding.year)})]
    else:
        candidates = [_read_back(i, finding) for i in FIXES.get(finding.rule, ())]
    return next((m for m in candidates if m and english(m) == finding.fix), {})


def _read_back(message_id: str, finding: Finding) -> Message:
    found = _pattern(message_id).fullmatch(finding.fix)
    if found is None:
        return {}
    values = found.groupdict()
    dim = finding.dims.get("dimension", "")
    named = "dimension" in values and has_text("dimension", dim, "zh")
    return said(message_id, values, names={"dimension": ("dimension", dim)} if named else {})
