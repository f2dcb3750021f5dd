"""One-time link tokens (survey, supplier questionnaire, whistle-blowing intake).

A stop's fresh-clone run failed once because a supplier token began with "-" and
``esg suppliers saq answer TOKEN FILE`` read it as an option (a usage error, exit 2).
"""

from __future__ import annotations

import hashlib

from esgledger.auth.tokens import one_time_token, token_hash


def test_no_link_token_starts_with_a_dash() -> None:
    # token_urlsafe starts with "-" once in 64 draws: 4,000 draws all clear of it would
    # happen by chance with probability (63/64)^4000, about 5e-28.
    tokens = [one_time_token() for _ in range(4000)]
    assert not [t for t in tokens if t.startswith("-")]
    assert len(set(tokens)) == len(tokens) and all(len(t) == 32 for t in tokens)


def test_a_link_token_is_stored_as_its_sha256_of_the_trimmed_text() -> None:
    token = one_time_token()
    assert token_hash(f" {token}\n") == hashlib.sha256(token.encode()).hexdigest()
