"""Assessments: double materiality, the enterprise risk register, climate risks and
opportunities, and targets (SYSTEM.md §8-§11).

One module per concept; the maths lives in modules without database code, so its rules are
pinned by hand-computed tests:

- ``scoring``: criteria → one score per response (GRI 3 / ESRS 1 §3.4-§3.5), weighted means,
  min-max normalisation, classes, the double / ESRS rules, legacy tiers, spread, bootstrap
  confidence intervals and the ±20% group-weight sensitivity.
- ``materiality``: assessments, topics copied from a library (``catalog.topics``) and edited
  until responses arrive, stakeholder groups and their weights.
- ``respondents``: respondents per group and their one-time tokens (only hashes stored).
- ``survey``: responses submitted with a token or imported from CSV/XLSX, refused whole with
  every bad row named.
- ``matrix``: scoring a stored assessment, the matrix it shows, tier changes against an
  earlier assessment.
- ``approval``: the board's approval (which locks the assessment) and the IRO records.
- ``risk_settings`` and ``risk``: the risk dictionary and the configurable scoring matrix;
  register entries with cause → event → consequence, responses, reviews, the overdue list,
  versioned history.
- ``climate``: TCFD items rated Low / Medium / High per horizon and scenario.
- ``carbon``: carbon-price paths and the carbon-price exposure of Scope 1 + 2 emissions.
- ``progress`` (maths) and ``targets``: targets on catalog metrics, pathways, on/off track,
  met / not met / not assessable.
- ``charts``: the materiality matrix and the risk heat map as SVG or PNG.

``assess`` reads the ledger, calculation runs and KPI values; it never imports an interface.
"""
