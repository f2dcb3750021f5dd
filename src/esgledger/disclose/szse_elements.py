"""The four elements of a double-material SZSE No. 17 topic, as index row codes.

Guideline No. 17 asks a topic material both ways to be disclosed through governance,
strategy, impact/risk/opportunity management and metrics and targets. Each element is an
index row of its own, coded ``<topic>/<element>`` (``response to climate change/strategy``),
so a reason for omission can be recorded for it like for any other row.
"""

from __future__ import annotations

from dataclasses import dataclass

from esgledger.catalog.frameworks import disclosure
from esgledger.errors import NotFound

FRAMEWORK = "szse-17"
ELEMENTS = (
    ("governance", "Governance"),
    ("strategy", "Strategy"),
    ("iro-management", "Impact, risk and opportunity management"),
    ("metrics-targets", "Metrics and targets"),
)
ELEMENT_LABELS = dict(ELEMENTS)


@dataclass(frozen=True)
class ElementRow:
    """One element row of a topic: its code, the topic's code and the element's key."""

    code: str
    topic: str
    element: str
    title: str


def element_code(topic: str, element: str) -> str:
    return f"{topic}/{element}"


def element_row(framework_id: str, code: str) -> ElementRow | None:
    """The element row ``code`` names, or None when it is not an element code.

    The topic matches as any SZSE code does (case, slug); the element by its key or label.
    """
    if framework_id != FRAMEWORK or "/" not in code:
        return None
    topic_text, _, element_text = code.rpartition("/")
    topic = disclosure(FRAMEWORK, topic_text.strip())
    wanted = " ".join(element_text.strip().lower().replace("-", " ").split())
    for key, label in ELEMENTS:
        if wanted in (key.replace("-", " "), label.lower()):
            return ElementRow(
                element_code(topic.code, key), topic.code, key, f"{topic.title}: {label}"
            )
    keys = ", ".join(key for key, _ in ELEMENTS)
    raise NotFound(
        f"{FRAMEWORK} topics have no element {element_text.strip()!r}; use one of: {keys}"
    )
