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
from esgledger.ingest.checker import ROW, Checker, blank

YES_NO = ("yes", "no", "true", "false", "y", "n", "1", "0")
_SHOWN = 5  # ids named per refused row


def check_instrument_columns(
    frame: pl.DataFrame, check: Checker, claimed: Collection[str] = ()
) -> None:
    """Flag bad instrument cells; ``claimed``: certificate ids of stored instruments (a
    mapping names the row holding each)."""
    instrument = pl.col("activity").is_in(INSTRUMENTS)
    if "vintage" in frame.columns:
        cell = pl.col("vintage").fill_null("").str.strip_chars()
        check.flag(
            frame,
            instrument & ~blank("vintage") & ~cell.str.contains(VINTAGE.pattern),
            "vintage",
            pl.format("vintage '{}' is not a year or month of generation (YYYY or YYYY-MM)", cell),
        )
    for column in ("retired", "attributes_conveyed"):
        if column in frame.columns:
            cell = pl.col(column).fill_null("").str.strip_chars().str.to_lowercase()
            check.flag(
                frame,
                instrument & ~blank(column) & ~cell.is_in(YES_NO),
                column,
                pl.format(f"{column} '{{}}' is not yes or no", pl.col(column)),
            )
    if "market" in frame.columns:
        cell = pl.col("market").fill_null("").str.strip_chars()
        check.flag(
            frame,
            instrument & ~blank("market") & ~cell.str.contains(r"^[A-Za-z]{2}$"),
            "market",
            pl.format("market '{}' is not a two-letter country code (ISO 3166-1)", cell),
        )
    if "certificate_ids" in frame.columns:
        held = claimed if isinstance(claimed, Mapping) else dict.fromkeys(claimed, "")
        _check_claims(frame.filter(instrument), check, held)


def _check_claims(rows: pl.DataFrame, check: Checker, claimed: Mapping[str, str]) -> None:
    """Each certificate id once: in the file (the first row keeps it) and against the ledger."""
    first: dict[str, int] = {}
    bad: list[tuple[int, str]] = []
    for row, text in rows.select(ROW, "certificate_ids").iter_rows():
        ids = certificate_ids(text)
        stored = [i for i in ids if i in claimed]
        earlier = [(i, first[i]) for i in ids if i in first]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        long = [i for i in ids if len(i) > CERTIFICATE_ID_MAX]
        for i in ids:
            first.setdefault(i, row)
        reasons = []
        if stored:
            named = ", ".join(f"{i} ({claimed[i]})" if claimed[i] else i for i in stored[:_SHOWN])
            reasons.append(f"already claimed by a stored instrument: {named}")
        if earlier:
            named = ", ".join(f"{i} (row {r})" for i, r in earlier[:_SHOWN])
            reasons.append(f"already claimed by an earlier row of the file: {named}")
        if repeated:
            reasons.append(f"listed twice in the row: {', '.join(repeated[:_SHOWN])}")
        if long:
            reasons.append(f"longer than {CERTIFICATE_ID_MAX} characters: {long[0][:20]}…")
        if reasons:
            bad.append((row, "certificate id " + "; ".join(reasons)))
    if bad:
        refused = pl.DataFrame(bad, schema={ROW: pl.Int64, "reason": pl.Utf8}, orient="row")
        check.flag(refused, pl.lit(True), "certificate_ids", pl.col("reason"))
