"""Roles, actions and the one permission check every interface calls.

An action is ``<record kind>.read`` / ``<record kind>.write`` for the ledger's records, or a
workflow verb (``request.approve``…). Each role holds some actions everywhere (*global*) and
some only on entities it was granted (*scoped*: the grant's entity and its whole subtree).
Only data owners have scoped actions: they enter and submit for their entities and nothing
else. The matrix is data (:data:`MATRIX`) so docs and tests read the same table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from esgledger.errors import EsgError

ROLES = (
    "admin",
    "esg_manager",
    "data_owner",
    "reviewer",
    "auditor",
    "respondent",
    "compliance_officer",
    "supplier_manager",
)
ROLE_HELP = {
    "admin": "everything, including users and tokens",
    "esg_manager": "issues data requests, locks and restates values, runs assessments and reports",
    "data_owner": "enters values and evidence and submits them, only for granted entities",
    "reviewer": "approves submitted values or returns them with a comment",
    "auditor": "reads everything, changes nothing",
    "respondent": "answers a survey through its one-time token (assessment module)",
    "compliance_officer": "handles whistleblowing cases; the only role that reads their content",
    "supplier_manager": "runs the supplier register: screenings, tiers, audits, findings, "
    "questionnaires, CMRT files",
}

# Record kinds of the ledger; each has .read and, unless listed in READ_ONLY, .write.
RECORD_KINDS = (
    "entities",
    "boundaries",
    "activities",
    "kpis",
    "factors",
    "calculations",
    "assessments",
    "suppliers",
    "reports",
    "requests",
    "evidence",
    "audit",
    "users",
)
READ_ONLY = ("requests", "evidence", "audit")  # changed only through workflow verbs / services
WORKFLOW = (
    "request.issue",
    "request.enter",
    "request.submit",
    "request.approve",
    "request.return",
    "request.lock",
    "request.restate",
    "request.comment",
    "evidence.add",
    "survey.answer",
)
# Whistleblowing case content: compliance officers only, not even admins or auditors (a
# reporter's safety depends on it); everyone who reads KPIs sees the counts.
CASE_ACTIONS = ("cases.read", "cases.handle")
ACTIONS: tuple[str, ...] = (
    *(f"{k}.read" for k in RECORD_KINDS),
    *(f"{k}.write" for k in RECORD_KINDS if k not in READ_ONLY),
    *WORKFLOW,
    *CASE_ACTIONS,
)

_READS = {f"{k}.read" for k in RECORD_KINDS}
_DATA_WRITES = {f"{k}.write" for k in RECORD_KINDS if k not in (*READ_ONLY, "users")}
_REFERENCE_READS = {"entities.read", "boundaries.read", "factors.read"}


@dataclass(frozen=True)
class Grants:
    """What one role may do: everywhere, and on granted entities only."""

    everywhere: frozenset[str] = frozenset()
    scoped: frozenset[str] = frozenset()


def _g(everywhere: Iterable[str] = (), scoped: Iterable[str] = ()) -> Grants:
    return Grants(frozenset(everywhere), frozenset(scoped))


MATRIX: dict[str, Grants] = {
    "admin": _g(set(ACTIONS) - set(CASE_ACTIONS)),
    "esg_manager": _g(
        _READS
        | _DATA_WRITES
        | {
            "request.issue",
            "request.enter",
            "request.submit",
            "request.return",
            "request.lock",
            "request.restate",
            "request.comment",
            "evidence.add",
        }
    ),
    "data_owner": _g(
        _REFERENCE_READS,
        scoped={
            "activities.read",
            "activities.write",
            "kpis.read",
            "kpis.write",
            "requests.read",
            "evidence.read",
            "request.enter",
            "request.submit",
            "request.comment",
            "evidence.add",
        },
    ),
    "reviewer": _g(
        (_READS - {"users.read"}) | {"request.approve", "request.return", "request.comment"}
    ),
    "auditor": _g(_READS),
    "respondent": _g({"survey.answer"}),
    "compliance_officer": _g({*CASE_ACTIONS, "kpis.read", "entities.read"}),
    # #16: the supplier register and nothing else (entities: the buying entities it names).
    "supplier_manager": _g({"suppliers.read", "suppliers.write", "entities.read"}),
}


class PermissionDenied(EsgError):
    """The user's role or grants do not allow the action (the API answers 403)."""


@dataclass(frozen=True)
class Principal:
    """A signed-in user as the permission check sees it: role, and the entities in scope.

    ``scope`` holds every entity covered by the user's grants, subtrees already expanded
    (see :func:`esgledger.auth.users.principal`), so :func:`can` needs no database.
    """

    username: str
    role: str
    active: bool = True
    scope: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    lang: str = ""  # the pages' language the user chose; "" = the browser's (#19)


def can(user: Principal, action: str, *, entity: str | None = None) -> bool:
    """Whether ``user`` may do ``action`` (on ``entity``, for entity-scoped actions).

    A scoped action without an entity is refused: a data owner may read KPI values of
    their entities, not "KPI values" in general. Unknown actions raise ``ValueError`` so a
    typo fails loudly instead of denying quietly.

    >>> can(Principal("ann", "auditor"), "kpis.read")
    True
    >>> can(Principal("ann", "auditor"), "kpis.write")
    False
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not user.active or user.role not in MATRIX:
        return False
    grants = MATRIX[user.role]
    if action in grants.everywhere:
        return True
    return action in grants.scoped and entity is not None and entity in user.scope


def require(user: Principal, action: str, *, entity: str | None = None) -> None:
    """Raise :class:`PermissionDenied` with a one-line reason unless :func:`can` allows it."""
    if can(user, action, entity=entity):
        return
    if not user.active:
        raise PermissionDenied(f"user {user.username!r} is disabled")
    grants = MATRIX.get(user.role, Grants())
    if action in grants.scoped:
        where = f"entity {entity!r}" if entity else "every entity"
        raise PermissionDenied(
            f"{user.username} ({user.role}) has no grant on {where}; "
            f"an admin can grant it with `esg user grant {user.username} ENTITY`"
        )
    raise PermissionDenied(f"{user.username} ({user.role}) may not {_verb(action)}")


def _verb(action: str) -> str:
    kind, verb = action.split(".", 1)
    if verb in ("read", "write"):
        return f"{'read' if verb == 'read' else 'change'} {kind}"
    return f"{verb} {kind}s" if kind == "request" else f"{verb.replace('_', ' ')} {kind}"


def matrix_rows() -> list[tuple[str, dict[str, str]]]:
    """(action, role → "yes" | "granted entities" | "") for docs and the API."""
    rows = []
    for action in ACTIONS:
        cells = {}
        for role, grants in MATRIX.items():
            if action in grants.everywhere:
                cells[role] = "yes"
            elif action in grants.scoped:
                cells[role] = "granted entities"
            else:
                cells[role] = ""
        rows.append((action, cells))
    return rows
