"""The ``esg`` application: command groups are registered here; ``run`` maps errors to exits."""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from esgledger.cli import (
    assess_cmd,
    audit_cmd,
    calc_cmd,
    check_cmd,
    data_cmd,
    demo_cmd,
    factors_cmd,
    index_cmd,
    kpi_cmd,
    org_cmd,
    report_cmd,
    request_cmd,
    serve_cmd,
    user_cmd,
    workspace_cmd,
)
from esgledger.cli.output import fail
from esgledger.errors import EsgError


class _Group(TyperGroup):
    """Turns a user mistake anywhere below into one line per problem and exit code 2."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except EsgError as exc:
            fail(str(exc))
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="esg",
    help="esgledger: collect ESG data, compute energy and GHG with official factors, report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
workspace_cmd.register(app)
org_cmd.register(app)
data_cmd.register(app)
audit_cmd.register(app)
demo_cmd.register(app)
factors_cmd.register(app)
calc_cmd.register(app)
assess_cmd.register(app)
kpi_cmd.register(app)
check_cmd.register(app)
report_cmd.register(app)
index_cmd.register(app)
request_cmd.register(app)
user_cmd.register(app)
serve_cmd.register(app)


def run() -> None:
    """Entry point: a user mistake prints one line per problem and exits 2, never a traceback."""
    try:
        app()
    except EsgError as exc:
        fail(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted; nothing was written by the unfinished command")
        sys.exit(130)
