"""The content index: for each disclosure of a framework, where the report answers it in a year.

An entry is answered by report sections (their anchors come from ``report_sections.csv``) and
by KPI values (a metric answers the disclosures the metric catalog lists for it), or it carries
the recorded reason for omission. What is required follows the framework's columns: GRI 2 always,
topic-standard disclosures when their topic is material. Without an explicit list of material
groups, a group counts as material when the outline or the metric catalog answers any of its
disclosures — the report treats it as material.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog.frameworks import (
    Disclosure,
    disclosures,
    framework,
    groups,
    metric_disclosures,
    metric_links,
)
from esgledger.catalog.metrics import metrics
from esgledger.catalog.outline import Section, report_sections
from esgledger.disclose import default_omissions
from esgledger.disclose.anchors import RenderedAnchors
from esgledger.disclose.omissions import Omission, latest_omissions
from esgledger.kpi.figures import KpiFigure

ANSWERED = "answered"  # a section, or a KPI with a value for the year
OMITTED = "omitted"  # a recorded reason for omission and nothing else
KPI_MISSING = "kpi-missing"  # backed only by KPIs, and none has a value for the year
GAP = "gap"  # required, and nothing behind it
NOT_REPORTED = "not-reported"  # not required and not answered: not an index entry
STATUSES = (ANSWERED, OMITTED, KPI_MISSING, GAP, NOT_REPORTED)

# Disclosures reported once per material topic: required as soon as any topic is material.
PER_TOPIC = {
    ("gri-2021", "3-3"),
    ("gri-2016", "103-1"),
    ("gri-2016", "103-2"),
    ("gri-2016", "103-3"),
}

# Frameworks whose materiality is decided per disclosure (each SZSE topic), not per group.
PER_CODE_MATERIALITY = {"szse-17"}

Figures = Mapping[tuple[str, str], KpiFigure]


def materiality_unit(item: Disclosure) -> str:
    """What is judged material: the topic standard / pillar, or the SZSE topic itself."""
    return item.code if item.framework in PER_CODE_MATERIALITY else item.group


def kpi_anchor(metric_id: str, dims: Mapping[str, str] | None = None) -> str:
    """The HTML id of a metric's KPI-appendix row: ``energy.total`` → ``kpi-energy-total``.

    Same spelling as ``disclose.report.kpi_anchor`` (breakdowns add ``--gender-female``).
    """
    suffix = "".join(f"--{k}-{v}" for k, v in sorted((dims or {}).items()))
    return (
        "kpi-"
        + re.sub(r"[^a-z0-9]+", "-", metric_id.lower())
        + re.sub(r"[^a-z0-9-]+", "-", suffix.lower())
    )


@dataclass(frozen=True)
class SectionRef:
    """A report section that answers a disclosure; link to ``#anchor``."""

    id: str
    title: str
    anchor: str


@dataclass(frozen=True)
class KpiRef:
    """A KPI that answers a disclosure, with its figure for the year (value None = missing)."""

    metric: str
    name: str
    anchor: str
    value: float | None
    unit: str
    status: str  # the figure's status: reported | not_disclosed | not_applicable | missing
    source: str  # reported | calculated | derived | missing
    relation: str  # listed (metric catalog) | full | partial (metric-links.csv)
    dims: dict[str, str] = field(default_factory=dict)
    in_report: bool = True  # the rendered report has its appendix row (always, unrendered)

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def linked(self) -> bool:
        """The index may point at it: a value for the year, in a row the report prints."""
        return self.has_value and self.in_report


@dataclass
class IndexEntry:
    """One disclosure and what answers it."""

    code: str
    title: str
    group: str
    group_title: str
    kind: str
    requirement: str  # the catalog's ``required`` column
    required: bool  # required for this report and year
    omission_permitted: bool
    sections: list[SectionRef]
    kpis: list[KpiRef]
    omission: Omission | None
    status: str

    @property
    def in_index(self) -> bool:
        return self.status != NOT_REPORTED

    def refs(self) -> list[dict[str, str]]:
        """What the printed row points at: its headings, then KPI rows with a value."""
        refs = [{"anchor": s.anchor, "label": s.title} for s in self.sections]
        return refs + [{"anchor": k.anchor, "label": k.name} for k in self.kpis if k.linked]

    def printed(self) -> str:
        """The row's "where answered" cell as the report prints it (without page numbers)."""
        refs = self.refs()
        parts = ["; ".join(r["label"] for r in refs)] if refs else []
        if self.omission is not None:
            parts.append(f"{'Omitted in part' if refs else 'Omitted'}: {self.omission.text}")
        elif not refs:
            parts.append("Not reported (the standard permits no reason for omission).")
        return " ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["omission"] = self.omission.as_dict() if self.omission else None
        out["in_index"] = self.in_index
        out["refs"] = self.refs()
        out["printed"] = self.printed()
        return out


