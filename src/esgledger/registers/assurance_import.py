"""Validating assurance engagement files: every bad cell named by row and column.

Columns ``ref, year, provider, standard, level, metrics, signed_on, statement`` and an
optional ``entities``. ``metrics`` are catalog ids separated by ``;`` (the figures in the
engagement's scope); ``entities`` likewise (empty: the whole boundary); ``statement`` is
the provider's signed statement, a file beside the engagements file, kept by its digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import (
    ROW,
    Checker,
    Message,
    blank,
    cell,
    date_message,
    date_problem,
    empty,
    longer,
    parse_date,
)
from esgledger.ingest.readers import Table
from esgledger.registers.row_checks import check_choice, first_duplicate, trimmed

COLUMNS = ["ref", "year", "provider", "standard", "level", "metrics", "signed_on", "statement"]
# The standards engagements are run to: IAASB ISAE 3000 (Revised) and ISAE 3410 (GHG
# statements), with limited or reasonable assurance; AccountAbility AA1000AS v3, with
# moderate or high assurance (its own words for the two levels).
LEVELS = {
    "isae_3000": ("limited", "reasonable"),
    "isae_3410": ("limited", "reasonable"),
    "aa1000as_v3": ("moderate", "high"),
}
STATEMENT_SUFFIXES = (".pdf", ".md", ".txt")
MAX_STATEMENT_BYTES = 20_000_000


def _codes(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
        .list.unique(maintain_order=True)
    )


# Why a statement file cannot be kept: (English reason, catalog message); ``%(name)r`` is
# the file's name, ``%(choices)s`` the suffixes, ``%(most)s`` the largest size in bytes.
NOT_A_NAME = N_("%(name)r must be a file name beside the engagements file")
NOT_A_SUFFIX = N_("%(name)r is not one of %(choices)s")
NOT_THERE = N_("%(name)r does not exist beside the engagements file")
TOO_LARGE = N_("%(name)r is larger than %(most)s bytes")
EMPTY_FILE = N_("%(name)r is empty")


def statement_problem(folder: Path, name: str) -> str | None:
    """Why the statement file cannot be kept, or None."""
    found = statement_message(folder, name)
    if found is None:
        return None
    return found % {"name": name, **_statement_values()}


def _statement_values() -> dict[str, str]:
    return {"choices": ", ".join(STATEMENT_SUFFIXES), "most": f"{MAX_STATEMENT_BYTES:,}"}


def statement_message(folder: Path, name: str) -> str | None:
    """The catalog message of why the statement file cannot be kept, or None."""
    path = folder / name
    if Path(name).name != name:
        return NOT_A_NAME
    if path.suffix.lower() not in STATEMENT_SUFFIXES:
        return NOT_A_SUFFIX
    if not path.is_file():
        return NOT_THERE
    if path.stat().st_size > MAX_STATEMENT_BYTES:
        return TOO_LARGE
    if path.stat().st_size == 0:
        return EMPTY_FILE
    return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def validate_engagements(
    table: Table,
    *,
    folder: Path,
    metrics: Collection[str],
    entities: Collection[str],
) -> pl.DataFrame:
    """Typed engagement rows with the statement's digest, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = trimmed(table, COLUMNS, check)
    if "entities" not in frame.columns:
        frame = frame.with_columns(pl.lit("").alias("entities"))
    frame = frame.with_columns(
        pl.col("entities").fill_null("").str.strip_chars(),
        pl.col("standard").str.to_lowercase(),
        pl.col("level").str.to_lowercase(),
        pl.col("year").cast(pl.Int32, strict=False).alias("_year"),
        parse_date("signed_on").alias("_signed"),
        _codes("metrics").alias("_metrics"),
        _codes("entities").alias("_entities"),
    ).with_columns(
        pl.col("_metrics")
        .list.eval(pl.element().filter(~pl.element().is_in(sorted(metrics))))
        .list.first()
        .alias("_bad_metric"),
        pl.col("_entities")
        .list.eval(pl.element().filter(~pl.element().is_in(sorted(entities))))
        .list.first()
        .alias("_bad_entity"),
    )
    for column, limit in (("ref", 64), ("provider", 128)):
        check.flag(frame, blank(column), column, f"{column} is empty", empty(column))
        check.flag(
            frame,
            pl.col(column).str.len_chars() > limit,
            column,
            f"{column} is longer than {limit} characters",
            longer(column, limit),
        )
    first_duplicate(frame, check, ["ref"], "ref")
    check.flag(
        frame,
        pl.col("_year").is_null() | ~pl.col("_year").is_between(1900, 2100),
        "year",
        pl.format("'{}' is not a year", pl.col("year")),
        cell(N_("%(cell)r is not a year"), "year"),
    )
    check_choice(frame, check, "standard", tuple(LEVELS))
    for standard, levels in LEVELS.items():
        check.flag(
            frame,
            (pl.col("standard") == standard) & ~pl.col("level").is_in(list(levels)),
            "level",
            pl.format(f"'{{}}' is not a level of {standard}: {', '.join(levels)}", "level"),
            cell(
                N_("%(cell)r is not a level of %(standard)s: %(levels)s"),
                "level",
                standard=pl.lit(standard),
                levels=pl.lit(", ".join(levels)),
            ),
        )
    check.flag(
        frame, pl.col("_metrics").list.len() == 0, "metrics", "metrics is empty", empty("metrics")
    )
    check.flag(
        frame,
        pl.col("_bad_metric").is_not_null(),
        "metrics",
        pl.format("unknown metric '{}'; `esg metrics` lists them", "_bad_metric"),
        Message(N_("unknown metric %(metric)r"), {"metric": pl.col("_bad_metric")}),
    )
    check.flag(
        frame,
        pl.col("_bad_entity").is_not_null(),
        "entities",
        pl.format("unknown entity '{}'; `esg entities list` lists them", "_bad_entity"),
        Message(N_("unknown entity %(entity)r"), {"entity": pl.col("_bad_entity")}),
    )
    check.flag(
        frame,
        pl.col("_signed").is_null(),
        "signed_on",
        date_problem("signed_on"),
        date_message("signed_on"),
    )
    check.flag(
        frame,
        pl.col("_signed").dt.year() < pl.col("_year"),
        "signed_on",
        pl.format("signed on {}, before the year it assures ended", "signed_on"),
        Message(
            N_("signed on %(date)s, before the year it assures ended"),
            {"date": pl.col("signed_on")},
        ),
    )
    names = frame["statement"].to_list()
    problems = [statement_problem(folder, name) for name in names]
    messages = [statement_message(folder, name) for name in names]
    frame = frame.with_columns(
        pl.Series("_statement_problem", problems, dtype=pl.String),
        pl.Series("_statement_message", messages, dtype=pl.String),
    )
    values = {k: pl.lit(v) for k, v in _statement_values().items()}
    check.flag(
        frame,
        pl.col("_statement_problem").is_not_null(),
        "statement",
        pl.col("_statement_problem"),
        Message(pl.col("_statement_message"), {"name": pl.col("statement"), **values}),
    )
    check.raise_if_any()
    digests = [file_sha256(folder / name) for name in frame["statement"].to_list()]
    return frame.with_columns(pl.Series("_sha256", digests, dtype=pl.String)).select(
        ROW,
        "ref",
        pl.col("_year").alias("year"),
        "provider",
        "standard",
        "level",
        pl.col("_metrics").list.join("; ").alias("metrics"),
        pl.col("_entities").list.join("; ").alias("entities"),
        pl.col("_signed").alias("signed_on"),
        "statement",
        pl.col("_sha256").alias("statement_sha256"),
    )
