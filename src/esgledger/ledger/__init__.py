"""The ledger: what was said, stored as given, with every write in the audit chain.

- ``models``: the tables; ``migrations``: Alembic, the only way the schema changes.
- ``db``: opening SQLite or PostgreSQL, read and write units of work.
- ``workspace``: creating, upgrading and opening a workspace database.
- ``entities``, ``boundaries``, ``activities``, ``kpis``: one module per record kind, each
  importing through ``esgledger.ingest`` validation, all or nothing.
- ``audit``: the hash-chained log.
- ``archive_format``: the portable archive of everything; ``backup`` writes one, ``restore``
  (with ``restore_rows``) loads one into an empty database.
"""
