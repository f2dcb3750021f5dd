"""Validating training register files: every bad cell named by row and column, all or nothing.

Campaigns file: ``code, title, kind, topic, year, worker_types`` and optional ``entities``
(codes separated by ``;``, empty for the whole group) and ``pass_score``. Records file, as an
LMS exports it: ``campaign, person, entity, worker_type`` and optional ``role``,
``completed_on`` (empty: not signed or attended yet), ``score`` and ``hours``. A record must
fall in its campaign's audience: one of its worker types, at one of its entities or below.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import (
    ROW,
    Checker,
    Message,
    blank,
    date_message,
    date_problem,
    empty,
    number_message,
    number_problem,
    parse_date,
    parse_number,
)
from esgledger.ingest.readers import Table
from esgledger.registers.ohs_import import WORKER_TYPES
from esgledger.registers.row_checks import check_choice, check_entity, first_duplicate, trimmed

KINDS = ("commitment", "training")
TOPICS = ("anti_corruption", "compliance", "safety", "general")
CAMPAIGN_COLUMNS = ["code", "title", "kind", "topic", "year", "worker_types"]
RECORD_COLUMNS = ["campaign", "person", "entity", "worker_type"]
MAX_SCORE = 1000.0  # scores are points or per cent; far above either
MAX_HOURS = 10_000.0  # more than a person's working hours in a year


@dataclass(frozen=True)
class Audience:
    """Who must complete a campaign: its id, worker types and entities (ancestors included
    as their whole branch)."""

    campaign_id: int
    worker_types: frozenset[str]
    entities: frozenset[str]  # every entity in the audience's branches


def _codes(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .str.to_lowercase()
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def _too_long(column: str, most: int) -> Message:
    """The message of ``<column> is longer than <most> characters``."""
    return Message(
        N_("%(column)s is longer than %(most)s characters"),
        {"column": pl.lit(column), "most": pl.lit(str(most))},
    )


def validate_campaigns(
    table: Table, *, entities: Collection[str], stored: Collection[str]
) -> pl.DataFrame:
    """Typed campaign rows, or :class:`ImportRejected`; a code already stored is refused."""
    check = Checker(table.source)
    frame = trimmed(table, CAMPAIGN_COLUMNS, check)
    for optional in ("entities", "pass_score"):
        if optional not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(optional))
    frame = frame.with_columns(
        pl.col(c).fill_null("").str.strip_chars() for c in ("entities", "pass_score")
    )
    frame = frame.with_columns(
        pl.col("kind").str.to_lowercase(),
        pl.col("topic").str.to_lowercase(),
        pl.col("year").cast(pl.Int32, strict=False).alias("_year"),
        parse_number("pass_score").alias("_pass"),
        _codes("worker_types").alias("_types"),
        pl.col("entities")
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
        .alias("_entities"),
    )
    frame = frame.with_columns(
        pl.col("_types")
        .list.eval(pl.element().filter(~pl.element().is_in(list(WORKER_TYPES))))
        .list.first()
        .alias("_bad_type"),
        pl.col("_entities")
        .list.eval(pl.element().filter(~pl.element().is_in(sorted(entities))))
        .list.first()
        .alias("_bad_entity"),
    )
    check.flag(frame, blank("code"), "code", "code is empty", empty("code"))
    check.flag(frame, pl.col("code").str.len_chars() > 64, "code",
               "code is longer than 64 characters", _too_long("code", 64))  # fmt: skip
    check.flag(
        frame,
        pl.col("code").is_in(sorted(stored)),
        "code",
        pl.format("campaign '{}' is already in the register", pl.col("code")),
        Message(N_("%(ref)r is already in the register"), {"ref": pl.col("code")}),
    )
    first_duplicate(frame, check, ["code"], "code")
    check.flag(frame, blank("title"), "title", "title is empty", empty("title"))
    check.flag(frame, pl.col("title").str.len_chars() > 200, "title",
               "title is longer than 200 characters", _too_long("title", 200))  # fmt: skip
    check_choice(frame, check, "kind", KINDS)
    check_choice(frame, check, "topic", TOPICS)
    check.flag(
        frame,
        pl.col("_year").is_null() | ~pl.col("_year").is_between(1900, 2200),
        "year",
        pl.format("'{}' is not a year", pl.col("year")),
        Message(N_("%(cell)r is not a year"), {"cell": pl.col("year")}),
    )
    check.flag(frame, pl.col("_types").list.len() == 0, "worker_types", "worker_types is empty",
               empty("worker_types"))  # fmt: skip
    check.flag(
        frame,
        pl.col("_bad_type").is_not_null(),
        "worker_types",
        pl.format(f"'{{}}' is not one of {', '.join(WORKER_TYPES)}", pl.col("_bad_type")),
        Message(
            N_("%(cell)r is not one of %(choices)s"),
            {"cell": pl.col("_bad_type"), "choices": pl.lit(", ".join(WORKER_TYPES))},
        ),
    )
    check.flag(
        frame,
        pl.col("_bad_entity").is_not_null(),
        "entities",
        pl.format("unknown entity '{}'; `esg entities list` lists them", pl.col("_bad_entity")),
        Message(N_("unknown entity %(entity)r"), {"entity": pl.col("_bad_entity")}),
    )
    check.flag(
        frame,
        ~blank("pass_score")
        & (pl.col("_pass").is_null() | ~pl.col("_pass").is_between(0, MAX_SCORE)),
        "pass_score",
        pl.format(f"'{{}}' is not a score from 0 to {MAX_SCORE:g}", pl.col("pass_score")),
        Message(
            N_("%(cell)r is not a score from 0 to %(most)s"),
            {"cell": pl.col("pass_score"), "most": pl.lit(f"{MAX_SCORE:g}")},
        ),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        "code",
        "title",
        "kind",
        "topic",
        pl.col("_year").alias("year"),
        pl.col("_types").list.join("; ").alias("worker_types"),
        pl.col("_entities").list.join("; ").alias("entities"),
        pl.col("_pass").alias("pass_score"),
    )


def validate_records(
    table: Table, *, entities: Collection[str], audiences: Mapping[str, Audience]
) -> pl.DataFrame:
    """Typed record rows with their ``campaign_id``, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = trimmed(table, RECORD_COLUMNS, check)
    for optional in ("role", "completed_on", "score", "hours"):
        if optional not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(optional))
        frame = frame.with_columns(pl.col(optional).fill_null("").str.strip_chars())
    audience = pl.DataFrame(
        {
            "campaign": list(audiences),
            "_campaign_id": [a.campaign_id for a in audiences.values()],
            "_types": [sorted(a.worker_types) for a in audiences.values()],
            "_entities": [sorted(a.entities) for a in audiences.values()],
        },
        schema={
            "campaign": pl.String,
            "_campaign_id": pl.Int64,
            "_types": pl.List(pl.String),
            "_entities": pl.List(pl.String),
        },
    )
    frame = frame.with_columns(
        pl.col("worker_type").str.to_lowercase(),
        parse_date("completed_on").alias("_done"),
        parse_number("score").alias("_score"),
        parse_number("hours").alias("_hours"),
    ).join(audience, on="campaign", how="left")
    frame = frame.with_columns(
        pl.col("_types").list.contains(pl.col("worker_type")).alias("_type_ok"),
        pl.col("_entities").list.contains(pl.col("entity")).alias("_entity_ok"),
    )
    check.flag(
        frame,
        pl.col("_campaign_id").is_null(),
        "campaign",
        pl.format("unknown campaign '{}'; import the campaigns first", pl.col("campaign")),
        Message(
            N_("unknown campaign %(campaign)r; import the campaigns first"),
            {"campaign": pl.col("campaign")},
        ),
    )
    check.flag(frame, blank("person"), "person", "person is empty", empty("person"))
    check.flag(frame, pl.col("person").str.len_chars() > 64, "person",
               "person is longer than 64 characters", _too_long("person", 64))  # fmt: skip
    check.flag(frame, pl.col("role").str.len_chars() > 64, "role",
               "role is longer than 64 characters", _too_long("role", 64))  # fmt: skip
    first_duplicate(frame, check, ["campaign", "person"], "person")
    check_entity(frame, check, entities)
    check_choice(frame, check, "worker_type", WORKER_TYPES)
    known = pl.col("_campaign_id").is_not_null()
    check.flag(
        frame,
        known & pl.col("worker_type").is_in(list(WORKER_TYPES)) & ~pl.col("_type_ok"),
        "worker_type",
        pl.format(
            "'{}' workers are not in the audience of campaign '{}'", "worker_type", "campaign"
        ),
        Message(
            N_("%(worker_type)r workers are not in the audience of campaign %(campaign)r"),
            {"worker_type": pl.col("worker_type"), "campaign": pl.col("campaign")},
        ),
    )
    check.flag(
        frame,
        known & pl.col("entity").is_in(sorted(entities)) & ~pl.col("_entity_ok"),
        "entity",
        pl.format("'{}' is not in the audience of campaign '{}'", "entity", "campaign"),
        Message(
            N_("%(entity)r is not in the audience of campaign %(campaign)r"),
            {"entity": pl.col("entity"), "campaign": pl.col("campaign")},
        ),
    )
    check.flag(
        frame,
        ~blank("completed_on") & pl.col("_done").is_null(),
        "completed_on",
        date_problem("completed_on"),
        date_message("completed_on"),
    )
    for column, top in (("score", MAX_SCORE), ("hours", MAX_HOURS)):
        check.flag(frame, ~blank(column) & pl.col(f"_{column}").is_null(), column,
                   number_problem(column), number_message(column))  # fmt: skip
        check.flag(
            frame,
            ~pl.col(f"_{column}").is_between(0, top),
            column,
            pl.format(f"{{}} is not between 0 and {top:g}", pl.col(column)),
            Message(
                N_("%(cell)s is not between 0 and %(most)s"),
                {"cell": pl.col(column), "most": pl.lit(f"{top:g}")},
            ),
        )
        check.flag(
            frame,
            ~blank(column) & pl.col("_done").is_null() & blank("completed_on"),
            column,
            f"a {column} without completed_on: give the day it was completed",
            Message(
                N_("a %(column)s without completed_on: give the day it was completed"),
                {"column": pl.lit(column)},
            ),
        )
    check.raise_if_any()
    return frame.select(
        ROW,
        pl.col("_campaign_id").alias("campaign_id"),
        "person",
        pl.col("entity").alias("entity_id"),
        "role",
        "worker_type",
        pl.col("_done").alias("completed_on"),
        pl.col("_score").alias("score"),
        pl.col("_hours").alias("hours"),
    )
