"""How big a reported KPI is and how it relates to others, for the demo's yearly values.

The generator never lists metric ids it must write: it walks the catalog. A profile is looked
up by metric id (a tuned size), then by keywords of the id and name, and finally by what the
metric's unit measures (a percentage, people, cases, money…), so a metric added to the
catalog gets a plausible value without a change here. Relations keep the values consistent
with one another: a part is a fraction of its whole (NH3-N of total nitrogen, BOD of COD, R&D
staff of the workforce), wastewater volumes split the discharge the activity data add up to,
and the PV capacity and verified-site count are those of the activity data and boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REVENUE = "economy.revenue"
HEADCOUNT = "workforce.headcount"


@dataclass(frozen=True)
class Profile:
    """First-year size and yearly change of a value, or its relation to another value.

    ``base`` is the first-year range in ``unit`` (the metric's unit if None), or the fraction
    range of ``of`` when ``of`` is set. ``growth`` is relative per year, or in percentage
    points for percentages. ``of`` names a metric key or ``ctx:<name>`` from the activity data.
    """

    base: tuple[float, float] = (10.0, 1000.0)
    unit: str | None = None
    growth: tuple[float, float] = (0.03, 0.10)
    of: str | None = None
    part: bool = False  # with ``of``: never above it
    minus: tuple[str, ...] = ()  # with ``of``: what is left of it after these keys
    statuses: tuple[str, ...] = ()  # per year index; "" = reported


def _pct(lo: float, hi: float, growth: tuple[float, float] = (-0.3, 0.8)) -> Profile:
    return Profile(base=(lo, hi), growth=growth)


def _of(whole: str, lo: float, hi: float, *, part: bool = True, unit: str | None = None) -> Profile:
    return Profile(base=(lo, hi), of=whole, part=part, unit=unit)


_FULL = _pct(100, 100, (0, 0))
_NONE = Profile(base=(0, 0), growth=(0, 0))


def _n(
    lo: float, hi: float, growth: tuple[float, float] = (0.03, 0.10), unit: str | None = None
) -> Profile:
    return Profile(base=(lo, hi), growth=growth, unit=unit)


_WATER = "ctx:discharge_t"
_VALID = "innovation.patents.{}.valid"
_T = "t"

# Tuned sizes and relations, by metric id. A metric missing here gets a keyword or unit-kind
# profile; an id here that the catalog lacks is ignored (or only feeds a relation).
TUNED: dict[str, Profile] = {
    # economy (RMB million unless the catalog says otherwise; conversions are automatic)
    REVENUE: _n(86_000, 90_000, (0.06, 0.11), "RMB million"),
    "economy.net_profit_attributable": _of(REVENUE, 0.12, 0.145),
    "economy.cash_dividend": _of("economy.net_profit_attributable", 0.45, 0.55),
    "economy.tax_paid": _of(REVENUE, 0.055, 0.065),
    # energy and GHG: what the activity data installed and the boundary holds
    "energy.pv_capacity": _of("ctx:pv_mw", 1.0, 1.0, unit="MW"),
    "ghg.verification.sites_internal": _of("ctx:ghg_sites", 1.0, 1.0, unit="count"),
    "ghg.verification.sites_third_party": _of("ghg.verification.sites_internal", 0.3, 0.45),
    # air (t) and wastewater (t): COD ~60 mg/L, TN ~15 mg/L, TP ~2 mg/L of the discharge
    "air.nox": _n(8, 14, (-0.08, 0.02), _T),
    "air.sox": _n(0.6, 1.5, (-0.1, 0.0), _T),
    "air.pm": _n(3, 6, (-0.06, 0.03), _T),
    "air.vocs": Profile(base=(15, 25), unit=_T, statuses=("not_disclosed", "not_disclosed")),
    "wastewater.industrial": _of(_WATER, 0.32, 0.38, unit=_T),
    "wastewater.domestic": Profile(
        base=(1, 1), of=_WATER, unit=_T, minus=("wastewater.industrial",)
    ),
    "wastewater.cod": _of(_WATER, 4.5e-5, 7.5e-5, unit=_T),
    "wastewater.bod": _of("wastewater.cod", 0.25, 0.42),
    "wastewater.tn": _of(_WATER, 1.2e-5, 1.9e-5, unit=_T),
    "wastewater.nh3_n": _of("wastewater.tn", 0.30, 0.55),
    "wastewater.tp": _of(_WATER, 1.5e-6, 2.8e-6, unit=_T),
    # packaging and waste management
    "packaging.plastics": _n(3500, 4200, unit=_T),
    "packaging.cartons": _n(21_000, 24_000, unit=_T),
    "packaging.wood": _n(5200, 6000, unit=_T),
    "packaging.metal": _n(60, 90, unit=_T),
    "packaging.returnable.kinds": _n(40, 60, (0.02, 0.08)),
    "packaging.returnable.pieces": _n(150_000, 250_000),
    "packaging.returnable.cartons_saved": _n(400_000, 700_000),
    "packaging.returnable.cost_saved": _n(18e6, 26e6, unit="RMB"),
    "waste.hazardous.properly_disposed_share": _FULL,
    "waste.solid.sorted_share": _FULL,
    "waste.solid.recycled_share_hq": _pct(62, 70, (0.5, 2.0)),
    "environment.discharge_compliance_rate": _FULL,
    "products.environmental_label_models": _n(120, 180, (0.05, 0.15)),
    "products.energy_conservation_models": _n(60, 100, (0.05, 0.15)),
    "products.carbon_footprint_models": _n(30, 60, (0.2, 0.4)),
    "products.lca_models": _n(20, 40, (0.2, 0.4)),
    # people and safety
    HEADCOUNT: _n(50_500, 53_500, (0.02, 0.06), "person"),
    "workforce.new_hires": _of(HEADCOUNT, 0.10, 0.16),
    "workforce.leavers": _of(HEADCOUNT, 0.08, 0.12),
    "workforce.female_executives_share": _pct(18, 24, (0.2, 1.2)),
    "workforce.ethnic_minority": _of(HEADCOUNT, 0.035, 0.045),
    "workforce.union_membership_share": _pct(88, 95),
    "workforce.collective_contract_coverage_hq": _FULL,
    "governance.board.size": _n(9, 9, (0, 0), "person"),
    "governance.board.independent_directors": _of("governance.board.size", 0.34, 0.34),
    "governance.board.women": _of("governance.board.size", 0.23, 0.23),
    "ohs.safety_education_share": _FULL,
    "ohs.minor_injury_rate": _n(0.4, 0.8, (-0.15, -0.03)),
    "ohs.hazard_detection_rate": _FULL,
    "ohs.hazard_test_pass_rate": _pct(98.5, 99.8, (-0.2, 0.2)),
    "ohs.hazards_corrected_share": _pct(98.5, 99.5, (0, 0.4)),
    "ohs.ppe_compliance_rate": _FULL,
    "ohs.high_risk_certified_share": _FULL,
    "ohs.injury_insurance_coverage": _FULL,
    "ohs.safety_investment": _n(120, 160, unit="RMB million"),
    "ohs.safety_training_investment": _n(8, 12, unit="RMB million"),
    "ohs.training_attendance": _of(HEADCOUNT, 2.5, 3.5, part=False),
    # the OHS register (#17) holds every year's hours and injuries; typed alike
    "ohs.hours_worked": _n(36_000_000, 37_500_000, (0.02, 0.04), "hour"),
    "ohs.recordable_injuries": _n(18, 30, (-0.15, 0.05), "case"),
    "ohs.recordable_injuries_employees": _of("ohs.recordable_injuries", 0.7, 0.8),
    "ohs.high_consequence_injuries": _of("ohs.recordable_injuries", 0.04, 0.1),
    "ohs.lost_time_injuries": _of("ohs.recordable_injuries", 0.5, 0.7),
    "ohs.lost_days": _n(300, 450, (-0.15, 0.05), "day"),
    "training.investment": _of(REVENUE, 0.0008, 0.001),
    "training.hours.online": _of(HEADCOUNT, 15, 20, part=False, unit="hour"),
    "training.hours.classroom": _of(HEADCOUNT, 20, 28, part=False, unit="hour"),
    "training.trainees": _of(HEADCOUNT, 0.90, 0.97),
    "training.performance_review_share": _pct(96, 99.5),
    # innovation: granted in the year ≤ valid at year end
    "innovation.rd_investment": _of(REVENUE, 0.105, 0.12),
    "innovation.rd_personnel": _of(HEADCOUNT, 0.44, 0.50),
    _VALID.format("invention"): _n(7000, 8000, (0.10, 0.15)),
    _VALID.format("utility_model"): _n(4500, 5500, (0.04, 0.08)),
    _VALID.format("design"): _n(2500, 3200, (0.05, 0.10)),
    "innovation.patents.invention.granted": _of(_VALID.format("invention"), 0.11, 0.14),
    "innovation.patents.utility_model.granted": _of(_VALID.format("utility_model"), 0.10, 0.13),
    "innovation.patents.design.granted": _of(_VALID.format("design"), 0.12, 0.16),
    "innovation.patents.invention.under_application": _n(5500, 6500, (0.02, 0.08)),
    "innovation.patents.utility_model.under_application": _n(600, 900, (-0.05, 0.05)),
    "innovation.patents.design.under_application": _n(400, 600, (-0.05, 0.05)),
    "innovation.software_copyrights.valid": _n(2600, 3000, (0.08, 0.12)),
    "innovation.software_copyrights.new": _of("innovation.software_copyrights.valid", 0.09, 0.12),
    "innovation.software_copyrights.under_application": _n(120, 200, (-0.05, 0.1)),
    "innovation.trademarks.cumulative": _n(5500, 6500, (0.04, 0.08)),
    "innovation.trademarks.granted": _of("innovation.trademarks.cumulative", 0.05, 0.08),
    # value chain
    # the register counts the suppliers (REGISTER_ONLY); figures about them stay below it
    "supply_chain.suppliers.active": _of("ctx:suppliers_active", 1.0, 1.0, unit="count"),
    "supply_chain.rohs_batches_tested_monthly": _n(800, 1200),
    "supply_chain.hsf_training.suppliers": _of("supply_chain.suppliers.active", 0.2, 0.35),
    "supply_chain.hsf_training.trainees": _n(2500, 3500),
    "supply_chain.training_platform.modules": _n(12, 18, (0.0, 0.1)),
    "supply_chain.training_platform.courses": _n(300, 450, (0.1, 0.2)),
    "supply_chain.training_platform.cumulative_views": _n(150_000, 250_000, (0.25, 0.4)),
    "supply_chain.green.evaluated": _n(300, 500),
    "supply_chain.green.awarded": _of("supply_chain.green.evaluated", 0.05, 0.12),
    "distributor.training": _n(28_000, 34_000, unit="person_times"),
    "distributor.elearning.courses": _n(200, 300),
    "distributor.elearning.users": _n(9000, 12_000, unit="person"),
    "distributor.elearning.hours": _n(150_000, 220_000, unit="hour"),
    "distributor.livestream.lessons": _n(100, 160),
    "distributor.livestream.participants": _n(60_000, 90_000, unit="person_times"),
    # society, compliance, security, customers
    "social.volunteering.participation": _n(9000, 11_000, unit="person_times"),
    "social.volunteering.hours": _n(35_000, 45_000, unit="hour"),
    "social.donations": _n(45, 70, unit="RMB million"),
    "social.rural_digitalisation_projects": _n(180, 220),
    "compliance.training_sessions": _n(250, 350),
    "compliance.integrity_briefings": _n(40, 70),
    # a few hundred reports a year for about 13,000 staff and their suppliers' workers (about
    # two to three per hundred employees), the register's "hundreds of cases" (#17); a demo size
    "compliance.whistleblowing.received": _n(240, 300, (-0.05, 0.12)),
    "compliance.whistleblowing.substantiated": _of("compliance.whistleblowing.received", 0.15, 0.3),
    "compliance.whistleblowing.closed": _of("compliance.whistleblowing.received", 0.9, 0.98),
    "compliance.whistleblowing.closed_within_sla": _of(
        "compliance.whistleblowing.closed", 0.8, 0.95
    ),
    # the training register (#17) counts 2025 from the LMS export: earlier years typed alike
    "compliance.integrity_commitment.required": _n(12_900, 13_300, (0.02, 0.04), "person"),
    "compliance.integrity_commitment.signed": _of(
        "compliance.integrity_commitment.required", 0.985, 0.995
    ),
    "compliance.anti_corruption_training.required": _n(12_200, 12_700, (0.02, 0.04), "person"),
    "compliance.anti_corruption_training.completed": _of(
        "compliance.anti_corruption_training.required", 0.95, 0.98
    ),
    "compliance.anti_corruption_training.tested": _of(
        "compliance.anti_corruption_training.completed", 1.0, 1.0
    ),
    "compliance.anti_corruption_training.passed": _of(
        "compliance.anti_corruption_training.tested", 0.92, 0.96
    ),
    "training.hours.campaigns": _n(21_000, 23_500, (0.02, 0.06), "hour"),
    "cybersecurity.training_sessions": _n(60, 90),
    "cybersecurity.new_courses": _n(20, 40),
    "cybersecurity.certifications": _n(12, 18, (0.0, 0.15)),
    "cybersecurity.dp_due_diligence_jurisdictions": _n(140, 150, (0.0, 0.03)),
    "cybersecurity.country_policies": _n(25, 35, (0.0, 0.1)),
    "customer.nps.domestic_distribution": _pct(55, 65, (-2, 3)),
    "customer.nps.non_distribution": _pct(45, 55, (-2, 3)),
    "customer.satisfaction_questionnaires": _n(40_000, 60_000),
    "customer.ai_bot_direct_response_rate": _pct(72, 80, (1, 4)),
    "customer.service_network.provincial_centres": _n(31, 31, (0, 0)),
    "customer.service_network.municipal_stations": _n(280, 330, (0.0, 0.05)),
    "customer.service_network.overseas_call_centres": _n(12, 16, (0.0, 0.1)),
    "customer.complaints.received": _n(4000, 5500, (-0.1, 0.05)),
    "customer.complaints.closed": _of("customer.complaints.received", 0.97, 0.995),
    "customer.complaints.closed_within_sla": _of("customer.complaints.closed", 0.92, 0.98),
    # the complaints, NPS and vulnerability registers (#17) count 2025; earlier years alike
    "customer.complaints.sla_breaches": _of("customer.complaints.received", 0.05, 0.08),
    "customer.nps.answers": _n(2500, 3200, (0.0, 0.08), "count"),
    "customer.nps.promoters": _of("customer.nps.answers", 0.6, 0.66),
    "customer.nps.detractors": _of("customer.nps.answers", 0.06, 0.09),
    "cybersecurity.vulnerabilities.received": _n(32, 42, (0.0, 0.1), "case"),
    "cybersecurity.vulnerabilities.fixed": _of("cybersecurity.vulnerabilities.received", 0.8, 0.9),
    "cybersecurity.vulnerabilities.fixed_within_sla": _of(
        "cybersecurity.vulnerabilities.fixed", 0.85, 0.95
    ),
    "cybersecurity.vulnerabilities.advisories_published": _of(
        "cybersecurity.vulnerabilities.fixed", 0.3, 0.45
    ),
}

# Keyword fallbacks over "<id> <name>" (lower case) for metrics of the given unit kinds;
# the first match wins.
_INCIDENT_WORDS = (
    r"fatalit|death|breach|penalt|lawsuit|legal action|leak|radioactive|corruption|excessive"
    r"|non-?compliance|occupational disease|serious injur|incident"
)
_COUNTED = ("item", "count")
KEYWORDS: tuple[tuple[str, tuple[str, ...], Profile], ...] = (
    (_INCIDENT_WORDS, ("occurrence", "count"), _NONE),
    (
        r"independent director|women on (the )?board",
        ("person",),
        Profile(base=(2, 4), unit="person", growth=(0, 0)),
    ),
    (r"board", ("person",), Profile(base=(9, 11), unit="person", growth=(0, 0))),
    (
        r"valid|in force|cumulative|total ip",
        _COUNTED,
        Profile(base=(9000, 14_000), growth=(0.08, 0.14)),
    ),
    (
        r"under application|pending|application",
        _COUNTED,
        Profile(base=(2500, 4000), growth=(0.0, 0.1)),
    ),
    (r"granted|new ", _COUNTED, Profile(base=(400, 1200), growth=(0.03, 0.12))),
)

# Generic profiles by what the unit measures.
BY_KIND: dict[str, Profile] = {
    "percent": _pct(92, 99.5),
    "permille": Profile(base=(0.3, 0.9), growth=(-0.15, -0.02)),
    "person": _of(HEADCOUNT, 0.02, 0.12),
    "participation": _of(HEADCOUNT, 1.2, 3.0, part=False),
    "occurrence": _NONE,
    "item": Profile(base=(150, 2500)),
    "count": Profile(base=(10, 400)),
    "currency": _of(REVENUE, 0.0005, 0.008),
    "mass": Profile(base=(5, 300), unit="t"),
    "time": _of(HEADCOUNT, 8, 40, part=False, unit="hour"),
    "other": Profile(base=(10, 1000)),
}

# Breakdown weights per dimension member (missing members weigh 1; "unknown" stays small).
DIMENSION_WEIGHTS: dict[str, dict[str, float]] = {
    "gender": {"male": 61.0, "female": 38.0, "unknown": 1.0},
    "age_band": {"18-30": 44.0, "31-40": 34.0, "41-50": 15.0, "above_50": 5.5, "unknown": 1.5},
    "position": {
        "front_line": 82.0,
        "middle_management": 14.0,
        "senior_management": 3.0,
        "unknown": 1.0,
    },
    "region": {"chinese_mainland": 86.0, "outside_chinese_mainland": 13.5, "unknown": 0.5},
}
UNKNOWN_WEIGHT = 0.02  # share of "unknown" for a dimension not listed above

# Metrics only the demo's registers give (no typed value beside them): the certification
# register's site counts, the supplier register's figures (#16: suppliers in cooperation and
# new ones, screening, audits, negative impacts, questionnaire and CMRT response rates,
# conformant smelters) and the OHS hazard,
# drill and special-operator counts, which a team would not also type in a KPI file; a typed
# value would show a second, different figure.
REGISTER_ONLY = frozenset(
    {
        "ohs.hazards_identified",
        "ohs.hazards_corrected",
        "ohs.emergency_drills",
        "ohs.emergency_drill_participants",
        "ohs.special_operators",
        "ohs.special_operators_certified",
        "certification.sites",
        "certification.iso9001.sites",
        "certification.iso14001.sites",
        "certification.iso45001.sites",
        "certification.iso50001.sites",
        "supply_chain.suppliers.active",
        "supply_chain.suppliers.new",
        "supply_chain.new_suppliers_env_screened",
        "supply_chain.new_suppliers_social_screened",
        "supply_chain.new_suppliers_onsite_audited",
        "supply_chain.onsite_inspections",
        "supply_chain.significant_negative_impact_suppliers",
        "supply_chain.saq.response_rate",
        "supply_chain.conflict_minerals.cmrt_response_rate",
        "supply_chain.conflict_minerals.rmi_conformant_smelters_share",
        "supply_chain.conflict_minerals.new_supplier_dd_coverage",
        "supply_chain.integrity_agreements_share",
    }
)

# Metrics also reported per legal entity (the root value is their sum).
PER_LEGAL_ENTITY = (HEADCOUNT,)

SOURCES = {
    "economy": "Audited annual report",
    "employment": "HR information system, year-end snapshot",
    "workforce": "HR information system, year-end snapshot",
    "air": "Third-party monitoring reports",
    "wastewater": "Third-party monitoring reports",
}


def keyword_profile(text: str, kind: str) -> Profile | None:
    """The first keyword profile for ``kind`` whose pattern occurs in ``text`` (lower case)."""
    for pattern, kinds, profile in KEYWORDS:
        if kind in kinds and re.search(pattern, text):
            return profile
    return None


def qualifier_from_notes(text: str) -> str:
    """How the report prints the value, as the catalog's notes say ("approximately", "≤")."""
    low = text.lower()
    if "upper bound" in low or "('≤')" in low:
        return "at_most"
    if "'over'" in low:
        return "over"
    if "'approximately'" in low or "'nearly'" in low:
        return "approximately"
    return ""
