"""A finding's explanation in a reader's language (#19).

A check names its explanation's catalog message with the finding (``message_id`` and its
``values``, ``words`` and ``names``; or a catalog ``template`` such as a checks.csv rule's
explanation; further messages in ``then``; the fix in ``fix_message``); the English
``explanation`` and ``fix`` stay what ``esg check`` prints. A page, a report edition or an
export words them here, from the same parts, so every place that shows a finding says the same
thing. A finding whose check names no message (or a statement stored before checks named
theirs) keeps its English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esgledger.catalog import translations
from esgledger.catalog.messages import translate
from esgledger.checks.findings import Finding

Message = dict[str, Any]


class _Blanks(dict[str, str]):
    """A template's blank without a value stays as written (as checks.csv rules always did)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def said(
    message_id: str,
    values: Mapping[str, Any] | None = None,
    words: Mapping[str, str] | None = None,
    names: Mapping[str, tuple[str, str]] | None = None,
    then: list[Message] | None = None,
) -> Message:
    """A message as plain data: a gettext ``message_id`` (``%(name)s`` blanks) with its
    ``values`` (as given), ``words`` (messages) and ``names`` (catalog entries)."""
    out: Message = {"id": message_id, "values": dict(values or {}), "words": dict(words or {})}
    out["names"] = {key: list(kind_key) for key, kind_key in (names or {}).items()}
    if then:
        out["then"] = list(then)
    return out


def from_catalog(
    kind: str,
    key: str,
    values: Mapping[str, Any] | None = None,
    names: Mapping[str, tuple[str, str]] | None = None,
    then: list[Message] | None = None,
) -> Message:
    """A message whose text is a catalog entry with ``{name}`` blanks (a check rule's)."""
    out = said("", values, names=names, then=then)
    out["catalog"] = [kind, key]
    return out


def unit_named(unit: str | None, metric_id: str | None = None) -> dict[str, tuple[str, str]]:
    """``{"unit": ...}`` as a catalog name: the metric's own unit ("t", worded 吨 in Chinese)
    or a published unit; nothing for a unit outside the catalog (given as a value then)."""
    if not unit:
        return {}
    own = metric_id and translations.has_text("metric_unit", metric_id, "en")
    if own and translations.text("metric_unit", str(metric_id), "en") == unit:
        return {"unit": ("metric_unit", str(metric_id))}
    return {"unit": ("unit", unit)} if translations.has_text("unit", unit, "zh") else {}


def has_message(message: Mapping[str, Any]) -> bool:
    return bool(message and (message.get("id") or message.get("catalog")))


def worded(message: Mapping[str, Any], lang: str) -> str:
    """A message in ``lang``: values as given, words and catalog names translated, its
    ``then`` messages after it (a space between sentences in English, none in Chinese)."""
    named = {
        key: _named(str(kind), entry, lang)
        for key, (kind, entry) in dict(message.get("names") or {}).items()
    }
    words = {key: translate(str(w), lang) for key, w in dict(message.get("words") or {}).items()}
    values = {
        key: worded(value, lang) if isinstance(value, Mapping) else value
        for key, value in dict(message.get("values") or {}).items()
    }  # a value may be a message itself (said in the same language)
    fill = {**values, **words, **named}
    if message.get("catalog"):
        kind, key = message["catalog"]
        template = translations.text(str(kind), str(key), lang)
        text = template.format_map(_Blanks({k: str(v) for k, v in fill.items()}))
    else:
        text = translate(str(message["id"]), lang) % fill
    more = [worded(m, lang) for m in message.get("then") or ()]
    return ("" if lang == "zh" else " ").join([text, *(m for m in more if m)])


def _named(kind: str, entry: Any, lang: str) -> str:
    """A catalog entry in ``lang``; a list of entries (a note's severities) joined, each
    worded, and in English the keys as the note always printed them."""
    if not isinstance(entry, list | tuple):
        return translations.text(kind, str(entry), lang)
    if lang == "en":
        return ", ".join(str(e) for e in entry)
    return translate(", ", lang).join(translations.text(kind, str(e), lang) for e in entry)


def english(message: Mapping[str, Any]) -> str:
    """The English a check prints (``esg check``): the same message, worded in English."""
    return worded(message, "en")


def message_of(finding: Finding) -> Message:
    """The explanation's message as plain data, to keep beside a finding's text (a report's
    data-quality statement); empty where the check named none."""
    if finding.template:
        return from_catalog(*finding.template, finding.values, finding.names, finding.then)
    if not finding.message_id:
        return {}
    return said(finding.message_id, finding.values, finding.words, finding.names, finding.then)


def explanation_in(explanation: str, message: Mapping[str, Any], lang: str) -> str:
    """``explanation`` in ``lang``: its ``message`` (:func:`message_of`) from the catalog —
    values as given, words and catalog names translated — else the English as it is."""
    if lang == "en" or not has_message(message):
        return explanation
    return worded(message, lang)


def finding_in(finding: Finding, lang: str) -> str:
    """A finding's explanation in ``lang`` (see :func:`explanation_in`)."""
    return explanation_in(finding.explanation, message_of(finding), lang)


def fix_in(finding: Finding, lang: str) -> str:
    """A finding's fix in ``lang`` from its message: the one its check named, or for a finding
    kept without it, the one its check's id and stored English give
    (:func:`esgledger.checks.stored_fixes.stored_fix`); else its English."""
    from esgledger.checks.stored_fixes import stored_fix  # it words with this module's parts

    return explanation_in(finding.fix, stored_fix(finding), lang)


def worded_parts(explanation: Message, fix: Message | None = None) -> dict[str, Any]:
    """A :class:`Finding`'s explanation (and fix) as keyword arguments: the English ``esg
    check`` prints and the messages a page or an edition words in its reader's language."""
    names = {key: (kind, entry) for key, (kind, entry) in explanation["names"].items()}
    out: dict[str, Any] = {
        "explanation": english(explanation),
        "message_id": explanation["id"],
        "values": explanation["values"],
        "words": explanation["words"],
        "names": names,
        "then": list(explanation.get("then") or []),
    }
    if explanation.get("catalog"):
        out["template"] = tuple(explanation["catalog"])
    if fix is not None:
        out["fix"] = english(fix)
        out["fix_message"] = fix
    return out
