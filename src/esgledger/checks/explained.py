"""A finding's explanation in a reader's language (#19).

A check names its explanation's catalog message with the finding (``message_id`` and its
``values``, ``words`` and ``names``); the English ``explanation`` stays what ``esg check``
prints. A page, a report edition or an export words it here, from the same parts, so every
place that shows a finding says the same thing. A finding whose check names no message (or
a statement stored before checks named theirs) keeps its English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esgledger.catalog import translations
from esgledger.catalog.messages import translate
from esgledger.checks.findings import Finding


def message_of(finding: Finding) -> dict[str, Any]:
    """The explanation's message as plain data, to keep beside a finding's text (a report's
    data-quality statement); empty where the check named none."""
    if not finding.message_id:
        return {}
    return {
        "id": finding.message_id,
        "values": dict(finding.values),
        "words": dict(finding.words),
        "names": {key: list(kind_key) for key, kind_key in finding.names.items()},
    }


def explanation_in(explanation: str, message: Mapping[str, Any], lang: str) -> str:
    """``explanation`` in ``lang``: its ``message`` (:func:`message_of`) from the catalog —
    values as given, words and catalog names translated — else the English as it is."""
    if lang == "en" or not message or not message.get("id"):
        return explanation
    named = {
        key: translations.text(str(kind), str(entry), lang)
        for key, (kind, entry) in dict(message.get("names") or {}).items()
    }
    words = {key: translate(str(w), lang) for key, w in dict(message.get("words") or {}).items()}
    values = dict(message.get("values") or {})
    return translate(str(message["id"]), lang) % {**values, **words, **named}


def finding_in(finding: Finding, lang: str) -> str:
    """A finding's explanation in ``lang`` (see :func:`explanation_in`)."""
    return explanation_in(finding.explanation, message_of(finding), lang)
