"""#14: a body the server cannot read at all (bytes that are not UTF-8 under a JSON content
type) gets a 400 problem, and every operation that takes a body documents that 400 in the
published schema, so a client written from the schema expects it (schemathesis found
``POST /me/password`` answering an undocumented 400)."""

from __future__ import annotations

from esgledger.api.app import PREFIX
from tests.api.conftest import Api, problem


def test_an_unreadable_body_is_a_documented_400(api: Api) -> None:
    sent = api.client.post(
        PREFIX + "/me/password",
        content=b'{"current": "\xff\xfe", "new": "x"}',
        headers={**api.headers("olga"), "Content-Type": "application/json"},
    )
    problem(sent, 400)
    schema = api.client.get(PREFIX + "/openapi.json").json()
    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation and "400" not in operation["responses"]
    ]
    assert not missing, missing
