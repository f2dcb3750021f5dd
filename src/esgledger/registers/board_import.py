"""Validating board register files: every bad cell named by row and column, all or nothing.

Members file: ``ref, entity, name, role, executive, independent, gender, birth_year,
appointed_on`` and optional ``left_on`` and ``committees`` (codes separated by ``;``). A
member's ``ref`` is unique per entity; a file may restate a stored member (a director who
left gets a ``left_on``). Attendance file: ``entity, meeting_ref, body, date, member_ref,
attendance`` — one row per member and meeting, of members already in the register.
"""

from __future__ import annotations

from collections.abc import Collection

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
from esgledger.registers.ohs_import import YES_NO
from esgledger.registers.row_checks import check_choice, check_entity, first_duplicate, trimmed

ROLES = ("chair", "vice_chair", "director")
GENDERS = ("male", "female", "unknown")
# The committees of a Chinese listed company's board (CSRC Code of Corporate Governance
# art. 38: strategy, audit, nomination, remuneration and appraisal) plus ESG and risk.
COMMITTEES = ("strategy", "audit", "nomination", "remuneration", "sustainability", "risk")
BODIES = ("board", *COMMITTEES)
# present: attended in person or by video; proxy: another director voted for them
ATTENDANCE = ("present", "proxy", "absent")
MEMBER_COLUMNS = [
    "ref",
    "entity",
    "name",
    "role",
    "executive",
    "independent",
    "gender",
    "birth_year",
    "appointed_on",
]
ATTENDANCE_COLUMNS = ["entity", "meeting_ref", "body", "date", "member_ref", "attendance"]
# PRC Company Law (2023) art. 178 bars persons without full civil capacity: adults, 18+.
MIN_DIRECTOR_AGE = 18


def _check_ref(frame: pl.DataFrame, check: Checker, column: str) -> None:
    check.flag(frame, blank(column), column, f"{column} is empty", empty(column))
    check.flag(
        frame,
        pl.col(column).str.len_chars() > 64,
        column,
        f"{column} is longer than 64 characters",
        longer(column, 64),
    )


def _check_yes_no(frame: pl.DataFrame, check: Checker, column: str) -> None:
    check.flag(
        frame,
        ~pl.col(column).str.to_lowercase().is_in(list(YES_NO)),
        column,
        pl.format("'{}' is not yes or no", pl.col(column)),
        cell(N_("%(cell)r is not yes or no"), column),
    )


def _yes_no(column: str) -> pl.Expr:
    """True or false; null for a cell that is neither (flagged by :func:`_check_yes_no`)."""
    return (
        pl.col(column)
        .str.to_lowercase()
        .replace_strict(YES_NO, default=None, return_dtype=pl.Boolean)
    )


