"""Validating vulnerability files: every bad cell named by row and column, all or nothing.

Columns ``ref, entity, product_line, source, cvss_score, intake_at`` and optional ``title``,
``cve_id`` and the entry times of the later states (``triage_at, fixing_at, fixed_at,
advisory_published_at``), so an export of the response centre's tracker brings each
vulnerability's past. The severity follows from the score (:mod:`.cvss`), never typed.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import ROW, Checker, Message, blank, empty
from esgledger.ingest.readers import Table
from esgledger.ledger.register_lines import Line
from esgledger.registers.complaints_import import check_new_refs
from esgledger.registers.cvss import BANDS, CVE_ID, FIRST_CVE_YEAR
from esgledger.registers.history import check_history
from esgledger.registers.row_checks import check_choice, check_entity, trimmed

SOURCES = ("researcher", "internal", "third_party_test")
COLUMNS = ["ref", "entity", "product_line", "source", "cvss_score", "intake_at"]
MAX_TEXT = {"ref": 64, "product_line": 64, "title": 2000}


def _severity(score: pl.Expr) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.Utf8)
    for low, name in reversed(BANDS):  # the highest band's test comes last and wins
        expr = pl.when(score >= low).then(pl.lit(name)).otherwise(expr)
    return expr


def validate_vulnerabilities(
    table: Table, *, entities: Collection[str], stored_refs: Collection[str], line: Line
) -> pl.DataFrame:
    """Typed vulnerability rows with severity, each state's time and the state reached."""
    check = Checker(table.source)
    frame = trimmed(table, COLUMNS, check)
    for optional in ("title", "cve_id"):
        if optional not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(optional))
    text = pl.col("cvss_score").str.strip_chars()
    frame = frame.with_columns(
        pl.col("title").fill_null("").str.strip_chars(),
        pl.col("cve_id").fill_null("").str.strip_chars().str.to_uppercase(),
        pl.col("source").str.to_lowercase(),
        pl.when(text.str.contains(r"^\d{1,2}(\.\d)?$"))
        .then(text.cast(pl.Float64, strict=False))
        .alias("_score"),
    )
    check_new_refs(frame, check, stored_refs, "vulnerability")
    check_entity(frame, check, entities)
    check_choice(frame, check, "source", SOURCES)
    check.flag(
        frame, blank("product_line"), "product_line", "product_line is empty", empty("product_line")
    )
    for column, most in MAX_TEXT.items():
        check.flag(
            frame,
            pl.col(column).str.len_chars() > most,
            column,
            f"{column} is longer than {most}",
            Message(
                N_("%(column)s is longer than %(most)s"),
                {"column": pl.lit(column), "most": pl.lit(str(most))},
            ),
        )
    check.flag(
        frame,
        pl.col("_score").is_null() | ~pl.col("_score").is_between(0.0, 10.0),
        "cvss_score",
        pl.format(
            "'{}' is not a CVSS v3.1 base score (0.0 to 10.0, one decimal)", pl.col("cvss_score")
        ),
        Message(
            N_("%(cell)r is not a CVSS v3.1 base score (0.0 to 10.0, one decimal)"),
            {"cell": pl.col("cvss_score")},
        ),
    )
    cve = pl.col("cve_id")
    check.flag(
        frame,
        ~blank("cve_id") & ~cve.str.contains(CVE_ID.pattern),
        "cve_id",
        pl.format("'{}' is not a CVE id (CVE-YYYY-NNNN, four or more digits)", cve),
        Message(N_("%(cell)r is not a CVE id (CVE-YYYY-NNNN, four or more digits)"), {"cell": cve}),
    )
    check.flag(
        frame,
        cve.str.contains(CVE_ID.pattern)
        & (cve.str.slice(4, 4).cast(pl.Int32, strict=False) < FIRST_CVE_YEAR),
        "cve_id",
        pl.format(f"'{{}}' has a year before {FIRST_CVE_YEAR}, the first CVE year", cve),
        Message(
            N_("%(cell)r has a year before %(first)s, the first CVE year"),
            {"cell": cve, "first": pl.lit(str(FIRST_CVE_YEAR))},
        ),
    )
    frame = check_history(frame, check, line)
    check.raise_if_any()
    columns = [column for _, column in line.stages]
    return frame.select(
        ROW,
        "ref",
        "entity",
        "product_line",
        "source",
        pl.col("_score").alias("cvss_score"),
        _severity(pl.col("_score")).alias("severity"),
        "title",
        "cve_id",
        *(pl.col(f"_{c}").alias(c) for c in columns),
        pl.col("_state").alias("state"),
    )
