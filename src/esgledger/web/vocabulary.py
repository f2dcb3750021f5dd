"""Words the pages print from data — request states, finding severities, value statuses —
in the page's language (#19).

The stored value stays the English code (forms submit it, CSS classes and tests select on
it); only its label is translated. A word outside this list is printed as it is: it is data
(an entity's name, a metric id), not interface text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from esgledger.catalog import translations
from esgledger.catalog.messages import N_
from esgledger.catalog.minerals import SMELTER_STATUSES, metal_word, smelter_status_word
from esgledger.checks.explained import finding_in, fix_in
from esgledger.checks.findings import Finding
from esgledger.errors import InvalidInput
from esgledger.kpi.register_figures.notes import worded_note, worded_reason
from esgledger.suppliers.audits import GRADES, STATES
from esgledger.web.language import CURRENT, gettext
from esgledger.web.page_format import dates_in, unit_worded
from esgledger.workflow.states import STEP_WORDS

REGISTER_WORDS = (
    # complaint states, channels, customer segments; severities (complaints and CVSS)
    N_("accepted"),
    N_("assigned"),
    N_("processing"),
    N_("return visit"),
    N_("filed"),
    N_("closed"),
    N_("phone"),
    N_("email"),
    N_("web"),
    N_("app"),
    N_("store"),
    N_("social media"),
    N_("letter"),
    N_("other"),
    N_("domestic distribution"),
    N_("non distribution"),
    N_("none"),
    N_("low"),
    N_("medium"),
    N_("high"),
    N_("critical"),
    # vulnerability states and sources
    N_("intake"),
    N_("triage"),
    N_("fixing"),
    N_("fixed"),
    N_("advisory published"),
    N_("researcher"),
    N_("internal"),
    N_("third party test"),
    # board roles, genders, bodies (registers/board_import.py)
    N_("chair"),
    N_("vice chair"),
    N_("director"),
    N_("male"),
    N_("female"),
    N_("unknown"),
    N_("board"),
    N_("strategy"),
    N_("audit"),
    N_("nomination"),
    N_("remuneration"),
    N_("sustainability"),
    N_("risk"),
    # donation recipients (registers/giving_import.py)
    N_("charity"),
    N_("education"),
    N_("community"),
    N_("healthcare"),
    N_("disaster relief"),
    # whistleblowing channels, case states and outcomes (registers/whistle.py)
    N_("hotline"),
    N_("in person"),
    N_("received"),
    N_("triaged"),
    N_("investigating"),
    N_("corrective action"),
    N_("followed up"),
    N_("substantiated"),
    N_("unsubstantiated"),
)
# The insight pages' codes (#19): KPI sources and areas, the emissions tables' scope labels,
# target progress, risk responses and states, materiality modes, rules, levels and tiers,
# and the smelter roll-up's own two statuses (an imported list's status is data).
INSIGHT_WORDS = (
    N_("calculated"),
    N_("derived"),
    N_("register"),
    N_("missing"),
    N_("not disclosed"),
    N_("air"),
    N_("compliance"),
    N_("customer service"),
    N_("cybersecurity"),
    N_("distributor training"),
    N_("economy"),
    N_("employment"),
    N_("energy"),
    N_("environment"),
    N_("ghg"),
    N_("governance"),
    N_("innovation"),
    N_("ohs"),
    N_("packaging"),
    N_("products"),
    N_("social"),
    N_("supply chain"),
    N_("waste"),
    N_("wastewater"),
    N_("water"),
    N_("Energy consumption"),
    N_("Scope 1"),
    N_("Scope 2 (location-based)"),
    N_("Scope 2 (market-based)"),
    N_("Scope 3"),
    N_("met"),
    N_("not met"),
    N_("not assessable"),
    N_("avoid"),
    N_("reduce"),
    N_("share"),
    N_("retain"),
    N_("open"),
    N_("double"),
    N_("single"),
    N_("esrs"),
    N_("tier"),
    N_("Impact"),
    N_("Financial"),
    N_("impact"),
    N_("financial"),
    N_("less material"),
    N_("moderately material"),
    N_("highly material"),
    N_("moderate"),
    N_("Environment"),
    N_("People & community"),
    N_("Integrity"),
    N_("Reliability"),
    N_("Value chain"),
    N_("not on the conformant-smelter list"),
    N_("not available: no conformant-smelter list imported"),
)
# the header's role (auth/permissions.py ROLES, underscores as spaces)
ROLE_WORDS = (
    N_("admin"),
    N_("esg manager"),
    N_("data owner"),
    N_("reviewer"),
    N_("auditor"),
    N_("respondent"),
    N_("compliance officer"),
    N_("supplier manager"),
)
# a calculation run's quantity (calc/explain.py QUANTITIES) → its catalog label on a Chinese
# page; the English page prints the code with spaces, as before ("scope2 market")
QUANTITY_LABELS = {
    "energy_direct": N_("Energy direct"),
    "energy_indirect": N_("Energy indirect"),
    "scope1": N_("Scope 1"),
    "scope2_location": N_("Scope 2 location"),
    "scope2_market": N_("Scope 2 market"),
    "scope3": N_("Scope 3"),
}
WORDS = frozenset(
    (
        # data request states (workflow/states.py)
        N_("draft"),
        N_("submitted"),
        N_("returned"),
        N_("approved"),
        N_("locked"),
        # finding severities
        N_("error"),
        N_("warning"),
        # value statuses
        N_("reported"),
        N_("not_applicable"),
        N_("not_disclosed"),
        # register campaign kinds and worker types (registers/training_import, ohs_import)
        N_("commitment"),
        N_("training"),
        N_("employee"),
        N_("contractor"),
        N_("outsourced"),
        N_("intern"),
        # supplier audit finding grades and states (suppliers/audits.py)
        *GRADES,
        *STATES,
        # the step of a supplier audit finding that is overdue (SupplierFinding.missed)
        N_("corrective-action plan"),
        N_("verified correction"),
        # supplier audit states and modes (suppliers/audits.py)
        N_("planned"),
        N_("done"),
        N_("on-site"),
        N_("remote"),
        # the steps of a data request's history (workflow/states.py)
        *STEP_WORDS.values(),
        # the registers' codes, each as its English label (the code with spaces for "_"):
        # complaints and vulnerabilities (ledger/register_lines.py, complaints_import.py,
        # vulnerabilities_import.py, cvss.py)
        *REGISTER_WORDS,
        *INSIGHT_WORDS,
        *ROLE_WORDS,
    )
)


def word(value: object) -> str:
    """The label of a data word in the page's language; other values unchanged. A register's
    code is labelled by its words, underscores as spaces (as its pages always printed it)."""
    text = "" if value is None else str(value)
    if text in WORDS:
        return gettext(text)
    spaced = text.replace("_", " ")  # a register's code, labelled by its words
    return gettext(spaced) if spaced in WORDS else text


def quantity_worded(code: object) -> str:
    """A run's quantity code in the page's language: its catalog label in Chinese, the code
    with spaces in English (as the English page always printed it); another code unchanged."""
    text = "" if code is None else str(code)
    if CURRENT.get() == "en" or text not in QUANTITY_LABELS:
        return text.replace("_", " ")
    return gettext(QUANTITY_LABELS[text])


def metal_worded(metal: object) -> str:
    """A conflict mineral's code in the page's language (catalog.minerals)."""
    return metal_word("" if metal is None else str(metal), CURRENT.get())


def smelter_status_worded(status: object) -> str:
    """A smelter's status in the page's language: one of RMI's from the catalog, the
    roll-up's own ("not on the conformant-smelter list" …) as a word, else as stored."""
    text = "" if status is None else str(status)
    if text.strip().lower() in SMELTER_STATUSES:
        return smelter_status_word(text, CURRENT.get())
    return word(text)


