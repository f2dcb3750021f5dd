"""The disclose package: framework catalogs turned into a content index, gap analysis, the
report model and its renderers.

- ``index``: the content index of a year for one framework — for every disclosure, the report
  sections (with their anchors) and KPI values that answer it, or the recorded reason for
  omission. The report renderer prints it.
- ``omissions``: reasons for omission (GRI 1's four) recorded as audit events, latest wins.
- ``gaps``: required disclosures with nothing behind them, and entries whose only backing KPI
  values are all missing.
- ``report*``, ``render*``, ``charts``, ``narrative``: the report model and renderers.

The framework data itself lives in ``esgledger.catalog.frameworks`` and the default outline in
``esgledger.catalog.outline``; this package only reads them.
"""
