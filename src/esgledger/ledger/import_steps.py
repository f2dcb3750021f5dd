"""Every import in two steps: validate against what a read sees, then write in one short
transaction.

Reading, parsing and checking a large file takes seconds; doing it under the write lock
would keep every other writer waiting (#13.3). So each import (activities, entities, KPI
values, factor editions) validates its file against a read transaction, passes the fault
point ``import.validated`` (where the fault tests pause or kill it), and only then takes the
write lock. The write re-checks only what another writer may have changed meanwhile
(natural keys, row versions) and refuses the whole file if it did, before writing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from esgledger.faults import fault_point
from esgledger.ledger.db import Database

VALIDATED = "import.validated"
IDS_PER_SELECT = 500  # ids per re-check query, below every database's bound-parameter limit

Checked = TypeVar("Checked")
Written = TypeVar("Written")


def validate_then_write(
    db: Database,
    validate: Callable[[Session], Checked],
    write: Callable[[Session, Checked], Written],
) -> Written:
    """``validate`` in a read transaction, then ``write`` what it returned under the write
    lock; ``write`` must re-check what can change between the two."""
    with db.read() as session:
        checked = validate(session)
    fault_point(VALIDATED)
    with db.write() as session:
        return write(session, checked)