def _committees(frame: pl.DataFrame) -> pl.DataFrame:
    """``committees`` as a normalised "a; b" text and the first unknown code, if any."""
    codes = (
        pl.col("committees")
        .str.to_lowercase()
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    return frame.with_columns(codes.alias("_codes")).with_columns(
        pl.col("_codes")
        .list.eval(pl.element().filter(~pl.element().is_in(list(COMMITTEES))))
        .list.first()
        .alias("_unknown"),
        pl.col("_codes").list.unique(maintain_order=True).list.join("; ").alias("_committees"),
    )


def validate_members(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed member rows, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = trimmed(table, MEMBER_COLUMNS, check)
    for optional in ("left_on", "committees"):
        if optional not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(optional))
    frame = frame.with_columns(
        pl.col(c).fill_null("").str.strip_chars() for c in ("left_on", "committees")
    )
    frame = _committees(
        frame.with_columns(
            pl.col("role").str.to_lowercase(),
            pl.col("gender").str.to_lowercase(),
            pl.col("birth_year").cast(pl.Int32, strict=False).alias("_birth"),
            parse_date("appointed_on").alias("_appointed"),
            parse_date("left_on").alias("_left"),
        )
    )
    _check_ref(frame, check, "ref")
    first_duplicate(frame, check, ["entity", "ref"], "ref")
    check_entity(frame, check, entities)
    check.flag(frame, blank("name"), "name", "name is empty", empty("name"))
    check.flag(
        frame,
        pl.col("name").str.len_chars() > 128,
        "name",
        "name is longer than 128 characters",
        longer("name", 128),
    )
    check_choice(frame, check, "role", ROLES)
    _check_yes_no(frame, check, "executive")
    _check_yes_no(frame, check, "independent")
    check.flag(
        frame,
        _yes_no("executive").fill_null(False) & _yes_no("independent").fill_null(False),
        "independent",
        "an executive director is not independent",
        Message(N_("an executive director is not independent")),
    )
    check_choice(frame, check, "gender", GENDERS)
    check.flag(
        frame,
        pl.col("_appointed").is_null(),
        "appointed_on",
        date_problem("appointed_on"),
        date_message("appointed_on"),
    )
    check.flag(
        frame,
        pl.col("_birth").is_null() | ~pl.col("_birth").is_between(1900, 2100),
        "birth_year",
        pl.format("'{}' is not a year", pl.col("birth_year")),
        cell(N_("%(cell)r is not a year"), "birth_year"),
    )
    check.flag(
        frame,
        pl.col("_appointed").dt.year() - pl.col("_birth") < MIN_DIRECTOR_AGE,
        "birth_year",
        pl.format(
            f"born {{}}, the member was under {MIN_DIRECTOR_AGE} when appointed",
            pl.col("birth_year"),
        ),
        Message(
            N_("born %(year)s, the member was under %(age)s when appointed"),
            {"year": pl.col("birth_year"), "age": pl.lit(str(MIN_DIRECTOR_AGE))},
        ),
    )
    check.flag(
        frame,
        ~blank("left_on") & pl.col("_left").is_null(),
        "left_on",
        date_problem("left_on"),
        date_message("left_on"),
    )
    check.flag(
        frame,
        pl.col("_left") < pl.col("_appointed"),
        "left_on",
        pl.format("left on {} before being appointed", pl.col("left_on")),
        Message(N_("left on %(date)s before being appointed"), {"date": pl.col("left_on")}),
    )
    check.flag(
        frame,
        pl.col("_unknown").is_not_null(),
        "committees",
        pl.format(f"'{{}}' is not one of {', '.join(COMMITTEES)}", pl.col("_unknown")),
        cell(
            N_("%(cell)r is not one of %(choices)s"),
            "_unknown",
            choices=pl.lit(", ".join(COMMITTEES)),
        ),
    )
    check.flag(
        frame,
        pl.col("_committees").str.len_chars() > 200,
        "committees",
        "committees are longer than 200 characters",
        Message(N_("committees are longer than %(most)s characters"), {"most": pl.lit("200")}),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        "ref",
        "entity",
        "name",
        "role",
        _yes_no("executive").alias("executive"),
        _yes_no("independent").alias("independent"),
        "gender",
        pl.col("_birth").alias("birth_year"),
        pl.col("_appointed").alias("appointed_on"),
        pl.col("_left").alias("left_on"),
        pl.col("_committees").alias("committees"),
    )


def _check_one_meeting(frame: pl.DataFrame, check: Checker) -> None:
    """All rows of a meeting give the same body and date as its first row."""
    meeting = ["entity", "meeting_ref"]
    frame = frame.with_columns(
        pl.col(ROW).min().over(meeting).alias("_first"),
        pl.col("body").first().over(meeting, order_by=ROW).alias("_body"),
        pl.col("date").first().over(meeting, order_by=ROW).alias("_day"),
    )
    for column, first in (("body", "_body"), ("date", "_day")):
        check.flag(
            frame,
            pl.col(column) != pl.col(first),
            column,
            pl.format(
                f"meeting '{{}}' has {column} '{{}}' in row {{}}", "meeting_ref", first, "_first"
            ),
            Message(
                N_("meeting %(meeting)r has %(column)s %(value)r in row %(row)s"),
                {
                    "meeting": pl.col("meeting_ref"),
                    "column": pl.lit(column),
                    "value": pl.col(first),
                    "row": pl.col("_first"),
                },
            ),
        )


def validate_attendance(
    table: Table,
    *,
    entities: Collection[str],
    members: Collection[tuple[str, str]],
    stored: Collection[tuple[str, str, str]],
) -> pl.DataFrame:
    """Typed attendance rows, or :class:`ImportRejected`; ``members`` are the stored (entity,
    ref) pairs, ``stored`` the (entity, meeting_ref, member_ref) already in the register."""
    check = Checker(table.source)
    frame = trimmed(table, ATTENDANCE_COLUMNS, check)
    frame = frame.with_columns(
        parse_date("date").alias("_date"),
        pl.col("body").str.to_lowercase(),
        pl.col("attendance").str.to_lowercase(),
        pl.concat_str("entity", "member_ref", separator="\x1f").alias("_member"),
        pl.concat_str("entity", "meeting_ref", "member_ref", separator="\x1f").alias("_key"),
    )
    check_entity(frame, check, entities)
    _check_ref(frame, check, "meeting_ref")
    _check_ref(frame, check, "member_ref")
    check.flag(
        frame,
        ~blank("member_ref") & ~pl.col("_member").is_in(sorted("\x1f".join(m) for m in members)),
        "member_ref",
        pl.format(
            "'{}' is not a board member of {}; import the members first",
            pl.col("member_ref"),
            pl.col("entity"),
        ),
        Message(
            N_("%(member)r is not a board member of %(entity)s; import the members first"),
            {"member": pl.col("member_ref"), "entity": pl.col("entity")},
        ),
    )
    check.flag(
        frame,
        pl.col("_key").is_in(sorted("\x1f".join(k) for k in stored)),
        "member_ref",
        pl.format(
            "attendance of '{}' at '{}' is already in the register",
            pl.col("member_ref"),
            pl.col("meeting_ref"),
        ),
        Message(
            N_("attendance of %(member)r at %(meeting)r is already in the register"),
            {"member": pl.col("member_ref"), "meeting": pl.col("meeting_ref")},
        ),
    )
    first_duplicate(frame, check, ["entity", "meeting_ref", "member_ref"], "member_ref")
    check_choice(frame, check, "body", BODIES)
    check.flag(frame, pl.col("_date").is_null(), "date", date_problem("date"), date_message("date"))
    check_choice(frame, check, "attendance", ATTENDANCE)
    _check_one_meeting(frame, check)
    check.raise_if_any()
    return frame.select(
        ROW,
        "entity",
        "meeting_ref",
        "body",
        pl.col("_date").alias("held_on"),
        "member_ref",
        "attendance",
    )
