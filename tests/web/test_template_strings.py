"""#19: a page template prints no English of its own outside gettext — every word a user
reads is a catalog message (``_()`` or ``{% trans %}``) or data. The templates not yet
converted are listed; the list only shrinks."""

from __future__ import annotations

import re
from pathlib import Path

import esgledger.web

TEMPLATES = Path(esgledger.web.__file__).parent / "templates"
# Converted later (#19 left): each still prints English text of its own.
NOT_YET: set[str] = set()
_TRANS = re.compile(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", re.S)
_JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
_READ_ATTR = re.compile(r'\s(?:title|placeholder|aria-label|alt)="([^"]*)"')
_TAG = re.compile(r"<[^>]*>", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")
# Text a page prints in every language: the product's name, hash and file-format names.
ALWAYS = {"esgledger", "SHA", "KiB", "CSV", "PDF", "HTML", "XLSX", "API", "UTC"}


def own_english(source: str) -> list[str]:
    """English words a template prints outside gettext (text and read attributes)."""
    text = _JINJA.sub(" ", _TRANS.sub(" ", source))
    attrs = [v for v in _READ_ATTR.findall(text) if _WORD.search(v)]
    body = _TAG.sub(" ", re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S))
    words = [w for w in _WORD.findall(body) if w not in ALWAYS]
    return attrs + words


def test_converted_templates_print_no_english_of_their_own() -> None:
    found = {p.name: own_english(p.read_text(encoding="utf-8")) for p in TEMPLATES.glob("*.html")}
    offenders = {name: words[:8] for name, words in found.items() if words and name not in NOT_YET}
    assert offenders == {}
    converted = sorted(name for name in NOT_YET if name in found and not found[name])
    assert converted == [], "converted: take these off NOT_YET"


def test_the_scan_sees_english_text_and_attributes() -> None:
    assert own_english('<p title="a hint">{{ _("Fine") }} Plain words</p>') == [
        "a hint",
        "Plain",
        "words",
    ]
    assert own_english("{% trans %}Inside trans{% endtrans %}<b>{{ value }}</b>") == []
