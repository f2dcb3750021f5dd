"""The ``esg`` application: command groups are registered here; ``run`` maps errors to exits."""

from __future__ import annotations

import sys
from typing import Any

import typer

from esgledger.cli.failures import internal_failure, known_failure
from esgledger.cli.lazy import Entry, LazyGroup
from esgledger.cli.output import fail

# Every top-level command: the module that registers it and the line `esg --help` shows
# (tests/cli/test_startup.py checks each line against the command's own help), in the order
# of the help (commands, then groups). A module is imported only when one of its commands
# runs; a new command is added here.
COMMANDS = {
    "init": Entry(
        "workspace_cmd",
        "Create a workspace database (./esg.db by default) with the current schema.",
    ),
    "backup": Entry(
        "workspace_cmd",
        "Write the whole workspace, audit chain and activity store files too, to one archive.",
    ),
    "restore": Entry(
        "workspace_cmd", "Load an archive into an empty database (SQLite or PostgreSQL)."
    ),
    "demo": Entry(
        "demo_cmd",
        "Build a realistic demo group (~40 entities, 3 years of data) into a new workspace.",
    ),
    "kpi": Entry(
        "kpi_cmd", "Every KPI of the catalog for a year and the years before (the report appendix)."
    ),
    "report": Entry(
        "report_cmd",
        "Write the report: narrative, charts, KPI appendix, content indices, verification.",
    ),
    "template": Entry(
        "request_cmd",
        "Write the XLSX collection template of open requests, for an owner or an entity.",
    ),
    "serve": Entry(
        "serve_cmd",
        "Serve the web app and the JSON API (`/api/v1`, bearer tokens) for the whole team.",
    ),
    "db": Entry("workspace_cmd", "Database schema and integrity: status, upgrades, checks."),
    "entities": Entry("org_cmd", "The organisation tree."),
    "boundary": Entry("org_cmd", "Reporting boundaries per year and data family."),
    "import": Entry(
        "data_cmd", "Import entities, activity data or KPI values from CSV, XLSX or Parquet."
    ),
    "metrics": Entry("data_cmd", "The metric catalog."),
    "activities": Entry("data_cmd", "Activity types and stored activity records."),
    "kpis": Entry("data_cmd", "Stored KPI values as reported (history included on request)."),
    "audit": Entry("audit_cmd", "The append-only, hash-chained audit log."),
    "factors": Entry("factors_cmd", "Versioned factor editions: shipped and your own."),
    "products": Entry(
        "products_cmd",
        "Product models for Scope 3 use of sold products and end of life: list, template.",
    ),
    "calc": Entry(
        "calc_cmd",
        "Energy (tce) and GHG (Scope 1, Scope 2 location and market) from activity data.",
    ),
    "materiality": Entry(
        "assess_cmd",
        "Double materiality: topics, stakeholder surveys, scoring, matrix, approval, IROs.",
    ),
    "risk": Entry(
        "assess_cmd",
        "Enterprise risk register: dictionary, scoring matrix, responses, reviews, heat map.",
    ),
    "climate": Entry(
        "assess_cmd", "Climate risks and opportunities (TCFD), scenarios, carbon-price exposure."
    ),
    "targets": Entry(
        "assess_cmd",
        "Absolute, intensity and ratio targets: pathways, on/off track, met / not met.",
    ),
    "scope3": Entry(
        "scope3_cmd", "Scope 3: the screening of the 15 categories per year, intake templates."
    ),
    "check": Entry(
        "check_cmd",
        "Data-quality checks: sums, parts, identities, jumps, units, factors, coverage.",
    ),
    "index": Entry(
        "index_cmd", "The content index: where the report answers each disclosure of a framework."
    ),
    "frameworks": Entry(
        "index_cmd", "Shipped disclosure frameworks: GRI, SZSE No. 17, IFRS S2, TCFD, ESRS E1."
    ),
    "request": Entry(
        "request_cmd",
        "Data requests: issue, enter, upload, submit, approve, return, lock, evidence.",
    ),
    "user": Entry("user_cmd", "Users, roles, entity grants, passwords and API tokens."),
    "register": Entry(
        "register_cmd",
        "Registers behind social and governance KPIs: OHS, whistleblowing, board, training.",
    ),
    "suppliers": Entry(
        "suppliers_cmd",
        "Supplier register: suppliers, sites, contacts, agreements, certifications.",
    ),
}


class _Group(LazyGroup):
    """Turns a failure anywhere below into one line per problem and its exit code."""

    entries = COMMANDS

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except Exception as exc:
            failure = known_failure(exc)
            if failure is None:
                raise
            fail(str(failure))
            raise typer.Exit(failure.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="esg",
    help="esgledger: collect ESG data, compute energy and GHG with official factors, report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """The commands are loaded on use (see COMMANDS). Each command reads the settings from
    the environment it is started in (a command run in-process, as tests do, may be given
    other ``ESG_*`` variables than the last one). Imported here: pydantic is not loaded
    for ``esg --help``."""
    from esgledger.settings import reset_settings

    reset_settings()


def run() -> None:
    """Entry point: every failure prints one line per problem and its exit code, never a
    traceback (a bug's traceback goes to a file the line names)."""
    try:
        app()
    except KeyboardInterrupt:
        fail("interrupted; nothing was written by the unfinished command")
        sys.exit(130)
    except Exception as exc:
        failure = known_failure(exc)
        message, code = (str(failure), failure.exit_code) if failure else internal_failure(exc)
        fail(message)
        sys.exit(code)
