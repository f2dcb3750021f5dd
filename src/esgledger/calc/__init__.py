"""Calc: activity records → energy (tce) and GHG (per gas and CO2e), with lineage.

- ``options``: run options and profiles (which factor series, in which order).
- ``library``: shipped and user factor editions as one indexed set.
- ``resolve``: choosing one factor per (activity, region, year) as DESIGN.md orders it.
- ``coefficients``: per distinct key, the multiplier from an activity unit to a result.
- ``engine``: ``compute``, the whole flow — codes → coefficients → results → roll-up.
- ``coding``: activity rows as integer codes, grouped by the key that decides coefficients.
- ``links``: the run's coefficient table, each key linked to its consecutive coefficients.
- ``allocation``: Scope 2 market-based share that certificates and PPAs cover per entity.
- ``results``: a result row per (activity × coefficient), and the unresolved rows.
- ``kernel``: the row passes in plain numpy arrays, in blocks, on several threads.
- ``rollup``: totals per entity, boundary, gas and activity type, the same bit for bit.
- ``runs``: loading inputs from the ledger, storing runs and results, ``explain``.
"""
