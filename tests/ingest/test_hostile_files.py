"""Issue #14 H2 and #13.5: crafted files are refused with bounded memory and one line, never a
traceback; request bodies are capped (413); plausibility bounds are configurable per type."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from esgledger.api.app import PREFIX
from esgledger.cli.import_guard import ImportFailed, unexpected_failures
from esgledger.cli.main import app
from esgledger.errors import Exit
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.models import ActivityRecord
from esgledger.server import create_app
from tests.api.conftest import problem, setup_users
from tests.factories import ACTIVITY_HEADER, entities_file, write_csv, write_xlsx
from tests.web.conftest import csrf_of, log_in, make_user

ACT = ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "5", "t"]
MAX_RSS_MB = 400  # generous: a bare import takes about 150 MB; the crafted files took GBs
SHEET = "xl/worksheets/sheet1.xml"


def rewrite_sheet(plain: Path, out: Path, extra_row: bytes | None = None) -> Path:
    """Copy ``plain`` with ``extra_row`` added to its first sheet."""
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == SHEET and extra_row is not None:
                data = data.replace(b"</sheetData>", extra_row + b"</sheetData>")
            dst.writestr(info, data)
    return out


def far_cell_xlsx(folder: Path, ref: str = "AZ400000") -> Path:
    """The 4.7 KB workbook of #14 H2: one value in a cell far from the data."""
    plain = write_xlsx(folder / "plain.xlsx", {"activities": (ACTIVITY_HEADER, [ACT])})
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    extra = f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'.encode()
    return rewrite_sheet(plain, folder / "far.xlsx", extra)


def huge_string_xlsx(folder: Path, megabytes: int = 200) -> Path:
    """A small file holding one shared string of ``megabytes`` MB, written in chunks."""
    plain = write_xlsx(folder / "plain.xlsx", {"activities": (ACTIVITY_HEADER, [ACT])})
    out = folder / "huge.xlsx"
    edits = {
        SHEET: (b"</sheetData>", b'<row r="3"><c r="G3" t="s"><v>0</v></c></row></sheetData>'),
        "[Content_Types].xml": (b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            b'sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": (b"</Relationships>", b'<Relationship Id="rIdSS" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    }  # fmt: skip
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in edits:
                data = data.replace(*edits[info.filename])
            dst.writestr(info, data)
        with dst.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                     b'count="1" uniqueCount="1"><si><t>')  # fmt: skip
            chunk = b"a" * (1024 * 1024)
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(b"</t></si></sst>")
    return out


def repeated_string_parquet(folder: Path) -> Path:
    """100,000 rows sharing one 40,000-character note: 4 GB decoded, a few KB on disk (a
    dictionary column, so the test itself never holds the 4 GB)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 100_000
    columns = {h: pa.array([v] * rows) for h, v in zip(ACTIVITY_HEADER, ACT, strict=True)}
    columns["note"] = pa.DictionaryArray.from_arrays(
        pa.array([0] * rows, pa.int32()), pa.array(["n" * 40_000])
    )
    path = folder / "bomb.parquet"
    pq.write_table(pa.table(columns), path, compression="zstd")
    return path


def esg_subprocess(*args: str) -> tuple[int, str, int]:
    """Run ``esg`` in a fresh interpreter: exit code, stderr, and its peak RSS in MB."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking process (pytest,
    # hundreds of MB late in a run) across exec, while VmHWM belongs to this process alone.
    code = (
        "import atexit, re, sys\n"
        "atexit.register(lambda: sys.__stdout__.write('MAXRSS %s\\n' % re.search("
        "r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)))\n"
        "sys.argv = ['esg', *sys.argv[1:]]\n"
        "from esgledger.cli.main import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300
    )
    rss_kb = int(done.stdout.rsplit("MAXRSS ", 1)[1].split()[0])
    return done.returncode, done.stderr, rss_kb // 1024


