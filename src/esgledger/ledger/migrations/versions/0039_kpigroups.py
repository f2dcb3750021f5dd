"""The KPI values' grouped sums, kept by triggers on kpi_values

Revision ID: 0039_kpigroups
Revises: 0038_actsort
Create Date: 2026-12-05 16:00:00

``esg kpi`` and ``esg check`` sum the members' values of each (year, metric, breakdown,
unit, decimals, qualifier, preliminary, restated) group exactly in integers
(``kpi.member_sums``); grouping the span's 4.6 M values at 10,000 entities cost SQLite
2.45–2.95 CPU s a command (#18). ``kpi_groups`` keeps, per group of the current values that
have a value, the count, the oldest id, the three integer sums of the exact split and the
count of values outside it. Triggers on ``kpi_values`` keep it on every write path (ORM,
bulk imports, restore, later migrations): SQLite row by row, PostgreSQL once per statement
over its transition tables. A delete or update that takes away a group's oldest value looks
the next one up in ``ix_kpi_values_grouping``. The split below says what
``ledger.kpi_split`` said when this revision was written; the table is filled from the rows
already stored. A later batch migration that recreates ``kpi_values`` on SQLite drops these
triggers with the old table: it must create them again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039_kpigroups"
down_revision: str | None = "0038_actsort"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_DECIMALS = "-2147483649"  # decimals_key of a value without decimals: below every int4
KEY = ("year", "metric_id", "dims", "unit", "decimals_key", "qualifier", "preliminary", "restated")
SUMS = ("whole", "high", "low", "unsplit")
COLUMNS = ("year", "metric_id", "dims", "unit", "decimals", *KEY[4:], "members", "oldest", *SUMS)
WATCHED = (
    "is_current",
    "value",
    "year",
    "metric_id",
    "dims",
    "unit",
    "decimals",
    "qualifier",
    "preliminary",
    "restates_id",
)
TRIGGERS = ("kpi_groups_insert", "kpi_groups_delete", "kpi_groups_update")


def _split(v: str, postgres: bool) -> tuple[str, str, str, str]:
    """The exact split of value ``v``: integer part, the fraction's high and low 31 bits
    (times 2⁻⁶²), and 1 when the split does not hold it exactly (``kpi_split`` as of now)."""
    large, scale, small_end = "1099511627776.0", "4611686018427387904.0", "0.0009765625"
    if postgres:
        large, scale, small_end = (f"float8 '{x}'" for x in (large, scale, small_end))
        small = f"abs({v}) < {large}"
        whole = f"coalesce(trunc(CASE WHEN {small} THEN {v} END)::bigint, 0)"
        bits = (
            f"trunc(CASE WHEN {small} THEN {v} - trunc({v}) ELSE float8 '0' END * {scale})::bigint"
        )
    else:
        small = f"abs({v}) < {large}"
        whole = f"coalesce(CAST(CASE WHEN {small} THEN {v} END AS INTEGER), 0)"
        bits = f"CAST(({v} - CAST({v} AS INTEGER)) * {scale} AS INTEGER)"
    unsplit = f"CASE WHEN {v} = 0 OR (abs({v}) >= {small_end} AND {small}) THEN 0 ELSE 1 END"
    return whole, f"({bits}) / 2147483648", f"({bits}) % 2147483648", unsplit


def _key_of(r: str) -> tuple[str, ...]:
    """A stored row's group key, in :data:`KEY`'s order."""
    return (
        f"{r}.year",
        f"{r}.metric_id",
        f"{r}.dims",
        f"{r}.unit",
        f"coalesce({r}.decimals, {NO_DECIMALS})",
        f"{r}.qualifier",
        f"{r}.preliminary",
        f"({r}.restates_id IS NOT NULL)",
    )


def _matches(row: str, table: str = "kpi_groups") -> str:
    return " AND ".join(f"{table}.{k} = {x}" for k, x in zip(KEY, _key_of(row), strict=True))


def _grouped(source: str, r: str, postgres: bool, where: str = "") -> str:
    """The groups' counts, oldest ids and sums of the counted rows of ``source`` (alias r)."""
    parts = _split(f"{r}.value", postgres)
    key = _key_of(r)
    select = ", ".join((*key[:4], f"{r}.decimals", *key[4:]))
    sums = ", ".join(f"sum({p})" for p in parts)
    return (
        f"SELECT {select}, count(*), min({r}.id), {sums} FROM {source} "
        f"WHERE {r}.is_current AND {r}.value IS NOT NULL {where} "
        f"GROUP BY {', '.join((*key[:4], f'{r}.decimals', *key[4:]))}"
    )


