"""Disclosure frameworks as shipped data: GRI 2021 and 2016, SZSE Guideline No. 17, IFRS S2,
TCFD and ESRS E1, each with its disclosures, groups and mappings (``catalog/data/frameworks``).

Codes and titles are transcribed from the public standards; ``sources.csv`` names the standard,
edition, publisher and date of each framework, and every row carries a ``status``
(``checked`` against a public copy, ``transcribed``, or ``unverified``). Obligations are columns,
not prose, so the content index and the gap analysis can read them:

- ``required``: ``always`` (answer it or give a permitted reason for omission), ``if-material``
  (only when its group, e.g. the topic standard, is material), or for GRI 2016 ``core`` /
  ``comprehensive`` (the 'in accordance' option that requires it).
- ``omission``: whether GRI 1 permits a reason for omission (``yes``, ``no``, ``unverified``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from esgledger.catalog._files import read_rows
from esgledger.errors import NotFound

FRAMEWORK_IDS = ("gri-2021", "gri-2016", "szse-17", "ifrs-s2", "tcfd", "esrs-e1")
REQUIRED = ("always", "if-material", "core", "comprehensive")
OMISSION = ("yes", "no", "unverified")
STATUSES = ("checked", "transcribed", "unverified")


@dataclass(frozen=True, slots=True)
class Framework:
    """One framework and the edition of it we ship, with its citation."""

    id: str
    name: str
    name_zh: str
    edition: str
    edition_zh: str  # the edition and citation in the source's own Chinese, where known
    publisher: str
    published: str
    effective: str
    file: str
    citation: str
    citation_zh: str
    # Where the framework's own Chinese text is cited from; empty: it publishes none we can
    # cite, so ``name_zh``/``title_zh`` are our glosses, never printed as its titles (#19).
    zh_source: str
    notes: str

    @property
    def official_zh(self) -> bool:
        """Whether the catalog's Chinese titles of this framework are its own (cited)."""
        return bool(self.zh_source.strip())


@dataclass(frozen=True, slots=True)
class Group:
    """A standard, pillar or chapter that disclosures belong to (materiality is decided here)."""

    framework: str
    code: str
    title: str
    title_zh: str
    edition: str
    effective: str
    status: str
    notes: str


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One disclosure (or topic, recommended disclosure, datapoint) of a framework."""

    framework: str
    code: str
    title: str
    group: str
    kind: str
    required: str
    omission: str
    paragraphs: str
    parent: str
    title_zh: str
    status: str
    notes: str

    @property
    def omission_permitted(self) -> bool:
        """False only where the standard forbids a reason for omission (e.g. GRI 2-1 to 2-5)."""
        return self.omission != "no"


@dataclass(frozen=True, slots=True)
class Mapping:
    """A disclosure of one framework edition and what answers it in another."""

    source: str
    target: str  # empty: no counterpart
    relation: str  # equivalent | partial | related | same | none
    basis: str
    note: str


@dataclass(frozen=True, slots=True)
class MetricLink:
    """A metric that answers a disclosure the metric catalog's columns cannot name."""

    framework: str
    code: str
    metric: str
    relation: str  # full | partial
    note: str


@dataclass(frozen=True, slots=True)
class Gri1Item:
    """A requirement for reporting 'in accordance' or a reason for omission in GRI 1."""

    kind: str  # requirement | omission-reason
    code: str
    title: str
    status: str
    notes: str


@cache
def frameworks() -> dict[str, Framework]:
    """Every shipped framework by id, in the order of ``FRAMEWORK_IDS``."""
    rows = {row["id"]: row for row in read_rows("frameworks/sources.csv")}
    return {fid: Framework(**rows[fid]) for fid in FRAMEWORK_IDS if fid in rows}


def framework(framework_id: str) -> Framework:
    try:
        return frameworks()[framework_id.strip().lower()]
    except KeyError:
        known = ", ".join(frameworks())
        raise NotFound(f"unknown framework {framework_id!r}; use one of: {known}") from None


@cache
def groups(framework_id: str) -> dict[str, Group]:
    """The standards / pillars of a framework by code, in file order."""
    fw = framework(framework_id)
    return {
        row["code"]: Group(**row)
        for row in read_rows("frameworks/groups.csv")
        if row["framework"] == fw.id
    }


@cache
def disclosures(framework_id: str) -> dict[str, Disclosure]:
    """Every disclosure of a framework by code, in the standard's order."""
    fw = framework(framework_id)
    rows = read_rows(f"frameworks/{fw.file}")
    return {row["code"]: Disclosure(framework=fw.id, **row) for row in rows}


