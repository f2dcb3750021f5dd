"""The codes of the notes the KPI tables write themselves (#19): a formula's, a calculated
figure's and precedence's, each with its English wording and its catalog message, so a
reader of another language gets the note worded from its code (kpi.register_figures.notes,
which holds the registers' codes beside these)."""

from __future__ import annotations

from esgledger.catalog.messages import N_

KPI_CODES: dict[str, tuple[str, str]] = {
    # kpi.derived: a catalog formula over other figures
    "missing_input": (
        "not available: missing input: %(metrics)s",
        N_("not available: missing input: %(metrics)s"),
    ),
    "formula": ("= %(formula)s", N_("= %(formula)s")),
    "left_out_no_records": (
        "leaves out (no records): %(metrics)s", N_("leaves out (no records): %(metrics)s")
    ),
    # kpi.calculated: activity sums and calculation runs
    "no_activity_records": (
        "not available: no %(activity)s records in the boundary in %(year)s",
        N_("not available: no %(activity)s records in the boundary in %(year)s"),
    ),
    "unconvertible_units": (
        "leaves out quantities in %(units)s (not convertible to %(unit)s)",
        N_("leaves out quantities in %(units)s (not convertible to %(unit)s)"),
    ),
    "no_run": (
        "no calculation run for %(year)s; run `esg calc --year %(year)s`",
        N_("no calculation run for %(year)s; run `esg calc --year %(year)s`"),
    ),
    "run_boundary": (
        "run %(run)s used boundary %(boundary)s", N_("run %(run)s used boundary %(boundary)s")
    ),
    "run_all_entities": (
        "run %(run)s used boundary all entities", N_("run %(run)s used boundary all entities")
    ),
    "run_left_unresolved": (
        "incomplete: run %(run)s left %(rows)s activity result(s) of it unresolved "
        "(`esg calc show --run %(run)s`)",
        N_("incomplete: run %(run)s left %(rows)s activity result(s) of it unresolved "
           "(`esg calc show --run %(run)s`)"),
    ),
    "gwp_set": ("GWP set %(gwp)s", N_("GWP set %(gwp)s")),
    # a Scope 3 category's or total's reason as the run stored it (its codes beside it, #19),
    # with the command that shows more
    "scope3_reason_explained": ("%(note)s %(explain)s", N_("%(note)s %(explain)s")),
    "scope3_unavailable_explained": (
        "not available: %(note)s %(explain)s", N_("not available: %(note)s %(explain)s")
    ),
    "scope3_total_shown": (
        "%(note)s (`esg calc show --run %(run)s`)",
        N_("%(note)s (`esg calc show --run %(run)s`)"),
    ),
    # the Scope 3 total's reason (kpi.incomplete_why), worded by its own code under "gaps"
    "scope3_incomplete": ("incomplete: %(gaps)s", N_("incomplete: %(gaps)s")),
    "run_unresolved_gives": (
        "not available: run %(run)s has %(rows)s unresolved activity result(s) giving it, so "
        "there is no figure (`esg calc show --run %(run)s`)",
        N_("not available: run %(run)s has %(rows)s unresolved activity result(s) giving it, "
           "so there is no figure (`esg calc show --run %(run)s`)"),
    ),
    "run_no_rows": (
        "not available: run %(run)s has no activity rows giving it, so there is no figure "
        "(`esg calc show --run %(run)s`)",
        N_("not available: run %(run)s has no activity rows giving it, so there is no figure "
           "(`esg calc show --run %(run)s`)"),
    ),
    # kpi.reported: a members' sum and the members it leaves out for their unit
    "stored_unconvertible": (
        "not available: stored in %(unit)s, not convertible to %(to)s",
        N_("not available: stored in %(unit)s, not convertible to %(to)s"),
    ),
    "members_sum": ("sum of %(n)s entities' values", N_("sum of %(n)s entities' values")),
    "left_out_unit_one": (
        "leaves out %(n)s entity's value in %(unit)s (not convertible to %(to)s): %(entities)s",
        N_("leaves out %(n)s entity value(s) in %(unit)s (not convertible to %(to)s): "
           "%(entities)s"),
    ),
    "left_out_unit_many": (
        "leaves out %(n)s entities' values in %(unit)s (not convertible to %(to)s): "
        "%(entities)s",
        N_("leaves out %(n)s entity value(s) in %(unit)s (not convertible to %(to)s): "
           "%(entities)s"),
    ),
    "partial_note": ("partial: %(note)s", N_("partial: %(note)s")),
    "not_available_note": ("not available: %(note)s", N_("not available: %(note)s")),
    # kpi.values: a calculated figure missing members' activity data
    "partial_no_activity": (
        "partial: no %(year)s activity data for %(n)s member(s) (%(members)s)",
        N_("partial: no %(year)s activity data for %(n)s member(s) (%(members)s)"),
    ),
    # kpi.precedence: a reported figure used where nothing could be recomputed
    "reported": ("reported", N_("reported")),
    "nothing_recomputed": (
        "nothing recomputed (%(note)s)", N_("nothing recomputed (%(note)s)")
    ),
}  # fmt: skip
