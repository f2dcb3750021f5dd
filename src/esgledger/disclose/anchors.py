"""The anchors a rendered report really has, read back from its HTML.

The content index may only point at headings the report prints. Rather than trusting a list
of chapter ids, the renderer's own output is read: every element with an ``id`` (headings,
sections, KPI-appendix rows) and the disclosures each one declares it holds through a
``data-answers`` attribute, e.g.
``<h3 id="climate-governance" data-answers="szse-17:response to climate change/governance">``.
A chapter added later is indexed as soon as it renders with such an attribute.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

HEADINGS = ("h1", "h2", "h3", "h4")
CONTAINERS = ("section", "nav", "article", "div")


@dataclass
class RenderedAnchors:
    """Ids of one rendered report, the text of the heading each id opens, and claims."""

    ids: set[str] = field(default_factory=set)
    titles: dict[str, str] = field(default_factory=dict)  # id → heading text
    claims: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )  # framework → code → ids

    def has(self, anchor: str) -> bool:
        return anchor in self.ids

    def claimed(self, framework_id: str, code: str) -> list[str]:
        """Ids whose ``data-answers`` names this disclosure, in document order."""
        return list(self.claims.get(framework_id, {}).get(code, []))

    def title(self, anchor: str, default: str = "") -> str:
        return self.titles.get(anchor) or default


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = RenderedAnchors()
        self._pending: list[str] = []  # ids waiting for their heading's text
        self._heading: tuple[str, str] | None = None  # (tag, id) being read
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        anchor = a.get("id", "")
        if anchor:
            self.found.ids.add(anchor)
            for claim in a.get("data-answers", "").split(";"):
                framework_id, _, code = claim.strip().partition(":")
                if framework_id and code:
                    self.found.claims[framework_id.strip()][code.strip()].append(anchor)
            if tag in CONTAINERS:
                self._pending.append(anchor)  # a section's title is its first heading
        if tag in HEADINGS and self._heading is None:
            self._heading = (tag, anchor)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._heading and tag == self._heading[0]:
            text = " ".join("".join(self._text).split())
            for anchor in [*self._pending, self._heading[1]]:
                if anchor:
                    self.found.titles.setdefault(anchor, text)
            self._pending, self._heading = [], None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._text.append(data)


def rendered_anchors(html: str) -> RenderedAnchors:
    """Every id of ``html``, the heading text it opens, and its ``data-answers`` claims."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.found
