"""Data of the demo's assessments: survey profiles, the risk register and targets.

The survey answers are generated from these profiles with ``random.Random(42)``
(:mod:`esgledger.demo.assess_stage`): each topic has a mean impact score, a mean financial
score and a share of positive impacts; each group leans towards the topics it cares about
(employees towards OHS, customers towards product safety…). The profiles are set so that the
three topics the reference report found double-material (climate change, technological
innovation, cybersecurity and data protection) come out double-material, and a few others
are highly material on one axis only.
"""

from __future__ import annotations

from typing import NamedTuple


class RiskSpec(NamedTuple):
    code: str
    title: str
    category: str
    entity: str
    likelihood: int
    impacts: dict[str, int]
    response: str
    rationale: str
    owner: str
    review_in_days: int  # from the build date; negative means overdue
    cause: str
    event: str
    consequence: str


class TargetSpec(NamedTuple):
    code: str
    metric: str
    operator: str
    value: float | None  # None: base value × (1 − GHG_INTENSITY_CUT)
    unit: str | None
    target_year: int
    base_year: int | None
    description: str


# topic code → (mean impact score, mean financial score, share of positive impacts)
TOPIC_PROFILES: dict[str, tuple[float, float, float]] = {
    "climate-change": (4.5, 4.5, 0.2),
    "energy": (3.9, 3.4, 0.2),
    "clean-technology": (3.4, 3.6, 0.8),
    "water": (3.3, 2.6, 0.1),
    "circular-economy": (3.5, 3.2, 0.5),
    "waste-emissions": (3.7, 2.8, 0.0),
    "environmental-compliance": (3.6, 3.4, 0.0),
    "anti-corruption": (3.5, 3.9, 0.0),
    "fair-competition": (3.0, 3.1, 0.0),
    "human-rights": (4.2, 3.2, 0.0),
    "internal-risk-control": (3.1, 3.7, 0.0),
    "technological-innovation": (4.3, 4.6, 0.9),
    "technology-ethics": (3.3, 2.9, 0.3),
    "product-safety-quality": (4.1, 3.3, 0.2),
    "customer-service": (3.2, 4.1, 0.7),
    "cybersecurity-data-protection": (4.4, 4.4, 0.1),
    "supplier-management": (3.7, 3.3, 0.3),
    "conflict-minerals": (3.2, 2.7, 0.0),
    "industry-collaboration": (2.6, 3.0, 0.9),
    "diversity-inclusion": (3.2, 2.5, 0.6),
    "employee-care": (3.6, 2.9, 0.7),
    "training-development": (3.5, 3.1, 0.8),
    "ohs": (4.3, 3.0, 0.0),
    "public-welfare": (2.7, 2.2, 1.0),
    "rural-revitalisation": (2.4, 2.1, 1.0),
}

# group code → (respondents, respondent code prefix, topic leanings)
GROUPS: dict[str, tuple[int, str, dict[str, float]]] = {
    "investors": (
        14,
        "INV",
        {"anti-corruption": 0.3, "technological-innovation": 0.2, "internal-risk-control": 0.3},
    ),
    "employees": (
        30,
        "EMP",
        {"ohs": 0.4, "employee-care": 0.5, "training-development": 0.4, "diversity-inclusion": 0.3},
    ),
    "customers": (
        22,
        "CUS",
        {
            "product-safety-quality": 0.4,
            "customer-service": 0.5,
            "cybersecurity-data-protection": 0.3,
        },
    ),
    "government": (
        8,
        "GOV",
        {"environmental-compliance": 0.4, "rural-revitalisation": 0.4, "public-welfare": 0.3},
    ),
    "suppliers": (
        20,
        "SUP",
        {"supplier-management": 0.4, "conflict-minerals": 0.3, "industry-collaboration": 0.4},
    ),
    "media": (6, "MED", {"climate-change": 0.3, "human-rights": 0.3}),
    "ngos-communities": (
        12,
        "NGO",
        {"water": 0.4, "public-welfare": 0.5, "waste-emissions": 0.4, "human-rights": 0.3},
    ),
    "executives": (10, "EXE", {}),
}
TOKEN_RESPONDENTS = ("MED-001", "MED-002", "NGO-001")  # answer online with their token

