"""What the fault suite's ``esg`` processes import, imported once in their fork server.

Every ``esg`` there is forked from one server (tests/faults/conftest.py); the commands load
their services lazily, so a fork of a server that imported only the CLI paid 2-3 s of CPU
for imports in each process (SQLAlchemy, Polars, pint, Jinja, matplotlib, openpyxl…) before
reaching its fault point (#20). Only modules are imported here, nothing is read or cached
from the environment: each process still reads its own settings and fault point.
"""

from __future__ import annotations

import importlib

from esgledger.charts import pyplot

# the commands the fault tests run, then what they load only when they run
MODULES = (
    "esgledger.cli.main",
    "esgledger.cli.audit_cmd",
    "esgledger.cli.calc_cmd",
    "esgledger.cli.data_cmd",
    "esgledger.cli.kpi_cmd",
    "esgledger.cli.org_cmd",
    "esgledger.cli.report_cmd",
    "esgledger.cli.workspace_cmd",
    "esgledger.cli.serve_cmd",
    "esgledger.server",
    "uvicorn",
    "esgledger.assess.charts",
    "esgledger.assess.climate",
    "esgledger.assess.risk",
    "esgledger.assess.targets",
    "esgledger.calc.scope3.products",
    "esgledger.disclose.charts",
    "esgledger.disclose.ledger_state",
    "esgledger.disclose.render",
    "esgledger.disclose.workbook",
    "esgledger.ledger.backup",
    "esgledger.ledger.restore",
    "openpyxl",
)

for name in MODULES:
    importlib.import_module(name)
pyplot()  # matplotlib on the Agg backend, as the report's charts load it
