"""The role × action matrix, table-driven, and entity-scoped grants (no database needed)."""

from __future__ import annotations

import pytest

from esgledger.auth.permissions import (
    ACTIONS,
    CASE_ACTIONS,
    MATRIX,
    ROLES,
    PermissionDenied,
    Principal,
    can,
)
from esgledger.auth.permissions import require as require_permission

HQ_SUBTREE = frozenset({"HQ", "SZ1"})  # what a grant on HQ expands to in tests/factories.py

# (action, {role: expected}) — "scoped" means: only on granted entities.
# Every role of ROLES appears in every row, so a new role or action cannot go unreviewed.
MATRIX_TABLE: list[tuple[str, dict[str, bool | str]]] = [
    ("kpis.read", dict(admin=True, esg_manager=True, data_owner="scoped", reviewer=True,
                       auditor=True, respondent=False, compliance_officer=True, supplier_manager=False)),
    ("kpis.write", dict(admin=True, esg_manager=True, data_owner="scoped", reviewer=False,
                        auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("activities.write", dict(admin=True, esg_manager=True, data_owner="scoped",
                              reviewer=False, auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("entities.read", dict(admin=True, esg_manager=True, data_owner=True, reviewer=True,
                           auditor=True, respondent=False, compliance_officer=True, supplier_manager=True)),
    ("entities.write", dict(admin=True, esg_manager=True, data_owner=False, reviewer=False,
                            auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("factors.write", dict(admin=True, esg_manager=True, data_owner=False, reviewer=False,
                           auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("assessments.write", dict(admin=True, esg_manager=True, data_owner=False,
                               reviewer=False, auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("reports.read", dict(admin=True, esg_manager=True, data_owner=False, reviewer=True,
                          auditor=True, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("audit.read", dict(admin=True, esg_manager=True, data_owner=False, reviewer=True,
                        auditor=True, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("users.read", dict(admin=True, esg_manager=True, data_owner=False, reviewer=False,
                        auditor=True, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("users.write", dict(admin=True, esg_manager=False, data_owner=False, reviewer=False,
                         auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("requests.read", dict(admin=True, esg_manager=True, data_owner="scoped", reviewer=True,
                           auditor=True, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("evidence.read", dict(admin=True, esg_manager=True, data_owner="scoped", reviewer=True,
                           auditor=True, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("request.issue", dict(admin=True, esg_manager=True, data_owner=False, reviewer=False,
                           auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("request.enter", dict(admin=True, esg_manager=True, data_owner="scoped", reviewer=False,
                           auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("request.submit", dict(admin=True, esg_manager=True, data_owner="scoped",
                            reviewer=False, auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("request.approve", dict(admin=True, esg_manager=False, data_owner=False, reviewer=True,
                             auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("request.return", dict(admin=True, esg_manager=True, data_owner=False, reviewer=True,
                            auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("request.lock", dict(admin=True, esg_manager=True, data_owner=False, reviewer=False,
                          auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("request.restate", dict(admin=True, esg_manager=True, data_owner=False, reviewer=False,
                             auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("evidence.add", dict(admin=True, esg_manager=True, data_owner="scoped", reviewer=False,
                          auditor=False, respondent=False, compliance_officer=False, supplier_manager=False)),
    ("survey.answer", dict(admin=True, esg_manager=False, data_owner=False, reviewer=False,
                           auditor=False, respondent=True, compliance_officer=False, supplier_manager=False)),
    ("suppliers.read", dict(admin=True, esg_manager=True, data_owner=False, reviewer=True,
                            auditor=True, respondent=False, compliance_officer=False,
                            supplier_manager=True)),
    ("suppliers.write", dict(admin=True, esg_manager=True, data_owner=False, reviewer=False,
                             auditor=False, respondent=False, compliance_officer=False,
                             supplier_manager=True)),
    ("cases.read", dict(admin=False, esg_manager=False, data_owner=False, reviewer=False,
                        auditor=False, respondent=False, compliance_officer=True, supplier_manager=False)),
    ("cases.handle", dict(admin=False, esg_manager=False, data_owner=False, reviewer=False,
                          auditor=False, respondent=False, compliance_officer=True, supplier_manager=False)),
]  # fmt: skip

CASES = [(action, role, expected) for action, row in MATRIX_TABLE for role, expected in row.items()]


def test_the_table_covers_every_role() -> None:
    for action, row in MATRIX_TABLE:
        assert sorted(row) == sorted(ROLES), action
        assert action in ACTIONS


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_role_action_matrix(action: str, role: str, expected: bool | str) -> None:
    user = Principal("u", role, scope=HQ_SUBTREE)
    if expected == "scoped":
        assert can(user, action, entity="HQ")
        assert can(user, action, entity="SZ1"), "a grant covers the entity's subtree"
        assert not can(user, action, entity="WH1"), "nothing outside the grant"
        assert not can(user, action), "a scoped action needs an entity"
    else:
        assert can(user, action) is expected
        assert can(user, action, entity="WH1") is expected


def test_auditor_reads_everything_but_case_content_and_changes_nothing() -> None:
    auditor = Principal("aldo", "auditor")
    for action in ACTIONS:
        readable = action.endswith(".read") and action not in CASE_ACTIONS
        assert can(auditor, action) is readable, action


def test_admin_may_do_everything_but_read_cases_and_respondent_only_answer() -> None:
    """#17: whistleblowing case content is for compliance officers only, admins included."""
    admin = Principal("ada", "admin")
    assert all(can(admin, a) for a in ACTIONS if a not in CASE_ACTIONS)
    assert not any(can(admin, a) for a in CASE_ACTIONS)
    officer = Principal("cora", "compliance_officer")
    assert {a for a in ACTIONS if can(officer, a)} == {*CASE_ACTIONS, "kpis.read", "entities.read"}
    assert [a for a in ACTIONS if can(Principal("r", "respondent"), a)] == ["survey.answer"]


def test_a_disabled_user_may_do_nothing() -> None:
    ghost = Principal("ghost", "admin", active=False)
    assert not any(can(ghost, a) for a in ACTIONS)
    with pytest.raises(PermissionDenied, match="user 'ghost' is disabled"):
        require_permission(ghost, "kpis.read")


def test_an_owner_without_grants_has_no_scope() -> None:
    owner = Principal("olga", "data_owner")
    assert not can(owner, "request.enter", entity="HQ")
    assert can(owner, "entities.read")


def test_unknown_action_fails_loudly() -> None:
    with pytest.raises(ValueError, match=r"unknown action 'kpi\.read'"):
        can(Principal("ada", "admin"), "kpi.read")


def test_refusals_are_one_line_and_say_how_to_fix() -> None:
    owner = Principal("otto", "data_owner", scope=frozenset({"WH1"}))
    with pytest.raises(PermissionDenied) as err:
        require_permission(owner, "request.enter", entity="SZ1")
    assert str(err.value) == (
        "otto (data_owner) has no grant on entity 'SZ1'; an admin can grant it with "
        "`esg user grant otto ENTITY`"
    )
    with pytest.raises(PermissionDenied) as err:
        require_permission(Principal("aldo", "auditor"), "request.approve")
    assert str(err.value) == "aldo (auditor) may not approve requests"
    with pytest.raises(PermissionDenied, match=r"^rita \(reviewer\) may not change kpis$"):
        require_permission(Principal("rita", "reviewer"), "kpis.write")


def test_every_role_has_a_matrix_entry() -> None:
    assert set(MATRIX) == set(ROLES)
