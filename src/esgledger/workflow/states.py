"""The life of a data request: which state each step needs and which it leads to.

::

    draft ──submit──► submitted ──approve──► approved ──lock──► locked
      ▲                 │    ▲                  │                 │
      │ (enter value)   │    │ submit           │ return          │ restate (new value + reason)
      └─────────────────┘    └──── returned ◄───┘                 ▼
                 return ─────────►                              submitted

Values may be entered only in ``draft`` and ``returned``. ``approved`` values cannot be
edited (a reviewer returns them first); ``locked`` values are frozen: a change after lock is
a restatement, made explicitly with a reason, which keeps the locked value as history and
sends the request back for review.
"""

from __future__ import annotations

from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, worded

STATES = ("draft", "submitted", "returned", "approved", "locked")
EDITABLE = frozenset({"draft", "returned"})
DONE = frozenset({"approved", "locked"})  # not overdue any more

# step → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft", "returned"}), "submitted"),
    "approve": (frozenset({"submitted"}), "approved"),
    "return": (frozenset({"submitted", "approved"}), "returned"),
    "lock": (frozenset({"approved"}), "locked"),
    "restate": (frozenset({"locked"}), "submitted"),
}

# The steps as a page names them in its language (the states are the pages' vocabulary).
STEP_WORDS = {
    "submit": N_("submit"),
    "approve": N_("approve"),
    "return": N_("return"),
    "lock": N_("lock"),
    "restate": N_("restate"),
    "enter": N_("enter"),
    "comment": N_("comment"),
    "evidence": N_("evidence"),
    "note": N_("note"),
}
STATE_WORDS = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "returned": N_("returned"),
    "approved": N_("approved"),
    "locked": N_("locked"),
}

# What to do instead, by (step, current state): each refusal is one line saying how to go on.
# Each hint is a catalog message too (``N_`` marks it), so a page prints it in its language.
_HINTS: dict[tuple[str, str], str] = {
    ("submit", "submitted"): N_("it already awaits review"),
    ("submit", "approved"): N_("there is nothing left to submit"),
    ("submit", "locked"): N_("it is locked; a change is a restatement (restate with a reason)"),
    ("approve", "draft"): N_(
        "only a submitted request can be approved; the owner submits it first"
    ),
    ("approve", "returned"): N_("it was returned to its owner, who must submit it again"),
    ("approve", "approved"): N_("there is nothing left to approve"),
    ("approve", "locked"): N_("there is nothing left to approve"),
    ("return", "draft"): N_("it has not been submitted yet"),
    ("return", "returned"): N_("its owner already has it back"),
    ("return", "locked"): N_("it is locked; a change is a restatement (restate with a reason)"),
    ("lock", "draft"): N_("only an approved request can be locked"),
    ("lock", "submitted"): N_(
        "only an approved request can be locked; a reviewer approves it first"
    ),
    ("lock", "returned"): N_("only an approved request can be locked"),
    ("lock", "locked"): N_("there is nothing left to lock"),
    ("restate", "draft"): N_("only a locked value is restated; enter the value instead"),
    ("restate", "returned"): N_("only a locked value is restated; enter the value instead"),
    ("restate", "submitted"): N_("only a locked value is restated; return it to edit it"),
    ("restate", "approved"): N_("only a locked value is restated; return it to edit it"),
    ("enter", "submitted"): N_(
        "it awaits review; a reviewer must return it before it can be edited"
    ),
    ("enter", "approved"): N_("approved values cannot be edited; a reviewer must return it first"),
    ("enter", "locked"): N_(
        "locked values cannot be edited; a change after lock is a restatement "
        "(`esg request restate` with a reason)"
    ),
}


def next_state(request_id: int, state: str, step: str) -> str:
    """The state after ``step``, or :class:`Conflict` saying why not and what to do."""
    if step == "enter":
        if state in EDITABLE:
            return state
    else:
        allowed, target = TRANSITIONS[step]
        if state in allowed:
            return target
    hint = _HINTS.get((step, state))
    if hint is None:
        raise worded(
            Conflict(
                f"cannot {step} request {request_id}: it is {state}; "
                f"{step} is not possible from {state}"
            ),
            N_("cannot %(step)s request %(id)s: it is %(state)s"),
            {"id": request_id},
            {"step": STEP_WORDS.get(step, step), "state": STATE_WORDS.get(state, state)},
        )
    raise worded(
        Conflict(f"cannot {step} request {request_id}: it is {state}; {hint}"),
        N_("cannot %(step)s request %(id)s: it is %(state)s; %(hint)s"),
        {"id": request_id},
        {"step": STEP_WORDS[step], "state": STATE_WORDS.get(state, state), "hint": hint},
    )
