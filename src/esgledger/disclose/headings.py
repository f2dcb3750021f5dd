"""Every heading id the report prints, in one place, so indices can point at them.

The content index links a disclosure to a heading by its ``id`` (and the PDF to its page);
the renderer gives each chapter and section the id named here, and nothing else does. Topic
chapters written as Markdown take the id of their file (``04-water.md`` → ``water``), which
is the outline's anchor (``catalog/data/report_sections.csv``); :mod:`.topics` lists the topic
chapters and the material topics each answers, and :func:`element_id` the ids of their four
elements.
"""

from __future__ import annotations

COVER = "cover"
CONTENTS = "contents"
ABOUT = "about-report"
BOUNDARIES = "boundaries"
METHODOLOGY = "methodology"
METHODS = "methods"  # calculation methods and factor editions, inside the methodology
DATA_QUALITY = "data-quality"
HIGHLIGHTS = "highlights"
LETTER = "message"
MATERIALITY = "materiality"
MATERIALITY_PROCESS = "materiality-process"  # GRI 3-1, inside the materiality chapter
MATERIAL_TOPICS = "material-topics"  # GRI 3-2
MATERIAL_TOPICS_MANAGEMENT = "material-topics-management"  # GRI 3-3
RISKS = "risk-management"
CLIMATE_RISKS = "climate-risks"
CARBON_PRICE = "carbon-price"
TARGETS = "targets"
STAKEHOLDERS = "stakeholder-engagement"
STAKEHOLDER_TABLE = "stakeholder-table"
ASSURANCE = "assurance"
KPI_APPENDIX = "kpi-appendix"
CONTENT_INDEX = "content-index"
VERIFICATION = "verification"

# The four elements each double-material topic's chapter covers (IFRS S1 / SZSE No. 17).
ELEMENTS = ("governance", "strategy", "management", "metrics")
ELEMENT_TITLES = {
    "governance": "Governance",
    "strategy": "Strategy",
    "management": "Impact, risk and opportunity management",
    "metrics": "Metrics and targets",
}
# The same four as the Chinese edition's headings (SZSE No. 17's 治理、战略、影响、风险和机遇管理、
# 指标与目标), recognised in a Chinese narrative as the English ones are.
ELEMENT_TITLES_ZH = {
    "governance": "治理",
    "strategy": "战略",
    "management": "影响、风险和机遇管理",
    "metrics": "指标与目标",
}


# An SZSE index element row's key (``<topic>/iro-management``) → its heading's key above.
SZSE_ELEMENT_KEYS = {
    "governance": "governance",
    "strategy": "strategy",
    "iro-management": "management",
    "metrics-targets": "metrics",
}


def index_code(code: str, kind: str, framework: str, title: str, lang: str) -> str:
    """What an index's code column prints: the code; for an SZSE topic's element row the
    element (治理 in Chinese, "governance" in English). SZSE topics are coded by their English
    names (the guideline names its topics, it does not number them): the Chinese edition
    prints the topic's Chinese name, ``title``. The row keeps its code either way."""
    if kind == "element":
        element = code.rpartition("/")[2]
        if lang == "zh" and element in SZSE_ELEMENT_KEYS:
            return ELEMENT_TITLES_ZH[SZSE_ELEMENT_KEYS[element]]
        return element.replace("-", " ")
    szse_topic = framework == "szse-17" and kind == "topic"
    return title if szse_topic and lang == "zh" and title else code


def element_id(chapter: str, element: str) -> str:
    """The id of one of the four elements inside a topic chapter: ``data-security--strategy``."""
    return f"{chapter}--{element}"


def content_index_id(framework: str) -> str:
    """The id of one framework's content index: ``content-index-gri-2021``."""
    return f"{CONTENT_INDEX}-{framework}"


FIXED = (
    COVER,
    CONTENTS,
    ABOUT,
    BOUNDARIES,
    METHODOLOGY,
    METHODS,
    DATA_QUALITY,
    HIGHLIGHTS,
    MATERIALITY,
    MATERIALITY_PROCESS,
    MATERIAL_TOPICS,
    MATERIAL_TOPICS_MANAGEMENT,
    RISKS,
    CLIMATE_RISKS,
    CARBON_PRICE,
    TARGETS,
    STAKEHOLDER_TABLE,
    ASSURANCE,
    KPI_APPENDIX,
    CONTENT_INDEX,
    VERIFICATION,
)
