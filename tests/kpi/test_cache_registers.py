"""Issue #14 (speed): when the KPI cache must recompute a whole table after a write it cannot
bound figure by figure — a KPI or activity import, a calculation run — the register figures
(training, complaints, giving…: 85 % of a whole table on the 4,300-request demo) are taken
as kept, since only a register, supplier or entity write can move them; such a write reads
them again. Every table equals a fresh one."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import make_url

from esgledger.kpi import cache
from esgledger.kpi.cache import cached_kpi_series
from esgledger.kpi.cache_registers import registers_kept
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from esgledger.registers.giving import import_volunteering
from tests.checks.test_implied_per_run import statements
from tests.conftest import Cli
from tests.factories import write_csv
from tests.kpi.test_cache_incremental import YEAR, issue, seeded, step  # noqa: F401
from tests.kpi.test_kpi import activities, kpis
from tests.pg_pool import admin_connection


def register_reads(sent: list[str]) -> list[str]:
    return [s for s in sent if "volunteer_hours" in s]


def checked_reading(work: Cli, how: str) -> tuple[dict, list[str]]:
    """The cached table, equal to a fresh one and computed ``how``, with the statements
    reading a register that the cached one sent."""
    before = cache.computed.copy()
    with work.db.read() as session, statements(work.db) as sent:
        cached = cached_kpi_series(session, YEAR, years=3)
    with work.db.read() as session:
        fresh = kpi_series(session, YEAR, years=3)
    assert json.dumps(cached, sort_keys=True, default=str) == json.dumps(
        fresh, sort_keys=True, default=str
    )
    assert list(cache.computed - before) == [how]
    return cached, register_reads(sent)


def volunteering(series: dict) -> float | None:
    [row] = [
        k for k in series["kpis"] if k["metric"] == "social.volunteering.hours" and not k["dims"]
    ]
    return row["values"][str(YEAR)]  # type: ignore[no-any-return]


def test_register_figures_are_kept_across_writes_that_cannot_move_them(
    seeded: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    work = seeded
    cache.clear()
    registers_kept.clear()
    _, read = checked_reading(work, "full")
    assert read, "the first table reads the registers"
    power = issue(work, "energy.electricity.purchased", "A")
    _, read = checked_reading(work, "full")  # issuing a request: not bounded
    assert not read, read
    step(work, "mia", power, "enter", value=12, unit="MWh")
    _, read = checked_reading(work, "incremental")  # a calculated metric's value: one figure
    assert not read, read
    kpis(work, tmp_path, [["B", YEAR, "packaging.cartons", 2, "t", "", "", ""]], name="k2.csv")
    _, read = checked_reading(work, "full")
    assert not read, read
    activities(
        work, tmp_path, [["B", "2024-02-01", "2024-02-28", "electricity.purchased", 5, "MWh"]],
        name="a2.csv",
    )  # fmt: skip
    _, read = checked_reading(work, "full")
    assert not read, read
    header = ["entity", "year", "programme", "participations", "hours"]
    rows = [["A", YEAR, "River clean-up", 4, "16.5"]]
    import_volunteering(work.db, write_csv(tmp_path / "v.csv", header, rows), actor="t")
    series, read = checked_reading(work, "full")  # a register import: read again
    assert read
    assert volunteering(series) == 16.5


def emptied(db: Database) -> None:
    """The database under ``db``'s URL replaced by an empty one (to restore into)."""
    db.dispose()
    path = db.sqlite_path
    if path is not None:
        for suffix in ("", "-wal", "-shm"):  # a WAL left would be replayed onto the new file
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    url = make_url(db.url)
    with admin_connection(url.set(database="postgres").render_as_string(False)) as conn:
        conn.execute(f"DROP DATABASE {url.database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {url.database}")


def test_kept_register_figures_are_not_taken_from_another_database_under_the_same_url(
    seeded: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A workspace restored from a backup holds, under the same URL and the same newest audit
    event id, another event (of another hash) and other register figures: the kept ones of
    the replaced database must not be taken."""
    work = seeded
    archive = tmp_path / "before.zip"
    work("backup", str(archive))
    cache.clear()
    registers_kept.clear()
    header = ["entity", "year", "programme", "participations", "hours"]
    rows = [["A", YEAR, "River clean-up", 4, "16.5"]]
    import_volunteering(work.db, write_csv(tmp_path / "v.csv", header, rows), actor="t")
    series, read = checked_reading(work, "full")
    assert read and volunteering(series) == 16.5  # kept at the import's event
    emptied(work.db)
    work("restore", str(archive))  # the workspace before the import, same URL
    issue(work, "energy.electricity.purchased", "A")  # the same newest event id, another hash
    series, read = checked_reading(work, "full")
    assert read, "the replaced database's figures are read again"
    assert volunteering(series) is None


def freshness_questions(sent: list[str]) -> list[str]:
    """The statements asking whether kept register figures are still current (the audit log)."""
    return [s for s in sent if "audit_events" in s]


def recompute_after_kpi_import(work: Cli, tmp_path: Path, years: int, year: int) -> list[str]:
    """The statements of the whole table of ``years`` years recomputed after a KPI import
    (which no register figure can move), the register figures kept from the table before."""
    with work.db.read() as session:
        cached_kpi_series(session, YEAR, years=years)  # kept, with every year's registers
    row = ["B", year, "packaging.cartons", 2, "t", "", "", ""]
    kpis(work, tmp_path, [row], name=f"k{year}.csv")
    before = cache.computed.copy()
    with work.db.read() as session, statements(work.db) as sent:
        cached = cached_kpi_series(session, YEAR, years=years)
    assert list(cache.computed - before) == ["full"]
    with work.db.read() as session:
        fresh = kpi_series(session, YEAR, years=years)
    assert json.dumps(cached, sort_keys=True, default=str) == json.dumps(
        fresh, sort_keys=True, default=str
    )
    assert not register_reads(sent)
    return sent


def test_kept_register_figures_of_many_years_are_checked_once_not_once_a_year(
    seeded: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Issue #14: `GET /api/v1/kpis?years=10` recomputed after a KPI import asked the audit log
    whether each year's kept register figures were still current, three statements a year
    (the kept event's hash, any write since that could move them, how many): the years' figures
    are kept at the same event, so one answer holds for all of them."""
    work = seeded
    cache.clear()
    registers_kept.clear()
    one = freshness_questions(recompute_after_kpi_import(work, tmp_path, 1, YEAR))
    ten = freshness_questions(recompute_after_kpi_import(work, tmp_path, 10, YEAR - 1))
    assert one, "the kept figures are checked"
    assert len(ten) == len(one), (len(ten), len(one))
