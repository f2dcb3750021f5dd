"""Gap analysis: what the content index cannot yet point an auditor to.

Two kinds of gap, per SYSTEM.md §17 ("every index entry must resolve to a narrative block or
KPI value, or be flagged omitted with a reason"):

- ``no-answer``: a required disclosure with no section, no KPI and no reason for omission;
- ``kpi-missing``: an index entry backed only by KPIs, none of which has a value for the year.

:func:`report_gap_analysis` reads the gaps off the report as ``esg report`` renders it (same
narrative sections, same headings), so it agrees row for row with the printed index; each gap
carries the reason for omission the index prints while none is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog.frameworks import FRAMEWORK_IDS, disclosures, framework, groups
from esgledger.catalog.outline import Section
from esgledger.disclose.index import GAP, KPI_MISSING, ContentIndex, Figures, content_index

NO_ANSWER = "no-answer"


@dataclass(frozen=True)
class Gap:
    """One index entry without anything behind it, and how to close it."""

    framework: str
    code: str
    title: str
    group: str
    kind: str  # no-answer | kpi-missing
    required: bool
    metrics: tuple[str, ...]  # the KPIs without a value (kpi-missing)
    omission_permitted: bool
    hint: str
    omission: str  # what the index prints instead: the reason it states, or "" (not reported)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class GapReport:
    """The gaps of a year over one or more frameworks."""

    year: int
    frameworks: list[str]
    gaps: list[Gap]

    def as_dict(self) -> dict[str, Any]:
        counts = {fid: sum(1 for g in self.gaps if g.framework == fid) for fid in self.frameworks}
        return {
            "year": self.year,
            "frameworks": self.frameworks,
            "counts": counts,
            "gaps": [g.as_dict() for g in self.gaps],
        }


def gaps_of(index: ContentIndex) -> list[Gap]:
    """The gaps of one content index, in the standard's order."""
    out = []
    for e in index.entries:
        if e.status not in (GAP, KPI_MISSING):
            continue
        omit = f"esg index omit --year {index.year} --framework {index.framework} " + (
            f'--disclosure "{e.code}" --reason … --explanation …'
        )
        if e.status == KPI_MISSING:
            metrics = tuple(k.metric for k in e.kpis)
            fix = f"enter a {index.year} value for {', '.join(metrics)}"
        else:
            metrics = ()
            fix = "map a report section to it"
        if e.omission_permitted:
            fix += f", or state why it is omitted: `{omit}`"
        out.append(
            Gap(
                framework=index.framework,
                code=e.code,
                title=e.title,
                group=e.group,
                kind=KPI_MISSING if e.status == KPI_MISSING else NO_ANSWER,
                required=e.required,
                metrics=metrics,
                omission_permitted=e.omission_permitted,
                hint=fix,
                omission=e.omission.text if e.omission else "",
            )
        )
    return out


def default_frameworks(year: int) -> list[str]:
    """The frameworks a year is checked against: the GRI edition of its time, and the rest.

    GRI 2021 applies to reports published from 2023, so to years after 2021; earlier years use
    the 2016 Standards.
    """
    gri = "gri-2016" if year <= 2021 else "gri-2021"
    return [gri, *(f for f in FRAMEWORK_IDS if not f.startswith("gri-"))]


def gap_analysis(
    session: Session,
    year: int,
    frameworks: Iterable[str] | None = None,
    *,
    sections: Iterable[Section] | None = None,
    figures: Figures | None = None,
    material: Iterable[str] | None = None,
) -> GapReport:
    """Gaps of ``year`` for the given frameworks (default: :func:`default_frameworks`).

    The KPI table is computed once and shared; ``sections`` and ``figures`` are passed on to
    :func:`esgledger.disclose.index.content_index`, ``material`` group codes to the framework
    they belong to (frameworks without any keep the inferred materiality).
    """
    ids = [framework(f).id for f in (frameworks or default_frameworks(year))]
    if figures is None:
        from esgledger.kpi.values import kpi_table

        figures = kpi_table(session, year)
    outline = list(sections) if sections is not None else None
    chosen = list(material) if material is not None else None
    found: list[Gap] = []
    for fid in ids:
        # material groups are named per framework (GRI 305, ESRS E1 …); infer where none given
        names = set(groups(fid)) | set(disclosures(fid))
        own = [g for g in chosen if g in names] if chosen is not None else []
        index = content_index(
            session, year, fid, sections=outline, figures=figures, material=own or None
        )
        found.extend(gaps_of(index))
    return GapReport(year=year, frameworks=ids, gaps=found)


def report_gap_analysis(
    session: Session,
    year: int,
    frameworks: Iterable[str] | None = None,
    *,
    sections: Path | None = None,
) -> GapReport:
    """The gaps of the report ``esg report --sections`` would render: its indices, its rows."""
    from esgledger.disclose.publish import index_frameworks, printed_indices

    ids = tuple(framework(f).id for f in (frameworks or index_frameworks(year)))
    by_id = printed_indices(session, year, ids, sections=sections)
    return GapReport(
        year=year, frameworks=list(ids), gaps=[g for f in ids for g in gaps_of(by_id[f])]
    )
