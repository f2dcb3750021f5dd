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

from esgledger.errors import Conflict

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

# What to do instead, by (step, current state): each refusal is one line saying how to go on.
_HINTS: dict[tuple[str, str], str] = {
    ("submit", "submitted"): "it already awaits review",
    ("submit", "approved"): "there is nothing left to submit",
    ("submit", "locked"): "it is locked; a change is a restatement (restate with a reason)",
    ("approve", "draft"): "only a submitted request can be approved; the owner submits it first",
    ("approve", "returned"): "it was returned to its owner, who must submit it again",
    ("approve", "approved"): "there is nothing left to approve",
    ("approve", "locked"): "there is nothing left to approve",
    ("return", "draft"): "it has not been submitted yet",
    ("return", "returned"): "its owner already has it back",
    ("return", "locked"): "it is locked; a change is a restatement (restate with a reason)",
    ("lock", "draft"): "only an approved request can be locked",
    ("lock", "submitted"): "only an approved request can be locked; a reviewer approves it first",
    ("lock", "returned"): "only an approved request can be locked",
    ("lock", "locked"): "there is nothing left to lock",
    ("restate", "draft"): "only a locked value is restated; enter the value instead",
    ("restate", "returned"): "only a locked value is restated; enter the value instead",
    ("restate", "submitted"): "only a locked value is restated; return it to edit it",
    ("restate", "approved"): "only a locked value is restated; return it to edit it",
    ("enter", "submitted"): "it awaits review; a reviewer must return it before it can be edited",
    ("enter", "approved"): "approved values cannot be edited; a reviewer must return it first",
    ("enter", "locked"): (
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
    hint = _HINTS.get((step, state), f"{step} is not possible from {state}")
    raise Conflict(f"cannot {step} request {request_id}: it is {state}; {hint}")