@dataclass
class ContentIndex:
    """The content index of one framework for one year."""

    framework: str
    name: str
    edition: str
    citation: str
    year: int
    material_groups: list[str]
    entries: list[IndexEntry]
    statement: str = ""  # the statement of use printed above the index (GRI)
    # what the statement says, for each edition to word it (:mod:`.statement_of_use`)
    statement_parts: dict[str, Any] = field(default_factory=dict)

    def entry(self, code: str) -> IndexEntry:
        return next(e for e in self.entries if e.code == code)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for e in self.entries if e.status == s) for s in STATUSES}

    def as_report_dict(self) -> dict[str, Any]:
        """The shape ``ReportModel.indices`` takes: index entries with links and omissions.

        Section refs link to the headings the report has; KPI refs only when the year has a
        value in a row the report prints. A row without either carries its reason for omission,
        or says it is not reported (GRI 2-1 to 2-5 permit no reason).
        """
        entries = []
        for e in self.entries:
            if not e.in_index:
                continue
            refs = e.refs()
            entries.append(
                {
                    "code": e.code,
                    "title": e.title,
                    "group": e.group_title,
                    "kind": e.kind,
                    "status": e.status,
                    "refs": refs,
                    "omission": e.omission.text if e.omission else None,
                    "omission_parts": e.omission.as_dict() if e.omission else None,
                    "not_reported": not refs and e.omission is None,
                }
            )
        return {
            "framework": self.framework,
            "title": self.name,
            "statement": self.statement,
            "statement_parts": self.statement_parts,
            "entries": entries,
        }

    def as_dict(self, *, all_entries: bool = True) -> dict[str, Any]:
        entries = [e for e in self.entries if all_entries or e.in_index]
        return {
            "framework": self.framework,
            "name": self.name,
            "edition": self.edition,
            "citation": self.citation,
            "year": self.year,
            "material_groups": self.material_groups,
            "counts": self.counts(),
            "entries": [e.as_dict() for e in entries],
        }


def content_index(
    session: Session,
    year: int,
    framework_id: str,
    *,
    sections: Iterable[Section] | None = None,
    figures: Figures | None = None,
    material: Iterable[str] | None = None,
    anchors: RenderedAnchors | None = None,
    assessed: bool = False,
) -> ContentIndex:
    """Each disclosure of ``framework_id`` → its sections, KPI values or reason for omission.

    ``sections``: the report's sections (default: the shipped outline; pass only those that have
    narrative to be strict). ``figures``: a ``kpi_table`` already computed for ``year``.
    ``material``: the material groups (e.g. ``GRI 305``, ``ESRS E1``; for SZSE the topic names);
    inferred from the answers if omitted; ``assessed``: they come from a materiality assessment.
    ``anchors``: the ids of the rendered report — a section or KPI row counts only if the report
    has it, and headings that declare a disclosure (``data-answers``) answer it too.
    """
    fw = framework(framework_id)
    outline = list(sections) if sections is not None else list(report_sections().values())
    if figures is None:
        from esgledger.kpi.values import kpi_table

        figures = kpi_table(session, year)
    omissions = latest_omissions(session, year, fw.id)
    by_metric = metric_disclosures(fw.id)
    relations = {
        (ln.code, ln.metric): ln.relation for ln in metric_links() if ln.framework == fw.id
    }
    items = disclosures(fw.id)
    refs = {
        code: (
            _section_refs(outline, fw.id, code, anchors),
            [
                _kpi_ref(m, figures, relations.get((code, m), "listed"), anchors)
                for m in by_metric.get(code, ())
            ],
        )
        for code in items
    }
    topic_groups = {
        materiality_unit(d)
        for d in items.values()
        if d.required == "if-material" and (d.framework, d.code) not in PER_TOPIC
    }
    chosen = set(material) if material is not None else _inferred_material(items.values(), refs)
    groups_material = chosen & topic_groups
    titles = {g.code: g.title for g in groups(fw.id).values()}
    entries = []
    for code, item in items.items():
        secs, kpis = refs[code]
        required = _required(item, groups_material)
        status = _status(secs, kpis, omissions.get(code), required)
        omission = omissions.get(code) or _default_omission(
            item, year, status, kpis, per_code=fw.id in PER_CODE_MATERIALITY, assessed=assessed
        )
        if status == NOT_REPORTED and omission is not None:
            status = OMITTED  # a topic omitted as not material is still an index row
        entries.append(
            IndexEntry(
                code=code,
                title=item.title,
                group=item.group,
                group_title=titles.get(item.group, item.group),
                kind=item.kind,
                requirement=item.required,
                required=required,
                omission_permitted=item.omission_permitted,
                sections=secs,
                kpis=kpis,
                omission=omission,
                status=status,
            )
        )
    return ContentIndex(
        framework=fw.id,
        name=fw.name,
        edition=fw.edition,
        citation=fw.citation,
        year=year,
        material_groups=[
            u for u in dict.fromkeys(map(materiality_unit, items.values())) if u in groups_material
        ],
        entries=entries,
    )


