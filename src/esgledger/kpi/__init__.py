"""KPIs: one value per catalog metric, boundary and year — reported, calculated or derived.

- ``scope``: which boundary a metric's family uses in a year, its members and shares.
- ``reported``: stored KPI values rolled up to the boundary, restatements marked.
- ``calculated``: figures of the latest calculation run and sums of activity data.
- ``derived``: catalog formulas evaluated over the other figures, inputs recorded.
- ``values``: the whole table for a year (``kpi_table``) and single lookups.
- ``series``: several years side by side, year-on-year change on the reported and the
  like-for-like basis.
"""
