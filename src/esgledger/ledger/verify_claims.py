"""Certificate ids of live instrument rows held against ``certificate_claims``, and the
backfill that claims what older data left unclaimed.

Migration ``0026_scope3b`` filled the claims from the live ledger rows, the lowest row
keeping an id shared by several, and could not read the activity store: its rows claim from
their next import on. So data imported before it can hold an id twice — two ledger rows, a
ledger row and a store row, or two store rows in different files (another chunk of a large
run, which the run's own check of criterion 2 does not see) — and ids no claim names. This
module reads every live instrument row, ledger and store, and finds both:

- *shared* ids: one certificate id held by two or more live rows (GHG Protocol Scope 2
  Guidance, 2015, ch. 7, Table 7.1, criterion 2: the only instrument claiming that
  generation) — only voiding all but one of the rows can settle that;
- *unclaimed* ids: held by one live row, but absent from ``certificate_claims``;
- *overlong* ids: longer than the claims key allows (the import refuses them since 0026).

``esg db check`` reports them (each a problem: exit 1); ``esg db claims --backfill`` claims
the unclaimed ids, in one transaction, or — while any id is shared or overlong — refuses in
one line naming the id and its rows, and claims nothing (no migration needed: the table exists).
Until then an import or un-void taking an id an unclaimed row holds is refused all the same
(:mod:`esgledger.ledger.claim_holders`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.instruments import CERTIFICATE_ID_MAX
from esgledger.errors import Conflict
from esgledger.ledger.certificate_claims import COLUMN, Claim, record_claims
from esgledger.ledger.claim_holders import Holder, held_ids, live_instruments
from esgledger.ledger.claim_models import CertificateClaim

SOURCE = "certificate claims backfill"
_NAMED = 5  # shared ids a message names


@dataclass
class ClaimCheck:
    """What the live rows hold against the claims table."""

    rows: int = 0  # live instrument rows read
    shared: dict[str, list[Holder]] = field(default_factory=dict)
    unclaimed: list[Claim] = field(default_factory=list)
    overlong: list[tuple[str, Holder]] = field(default_factory=list)  # never claimable

    @property
    def ok(self) -> bool:
        return not self.shared and not self.unclaimed and not self.overlong

    @property
    def refusals(self) -> list[str]:
        """What the backfill cannot settle: shared ids, then ids too long for the key."""
        shared = [shared_line(cert, holders) for cert, holders in sorted(self.shared.items())]
        return shared + [overlong_line(cert, h) for cert, h in self.overlong]

    def problems(self) -> list[str]:
        """One line per shared id, and one for the unclaimed ids together."""
        out = self.refusals
        if self.unclaimed:
            first = self.unclaimed[:_NAMED]
            named = ", ".join(f"{c.certificate_id} (activity row {c.activity_id})" for c in first)
            rest = len(self.unclaimed) - len(first)
            more = f" and {rest} more" if rest else ""
            out.append(
                f"{len(self.unclaimed)} certificate ids of live instrument rows are not in "
                f"certificate_claims (imported before it existed): {named}{more}; "
                "`esg db claims --backfill` claims them"
            )
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "instrument_rows": self.rows,
            "shared": {
                cert: [_holder(h) for h in holders] for cert, holders in sorted(self.shared.items())
            },
            "unclaimed": [
                {
                    "certificate_id": c.certificate_id,
                    "activity_id": c.activity_id,
                    "batch_id": c.batch_id,
                }
                for c in self.unclaimed
            ],
            "overlong": [{"certificate_id": cert, **_holder(h)} for cert, h in self.overlong],
            "problems": self.problems(),
        }


def _holder(h: Holder) -> dict[str, object]:
    return {"activity_id": h.activity_id, "batch_id": h.batch_id, "kept": h.kept}


def shared_line(cert: str, holders: list[Holder]) -> str:
    """The one line of an id several live rows hold, naming each row and the column."""
    rows = ", ".join(f"{h.kept} activity row {h.activity_id} (batch {h.batch_id})" for h in holders)
    return (
        f"certificate id {cert} (column '{COLUMN}') is claimed by {len(holders)} live "
        f"instrument rows: {rows}; a certificate is the only claim on its generation (GHG "
        "Protocol Scope 2 Guidance, ch. 7, Table 7.1, criterion 2): void all but one of the "
        "ledger rows (`esg activities void --id`); store rows cannot be voided, and `esg "
        "calc` leaves every row holding a shared id out"
    )


def overlong_line(cert: str, holder: Holder) -> str:
    """The one line of an id too long to be claimed (older data; the import refuses it)."""
    return (
        f"{holder.kept} activity row {holder.activity_id} (batch {holder.batch_id}), column "
        f"'{COLUMN}': certificate id {cert[:20]}… is longer than {CERTIFICATE_ID_MAX} "
        "characters and cannot be claimed; void the row and import it with its real ids"
    )


def check_claims(session: Session) -> ClaimCheck:
    """Every live instrument row's ids (ledger rows, then the store's files, in id order)
    against ``certificate_claims``."""
    holders: dict[str, list[Holder]] = {}
    result = ClaimCheck()
    for holder, attributes in live_instruments(session):
        result.rows += 1
        for cert in dict.fromkeys(held_ids(attributes)):  # an id twice in one row: one holder
            holders.setdefault(cert, []).append(holder)
    claimed = {str(cert) for cert in session.scalars(select(CertificateClaim.certificate_id))}
    for cert, found in holders.items():
        if len(cert) > CERTIFICATE_ID_MAX:
            result.overlong += [(cert, h) for h in found]
        elif len(found) > 1:
            result.shared[cert] = sorted(found, key=lambda h: h.activity_id)
        elif cert not in claimed:
            h = found[0]
            result.unclaimed.append(Claim(cert, activity_id=h.activity_id, batch_id=h.batch_id))
    result.unclaimed.sort(key=lambda c: (c.activity_id, c.certificate_id))
    return result


def backfill_claims(session: Session) -> ClaimCheck:
    """Claim the unclaimed ids in the caller's transaction; refused (a :class:`Conflict`
    naming the first shared id and its rows, nothing claimed) while any id is shared or too
    long for the claims key."""
    found = check_claims(session)
    refusals = found.refusals
    if refusals:
        more = len(refusals) - 1
        also = f"; {more} more such ids (`esg db claims` lists them)" if more else ""
        raise Conflict(f"{refusals[0]}{also}; nothing was claimed")
    record_claims(session, SOURCE, found.unclaimed)
    return found
