"""Who may do what: users, roles, entity-scoped grants, passwords and API tokens.

Layout, one concept per module:

- :mod:`~esgledger.auth.permissions` — roles, actions, the role × action matrix and
  :func:`can`, a pure function over a :class:`Principal` (no database access), so the CLI,
  the API and the web pages ask the same question the same way.
- :mod:`~esgledger.auth.passwords` — argon2id hashing and verification.
- :mod:`~esgledger.auth.users` — adding, listing, disabling users; grants on entities;
  loading a :class:`Principal` with its grants expanded to entity subtrees.
- :mod:`~esgledger.auth.tokens` — API tokens: shown once, stored as SHA-256, revocable.

Survey respondents answer through the one-time tokens of :mod:`esgledger.assess.respondents`;
here the ``respondent`` role is only reserved.
"""

from esgledger.auth.permissions import (
    ACTIONS,
    ROLES,
    PermissionDenied,
    Principal,
    can,
    require,
)

__all__ = ["ACTIONS", "ROLES", "PermissionDenied", "Principal", "can", "require"]
