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
from esgledger.cli.failures import internal_failure, known_failure
from esgledger.cli.output import fail


class _Group(TyperGroup):
    """Turns a failure anywhere below into one line per problem and its exit code."""

    def invoke(self, ctx: typer.Context) -> object:
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
