"""Issue #14: the login rate limit counts the real client address. `esg serve` believed any
`X-Forwarded-For` from 127.0.0.1, so a guesser on the machine (or behind any local proxy)
chose a new address per attempt. Forwarded addresses count only from proxies named in
``ESG_TRUSTED_PROXIES``. The server is the real command in its own process."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

from esgledger.ledger.db import Database
from tests.api.test_concurrency import served  # noqa: F401  (the fixture)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _attempt(url: str, username: str, forwarded: str) -> int:
    """One wrong login claiming to come from ``forwarded``: the HTTP status."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{url}/login", timeout=60) as page:
        token = CSRF.search(page.read().decode())
    assert token
    form = {"username": username, "password": "not the password", "csrf_token": token.group(1)}
    request = urllib.request.Request(
        f"{url}/login",
        data=urllib.parse.urlencode(form).encode(),
        headers={"X-Forwarded-For": forwarded, "Origin": url},
    )
    try:
        with opener.open(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_forged_forwarded_for_does_not_reset_the_address_limit(
    served: tuple[str, dict[str, str]],  # noqa: F811
    db: Database,
) -> None:
    url, _tokens = served
    answers = [_attempt(url, f"user{i}", f"203.0.113.{i}") for i in range(6)]
    assert answers == [401] * 5 + [429], answers
