"""#20: ``esg --help`` starts without the heavy libraries, and its command list tells the truth.

Start-up is asserted on what is imported, never on time: a fresh interpreter imports the CLI
(and prints the root help) and reports which heavy modules got loaded.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

from esgledger.cli.lazy import commands_of
from esgledger.cli.main import COMMANDS
from esgledger.ledger.db import Database

HEAVY = [
    "matplotlib",
    "matplotlib.pyplot",
    "openpyxl",
    "pint",
    "polars",
    "numpy",
    "weasyprint",
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "pydantic",
    "jinja2",
]


def _loaded_after(code: str, heavy: list[str] = HEAVY) -> list[str]:
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"sys.stderr.write(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert _loaded_after("import esgledger.cli.main") == []


def test_esg_help_loads_no_heavy_module() -> None:
    code = (
        "from esgledger.cli.main import app\n"
        "try:\n"
        "    app(['--help'], prog_name='esg')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code"
    )
    assert _loaded_after(code) == []


def test_a_command_loads_only_what_it_needs() -> None:
    """``esg serve --help`` needs neither the plotting nor the spreadsheet libraries."""
    code = (
        "from esgledger.cli.main import app\n"
        "try:\n"
        "    app(['serve', '--help'], prog_name='esg')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code"
    )
    loaded = _loaded_after(code)
    assert "matplotlib" not in loaded and "openpyxl" not in loaded and "polars" not in loaded


def test_every_command_is_listed_with_its_own_summary() -> None:
    """The root help's lines are the commands' first help paragraphs, and no registered
    command is missing from the list (a new one must be added to COMMANDS)."""
    for module in {entry.module for entry in COMMANDS.values()}:
        registered = commands_of(module)
        listed = {name for name, entry in COMMANDS.items() if entry.module == module}
        assert set(registered) == listed, module
        for name, command in registered.items():
            text = inspect.cleandoc(command.short_help or command.help or "")
            first = text.split("\n\n")[0].replace("\n", " ").strip()
            assert COMMANDS[name].summary == first, name


def test_reading_commands_load_no_migration_or_postgres_driver(sqlite_db: Database) -> None:
    """#18: ``esg kpi`` and ``esg check`` on a current SQLite workspace run without alembic
    (the schema check reads the version table and the migration files' own revision lines)
    and without psycopg or pyarrow (about 0.35 CPU s of imports a command)."""
    db_path = Path(sqlite_db.url.removeprefix("sqlite:///"))
    for command in (["kpi", "--year", "2025"], ["check", "--year", "2025"]):
        code = (
            "from esgledger.cli.main import app\n"
            "try:\n"
            f"    app({[*command, '--json', '--db', str(db_path)]!r}, prog_name='esg')\n"
            "except SystemExit as done:\n"
            "    assert done.code in (0, 1), done.code\n"
        )
        assert _loaded_after(code, ["alembic", "mako", "psycopg", "pyarrow"]) == [], command