def _upsert(rows: str) -> str:
    """Add counted rows' groups (``rows``: a SELECT or VALUES in :data:`COLUMNS`' order)."""
    added = ", ".join(f"{c} = kpi_groups.{c} + excluded.{c}" for c in ("members", *SUMS))
    return (
        f"INSERT INTO kpi_groups ({', '.join(COLUMNS)}) {rows} "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {added}, "
        "oldest = CASE WHEN excluded.oldest < kpi_groups.oldest THEN excluded.oldest "
        "ELSE kpi_groups.oldest END"
    )


def _refresh(where: str, postgres: bool, row: str = "kpi_groups") -> str:
    """Give the groups ``where`` picks their oldest counted id again, each searched in
    ``ix_kpi_values_grouping`` (every column of the key an equality: the first entry).
    ``row``: whose key columns to search by, the group's or (SQLite, one row's trigger) the
    row's: SQLite's planner takes the index for the row's values, not the group's columns."""
    current = "v.is_current" if postgres else "v.is_current = 1"
    same = " AND ".join(
        f"v.{c} = {row}.{c}"
        for c in ("year", "metric_id", "dims", "unit", "qualifier", "preliminary")
    )
    restated = "kpi_groups.restated" if row == "kpi_groups" else f"({row}.restates_id IS NOT NULL)"
    found = (
        f"(SELECT min(v.id) FROM kpi_values v WHERE {current} AND v.value IS NOT NULL "
        f"AND {same} AND {{decimals}} AND (v.restates_id IS NOT NULL) = {restated})"
    )
    return "\n".join(
        f"UPDATE kpi_groups SET oldest = {found.format(decimals=d)} WHERE {where} AND {w};"
        for d, w in (
            (f"v.decimals = {row}.decimals", f"{row}.decimals IS NOT NULL"),
            ("v.decimals IS NULL", f"{row}.decimals IS NULL"),
        )
    )


# SQLite: row triggers -------------------------------------------------------------------


def _sqlite_add(row: str) -> str:
    values = ", ".join((*_key_of(row)[:4], f"{row}.decimals", *_key_of(row)[4:]))
    return _upsert(f"VALUES ({values}, 1, {row}.id, {', '.join(_split(f'{row}.value', False))})")


def _sqlite_take(row: str) -> str:
    parts = _split(f"{row}.value", False)
    taken = ", ".join(f"{c} = {c} - {p}" for c, p in zip(SUMS, parts, strict=True))
    match = _matches(row)
    return (
        f"UPDATE kpi_groups SET members = members - 1, {taken} WHERE {match};\n"
        f"DELETE FROM kpi_groups WHERE {match} AND members = 0;\n"
        + _refresh(f"{match} AND kpi_groups.oldest = {row}.id", False, row)
    )


def _sqlite_triggers() -> list[str]:
    counted = "{0}.is_current AND {0}.value IS NOT NULL"
    watched = ", ".join(WATCHED)
    return [
        f"CREATE TRIGGER kpi_groups_insert AFTER INSERT ON kpi_values "
        f"WHEN {counted.format('NEW')} BEGIN {_sqlite_add('NEW')}; END",
        f"CREATE TRIGGER kpi_groups_delete AFTER DELETE ON kpi_values "
        f"WHEN {counted.format('OLD')} BEGIN {_sqlite_take('OLD')} END",
        f"CREATE TRIGGER kpi_groups_update AFTER UPDATE OF {watched} ON kpi_values "
        f"WHEN {counted.format('OLD')} BEGIN {_sqlite_take('OLD')} END",
        f"CREATE TRIGGER kpi_groups_update_add AFTER UPDATE OF {watched} ON kpi_values "
        f"WHEN {counted.format('NEW')} BEGIN {_sqlite_add('NEW')}; END",
    ]


