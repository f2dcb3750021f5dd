"""Questionnaire responses, recorded once per respondent.

A respondent's stakeholder group decides the instrument: impact
(``valence, actuality, scale, scope, irremediability, likelihood``), financial
(``likelihood_short, magnitude_short, … _medium, … _long``) or, in single (legacy) mode, one
``score``.

Responses arrive with a token (:func:`submit`) or from a CSV/XLSX file naming respondents or
tokens (:func:`import_responses`). Either way the whole submission is validated first and
refused whole, with every bad row named: out-of-range scores, unknown topics, unknown
respondents or tokens, reused tokens and respondents who already answered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.assess.materiality import require_open, topics_of
from esgledger.assess.scoring import HORIZONS, financial_score, impact_score
from esgledger.auth.tokens import token_hash
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput, NotFound, worded
from esgledger.ingest.checker import ROW, Checker, Message, blank, parse_number, with_row_numbers
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import audit
from esgledger.ledger.assess_models import (
    MaterialityAssessment,
    MaterialityResponse,
    Respondent,
    StakeholderGroup,
)
from esgledger.ledger.audit import canonical_json
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.models import utcnow

IMPACT_COLUMNS = ("valence", "actuality", "scale", "scope", "irremediability", "likelihood")
FINANCIAL_COLUMNS = tuple(f"{c}_{h}" for h in HORIZONS for c in ("likelihood", "magnitude"))
SINGLE_COLUMNS = ("score",)
# Columns a file must have when it holds ratings on an axis (the others may be left out).
REQUIRED_BY_AXIS = {
    "impact": ("valence", "actuality", "scale", "scope"),
    "financial": (),
    "stakeholder": SINGLE_COLUMNS,
    "business": SINGLE_COLUMNS,
}


# ---------------------------------------------------------------------------------------------
# Responses


def _respondent_table(session: Session, a: MaterialityAssessment) -> pl.DataFrame:
    rows = session.execute(
        select(
            Respondent.id,
            Respondent.name,
            Respondent.token_hash,
            Respondent.responded_at.is_not(None),
            StakeholderGroup.axis,
        )
        .join(StakeholderGroup, StakeholderGroup.id == Respondent.group_id)
        .where(Respondent.assessment_id == a.id)
        .with_for_update(of=Respondent)  # concurrent imports queue instead of double-recording
    ).all()
    return pl.DataFrame(
        [tuple(r) for r in rows],
        schema={
            "_rid": pl.Int64,
            "_rname": pl.Utf8,
            "_thash": pl.Utf8,
            "_answered": pl.Boolean,
            "_axis": pl.Utf8,
        },
        orient="row",
    )


def _resolve_respondents(frame: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """Join each row to its respondent, by name or by token hash."""
    hashes = [token_hash(t) if t.strip() else "" for t in frame["token"].to_list()]
    frame = frame.with_columns(pl.Series("_hash", hashes, dtype=pl.Utf8))
    by_name = people.rename({"_rid": "_rid_n"}).select("_rname", "_rid_n")
    by_token = people.rename({"_rid": "_rid_t"}).select("_thash", "_rid_t")
    frame = frame.join(by_name, left_on="respondent", right_on="_rname", how="left")
    frame = frame.join(by_token, left_on="_hash", right_on="_thash", how="left")
    frame = frame.with_columns(pl.coalesce("_rid_t", "_rid_n").alias("_rid"))
    return frame.join(people.drop("_thash"), on="_rid", how="left")


def _said(message: str) -> tuple[str, Message]:
    """A fixed reason and its catalog message (#19), as :meth:`Checker.flag` takes them."""
    return message, Message(message)


def _check_identity(frame: pl.DataFrame, check: Checker) -> None:
    no_token, no_name = blank("token"), blank("respondent")
    check.flag(frame, no_token & no_name, "respondent", *_said(N_("give a respondent or a token")))
    check.flag(
        frame,
        no_token & ~no_name & pl.col("_rid_n").is_null(),
        "respondent",
        pl.format(
            "unknown respondent '{}'; add it with `esg materiality respondents add`",
            pl.col("respondent"),
        ),
        Message(N_("unknown respondent %(cell)r"), {"cell": pl.col("respondent")}),
    )
    check.flag(
        frame,
        ~no_token & pl.col("_rid_t").is_null(),
        "token",
        *_said(N_("unknown token: it was not issued for this assessment, or was replaced")),
    )
    check.flag(
        frame,
        ~no_token
        & ~no_name
        & pl.col("_rid_t").is_not_null()
        & (pl.col("_rid_n").is_null() | (pl.col("_rid_t") != pl.col("_rid_n"))),
        "token",
        pl.format("the token does not belong to respondent '{}'", pl.col("respondent")),
        Message(
            N_("the token does not belong to respondent %(cell)r"), {"cell": pl.col("respondent")}
        ),
    )
    check.flag(
        frame,
        pl.col("_answered") & ~no_token,
        "token",
        *_said(N_("token already used: a questionnaire is accepted once")),
    )
    check.flag(
        frame,
        pl.col("_answered") & no_token,
        "respondent",
        pl.format("respondent '{}' has already responded", pl.col("_rname")),
        Message(N_("respondent %(cell)r has already responded"), {"cell": pl.col("_rname")}),
    )


def _score_column(name: str) -> pl.Expr:
    return pl.when(blank(name)).then(None).otherwise(parse_number(name))


def _check_range(frame: pl.DataFrame, check: Checker, axis: str, column: str) -> None:
    on_axis = pl.col("_axis") == axis
    value = _score_column(column)
    check.flag(
        frame,
        on_axis & ~blank(column) & (value.is_null() | (value < 1) | (value > 5)),
        column,
        pl.format("{} '{}' is not a score from 1 to 5", pl.lit(column), pl.col(column)),
        Message(
            N_("%(column)s %(cell)r is not a score from 1 to 5"),
            {"column": pl.lit(column), "cell": pl.col(column)},
        ),
    )


def _check_impact(frame: pl.DataFrame, check: Checker) -> None:
    on = pl.col("_axis") == "impact"
    valence, actuality = (
        pl.col("valence").str.to_lowercase(),
        pl.col("actuality").str.to_lowercase(),
    )
    check.flag(
        frame,
        on & ~valence.is_in(["positive", "negative"]),
        "valence",
        pl.format("valence '{}' is not positive or negative", pl.col("valence")),
        Message(N_("valence %(cell)r is not positive or negative"), {"cell": pl.col("valence")}),
    )
    check.flag(
        frame,
        on & ~actuality.is_in(["actual", "potential"]),
        "actuality",
        pl.format("actuality '{}' is not actual or potential", pl.col("actuality")),
        Message(N_("actuality %(cell)r is not actual or potential"), {"cell": pl.col("actuality")}),
    )
    for column in ("scale", "scope"):
        required = Message(N_("%(column)s is required (1 to 5)"), {"column": pl.lit(column)})
        check.flag(frame, on & blank(column), column, f"{column} is required (1 to 5)", required)
    check.flag(
        frame,
        on & (valence == "negative") & blank("irremediability"),
        "irremediability",
        *_said(N_("irremediability is required for a negative impact (1 to 5)")),
    )
    check.flag(
        frame,
        on & (valence == "positive") & ~blank("irremediability"),
        "irremediability",
        *_said(N_("irremediability applies to negative impacts only; leave it blank")),
    )
    check.flag(
        frame,
        on & (actuality == "potential") & blank("likelihood"),
        "likelihood",
        *_said(N_("likelihood is required for a potential impact (1 to 5)")),
    )
    check.flag(
        frame,
        on & (actuality == "actual") & ~blank("likelihood"),
        "likelihood",
        *_said(N_("an actual impact is certain; leave likelihood blank")),
    )
    for column in ("scale", "scope", "irremediability", "likelihood"):
        _check_range(frame, check, "impact", column)


def _check_financial(frame: pl.DataFrame, check: Checker) -> None:
    on = pl.col("_axis") == "financial"
    rated = pl.lit(False)
    for h in HORIZONS:
        lk, mg = f"likelihood_{h}", f"magnitude_{h}"
        check.flag(
            frame,
            on & (blank(lk) != blank(mg)),
            lk,
            f"give both likelihood_{h} and magnitude_{h}, or neither",
            Message(
                N_("give both %(likelihood)s and %(magnitude)s, or neither"),
                {"likelihood": pl.lit(lk), "magnitude": pl.lit(mg)},
            ),
        )
        rated = rated | (~blank(lk) & ~blank(mg))
        _check_range(frame, check, "financial", lk)
        _check_range(frame, check, "financial", mg)
    check.flag(
        frame,
        on & ~rated,
        "likelihood_short",
        *_said(N_("rate at least one horizon (short, medium or long): likelihood and magnitude")),
    )


def _check_single(frame: pl.DataFrame, check: Checker) -> None:
    on = pl.col("_axis").is_in(["stakeholder", "business"])
    check.flag(frame, on & blank("score"), "score", *_said(N_("score is required (1 to 5)")))
    _check_range(frame, check, "stakeholder", "score")
    _check_range(frame, check, "business", "score")


def _row_score(row: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """The response score with the pure functions of :mod:`esgledger.assess.scoring`."""

    def num(column: str) -> float | None:
        text = (row.get(column) or "").strip()
        return float(text.replace(",", "")) if text else None

    axis = row["_axis"]
    if axis == "impact":
        criteria: dict[str, Any] = {
            "valence": row["valence"].strip().lower(),
            "actuality": row["actuality"].strip().lower(),
            "scale": num("scale"),
            "scope": num("scope"),
            "irremediability": num("irremediability"),
            "likelihood": num("likelihood"),
        }
        return impact_score(**criteria), criteria
    if axis == "financial":
        horizons = {
            h: (num(f"likelihood_{h}"), num(f"magnitude_{h}"))
            for h in HORIZONS
            if num(f"likelihood_{h}") is not None
        }
        return financial_score(horizons), {h: list(v) for h, v in horizons.items()}  # type: ignore[arg-type]
    return float(num("score")), {"score": num("score")}  # type: ignore[arg-type]


def _require_instrument_columns(table: Table, axes: set[str], check: Checker) -> None:
    """File-level: the columns of each instrument the file's respondents answer."""
    given = set(table.frame.columns)
    for axis in sorted(axes):
        missing = [c for c in REQUIRED_BY_AXIS[axis] if c not in given]
        if missing:
            check.file_problem(
                f"missing column(s) {', '.join(missing)} for {axis} ratings",
                N_("missing column(s) %(columns)s for %(axis)s ratings"),
                columns=", ".join(missing),
                axis=axis,
            )
    if "financial" in axes and not given & set(FINANCIAL_COLUMNS):
        said = N_(
            "missing columns likelihood_<horizon> and magnitude_<horizon> for financial ratings "
            "(horizons: short, medium, long)"
        )
        check.file_problem(said, said)
    check.raise_if_any()


def validate_responses(
    session: Session, a: MaterialityAssessment, table: Table
) -> list[dict[str, Any]]:
    """Every row checked against the stored respondents and topics, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = table.frame
    if "respondent" not in frame.columns and "token" not in frame.columns:
        said = N_("missing column 'respondent' or 'token': say who answered")
        check.file_problem(said, said)
    if not check.require_columns(frame, ["topic"]) or check.total:
        check.raise_if_any()
    frame = with_row_numbers(frame)
    for column in ("respondent", "token", *IMPACT_COLUMNS, *FINANCIAL_COLUMNS, "score"):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(column))
    frame = frame.with_columns(pl.col(c).str.strip_chars() for c in frame.columns if c != ROW)
    frame = _resolve_respondents(frame, _respondent_table(session, a))
    _require_instrument_columns(table, set(frame["_axis"].drop_nulls().to_list()), check)
    topics: dict[str, int] = {}
    for t in topics_of(session, a):
        topics[t.name.lower()] = topics[t.code.lower()] = t.id
    frame = frame.with_columns(
        pl.col("topic")
        .str.to_lowercase()
        .replace_strict(topics, default=None, return_dtype=pl.Int64)
        .alias("_tid")
    )
    _check_identity(frame, check)
    check.flag(
        frame,
        pl.col("_tid").is_null(),
        "topic",
        pl.format("unknown topic '{}'; `esg materiality topics list` lists them", pl.col("topic")),
        Message(N_("unknown topic %(cell)r"), {"cell": pl.col("topic")}),
    )
    check.flag(
        frame,
        pl.struct("_rid", "_tid").is_duplicated()
        & pl.col("_rid").is_not_null()
        & pl.col("_tid").is_not_null(),
        "topic",
        pl.format("topic '{}' is rated more than once by the same respondent", pl.col("topic")),
        Message(
            N_("topic %(cell)r is rated more than once by the same respondent"),
            {"cell": pl.col("topic")},
        ),
    )
    _check_impact(frame, check)
    _check_financial(frame, check)
    _check_single(frame, check)
    check.raise_if_any()
    return frame.to_dicts()


def _record(
    session: Session,
    a: MaterialityAssessment,
    rows: list[dict[str, Any]],
    *,
    batch_id: int | None,
) -> list[int]:
    now = utcnow()
    for row in rows:
        score, criteria = _row_score(row)
        session.add(
            MaterialityResponse(
                respondent_id=row["_rid"],
                topic_id=row["_tid"],
                axis=row["_axis"],
                score=score,
                criteria=canonical_json(criteria),
                batch_id=batch_id,
                created_at=now,
            )
        )
    ids = sorted({row["_rid"] for row in rows})
    for respondent in session.scalars(select(Respondent).where(Respondent.id.in_(ids))):
        respondent.responded_at = now
    session.flush()
    return ids


@dataclass(frozen=True)
class ResponsesImported:
    """What a file of responses recorded (``esg materiality responses import``)."""

    batch_id: int
    responses: int
    respondents: int


@dataclass(frozen=True)
class SurveySubmitted:
    """What one respondent's questionnaire recorded (``esg materiality respond``, the page)."""

    assessment: str
    year: int
    responses: int


def import_responses(
    db: Database,
    year: int,
    path: str | Path,
    *,
    name: str | None = None,
    actor: str,
    sheet: str | None = None,
) -> ResponsesImported:
    """Record a file of responses, all or nothing."""
    from esgledger.assess.materiality import get_assessment

    table = read_table(path, sheet=sheet, kind="responses")
    with db.write() as session:
        a = get_assessment(session, year, name)
        require_open(a)
        rows = validate_responses(session, a, table)
        batch = open_batch(
            session, kind="materiality_responses", table=table, rows=len(rows), actor=actor
        )
        respondents = _record(session, a, rows, batch_id=batch.id)
        close_batch(
            session,
            batch,
            actor=actor,
            summary={"assessment": a.id, "responses": len(rows), "respondents": len(respondents)},
        )
        return ResponsesImported(batch.id, len(rows), len(respondents))


def submit(db: Database, token: str, table: Table, *, actor: str) -> SurveySubmitted:
    """One respondent's questionnaire, identified by their token; accepted once."""
    with db.write() as session:
        a, respondent, rows = _checked(session, token, table)
        _record(session, a, rows, batch_id=None)
        audit.record(
            session,
            actor=actor,
            action="materiality.respond",
            subject=f"materiality:{a.id}",
            payload={"respondent": respondent.name, "responses": len(rows), "sha256": table.sha256},
        )
        return SurveySubmitted(a.name, a.year, len(rows))


def check_answers(db: Database, token: str, table: Table) -> int:
    """What :func:`submit` would accept, stored nowhere: the survey page checks the answers
    before asking the respondent to confirm (the link locks on submission). Returns the
    number of topics rated, or raises as :func:`submit` would."""
    with db.read() as session:
        return len(_checked(session, token, table, lock=False)[2])


def _checked(
    session: Session, token: str, table: Table, *, lock: bool = True
) -> tuple[MaterialityAssessment, Respondent, list[dict[str, Any]]]:
    if not token.strip():
        raise InvalidInput("give the token printed by `esg materiality issue`")
    stmt = select(Respondent).where(Respondent.token_hash == token_hash(token))
    # FOR UPDATE: two submissions with one token queue, and the second sees the first
    respondent = session.scalar(stmt.with_for_update() if lock else stmt)
    if respondent is None:
        message = N_("unknown token: it was not issued, or a newer one replaced it")
        raise worded(NotFound(message), message, {})
    a = session.get(MaterialityAssessment, respondent.assessment_id)
    assert a is not None
    require_open(a)
    if respondent.responded_at is not None:
        message = N_("token already used: a questionnaire is accepted once")
        raise worded(Conflict(message), message, {})
    frame = table.frame.drop([c for c in ("respondent", "token") if c in table.frame.columns])
    frame = frame.with_columns(pl.lit(token).alias("token"))
    rows = validate_responses(session, a, Table(frame, table.source, table.sha256))
    return a, respondent, rows


def rows_table(rows: list[dict[str, str]], source: str = "command line") -> Table:
    """A questionnaire given as dicts (e.g. from ``--rate`` options) in the file shape."""
    if not rows:
        raise InvalidInput("give a file or at least one --rate TOPIC:key=value,…")
    columns = sorted({k for row in rows for k in row})
    frame = pl.DataFrame(
        [{c: row.get(c, "") for c in columns} for row in rows], schema={c: pl.Utf8 for c in columns}
    )
    digest = hashlib.sha256(canonical_json(rows).encode()).hexdigest()
    return Table(frame=frame, source=source, sha256=digest)


def parse_rate(text: str) -> dict[str, str]:
    """``topic-code:scale=4,scope=3,…`` → a response row."""
    topic, _, rest = text.partition(":")
    if not topic.strip() or not rest:
        raise InvalidInput(f"--rate {text!r}: write TOPIC:key=value,key=value")
    row = {"topic": topic.strip()}
    for part in rest.split(","):
        key, eq, value = part.partition("=")
        if not eq:
            raise InvalidInput(f"--rate {text!r}: {part!r} is not key=value")
        row[key.strip().lower()] = value.strip()
    return row
