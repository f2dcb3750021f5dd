"""Numbers typed in the narrative that differ from the KPI values (SYSTEM.md §7 class 1).

Narrative sections are Markdown files. In each sentence that names a metric (its catalog name,
or the name without its parenthesis, case-insensitive), every literal number must equal the
metric's value as printed at the number's own decimals — for the year the sentence names, or
the checked year. A number that matches none of the metrics named in the sentence is flagged
against the nearest one. Binding tags such as ``{{kpi:ghg.scope1:2025}}`` are the way to put a
number in the text: they are never flagged (the disclosure work fills them in).

Heuristics keep ordinary numbers out: years, percentages next to a non-percentage metric (a
change rate), and numbers that are part of a name or a reference ("Scope 1", "GB/T 2589",
"ISO 14001", "GRI 305-1", "Table 3").
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from esgledger.catalog import metrics
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext, has_data
from esgledger.checks.explained import said, unit_named, worded_parts
from esgledger.checks.findings import ERROR, Finding, number, plain
from esgledger.errors import InvalidInput
from esgledger.units import multiplier

TAG = re.compile(r"\{\{[^{}]*\}\}")
NUMBER = re.compile(
    r"(?<![\w.,/\-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/]|\.\d|-\d)"
    r"(\s*%)?(\s*(?:million|billion|thousand|万|亿)\b)?",
    re.I,
)
REFERENCE = re.compile(
    r"\b(scope|category|article|section|§|iso|gb|gb/t|gri|table|page|figure|note|no\.|"
    r"level|tier|phase|ar)\s*$",
    re.I,
)
YEAR = re.compile(r"(?<![\d,.])(19\d\d|20\d\d|2100)(?![\d,.]\d)")
SCALE = {"million": 1e6, "billion": 1e9, "thousand": 1e3, "万": 1e4, "亿": 1e8}
SENTENCE_END = re.compile(r"(?<=[.!?。；;])\s+(?=[A-Z0-9“\"(])|(?<=[。！？])")


@dataclass(frozen=True)
class Mention:
    metric: str
    start: int
    end: int


@cache
def _aliases() -> list[tuple[re.Pattern[str], str]]:
    """(pattern, metric id), longest names first so the most specific name wins."""
    names: dict[str, str] = {}
    for metric in metrics().values():
        short = re.sub(r"\s*\([^)]*\)", "", metric.name).strip()
        for name in {metric.name, short}:
            if len(name) >= 4:
                names.setdefault(name.lower(), metric.id)
    ordered = sorted(names, key=len, reverse=True)
    return [
        (re.compile(r"(?<!\w)" + re.escape(n).replace(r"\ ", r"\s+") + r"(?!\w)", re.I), names[n])
        for n in ordered
    ]


def sentences(text: str) -> list[str]:
    """Paragraphs (blank-line separated; headings, list items and table rows on their own)
    split into sentences."""
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            paragraphs.append([])
        elif re.match(r"^(#|[-*+] |\d+[.)] |\|)", stripped):
            paragraphs += [[stripped], []]
        else:
            paragraphs[-1].append(stripped)
    out = []
    for lines in paragraphs:
        if lines:
            out += [s.strip() for s in SENTENCE_END.split(" ".join(lines)) if s.strip()]
    return out


def mentions(sentence: str) -> list[Mention]:
    taken: list[tuple[int, int]] = []
    out = []
    for pattern, metric_id in _aliases():
        for m in pattern.finditer(sentence):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append(Mention(metric_id, m.start(), m.end()))
    return sorted(out, key=lambda m: m.start)


@dataclass(frozen=True)
class Number:
    """A literal number of a sentence: as written, its value, decimals and scale word."""

    position: int
    text: str
    raw: float  # the digits as written
    decimals: int
    percent: bool
    scale_word: str  # "million", "万"… or ""

    @property
    def value(self) -> float:
        return self.raw * SCALE.get(self.scale_word, 1.0)


def numbers(sentence: str, blanked: list[tuple[int, int]]) -> list[Number]:
    """The literal numbers worth checking: not inside a metric's name, not a year, not part
    of a reference such as "Scope 1" or "GB/T 2589-2020"."""
    out = []
    for m in NUMBER.finditer(sentence):
        if any(start <= m.start() < end for start, end in blanked):
            continue
        integer, fraction, percent, scale = m.group(1), m.group(2) or "", m.group(3), m.group(4)
        if REFERENCE.search(sentence[: m.start()]):
            continue
        plain_integer = not (fraction or percent or scale or "," in integer)
        if plain_integer and YEAR.fullmatch(integer):
            continue
        out.append(
            Number(
                position=m.start(),
                text=m.group(0).strip(),
                raw=float(integer.replace(",", "") + fraction),
                decimals=len(fraction) - 1 if fraction else 0,
                percent=bool(percent),
                scale_word=scale.strip().lower() if scale else "",
            )
        )
    return out


def _readings(metric_id: str, n: Number) -> list[tuple[float, float]]:
    """(value, half a unit of its last written decimal) ways to read ``n`` in the metric's
    unit: "103,118.40 million" is RMB 103,118.40 million when the unit says million."""
    unit = f"{metrics()[metric_id].unit} {metrics()[metric_id].published_unit}".lower()
    half = 0.5 * 10.0 ** (-n.decimals)
    out = [(n.value, half * SCALE.get(n.scale_word, 1.0))]
    if n.scale_word and n.scale_word in unit:
        out.append((n.raw, half))
    return out


def _matches(ctx: CheckContext, metric_id: str, years: list[int], n: Number) -> bool | None:
    """Whether ``n`` is the metric's figure as printed; None when it cannot be told (no
    figure, or a percentage next to a metric that is not one: a change rate)."""
    metric = metrics()[metric_id]
    if n.percent and metric.unit.strip() != "%":
        return None
    figures = [f for y in years if has_data(f := ctx.figure(metric_id, "", y))]
    if not figures:
        return None
    for fig in figures:
        candidates = [fig.value]  # type: ignore[union-attr]
        if metric.published_unit != metric.unit:
            with contextlib.suppress(InvalidInput):
                candidates.append(fig.value * multiplier(metric.unit, metric.published_unit))  # type: ignore[union-attr, operator]
        for value, half in _readings(metric_id, n):
            if any(abs(value - c) <= half * (1 + 1e-9) for c in candidates):  # type: ignore[operator]
                return True
    return False


def _owner(found: list[Mention], position: int) -> Mention:
    """The metric a number belongs to: the nearest name before it ("X was N"), else after."""
    before = [m for m in found if m.start < position]
    if before:
        return max(before, key=lambda m: m.start)
    return min(found, key=lambda m: m.start)


def check_sentence(ctx: CheckContext, path: str, sentence: str) -> list[Finding]:
    found = mentions(sentence)
    if not found:
        return []
    blanked = [(m.start, m.end) for m in found]
    blanked += [(t.start(), t.end()) for t in TAG.finditer(sentence)]
    named = {int(y) for y in YEAR.findall(sentence)} & set(ctx.span)
    years = sorted(named | {ctx.year})
    year = ctx.year if ctx.year in named or not named else max(named)
    out = []
    for n in numbers(sentence, blanked):
        verdicts = {m.metric: _matches(ctx, m.metric, years, n) for m in found}
        if any(v is True for v in verdicts.values()):
            continue
        candidates = [m for m in found if verdicts[m.metric] is False]
        if candidates:
            owner = _owner(candidates, n.position)
            out.append(_finding(ctx, path, sentence, n, owner.metric, year))
    return out


def _finding(
    ctx: CheckContext, path: str, sentence: str, n: Number, metric_id: str, year: int
) -> Finding:
    metric = metrics()[metric_id]
    fig = ctx.figure(metric_id, "", year)
    expected = fig.value if fig is not None else None
    quote = sentence if len(sentence) <= 160 else sentence[:157] + "…"
    return Finding(
        rule="narrative.mismatch",
        severity=ERROR,
        metrics=[metric_id],
        entity=None,
        year=year,
        expected=plain(expected),
        found=plain(n.value),
        unit=metric.unit,
        dims={"file": path, "number": n.text},
        details={"sentence": sentence},
        **worded_parts(
            said(
                N_(
                    "%(path)s says %(number)s in “%(quote)s”, but the %(year)s value of "
                    "%(metric)s is %(expected)s %(unit)s."
                ),
                {
                    "path": path,
                    "number": n.text,
                    "quote": quote,
                    "year": year,
                    "expected": number(expected, metric.precision),
                    "unit": metric.unit,
                },
                names={"metric": ("metric", metric_id), **unit_named(metric.unit, metric_id)},
            ),
            said(
                N_(
                    "Replace the typed number with the binding %(binding)s so the text always "
                    "shows the ledger's value."
                ),
                {"binding": f"{{{{kpi:{metric_id}:{year}}}}}"},
            ),
        ),
    )


def narrative_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InvalidInput(f"narrative folder {root} does not exist; give a folder of .md files")
    return sorted(p for p in root.rglob("*.md") if p.is_file())


def narrative_mismatches(ctx: CheckContext) -> list[Finding]:
    if ctx.narrative is None:
        return []
    root = Path(ctx.narrative)
    out = []
    for path in narrative_files(root):
        name = path.name if root.is_file() else path.relative_to(root).as_posix()
        for sentence in sentences(path.read_text(encoding="utf-8")):
            out.extend(check_sentence(ctx, name, sentence))
    return out
