"""A boundary's branches made once and asked about many covered sets (#18).

``Branches(members, children).uncovered(covered)`` must name exactly the members that the
definition does: a member is filled when it, or a member below it through members only, is
covered; the uncovered ones named are the topmost (their parent is outside the boundary or
filled). The reference below is that definition written out plainly, checked on random
forests with boundaries that skip levels.
"""

from __future__ import annotations

import random

from esgledger.kpi.coverage import Branches, uncovered


def _reference(members: set[str], covered: set[str], children: dict[str, list[str]]) -> list[str]:
    parents = {c: p for p, cs in children.items() for c in cs}

    def below(entity: str) -> set[str]:
        """Members reachable downwards from ``entity`` through members only."""
        out, stack = {entity}, [entity]
        while stack:
            for child in children.get(stack.pop(), []):
                if child in members and child not in out:
                    out.add(child)
                    stack.append(child)
        return out

    filled = {m for m in members if below(m) & covered}
    return sorted(
        m for m in members - filled if parents.get(m) not in members or parents[m] in filled
    )


def _forest(rng: random.Random, size: int) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for i in range(1, size):
        parent = f"E{rng.randrange(i):04d}" if rng.random() < 0.9 else None
        if parent is not None:
            children.setdefault(parent, []).append(f"E{i:04d}")
    return children


def test_branches_name_what_the_definition_names() -> None:
    rng = random.Random(18)
    for _ in range(60):
        size = rng.randrange(1, 80)
        children = _forest(rng, size)
        everyone = [f"E{i:04d}" for i in range(size)]
        members = {e for e in everyone if rng.random() < 0.8}
        branches = Branches(members, children)
        for _ in range(5):
            covered = {e for e in everyone if rng.random() < rng.random()}
            expected = _reference(members, covered, children)
            assert branches.uncovered(covered) == expected
            assert uncovered(members, covered, children) == expected


def test_branches_ignore_covered_entities_outside_the_boundary() -> None:
    children = {"G": ["A", "B"], "A": ["A1", "A2"], "B": ["B1"]}
    members = {"G", "A", "A1", "B", "B1"}  # A2 is not in the boundary
    branches = Branches(members, children)
    assert branches.uncovered({"A2"}) == ["G"]
    assert branches.uncovered({"A1"}) == ["B"]
    assert branches.uncovered({"B1", "A1"}) == []
    assert branches.uncovered(set()) == ["G"]