def _section_refs(
    outline: list[Section], framework_id: str, code: str, anchors: RenderedAnchors | None
) -> list[SectionRef]:
    """Outline sections mapped to the code, and headings that declare it — only those the
    rendered report has, titled as the report prints them."""
    if anchors is None:
        return [
            SectionRef(s.id, s.title, s.anchor) for s in outline if code in s.codes(framework_id)
        ]
    wanted = [s.anchor for s in outline if code in s.codes(framework_id)]
    wanted += anchors.claimed(framework_id, code)
    return [SectionRef(a, anchors.title(a, a), a) for a in dict.fromkeys(wanted) if anchors.has(a)]


def _default_omission(
    item: Disclosure,
    year: int,
    status: str,
    kpis: list[KpiRef],
    *,
    per_code: bool,
    assessed: bool,
) -> Omission | None:
    """The reason the report states when none is recorded (see ``default_omissions``)."""
    if status == ANSWERED:
        if (
            default_omissions.asks_for_scope3(item)
            and item.omission_permitted
            and not any(k.linked and default_omissions.is_scope3(k.metric) for k in kpis)
        ):
            return default_omissions.scope3_part(item, year)
        return None
    if status == NOT_REPORTED:
        return default_omissions.not_material(item, year, assessed) if per_code else None
    if not item.omission_permitted:
        return None  # e.g. GRI 2-1 to 2-5: printed as not reported, never excused
    missing = [k for k in kpis if not k.linked]
    return default_omissions.unanswered(
        item, year, [k.name for k in missing], [k.metric for k in missing]
    )


def _kpi_ref(
    metric_id: str, figures: Figures, relation: str, anchors: RenderedAnchors | None = None
) -> KpiRef:
    """The metric's total figure; a breakdown's figure when only breakdowns have a value."""
    fig = figures.get((metric_id, ""))
    if fig is None or fig.value is None:
        with_value = [f for (m, _), f in figures.items() if m == metric_id and f.value is not None]
        fig = with_value[0] if with_value else fig
    metric = metrics().get(metric_id)
    return KpiRef(
        metric=metric_id,
        name=metric.name if metric else metric_id,
        anchor=kpi_anchor(metric_id, fig.dims if fig else None),
        value=fig.value if fig else None,
        unit=fig.unit if fig else (metric.unit if metric else ""),
        status=fig.status if fig else "missing",
        source=fig.source if fig else "missing",
        relation=relation,
        dims=dict(fig.dims) if fig else {},
        in_report=anchors is None or anchors.has(kpi_anchor(metric_id, fig.dims if fig else None)),
    )


def _inferred_material(
    items: Iterable[Disclosure], refs: dict[str, tuple[list[SectionRef], list[KpiRef]]]
) -> set[str]:
    """Groups the report answers anything of (sections, or metrics that list a disclosure)."""
    return {materiality_unit(d) for d in items if refs[d.code][0] or refs[d.code][1]}


def _required(item: Disclosure, material: set[str]) -> bool:
    """Required for this report: always, or when its topic (or, for 3-3, any topic) is material."""
    if item.required in ("always", "core"):
        return True
    if item.required != "if-material":
        return False  # e.g. GRI 2016 'comprehensive' only
    if (item.framework, item.code) in PER_TOPIC:
        return bool(material)
    return materiality_unit(item) in material


def _status(
    sections: list[SectionRef], kpis: list[KpiRef], omission: Omission | None, required: bool
) -> str:
    if sections or any(k.linked for k in kpis):
        return ANSWERED
    if omission is not None:
        return OMITTED
    if kpis:
        return KPI_MISSING
    return GAP if required else NOT_REPORTED
