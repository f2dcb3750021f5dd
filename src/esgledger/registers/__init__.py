"""Registers behind social and governance figures (#17): typed rows, states, SLA clocks.

Not a form builder: each register has its own table (``ledger.register_models``), its own
flow of states (:mod:`.states`, transitions as data) and its own import, and yields the
catalog KPIs it backs through a provider in ``kpi.register_figures``.

- ``states``: a register's states, allowed transitions and SLA clock per state.
- ``transitions``: moving a row to another state through the writer, audit-logged.
- ``ohs``: the OHS register — hours worked and incidents, with their import.
- ``ohs_import``: validating OHS files (one line per bad cell, nothing written on refusal).
- ``row_checks``: the row checks every register import shares (columns, entity, choices,
  duplicates).
- ``history``: registers whose states form one line, each state's entry time kept (moves,
  imports of a row's past); ``sla``: setting SLA hours per severity and state.
- ``complaints``, ``complaints_import``, ``nps``: customer complaints and NPS answers.
- ``vulnerabilities``, ``vulnerabilities_import``, ``cvss``: product-security cases.
- ``line_listing``: complaints and vulnerabilities for the interfaces (filters, pages).
- ``whistle_import``: a whistleblowing case log imported by a compliance officer.
"""