def count_activities(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(ActivityRecord)) or 0


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (far_cell_xlsx, ": the sheet reaches cell AZ400000"),
        (huge_string_xlsx, ": shared string 1 is longer than 32,767 characters"),
        (repeated_string_parquet, ", row 2, column 'note': the cell is longer than 32,767"),
    ],
    ids=["far-cell", "200-MB-string", "parquet-4-GB-of-one-string"],
)
def test_crafted_xlsx_is_refused_with_bounded_memory(
    ws: Database, tmp_path: Path, build, message: str
) -> None:
    path = build(tmp_path)
    assert path.stat().st_size < 300_000
    code, stderr, rss_mb = esg_subprocess("import", "activities", str(path), "--db", ws.url)
    assert code == 2, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[0].startswith(f"error: {path.name}{message}"), stderr
    assert rss_mb < MAX_RSS_MB
    assert count_activities(ws) == 0


def test_thirty_thousand_rows_with_fifty_bad_dates_is_one_line_each(
    ws: Database, tmp_path: Path
) -> None:
    """#13.5: this file made Polars panic inside the check that formats the messages. In
    process (#20): a panic (a ``BaseException``) would still fail the test, and the crafted
    files above keep the exit code and the memory bound of a real ``esg`` process."""
    rows = []
    for i in range(30_000):
        start = f"{2010 + i % 15}-{1 + i % 12:02d}-01"
        rows.append(["SZ1", start if i % 600 else "2026-03-01xyz", f"{2010 + i % 15}-12-31",
                     "fuel.diesel", str(i), "t", f"m{i}"])  # fmt: skip
    path = write_csv(tmp_path / "big.csv", [*ACTIVITY_HEADER, "meter"], rows)
    result = CliRunner().invoke(
        app, ["import", "activities", str(path), "--db", ws.url], catch_exceptions=False
    )
    code, stderr = result.exit_code, result.stderr
    assert code == 2 and "Traceback" not in stderr and "panicked" not in stderr, stderr
    lines = stderr.splitlines()
    assert (
        lines[0]
        == "error: big.csv, row 2, column 'start': '2026-03-01xyz' is not a date (use YYYY-MM-DD)"
    )
    assert lines[-1] == "error: big.csv: refused, 50 problems; nothing was imported"
    assert count_activities(ws) == 0


