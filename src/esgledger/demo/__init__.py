"""A realistic, seeded demo group: the `esg demo` command and the tests' shared fixture.

``build(DIR)`` writes the input files a sustainability team would have, imports them through
the same services a user calls (so validation and the audit log run as for real data), creates
the reporting boundaries, then runs every later stage registered in :mod:`.stages`. The same
call always gives the same files and the same stored values.

Modules, from the group outwards:

- :mod:`.org` — the entity tree (~40 entities: group, HQ campus with parks, Chinese
  production bases, overseas subsidiaries), site archetypes, PV and certificate programmes,
  and the energy/GHG and environment boundaries of each year, with their change notes.
- :mod:`.activity_data` — monthly activity rows per site (electricity, fuels, water, waste,
  refrigerants, Scope 3 records) with growth, seasonality and mid-period starts.
- :mod:`.kpi_profiles` — sizes and relations of reported KPIs, by metric id, keyword or unit.
- :mod:`.kpi_data` — yearly KPI rows for every ``reported`` metric of the catalog, with
  breakdowns that add up, parts within wholes, and one restatement.
- :mod:`.files` — byte-for-byte reproducible CSV and XLSX writing.
- :mod:`.stages` — the hook later stages (calculation, checks, assessments, report) use.
- :mod:`.build` — the orchestration and the :class:`DemoSummary`.
- :mod:`.seed` — one seed (42) split into named random streams.

The generators are pure functions, usable without a database::

    from esgledger.demo import activity_rows, entity_rows, kpi_rows
"""

from esgledger.demo.activity_data import activity_rows
from esgledger.demo.build import DemoSummary, build, write_inputs
from esgledger.demo.kpi_data import kpi_rows, restatement_rows
from esgledger.demo.org import BOUNDARIES, REPORT_YEAR, ROOT, SITES, YEARS, entity_rows
from esgledger.demo.stages import STAGES, DemoContext, register_stage

__all__ = [
    "BOUNDARIES",
    "REPORT_YEAR",
    "ROOT",
    "SITES",
    "STAGES",
    "YEARS",
    "DemoContext",
    "DemoSummary",
    "activity_rows",
    "build",
    "entity_rows",
    "kpi_rows",
    "register_stage",
    "restatement_rows",
    "write_inputs",
]
