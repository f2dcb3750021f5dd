"""What a check reports: a finding a reviewer can read, fix or acknowledge by its key."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1}

Value = float | str | None


@dataclass
class Finding:
    """One data-quality problem, with what was expected, what was found and how to fix it.

    ``entity`` is None for figures of the group (rolled up over the boundary) and names the
    entity for findings about one entity's stored rows or activity data. ``dims`` says which
    breakdown, file, factor or series the finding is about; it is part of the key.
    """

    rule: str
    severity: str
    metrics: list[str]
    entity: str | None
    year: int
    expected: Value
    found: Value
    explanation: str
    fix: str
    dims: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    tolerance: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    acknowledged: dict[str, Any] | None = None
    key: str = ""
    # The explanation's catalog message (#19), so a page words it in its reader's language:
    # ``values`` as given, ``words`` catalog messages and ``names`` catalog entries (kind, key)
    # in the page's language.
    # Not part of ``esg check --json``, which keeps the English ``explanation``.
    message_id: str = field(default="", compare=False)
    values: dict[str, Any] = field(default_factory=dict, compare=False)
    words: dict[str, str] = field(default_factory=dict, compare=False)
    names: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)
    # A catalog text with ``{}`` blanks instead of a gettext message (a checks.csv rule's
    # explanation: kind and key of ``catalog.translations``), further messages said after it
    # (``then``) and the fix's message, each as :func:`checks.explained.message_of` keeps them.
    template: tuple[str, str] | None = field(default=None, compare=False)
    then: list[dict[str, Any]] = field(default_factory=list, compare=False)
    fix_message: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            self.key = finding_key(self.rule, self.metrics, self.entity, self.year, self.dims)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for kept_apart in MESSAGE_FIELDS:
            del out[kept_apart]
        return out

    @property
    def sort_key(self) -> tuple[int, str, int, str, str]:
        return (
            SEVERITY_ORDER.get(self.severity, 9),
            self.rule,
            -self.year,
            ",".join(self.metrics),
            self.key,
        )


MESSAGE_FIELDS = ("message_id", "values", "words", "names", "template", "then", "fix_message")


def finding_key(
    rule: str, metrics: list[str], entity: str | None, year: int, dims: dict[str, str]
) -> str:
    """A stable 16-hex id: the same problem gets the same key in every run, so an
    acknowledgement keeps applying until the data (or the rule) change what is found."""
    dims_text = ";".join(f"{k}={v}" for k, v in sorted(dims.items()))
    material = "|".join([rule, ",".join(sorted(metrics)), entity or "", str(year), dims_text])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def number(value: float | None, precision: int = 2) -> str:
    """A number as a report prints it: thousands separators, the metric's decimals."""
    if value is None:
        return "—"
    return f"{value:,.{max(0, precision)}f}"


def plain(value: float | None, digits: int = 6) -> float | None:
    """A float for JSON without binary noise (``0.30000000000000004`` → ``0.3``)."""
    return None if value is None else round(float(value), digits)
