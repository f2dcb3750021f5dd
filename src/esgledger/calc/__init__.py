"""Calc: activity records → energy (tce) and GHG (per gas and CO2e), with lineage.

- ``options``: run options and profiles (which factor series, in which order).
- ``library``: shipped and user factor editions as one indexed set.
- ``resolve``: choosing one factor per (activity, region, year) as DESIGN.md orders it.
- ``coefficients``: per distinct key, the multiplier from an activity unit to a result.
- ``engine``: the columnar kernel — join rows to coefficients, multiply, allocate Scope 2.
- ``sums``: totals that are the same bit for bit on every run.
- ``runs``: loading inputs from the ledger, storing runs and results, ``explain``.
"""