def slug(text: str) -> str:
    """A spelling of a code or topic name that is easy to type (``supply-chain-security``)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " ")).strip("-")


def disclosure(framework_id: str, code: str) -> Disclosure:
    """One disclosure; codes match case-insensitively, SZSE topics also by slug."""
    items = disclosures(framework_id)
    if code in items:
        return items[code]
    wanted = code.strip().lower()
    for item in items.values():
        if wanted in (item.code.lower(), slug(item.code)) or slug(wanted) == slug(item.code):
            return item
    raise NotFound(
        f"{framework_id} has no disclosure {code!r}; "
        f"`esg frameworks show {framework_id}` lists them"
    )


def _mappings(name: str) -> list[Mapping]:
    return [Mapping(**row) for row in read_rows(f"frameworks/{name}")]


@cache
def mapping_2016_to_2021() -> tuple[Mapping, ...]:
    """GRI 2016 code → GRI 2021 code(s): the file's rows, then ``same`` for unchanged disclosures.

    A 2016 code with an explicit row is never mapped to its namesake: 303-1, 306-2 and 403-2
    mean something else in the 2018/2020 standards.
    """
    explicit = _mappings("gri-2016-to-2021.csv")
    mapped = {m.source for m in explicit}
    new = disclosures("gri-2021")
    same = [
        Mapping(code, code, "same", "same code and title in both editions", "")
        for code, old in disclosures("gri-2016").items()
        if code not in mapped and code in new and new[code].title == old.title
    ]
    return (*explicit, *same)


def map_2016(code: str) -> tuple[str, ...]:
    """The GRI 2021 codes a GRI 2016 disclosure maps to (empty when none)."""
    return tuple(m.target for m in mapping_2016_to_2021() if m.source == code and m.target)


@cache
def s2_to_tcfd() -> tuple[Mapping, ...]:
    """IFRS S2 paragraph → TCFD recommended disclosure."""
    return tuple(_mappings("ifrs-s2-to-tcfd.csv"))


@cache
def metric_links() -> tuple[MetricLink, ...]:
    """Extra metric → disclosure links for frameworks the metric catalog has no column for."""
    return tuple(MetricLink(**row) for row in read_rows("frameworks/metric-links.csv"))


@cache
def gri1() -> tuple[Gri1Item, ...]:
    """GRI 1: Foundation 2021 — the nine requirements and the four reasons for omission."""
    return tuple(Gri1Item(**row) for row in read_rows("frameworks/gri-1.csv"))


def omission_reasons() -> tuple[str, ...]:
    """GRI 1's reasons for omission, as codes (``not applicable`` …)."""
    return tuple(item.code for item in gri1() if item.kind == "omission-reason")


def metric_disclosures(framework_id: str) -> dict[str, tuple[str, ...]]:
    """Disclosure code → metric ids that answer it, from the metric catalog and the links.

    GRI 2016 has no column in the metric catalog: a metric answers the 2016 disclosure that is
    the only one mapped to its 2021 code.
    """
    from esgledger.catalog.metrics import metrics

    back = _unique_back_mapping() if framework_id == "gri-2016" else {}
    out: dict[str, list[str]] = {}
    for m in metrics().values():
        codes: tuple[str, ...] = ()
        if framework_id == "gri-2021":
            codes = m.gri
        elif framework_id == "szse-17":
            codes = m.szse17
        elif framework_id == "gri-2016":
            codes = tuple(back[c] for c in m.gri if c in back)
        for code in codes:
            out.setdefault(code, []).append(m.id)
    for link in metric_links():
        if link.framework == framework_id:
            out.setdefault(link.code, []).append(link.metric)
    return {code: tuple(dict.fromkeys(ids)) for code, ids in out.items()}


def _unique_back_mapping() -> dict[str, str]:
    """GRI 2021 code → the one GRI 2016 code mapped to it; ambiguous targets (2-27 ← 307-1 and
    419-1) are left out, so a KPI never answers a 2016 disclosure it may not be about."""
    sources: dict[str, set[str]] = {}
    for mp in mapping_2016_to_2021():
        if mp.target:
            sources.setdefault(mp.target, set()).add(mp.source)
    return {target: next(iter(s)) for target, s in sources.items() if len(s) == 1}


def metric_reference_problems() -> list[str]:
    """Metric catalog rows whose ``gri`` or ``szse17`` value names no shipped disclosure."""
    from esgledger.catalog.metrics import metrics

    gri_2021, gri_2016 = disclosures("gri-2021"), disclosures("gri-2016")
    topics = disclosures("szse-17")
    problems: list[str] = []
    for m in metrics().values():
        for code in m.gri:
            if code not in gri_2021 and not (code in gri_2016 and map_2016(code)):
                problems.append(f"metrics.csv {m.id}: gri {code!r} is in neither GRI edition")
        for topic in m.szse17:
            if topic not in topics:
                problems.append(f"metrics.csv {m.id}: szse17 {topic!r} is not one of the 21")
    return problems
