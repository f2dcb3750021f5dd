"""Issue 14, "reads far from the floor": `GET /api/v1/kpis` answers from bytes kept per ledger
state with a strong ETag, and signs tokens in from a short-lived cache. These tests hold the
correctness of those shortcuts on SQLite and PostgreSQL: the tag follows every write, a
matching `If-None-Match` gets 304 without a body, and a token stops working the moment its
user is disabled, its password changed or the token revoked, cache or no cache."""

from __future__ import annotations

from pathlib import Path

from esgledger.auth.tokens import list_tokens, revoke_token
from esgledger.auth.users import revoke_grant, set_active
from esgledger.ledger.kpis import import_kpis
from tests.api.conftest import YEAR, Api, problem

KPIS = f"/kpis?year={YEAR}&years=2"
KPI_HEADER = "entity,year,metric,value,unit,restatement_reason\n"


def _import_kpi(api: Api, tmp_path: Path, value: float) -> None:
    path = tmp_path / f"kpis-{value}.csv"
    path.write_text(
        KPI_HEADER + f"HQ,{YEAR},packaging.plastics,{value},t,corrected\n", encoding="utf-8"
    )
    import_kpis(api.db, path, actor="ada")


def _plastics(body: dict) -> object:  # type: ignore[type-arg]
    [row] = [k for k in body["kpis"] if k["metric"] == "packaging.plastics" and not k["dims"]]
    return row["values"][str(YEAR)]


def test_etag_answers_304_until_the_ledger_changes(api: Api, tmp_path: Path) -> None:
    first = api.call("mia", "GET", KPIS)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"')  # strong, not W/
    again = api.call("aldo", "GET", KPIS)  # another reader, the same bytes and tag
    assert again.headers["etag"] == tag and again.content == first.content

    unchanged = api.client.get("/api/v1" + KPIS, headers={
        "Authorization": f"Bearer {api.tokens['mia']}", "If-None-Match": tag})  # fmt: skip
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == tag

    _import_kpi(api, tmp_path, 12.5)
    changed = api.client.get("/api/v1" + KPIS, headers={
        "Authorization": f"Bearer {api.tokens['mia']}", "If-None-Match": tag})  # fmt: skip
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert _plastics(changed.json()) == 12.5

    _import_kpi(api, tmp_path, 13.0)
    latest = api.ok("mia", "GET", KPIS)
    assert _plastics(latest) == 13.0


def test_other_parameters_have_their_own_tag(api: Api) -> None:
    whole = api.call("mia", "GET", KPIS)
    energy = api.call("mia", "GET", KPIS + "&area=energy")
    assert whole.headers["etag"] != energy.headers["etag"]
    assert {k["area"] for k in energy.json()["kpis"]} == {"energy"}
    stale = api.client.get("/api/v1" + KPIS + "&area=energy", headers={
        "Authorization": f"Bearer {api.tokens['mia']}", "If-None-Match": whole.headers["etag"]})  # fmt: skip
    assert stale.status_code == 200


def test_me_names_the_signed_in_user(api: Api) -> None:
    assert api.ok("olga", "GET", "/me") == {
        "username": "olga", "role": "data_owner", "scope": ["HQ", "SZ1"]}  # fmt: skip
    problem(api.call(None, "GET", "/me"), 401)


def test_a_disabled_users_cached_token_is_refused_at_once(api: Api) -> None:
    assert api.call("mia", "GET", KPIS).status_code == 200  # the token is now cached
    assert api.call("mia", "GET", "/me").status_code == 200
    with api.db.write() as session:
        set_active(session, "mia", False, actor="ada")
    problem(api.call("mia", "GET", KPIS), 401)
    problem(api.call("mia", "GET", "/me"), 401)


def test_a_revoked_token_is_refused_at_once(api: Api) -> None:
    assert api.call("rita", "GET", "/me").status_code == 200
    with api.db.write() as session:
        [token] = list_tokens(session, "rita")
        revoke_token(session, token.id, actor="ada")
    problem(api.call("rita", "GET", "/me"), 401)


def test_a_changed_grant_is_seen_at_once(api: Api) -> None:
    assert api.ok("olga", "GET", "/me")["scope"] == ["HQ", "SZ1"]
    with api.db.write() as session:
        revoke_grant(session, "olga", "HQ", actor="ada")
    assert api.ok("olga", "GET", "/me")["scope"] == []
