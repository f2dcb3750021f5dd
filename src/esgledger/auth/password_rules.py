"""What a new password must be: long, not common, not the username, not one repeated key.

Length alone let ``aaaaaaaaaa``, ``password123`` and the username itself through. Guessers
try the most common passwords first, so a password from the shipped list of the 10,000 most
common (``catalog/data/common_passwords.txt``, its source cited in the file) is refused, as is
such a password with only digits or symbols added at its end. Every path that sets a password
(``esg user add/password``, the web's change-password page) calls :func:`check_password`.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources

from esgledger.errors import InvalidInput

MIN_LENGTH = 10
MIN_DISTINCT = 5  # "aaaaaaaaaa" or "ababababab": long, yet guessed at once
COMMON_FILE = "common_passwords.txt"
_SUFFIX = string.digits + string.punctuation + " "


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case."""
    text = resources.files("esgledger.catalog").joinpath("data", COMMON_FILE).read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in common_passwords():
        return True
    stem = lowered.rstrip(_SUFFIX)  # "password2024!" is "password" to a guesser
    return len(stem) >= 4 and stem != lowered and stem in common_passwords()


def check_password(password: str, *, username: str) -> None:
    """Raise :class:`InvalidInput` with the one rule ``password`` breaks, if any.

    >>> check_password("correct horse battery", username="ann")
    >>> check_password("ann-is-here-2024", username="ann")
    Traceback (most recent call last):
    esgledger.errors.InvalidInput: a password must not contain the username
    """
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_LENGTH} characters")
    name = username.strip().lower()
    lowered = password.lower()
    if name and (lowered == name or (len(name) >= 3 and name in lowered)):
        raise InvalidInput("a password must not contain the username")
    if len(set(lowered)) < MIN_DISTINCT:
        raise InvalidInput(
            f"a password needs at least {MIN_DISTINCT} different characters, not a repeated key"
        )
    if _is_common(password):
        raise InvalidInput(
            "this password is one of the most common (breached) passwords; choose another, "
            "e.g. a few unrelated words"
        )
