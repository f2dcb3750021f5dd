"""The deep check: recompute every data digest the chain recorded from the tables as they are,
and the KPI values' kept grouped sums (``kpi_groups``) from the values.

Each scope (an import batch, a calculation run, a publication) is checked against the
*newest* event that digested it: a later writer that legitimately changes a scope's rows (a
data request re-entering a draft value moves it between batches) records the scope again.
A scope with rows that no event digested fails, unless the chain predates digests: events of
older versions carry none, and their scopes are listed as notes, not as failures.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger import digests, kpi_groups
from esgledger.ledger.archive_format import CHUNK
from esgledger.ledger.models import AuditEvent

# Actions that wrote data; before digests existed their events carried none.
DATA_ACTIONS = (
    "import.",
    "calc.run",
    "report.publish",
    "request.enter",
    "request.restate",
    "activities.void",
    "activities.unvoid",
    "register.",  # a register row moved to another state (#17)
    "suppliers.",
)


@dataclass
class DeepResult:
    scopes: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "scopes": self.scopes,
            "ok": self.ok,
            "problems": self.problems,
            "notes": self.notes,
        }


@dataclass
class _Recorded:
    latest: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    legacy: set[str] = field(default_factory=set)  # subjects of data events without digests
    first: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    rewritten: list[str] = field(default_factory=list)
    whole_values: int | None = None  # an event that digested every manual value at once

    def add(self, event_id: int, entry: dict[str, Any]) -> None:
        """The newest digest of a scope wins, but a written-once table may never change."""
        scope = entry["scope"]
        self.latest[scope] = (event_id, entry)
        if _whole_values(scope, entry["tables"]):
            self.whole_values = event_id
        for table, (_rows, sha) in entry["tables"].items():
            if not digests.written_once(scope, table):
                continue
            first_id, first_sha = self.first.setdefault((scope, table), (event_id, sha))
            if sha != first_sha:
                self.rewritten.append(
                    f"{scope}: {table} was written once by event {first_id}, "
                    f"yet event {event_id} records other rows"
                )


def verify_data(session: Session) -> DeepResult:
    """Recompute each recorded digest and look for rows no event digested."""
    recorded = _recorded(session)
    result = DeepResult(problems=list(recorded.rewritten))
    for scope in sorted(digests.scopes_in_tables(session) | set(recorded.latest)):
        result.scopes += 1
        if scope not in recorded.latest:
            if scope.startswith("value:") and recorded.whole_values is not None:
                result.notes.append(
                    f"{scope}: entered before values were digested one by one (event "
                    f"{recorded.whole_values} digested them all at once); its row is unchecked"
                )
            elif _legacy(scope, recorded.legacy):
                result.notes.append(f"{scope}: written before data digests; its rows are unchecked")
            else:
                result.problems.append(f"{scope}: has rows that no audit event digested")
            continue
        event_id, entry = recorded.latest[scope]
        now = digests.digest(session, scope)["tables"]
        for table, (rows, sha) in sorted(entry["tables"].items()):
            if _whole_values(scope, {table: [rows, sha]}):
                continue  # the older way, replaced by the ``value:`` scopes noted above
            now_rows, now_sha = now.get(table, [0, ""])
            if now_sha != sha:
                result.problems.append(
                    f"{scope}: {table} differs from the digest of event {event_id} "
                    f"({rows} rows recorded, {now_rows} now)"
                )
    result.problems.extend(kpi_groups.trigger_problems(session))  # what keeps the table
    result.problems.extend(kpi_groups.disagreements(session))  # kept by triggers, recomputed
    return result


def _recorded(session: Session) -> _Recorded:
    out = _Recorded()
    for event_id, action, subject, payload in _events(session):
        if not action.startswith(DATA_ACTIONS):
            continue
        data = json.loads(payload).get("data") if payload.startswith("{") else None
        if not data:
            out.legacy.add(subject)
            continue
        for entry in data:
            out.add(event_id, entry)
    return out


def _events(session: Session) -> Iterator[tuple[int, str, str, str]]:
    stmt = select(AuditEvent.id, AuditEvent.action, AuditEvent.subject, AuditEvent.payload)
    # Per statement: options set on the session's connection would stay for its next queries.
    result = session.connection().execute(
        stmt.order_by(AuditEvent.id).execution_options(yield_per=CHUNK)
    )
    for rows in result.partitions():
        yield from (tuple(r) for r in rows)


def _whole_values(scope: str, tables: dict[str, Any]) -> bool:
    """Whether a ``batch:none`` digest holds the manual KPI values, as written before each
    such value was digested on its own (``value:ID``)."""
    return scope == digests.batch_scope(None) and tables.get("kpi_values", [0])[0] > 0


def _legacy(scope: str, subjects: set[str]) -> bool:
    """Whether an event without digests wrote ``scope`` (before this version)."""
    kind, _, rest = scope.partition(":")
    if kind == "report":
        return f"report:{rest.split('/')[0]}" in subjects
    if scope == digests.batch_scope(None) or kind == "value":
        return any(s.startswith("request:") for s in subjects)
    if kind == "voids":  # voided by an older version: by ids, a batch, or a replacing import
        return "activities" in subjects or f"batch:{rest}" in subjects
    return scope in subjects