# IRO texts of the reference report's three double-material topics (materiality-topics.csv).
IROS: dict[str, tuple[tuple[str, str], ...]] = {
    "climate-change": (
        ("risk", "Rising carbon prices and raw-material costs"),
        ("opportunity", "Low-carbon products and services; business diversification"),
        (
            "impact",
            "Decarbonisation across the product life cycle and operations; product "
            "carbon-footprint verification",
        ),
    ),
    "technological-innovation": (
        ("risk", "Fast external technology iteration may stop innovation reaching its goals"),
        ("opportunity", "Demand-driven innovation strengthens competitiveness"),
        ("impact", "Digital transformation of industries; social-benefit applications"),
    ),
    "cybersecurity-data-protection": (
        (
            "risk",
            "Penalties, liability, breaches and unauthorised access from non-compliance or "
            "weak management",
        ),
        ("opportunity", "Customer trust and market share"),
        ("impact", "Protects customers' personal data and reduces the risk of financial loss"),
    ),
}
IRO_RISK_LINKS = {"climate-change": "RSK-009", "cybersecurity-data-protection": "RSK-003"}

RISKS: tuple[RiskSpec, ...] = tuple(
    RiskSpec(*row)
    for row in (  # type: ignore[arg-type]
        (
            "RSK-001",
            "Single-source component shortage",
            "operational.supply_chain",
            "DG",
            4,
            {"financial": 4, "operational": 5, "reputational": 2},
            "reduce",
            "Second sources cost less than one month of lost output",
            "Procurement",
            60,
            "Key chips bought from one supplier",
            "Supplier cannot deliver for several weeks",
            "Production lines stop; orders are late",
        ),
        (
            "RSK-002",
            "Ransomware attack on production systems",
            "operational.information_security",
            "SZ",
            3,
            {"financial": 4, "operational": 5, "reputational": 4, "legal": 3},
            "reduce",
            "Segmentation and offline backups are cheap against a multi-week outage",
            "Cybersecurity department",
            90,
            "Phishing and unpatched plant systems",
            "Malware encrypts MES and ERP servers",
            "Output stops; ransom demand; data loss",
        ),
        (
            "RSK-003",
            "Personal-data breach in consumer apps",
            "operational.data_protection",
            "NJ",
            3,
            {"legal": 5, "reputational": 5, "financial": 4},
            "reduce",
            "Privacy-by-design gate before launch; fines under PIPL/GDPR far exceed its cost",
            "DPO",
            120,
            "Weak access control in app back ends",
            "Customer data are exfiltrated",
            "Regulatory fines, claims, loss of trust",
        ),
        (
            "RSK-004",
            "Serious injury in high-risk operations",
            "operational.production_safety",
            "WH",
            2,
            {"safety": 5, "legal": 3, "reputational": 3},
            "reduce",
            "Certified operators and permit-to-work reduce likelihood at moderate cost",
            "EHS department",
            -45,
            "Work at height and live electrical work",
            "A worker is seriously injured",
            "Harm to the worker, stoppage, penalties",
        ),
        (
            "RSK-005",
            "Product recall for a safety defect",
            "operational.quality",
            "HZ",
            2,
            {"financial": 4, "reputational": 5, "safety": 4},
            "reduce",
            "Design reviews and incoming inspection cost far less than a recall",
            "Quality committee",
            150,
            "Battery cell defect not caught in testing",
            "Devices overheat in the field",
            "Recall, injuries, brand damage",
        ),
        (
            "RSK-006",
            "Commercial bribery by a sales agent",
            "compliance.anti_corruption",
            "SH",
            2,
            {"legal": 5, "reputational": 4, "financial": 3},
            "avoid",
            "Agents failing due diligence are not engaged: the exposure exceeds the risk appetite",
            "Legal and compliance",
            200,
            "Commission-based third-party agents",
            "An agent bribes a procurement official",
            "Prosecution, debarment, fines",
        ),
        (
            "RSK-007",
            "Export-control breach",
            "compliance.trade",
            "INTL",
            2,
            {"legal": 5, "financial": 4, "reputational": 3},
            "avoid",
            "Orders failing end-use screening are declined",
            "Trade compliance",
            180,
            "Complex reseller chains",
            "Restricted items reach a sanctioned end user",
            "Penalties and loss of export licences",
        ),
        (
            "RSK-008",
            "Conflict minerals in the supply chain",
            "esg.conflict_minerals",
            "DG",
            2,
            {"reputational": 4, "legal": 3},
            "reduce",
            "CMRT campaign and RMI smelter checks at low cost",
            "Value-chain coordination",
            -120,
            "Smelters of unknown origin in tier-3",
            "3TG from conflict areas enters products",
            "Customer audits fail; reputational damage",
        ),
        (
            "RSK-009",
            "Carbon pricing extended to the sector",
            "esg.climate",
            "PSD",
            3,
            {"financial": 3, "environmental": 2, "reputational": 2},
            "reduce",
            "Energy saving and renewables lower the priced tonnes (see climate item R4)",
            "Carbon-neutrality committee",
            240,
            "National ETS widened to manufacturing",
            "Scope 1 and purchased electricity are priced",
            "Operating costs rise",
        ),
        (
            "RSK-010",
            "Typhoons and floods disrupt coastal suppliers",
            "operational.business_continuity",
            "SZ",
            3,
            {"operational": 4, "financial": 3},
            "share",
            "Business-interruption insurance and a broader supplier base",
            "Supply chain",
            100,
            "Suppliers concentrated in flood-prone coastal areas",
            "A typhoon closes plants for weeks",
            "Late deliveries and lost sales",
        ),
        (
            "RSK-011",
            "Technology iteration outpaces the roadmap",
            "strategic.technology",
            "XA",
            3,
            {"financial": 4, "operational": 2},
            "reduce",
            "Demand-driven R&D portfolio reviews twice a year",
            "CTO office",
            160,
            "Fast change in AI and sensing technology",
            "Competitors launch a better platform first",
            "Market share and margins fall",
        ),
        (
            "RSK-012",
            "Currency swings on overseas revenue",
            "financial.fx",
            "INTL",
            4,
            {"financial": 3},
            "share",
            "Forward contracts hedge the forecast exposure",
            "Treasury",
            45,
            "Revenue in USD and VND, costs in CNY",
            "The renminbi appreciates sharply",
            "Lower reported revenue and margins",
        ),
        (
            "RSK-013",
            "Wastewater discharge above the permit",
            "compliance.environmental",
            "CD",
            2,
            {"environmental": 4, "legal": 4, "reputational": 3},
            "reduce",
            "Online monitoring and a spare treatment train",
            "EHS department",
            -10,
            "Treatment plant upset",
            "COD above the discharge limit",
            "Fines and a production halt",
        ),
        (
            "RSK-014",
            "Forced labour at a tier-2 supplier",
            "esg.human_rights",
            "VN",
            2,
            {"reputational": 5, "legal": 4},
            "avoid",
            "Suppliers refusing audits are exited: zero tolerance",
            "Value-chain coordination",
            210,
            "Recruitment-fee practices at labour agencies",
            "Workers in debt bondage are found",
            "Customer bans, import detentions",
        ),
        (
            "RSK-015",
            "Short outages of the service-centre systems",
            "operational.business_continuity",
            "BJ",
            3,
            {"operational": 2, "reputational": 1},
            "retain",
            "Within tolerance: redundancy would cost more than the outages",
            "IT operations",
            75,
            "Single data-centre zone",
            "Ticketing system unavailable for hours",
            "Slower customer service for a day",
        ),
    )
)
RISK_UPDATE = ("RSK-002", {"likelihood": 4}, "Phishing campaign against plant staff in Q3")

