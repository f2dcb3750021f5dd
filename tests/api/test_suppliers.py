"""#16 supplier register over the API: paged list with filters, one supplier, 404, rights."""

from __future__ import annotations

from pathlib import Path

from esgledger.suppliers.register_import import import_register
from tests.api.conftest import Api, problem
from tests.suppliers.factories import register_files


def test_suppliers_page_with_link_headers_and_one_shows_its_rows(api: Api, tmp_path: Path) -> None:
    for kind, path in register_files(tmp_path).items():
        import_register(api.db, path, kind=kind, actor="setup")
    got = api.call("aldo", "GET", "/suppliers", params={"limit": 2, "sort": "-id"})
    assert got.status_code == 200, got.text
    assert [r["id"] for r in got.json()] == ["S003", "S002"]
    assert got.headers["X-Total-Count"] == "3" and 'rel="next"' in got.headers["Link"]
    only = api.ok("aldo", "GET", "/suppliers", params={"commodity": "cable"})
    assert [r["id"] for r in only] == ["S002"]
    one = api.ok("aldo", "GET", "/suppliers/S001")
    assert [s["name"] for s in one["sites"]] == ["Foshan plant"]
    assert len(one["certifications"]) == 2
    problem(api.call("aldo", "GET", "/suppliers/NOPE"), 404)
    problem(api.call("dora", "GET", "/suppliers"), 403)
