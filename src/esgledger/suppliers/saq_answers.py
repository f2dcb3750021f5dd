"""A supplier's answers given on paper, read from a file (columns ``question, answer`` and
optional ``evidence``, a path relative to the file), for ``esg suppliers saq answer``."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import ROW, Checker, Message, blank, cell, with_row_numbers
from esgledger.ingest.readers import read_table
from esgledger.suppliers.saq import MAX_FILES, Upload
from esgledger.workflow.evidence import MAX_BYTES


def answers_from_file(path: str | Path) -> tuple[dict[str, str], list[Upload]]:
    """The answers and evidence files of ``path``; ImportRejected names each bad row."""
    path = Path(path)
    table = read_table(path, kind="answers")
    check = Checker(table.source)
    if not check.require_columns(table.frame, ["question", "answer"]):
        check.raise_if_any()
    frame = with_row_numbers(table.frame)
    if "evidence" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("evidence"))
    frame = frame.with_columns(pl.col("question").str.strip_chars())
    no_code = Message(N_("a row needs a question code"))
    check.flag(frame, blank("question"), "question", "a row needs a question code", no_code)
    check.flag(
        frame,
        pl.col("question").is_duplicated() & ~blank("question"),
        "question",
        pl.format("question '{}' is answered more than once", pl.col("question")),
        cell(N_("question %(cell)r is answered more than once"), "question"),
    )
    named = frame.filter(~blank("evidence"))
    if named.height > MAX_FILES:
        check.file_problem(
            f"{named.height} evidence files; the limit is {MAX_FILES}",
            N_("%(count)s evidence files; the limit is %(most)s"),
            count=named.height,
            most=MAX_FILES,
        )
        check.raise_if_any()
    missing, large, files = [], [], {}
    for row, name in named.select(ROW, pl.col("evidence").str.strip_chars()).iter_rows():
        file = path.parent / name
        if not file.is_file():
            missing.append(row)
        elif file.stat().st_size > MAX_BYTES:
            large.append(row)
        else:
            files[row] = file
    check.flag(
        frame,
        pl.col(ROW).is_in(missing),
        "evidence",
        pl.format("evidence file not found: {}", pl.col("evidence")),
        Message(N_("evidence file not found: %(file)s"), {"file": pl.col("evidence")}),
    )
    limit = MAX_BYTES // (1024 * 1024)
    over = Message(N_("the file is over %(most)s MB"), {"most": pl.lit(str(limit))})
    check.flag(frame, pl.col(ROW).is_in(large), "evidence", f"the file is over {limit} MB", over)
    check.raise_if_any()
    questions = dict(frame.select(ROW, "question").iter_rows())
    uploads = [Upload(questions[row], f.name, f.read_bytes()) for row, f in files.items()]
    answers = dict(frame.select("question", pl.col("answer").fill_null("")).iter_rows())
    return answers, uploads
