"""KPIs: one value per catalog metric, boundary and year — reported, calculated or derived.

- ``scope``: which boundary a metric's family uses in a year, its members and shares.
- ``reported``: stored KPI values rolled up to the boundary, restatements marked, each with
  the rounding of its printed decimals.
- ``calculated``: figures of the latest calculation run and sums of activity data; no
  records is "not available", never zero.
- ``derived``: catalog formulas evaluated over the other figures, inputs recorded.
- ``precedence``: a reported and a recomputed figure side by side, which one is used and why.
- ``rounding``: half a unit of the last printed decimal, propagated through formulas.
- ``coverage``: boundary members the year's activity data leave out (partial figures).
- ``unresolved``: totals of a run that left activity rows unresolved (incomplete figures).
- ``values``: the whole table for a year (``kpi_table``) and single lookups; ``table_of``
  computes it from plain inputs alone.
- ``table_inputs``: what a year's table is computed from, as plain values (boundaries as
  ``given_scopes``, reported values, register figures, activity sums, runs); ``table_reads``
  reads them from a session once, and rule tests build them without a database.
- ``series``: several years side by side, year-on-year change on the reported and the
  like-for-like basis.
- ``readout``: each figure's used source, both sides, and why it is partial, incomplete or
  not available, spelled out for the API and the pages; caveats on year-on-year changes.

See ``docs/kpi-figures.md`` for the precedence and the rounding tolerance.
"""