TARGETS: tuple[TargetSpec, ...] = tuple(
    TargetSpec(*row)
    for row in (  # type: ignore[arg-type]
        (
            "OHS-1",
            "ohs.occupational_disease_cases",
            "<=",
            0,
            "case",
            2025,
            None,
            "No new occupational-disease cases",
        ),
        (
            "OHS-2",
            "ohs.serious_injuries",
            "<=",
            0,
            "case",
            2025,
            None,
            "No serious injuries or worse",
        ),
        (
            "OHS-3",
            "ohs.minor_injury_rate",
            "<=",
            3,
            "‰",
            2025,
            None,
            "Minor injuries ≤ 3‰ of all employees",
        ),
        (
            "OHS-4",
            "ohs.hazard_detection_rate",
            ">=",
            100,
            "%",
            2025,
            None,
            "All occupational-hazard monitoring points tested",
        ),
        (
            "OHS-5",
            "ohs.ppe_compliance_rate",
            ">=",
            100,
            "%",
            2025,
            None,
            "Every exposed employee correctly equipped with PPE",
        ),
        (
            "OHS-6",
            "ohs.hazards_corrected_share",
            ">=",
            100,
            "%",
            2025,
            None,
            "Every identified safety hazard corrected",
        ),
        (
            "OHS-7",
            "ohs.high_risk_certified_share",
            ">=",
            100,
            "%",
            2025,
            None,
            "All high-risk-job staff certified",
        ),
        (
            "SEC-1",
            "cybersecurity.training_share",
            ">=",
            100,
            "%",
            2025,
            None,
            "Information-security training for all employees",
        ),
        (
            "GHG-INT",
            "ghg.intensity",
            "<=",
            None,
            None,
            2030,
            2023,
            "GHG intensity (Scope 1 + 2 per RMB million revenue) 30% below 2023 by 2030",
        ),
    )
)
GHG_INTENSITY_CUT = 0.30
