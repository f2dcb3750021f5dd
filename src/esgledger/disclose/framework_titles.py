"""A framework's titles as an edition prints them: never our translation shown as its title (#19).

A framework whose own Chinese text the catalog cites (``zh_source`` in
``catalog/data/frameworks/sources.csv``: SZSE No. 17, published in Chinese) is titled in its
Chinese. Every other framework (GRI, IFRS S2, TCFD, ESRS E1: no Chinese edition we could
cite) keeps its official English title; where the catalog has a Chinese gloss of it, the
gloss follows in full-width parentheses and the index says, in :data:`GLOSS_NOTE`, that it is
ours and for reference only ("译名仅供参考"). The English edition is the English titles.
"""

from __future__ import annotations

from typing import NamedTuple

from esgledger.catalog.frameworks import framework
from esgledger.catalog.messages import N_
from esgledger.catalog.translations import has_text, text

GLOSS_NOTE = N_(
    "%(framework)s has no Chinese edition this report can cite: its titles are printed in "
    "English as it publishes them; the Chinese in full-width parentheses is this report's "
    "gloss, for reference only."
)


class Shown(NamedTuple):
    """A title as printed: the whole text, the English original in it ("" when the title is
    the framework's own in the edition's language) and our gloss beside it ("" for none)."""

    text: str
    english: str
    gloss: str


def shown(kind: str, key: str, lang: str) -> Shown:
    """The ``kind`` (framework, group or disclosure) entry ``key`` as the ``lang`` edition
    prints it; ``key`` is a framework id or ``framework:code``."""
    english = text(kind, key, "en")
    if lang == "en":
        return Shown(english, "", "")
    if official(key):
        return Shown(text(kind, key, lang), "", "")
    if not has_text(kind, key, lang):
        return Shown(english, english, "")
    gloss = text(kind, key, lang)
    return Shown(f"{english}（{gloss}）", english, gloss)


def official(key: str) -> bool:
    """Whether the catalog's Chinese titles of the framework of ``key`` are its own, cited."""
    return framework(key.split(":", 1)[0]).official_zh
