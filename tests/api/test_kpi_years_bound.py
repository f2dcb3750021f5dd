"""Issue #14: `GET /api/v1/kpis?years=N` is open to every reader, and each year side by side
costs a whole year's table (its register figures, boundaries and runs read, every figure
computed): `?year=1900&years=19` took over 10 s under load. One request may ask at most
:data:`~esgledger.api.routes.MAX_KPI_YEARS` years, refused past that with a one-line 422
naming the parameter and the limit, and the limit is in the published schema (so generated
clients and schemathesis keep to it)."""

from __future__ import annotations

from esgledger.api.routes import MAX_KPI_YEARS
from tests.api.conftest import Api, problem


def test_more_years_than_the_limit_are_refused_naming_the_parameter(api: Api) -> None:
    got = api.call("mia", "GET", f"/kpis?year=1900&years={MAX_KPI_YEARS + 1}")
    body = problem(got, 422)
    assert "'years'" in body["detail"] and str(MAX_KPI_YEARS) in body["detail"], body
    assert api.call("mia", "GET", "/kpis?year=1900&years=19").status_code == 422


def test_the_limit_itself_is_answered_year_by_year(api: Api) -> None:
    body = api.ok("aldo", "GET", f"/kpis?year=2025&years={MAX_KPI_YEARS}")
    assert body["years"] == list(range(2025 - MAX_KPI_YEARS + 1, 2026))
    row = body["kpis"][0]
    assert sorted(row["values"]) == [str(y) for y in body["years"]]


def test_the_limit_is_in_the_published_schema(api: Api) -> None:
    schema = api.client.get("/api/v1/openapi.json").json()
    [years] = [
        p for p in schema["paths"]["/api/v1/kpis"]["get"]["parameters"] if p["name"] == "years"
    ]
    assert years["schema"]["maximum"] == MAX_KPI_YEARS <= 10
    assert str(MAX_KPI_YEARS) in years["description"]