def note_worded(note: object, why: object = None) -> str:
    """A register figure's note in the page's language, part by part from its codes
    (``note_why``), as the report's supply-chain chapter words it (a part without a code by
    its pattern; one no pattern knows stays as given)."""
    coded = why if isinstance(why, list) else []
    return worded_note("" if note is None else str(note), coded, CURRENT.get())


def not_available_worded(f: Mapping[str, Any]) -> str:
    """Why a KPI figure (a readout) has no value, in the page's language: a register
    figure's whole note, else its reason — from the note's codes where it has them."""
    note, why, lang = str(f.get("note") or ""), f.get("note_why") or [], CURRENT.get()
    if f.get("source") == "register" and note:
        return worded_note(note, why, lang)
    if why and lang != "en":
        return worded_reason(note, why, lang)
    return word(f.get("not_available_reason") or "")  # "not disclosed" … in the page's language


def explained(finding: Finding) -> str:
    """A finding's explanation in the page's language: its catalog message where the check
    named one (values as given, words and catalog names translated, a value's unit in the
    catalog's words), else its English."""
    lang = CURRENT.get()
    return dates_in(finding_in(_units_worded(finding, lang), lang))


def _units_worded(finding: Finding, lang: str) -> Finding:
    """The finding with each value given as "number unit" (a restatement's "94,796.27 RMB
    million") in the page's unit words; the stored finding is not changed."""
    unit = finding.unit
    if lang == "en" or not unit or not finding.values:
        return finding
    metric = finding.metrics[0] if len(finding.metrics) == 1 else None
    shown = unit_worded(unit, metric)
    if shown == unit:
        return finding
    tail = " " + unit
    values = {
        key: value[: -len(tail)] + " " + shown
        if isinstance(value, str) and value.endswith(tail)
        else value
        for key, value in finding.values.items()
    }
    return replace(finding, values=values)


def fix_worded(finding: Finding) -> str:
    """A finding's fix in the page's language where its check named the fix's message."""
    return dates_in(fix_in(finding, CURRENT.get()))


def catalog_name(stored: object, kind: str, key: str) -> str:
    """A catalog entry's name (a metric, a materiality topic) in the page's language.

    Only a name that is still the catalog's own English is translated (from
    ``catalog/data/i18n``; a missing Chinese entry is refused, never shown in English
    silently). A name a user gave — a renamed or custom topic — is data and shown as stored.
    """
    text = "" if stored is None else str(stored)
    if CURRENT.get() == "en":
        return text
    try:
        own = translations.text(kind, key, "en")
    except InvalidInput:
        return text  # not a catalog entry: the user's own
    return translations.text(kind, key, CURRENT.get()) if own == text else text
