"""Narrative sections: Markdown files whose numbers are tags bound to KPI figures.

A narrative never types a KPI number. It writes a tag, and the report prints the ledger's
figure with its unit and precision, so the text cannot contradict the appendix:

- ``{{kpi:ghg.scope1}}`` — the report year's figure;
- ``{{kpi:ghg.scope1:2024}}`` — another year's;
- ``{{kpi:workforce.headcount:2025:gender=female}}`` — a breakdown;
- ``{{change:ghg.scope1}}`` — the year-on-year change in percent.

A tag naming an unknown metric, or a figure the ledger does not have, is an error that
names the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from esgledger.catalog import metrics
from esgledger.errors import InvalidInput
from esgledger.kpi.figures import KpiFigure, dims_text

TAG = re.compile(
    r"\{\{\s*(kpi|change)\s*:\s*([a-z0-9_.]+)(?:\s*:\s*(\d{4}))?(?:\s*:\s*([^}]+?))?\s*\}\}"
)
ANY_TAG = re.compile(r"\{\{[^{}]*\}\}")
UNIT_LABELS = {"permille": "‰", "person_times": "person-times", "counted_item": ""}

Lookup = Callable[[str, int, str], KpiFigure | None]


@dataclass(frozen=True)
class Section:
    """One narrative section: its id (the file name), title and rendered HTML."""

    id: str
    title: str
    html: str
    source: Path


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


def format_value(value: float | None, precision: int, unit: str) -> str:
    """A figure as the report prints it: thousands separators, the metric's precision."""
    if value is None:
        return "n/a"
    number = f"{value:,.{precision}f}"
    label = unit_label(unit)
    if label in ("%", "‰"):
        return number + label
    return f"{number} {label}".strip()


def bind(text: str, *, year: int, lookup: Lookup, source: str) -> str:
    """Replace every tag in ``text`` by its figure; refuse unknown metrics and missing values."""
    catalog = metrics()

    def replace(match: re.Match[str]) -> str:
        kind, metric_id, tag_year, dims = match.groups()
        line = text.count("\n", 0, match.start()) + 1
        metric = catalog.get(metric_id)
        if metric is None:
            raise InvalidInput(
                f"{source}, line {line}: unknown metric {metric_id!r} in {match.group(0)}"
            )
        wanted = int(tag_year) if tag_year else year
        key = dims_text(dict(p.split("=", 1) for p in (dims or "").split(",") if "=" in p))
        figure = lookup(metric_id, wanted, key)
        if figure is None or figure.value is None:
            raise InvalidInput(f"{source}, line {line}: no {wanted} value for {metric_id}")
        if kind == "kpi":
            return format_value(figure.value, metric.precision, metric.unit)
        before = lookup(metric_id, wanted - 1, key)
        if before is None or not before.value:
            raise InvalidInput(f"{source}, line {line}: no {wanted - 1} value for {metric_id}")
        return f"{(figure.value - before.value) / abs(before.value) * 100:+.1f}%"

    bound = TAG.sub(replace, text)
    leftover = ANY_TAG.search(bound)
    if leftover:
        line = bound.count("\n", 0, leftover.start()) + 1
        raise InvalidInput(
            f"{source}, line {line}: cannot read tag {leftover.group(0)}; "
            "write {{kpi:metric.id}}, {{kpi:metric.id:YEAR}} or {{change:metric.id}}"
        )
    return bound


def load_sections(folder: Path, *, year: int, lookup: Lookup) -> list[Section]:
    """Every ``*.md`` file of ``folder`` in name order, tags bound, rendered to HTML."""
    if not folder.is_dir():
        raise InvalidInput(f"narrative folder {folder} does not exist")
    md = MarkdownIt("commonmark").enable("table")
    out: list[Section] = []
    for path in sorted(folder.glob("*.md")):
        text = bind(path.read_text(encoding="utf-8"), year=year, lookup=lookup, source=path.name)
        title = next(
            (ln.lstrip("#").strip() for ln in text.splitlines() if ln.startswith("#")), path.stem
        )
        body = "\n".join(ln for ln in text.splitlines() if ln.strip() != f"# {title}")
        section_id = re.sub(r"^\d+[-_]", "", path.stem)
        out.append(Section(section_id, title, md.render(body), path))
    return out