def test_an_unexpected_failure_is_one_line_and_a_log(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as err, unexpected_failures("act.csv"):
        {}.pop("missing")  # a real KeyError, as a validator bug would raise
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("act.csv: internal error (KeyError: 'missing'); nothing was imported")
    log = Path(message.split("please report it with ", 1)[1])
    assert "Traceback" in log.read_text() and "KeyError: 'missing'" in log.read_text()
    assert err.value.exit_code == Exit.INTERNAL


def test_bounds_per_activity_type_come_from_the_workspace_file(
    ws: Database, tmp_path: Path
) -> None:
    bounds = write_csv(
        tmp_path / "bounds.csv",
        ["activity", "max_quantity", "unit", "max_days", "reason"],
        [["fuel.diesel", "1000", "t", "31", "no site burns more than 1000 t a month"]],
    )
    rows = [ACT, ["SZ1", "2024-02-01", "2024-02-29", "fuel.diesel", "2000000", "kg"],
            ["SZ1", "2024-03-01", "2024-04-30", "fuel.diesel", "1", "t"]]  # fmt: skip
    path = write_csv(tmp_path / "act.csv", ACTIVITY_HEADER, rows)
    result = CliRunner().invoke(
        app,
        ["import", "activities", str(path), "--db", ws.url],
        env={"ESG_ACTIVITY_BOUNDS": str(bounds)},
    )
    assert result.exit_code == 2, result.output
    assert (
        "act.csv, row 3, column 'quantity': quantity 2000000 kg is above the plausible maximum "
        "for fuel.diesel (1000 t per row)" in result.stderr
    )
    assert (
        "act.csv, row 4, column 'end': the period covers 61 days; a row of fuel.diesel may "
        "cover at most 31 days" in result.stderr
    )
    assert count_activities(ws) == 0
    assert (
        CliRunner().invoke(app, ["import", "activities", str(path), "--db", ws.url]).exit_code == 0
    )


# --- request bodies over HTTP -------------------------------------------------------------


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESG_MAX_UPLOAD_MB", "1")


def _client(db: Database) -> TestClient:
    return TestClient(create_app(db.url), raise_server_exceptions=False, follow_redirects=False)


def test_api_upload_over_the_cap_is_413(db: Database, tmp_path: Path, small_cap: None) -> None:
    tokens = setup_users(db, tmp_path)
    big = b"entity,start,end,activity,quantity,unit,note\n" + (b"x" * 100 + b"\n") * 20_000
    with _client(db) as client:
        auth = {"Authorization": f"Bearer {tokens['ada']}"}
        answer = client.post(f"{PREFIX}/imports/activities", headers=auth,
                             files={"file": ("act.csv", big)})  # fmt: skip
        body = problem(answer, 413)
        assert "larger than the server's limit of 1 MB (ESG_MAX_UPLOAD_MB)" in body["detail"]

        def chunks():  # no Content-Length: the cap counts the bytes as they arrive
            for _ in range(30):
                yield b"y" * 65_536

        streamed = client.post(f"{PREFIX}/imports/activities", content=chunks(), headers={
            **auth, "Content-Type": "multipart/form-data; boundary=xyz"})  # fmt: skip
        problem(streamed, 413)
    assert count_activities(db) == 0


def test_api_crafted_xlsx_is_422_not_500(db: Database, tmp_path: Path) -> None:
    tokens = setup_users(db, tmp_path)
    path = far_cell_xlsx(tmp_path, "Z200000")
    with _client(db) as client:
        answer = client.post(
            f"{PREFIX}/imports/activities",
            headers={"Authorization": f"Bearer {tokens['ada']}"},
            files={"file": (path.name, path.read_bytes())},
        )
    body = problem(answer, 422)
    assert body["detail"].startswith("far.xlsx: the sheet reaches cell Z200000")
    assert count_activities(db) == 0


def test_web_upload_over_the_cap_is_413_page(db: Database, small_cap: None) -> None:
    make_user(db, "mia", "esg_manager")
    with _client(db) as client:
        token = log_in(client, "mia")
        answer = client.post(
            "/upload",
            data={"csrf_token": token},
            files={"file": ("t.xlsx", os.urandom(2 * 1024 * 1024))},
        )
        assert answer.status_code == 413, answer.text
        assert "larger than the server&#39;s limit of 1 MB" in answer.text
        assert "Traceback" not in answer.text
        assert csrf_of(client.get("/upload").text)


def test_parquet_rows_are_numbered_across_batches(ws: Database, tmp_path: Path) -> None:
    import polars as pl

    rows = [[*ACT[:4], str(i), "t", f"m{i}"] for i in range(2_500)]
    rows[2_100][4] = "lots"
    frame = pl.DataFrame(rows, schema=[*ACTIVITY_HEADER, "meter"], orient="row")
    frame.write_parquet(tmp_path / "act.parquet")
    result = CliRunner().invoke(app, ["import", "activities", str(tmp_path / "act.parquet"),
                                      "--db", ws.url])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "error: act.parquet, row 2102, column 'quantity': 'lots' is not a number"
    )
    frame.with_columns(pl.col("quantity").str.replace("lots", "1")).write_parquet(
        tmp_path / "act.parquet"
    )
    imported = CliRunner().invoke(app, ["import", "activities", str(tmp_path / "act.parquet"),
                                        "--db", ws.url, "--json"])  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert count_activities(ws) == 2_500


def test_web_crafted_workbook_is_422_page(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor="test")
    make_user(db, "mia", "esg_manager")
    path = far_cell_xlsx(tmp_path, "Z200000")
    with _client(db) as client:
        token = log_in(client, "mia")
        answer = client.post(
            "/upload",
            data={"csrf_token": token},
            files={"file": (path.name, path.read_bytes())},
        )
    assert answer.status_code == 422, answer.text
    assert "far.xlsx: refused, 1 problem, nothing was stored" in answer.text
    assert "the sheet reaches cell Z200000" in answer.text
    assert count_activities(db) == 0
