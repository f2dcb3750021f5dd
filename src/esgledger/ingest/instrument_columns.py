"""The attribute columns of certificates and PPAs, checked on import.

An instrument's quality (GHG Protocol Scope 2 Guidance, ch. 7, Table 7.1; see
``calc.instruments``) is judged at calculation time, where a missing attribute makes it fall
back to the grid with a finding. What can never be right is refused here, with its row and
column: a ``vintage`` that is not a year or month, a ``retired`` or ``attributes_conveyed``
that is not yes/no, a ``market`` that is not a two-letter country code, and a certificate id
claimed twice — by two rows of the file, or by a row and an instrument already stored
(criterion 2: an instrument is the only claim on its generation; the write re-checks it
against ``certificate_claims``) — or longer than that table's key allows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import polars as pl

from esgledger.catalog.instruments import (
    CERTIFICATE_ID_MAX,
    INSTRUMENTS,
    VINTAGE,
    certificate_ids,
)
from esgledger.catalog.messages import N_
from esgledger.catalog.phrases import Listed, Phrase
from esgledger.errors import Problem
from esgledger.ingest.checker import KEEP, ROW, Checker, Message, blank

YES_NO = ("yes", "no", "true", "false", "y", "n", "1", "0")
_SHOWN = 5  # ids named per refused row
CERTIFICATE_ID = N_("certificate id %(reasons)s")
STORED = N_("already claimed by a stored instrument: %(ids)s")
EARLIER = N_("already claimed by an earlier row of the file: %(ids)s")
TWICE = N_("listed twice in the row: %(ids)s")
LONG = N_("longer than %(most)s characters: %(start)s…")
HELD_BY = N_("%(id)s (%(holder)s)")
IN_ROW = N_("%(id)s (row %(row)s)")


def check_instrument_columns(
    frame: pl.DataFrame,
    check: Checker,
    claimed: Collection[str] = (),
    first: dict[str, int] | None = None,
) -> None:
    """Flag bad instrument cells; ``claimed``: certificate ids of stored instruments (a
    mapping names the row holding each); ``first``: the ids of the file's earlier rows (a
    file checked a slice at a time), each with its first row, added to."""
    instrument = pl.col("activity").is_in(INSTRUMENTS)
    if "vintage" in frame.columns:
        cell = pl.col("vintage").fill_null("").str.strip_chars()
        check.flag(
            frame,
            instrument & ~blank("vintage") & ~cell.str.contains(VINTAGE.pattern),
            "vintage",
            pl.format("vintage '{}' is not a year or month of generation (YYYY or YYYY-MM)", cell),
            Message(
                N_("vintage %(cell)r is not a year or month of generation (YYYY or YYYY-MM)"),
                {"cell": cell},
            ),
        )
    for column in ("retired", "attributes_conveyed"):
        if column in frame.columns:
            cell = pl.col(column).fill_null("").str.strip_chars().str.to_lowercase()
            check.flag(
                frame,
                instrument & ~blank(column) & ~cell.is_in(YES_NO),
                column,
                pl.format(f"{column} '{{}}' is not yes or no", pl.col(column)),
                Message(
                    N_("%(column)s %(cell)r is not yes or no"),
                    {"column": pl.lit(column), "cell": pl.col(column)},
                ),
            )
    if "market" in frame.columns:
        cell = pl.col("market").fill_null("").str.strip_chars()
        check.flag(
            frame,
            instrument & ~blank("market") & ~cell.str.contains(r"^[A-Za-z]{2}$"),
            "market",
            pl.format("market '{}' is not a two-letter country code (ISO 3166-1)", cell),
            Message(
                N_("market %(cell)r is not a two-letter country code (ISO 3166-1)"),
                {"cell": cell},
            ),
        )
    if "certificate_ids" in frame.columns:
        held: Mapping[str, object] = (
            claimed if isinstance(claimed, Mapping) else dict.fromkeys(claimed, "")
        )
        _check_claims(frame.filter(instrument), check, held, {} if first is None else first)


def _check_claims(
    rows: pl.DataFrame, check: Checker, claimed: Mapping[str, object], first: dict[str, int]
) -> None:
    """Each certificate id once: in the file (the first row keeps it) and against the ledger;
    a row's reasons are phrases, so each part is worded in the reader's language."""
    kept = 0
    for row, text in rows.select(ROW, "certificate_ids").iter_rows():
        ids = certificate_ids(text)
        stored = [i for i in ids if i in claimed]
        earlier = [(i, first[i]) for i in ids if i in first]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        long = [i for i in ids if len(i) > CERTIFICATE_ID_MAX]
        for i in ids:
            first.setdefault(i, row)
        parts = []
        if stored:
            held = [_held_by(i, claimed[i]) for i in stored[:_SHOWN]]
            parts.append(Phrase(STORED, {"ids": Listed(held)}))
        if earlier:
            named = [Phrase(IN_ROW, {"id": i, "row": r}) for i, r in earlier[:_SHOWN]]
            parts.append(Phrase(EARLIER, {"ids": Listed(named)}))
        if repeated:
            parts.append(Phrase(TWICE, {"ids": Listed(repeated[:_SHOWN])}))
        if long:
            parts.append(Phrase(LONG, {"most": CERTIFICATE_ID_MAX, "start": long[0][:20]}))
        if parts:
            check.total += 1
            kept += 1
            if kept <= KEEP:
                check.problems.append(_refused(row, Listed(parts, "; ")))


def _held_by(cert: str, holder: object) -> str | Phrase:
    """An id with the row holding it, where that is known."""
    return Phrase(HELD_BY, {"id": cert, "holder": holder}) if holder else cert


def _refused(row: int, reasons: Listed) -> Problem:
    """A refused row of ``certificate_ids``, its reasons a list of phrases (a frame's column
    cannot hold them, so the row is added as :meth:`Checker.flag` would add it)."""
    values = {"reasons": reasons}
    return Problem(
        row, "certificate_ids", str(Phrase(CERTIFICATE_ID, values)), CERTIFICATE_ID, values
    )
