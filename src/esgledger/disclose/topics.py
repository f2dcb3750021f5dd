"""Which chapter answers which material topic, and which registers feed it.

A material topic (``catalog/data/materiality_topics_2024.csv``) is answered by one topic
chapter, a Markdown section whose file name gives its heading id (:mod:`.headings`). The
chapter's "impact, risk and opportunity management" element lists the risk register's entries
of its categories, and its "metrics and targets" element the targets on its metric areas.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopicChapter:
    """A topic chapter: its heading id and title, and what feeds it."""

    anchor: str
    title: str
    topics: tuple[str, ...]  # materiality topic codes it answers
    risk_categories: tuple[str, ...]  # risk-dictionary codes whose risks it lists
    metric_areas: tuple[str, ...]  # metric areas whose targets it lists


TOPIC_CHAPTERS: tuple[TopicChapter, ...] = (
    TopicChapter(
        "sustainability-governance",
        "Sustainability governance",
        ("anti-corruption", "fair-competition", "internal-risk-control"),
        ("compliance.anti_corruption", "compliance.competition", "compliance.trade"),
        ("governance", "compliance"),
    ),
    TopicChapter(
        "climate-change",
        "Climate change and energy",
        ("climate-change", "energy", "clean-technology"),
        ("esg.climate",),
        ("energy", "ghg"),
    ),
    TopicChapter("water", "Water", ("water",), (), ("water",)),
    TopicChapter(
        "waste-emissions",
        "Waste and emissions",
        ("waste-emissions", "circular-economy", "environmental-compliance"),
        ("compliance.environmental",),
        ("waste", "air", "wastewater", "packaging", "environment"),
    ),
    TopicChapter(
        "supply-chain",
        "Responsible procurement",
        ("supplier-management", "conflict-minerals", "industry-collaboration"),
        ("operational.supply_chain", "esg.conflict_minerals"),
        ("supply chain",),
    ),
    TopicChapter(
        "innovation",
        "Technological innovation",
        ("technological-innovation", "technology-ethics"),
        ("strategic.technology",),
        ("innovation",),
    ),
    TopicChapter(
        "data-security",
        "Cybersecurity and data protection",
        ("cybersecurity-data-protection",),
        ("operational.information_security", "operational.data_protection", "compliance.privacy"),
        ("cybersecurity",),
    ),
    TopicChapter(
        "product-quality",
        "Product and service quality",
        ("product-safety-quality", "customer-service"),
        ("operational.quality", "compliance.product_regulation"),
        ("products", "customer service"),
    ),
    TopicChapter(
        "human-rights",
        "Respecting and protecting human rights",
        ("human-rights",),
        ("esg.human_rights",),
        (),
    ),
    TopicChapter(
        "employees",
        "Our people",
        ("diversity-inclusion", "employee-care", "training-development"),
        ("operational.people",),
        ("employment", "training"),
    ),
    TopicChapter(
        "ohs",
        "Occupational health and safety",
        ("ohs",),
        ("operational.production_safety",),
        ("ohs",),
    ),
    TopicChapter(
        "stakeholder-engagement",
        "Stakeholder engagement",
        (),
        ("esg.reputation",),
        (),
    ),
    TopicChapter(
        "community",
        "Creating social value",
        ("public-welfare", "rural-revitalisation"),
        ("esg.community",),
        ("social",),
    ),
)
BY_ANCHOR = {c.anchor: c for c in TOPIC_CHAPTERS}


def chapter_of_topic(topic: str) -> str | None:
    """The heading id of the chapter answering a materiality topic, or None."""
    return next((c.anchor for c in TOPIC_CHAPTERS if topic in c.topics), None)
