"""What a test compares before and after a refused command to show that nothing was
written, at the cost of a file read (SQLite) or one statement (PostgreSQL) (#20).

A dump of every ledger table through the driver, twice a test, was most of the malformed
corpus' CPU (about 90 statements a dump). This is at least as strong:

- SQLite: the SHA-256 of the database file and of its write-ahead log (an absent log is an
  empty one). In WAL mode a committed write appends frames to the log (a restarted log gets
  new salts), and a checkpoint writes the pages into the file, so no write leaves both files
  as they were; reading never writes either. It also sees what a dump of the models' tables
  could not: tables outside the models, the schema, a row written and deleted again.
- PostgreSQL: the SHA-256 of each table's rows in text, sorted, computed by the server in
  one statement over every table of the schema (``query_to_xml`` runs each table's query),
  so every value of every row is compared, as the dump compared them, and tables outside
  the models too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import text

from esgledger.ledger.db import Database

TABLE_DIGESTS = text(
    "SELECT table_name, encode(sha256(convert_to(query_to_xml(format("
    "'SELECT * FROM %I t ORDER BY t::text COLLATE \"C\"', table_name),"
    " true, false, '')::text, 'UTF8')), 'hex')"
    " FROM information_schema.tables"
    " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    " ORDER BY table_name"
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes() if path.exists() else b"").hexdigest()


def state(db: Database) -> dict[str, str]:
    """Equal before and after only if nothing was written (see the module's docstring)."""
    path = db.sqlite_path
    if path is not None:
        return {"file": _digest(path), "wal": _digest(path.with_name(path.name + "-wal"))}
    with db.engine.connect() as conn:
        return {name: digest for name, digest in conn.execute(TABLE_DIGESTS)}