# PostgreSQL: statement triggers over transition tables ------------------------------------


def _pg_take(source: str, where: str = "") -> str:
    grouped = _grouped(source, "r", True, where)
    names = ", ".join((*KEY[:4], "decimals", *KEY[4:], "members", "oldest", *SUMS))
    taken = ", ".join(f"{c} = kpi_groups.{c} - d.{c}" for c in ("members", *SUMS))
    match = " AND ".join(f"kpi_groups.{k} = d.{k}" for k in KEY)
    return (
        f"UPDATE kpi_groups SET {taken} FROM ({grouped}) AS d ({names}) WHERE {match};\n"
        "DELETE FROM kpi_groups WHERE members = 0;\n"
    )


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n"
        f"{body}\nRETURN NULL;\nEND\n$fn$"
    )


def _pg_statements() -> list[str]:
    changed = " OR ".join(f"r.{c} IS DISTINCT FROM n.{c}" for c in WATCHED)
    pair = "kpi_groups_old r JOIN kpi_groups_new n ON n.id = r.id"
    new_pair = "kpi_groups_new r JOIN kpi_groups_old n ON n.id = r.id"
    refresh = _refresh("kpi_groups.oldest IN (SELECT id FROM kpi_groups_old)", True)
    insert = _upsert(_grouped("kpi_groups_new r", "r", True)) + ";"
    delete = _pg_take("kpi_groups_old r") + refresh
    update = (
        _pg_take(pair, f"AND ({changed})")
        + _upsert(_grouped(new_pair, "r", True, f"AND ({changed})"))
        + ";\n"
        + refresh
    )
    return [
        _pg_function("kpi_groups_insert", insert),
        _pg_function("kpi_groups_delete", delete),
        _pg_function("kpi_groups_update", update),
        "CREATE TRIGGER kpi_groups_insert AFTER INSERT ON kpi_values REFERENCING NEW TABLE "
        "AS kpi_groups_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_groups_insert()",
        "CREATE TRIGGER kpi_groups_delete AFTER DELETE ON kpi_values REFERENCING OLD TABLE "
        "AS kpi_groups_old FOR EACH STATEMENT EXECUTE FUNCTION kpi_groups_delete()",
        "CREATE TRIGGER kpi_groups_update AFTER UPDATE ON kpi_values REFERENCING OLD TABLE "
        "AS kpi_groups_old NEW TABLE AS kpi_groups_new FOR EACH STATEMENT "
        "EXECUTE FUNCTION kpi_groups_update()",
    ]


def upgrade() -> None:
    op.create_table(
        "kpi_groups",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.String(length=80), nullable=False),
        sa.Column("dims", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=True),
        sa.Column("decimals_key", sa.BigInteger(), nullable=False),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("preliminary", sa.Boolean(), nullable=False),
        sa.Column("restated", sa.Boolean(), nullable=False),
        sa.Column("members", sa.BigInteger(), nullable=False),
        sa.Column("oldest", sa.BigInteger(), nullable=False),
        sa.Column("whole", sa.BigInteger(), nullable=False),
        sa.Column("high", sa.BigInteger(), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=False),
        sa.Column("unsplit", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_groups")),
        sa.UniqueConstraint(*KEY, name=op.f("uq_kpi_groups_year")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(
        f"INSERT INTO kpi_groups ({', '.join(COLUMNS)}) " + _grouped("kpi_values r", "r", postgres)
    )
    for statement in _pg_statements() if postgres else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON kpi_values")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name in (*TRIGGERS, "kpi_groups_update_add"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("kpi_groups")
