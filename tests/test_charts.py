"""#20: one place for matplotlib — nothing global at import, each chart drawn in its own style.

Each check runs in a fresh interpreter: what an import does to matplotlib can only be seen
before anything else in the process imported it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_chart_modules_does_not_import_matplotlib() -> None:
    printed = run(
        """
        import sys
        import esgledger.assess.charts, esgledger.disclose.charts, esgledger.charts
        import esgledger.web.pages.dashboard, esgledger.disclose.report
        print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
        """
    )
    assert printed == "[]"


def test_drawing_a_chart_leaves_matplotlib_settings_as_they_were() -> None:
    printed = run(
        """
        import matplotlib
        matplotlib.use("Agg")  # the backend is chosen once per process: not a chart's style
        before = dict(matplotlib.rcParams)
        from esgledger.assess.charts import risk_heatmap
        from esgledger.disclose import charts
        import tempfile, pathlib
        rows = {"ghg.scope1": {"values": {"2025": 1.0}}}
        charts.emissions_by_scope(rows, ["2025"])
        with tempfile.TemporaryDirectory() as folder:
            risk_heatmap([], lambda l, i: "low", pathlib.Path(folder) / "h.svg")
        changed = sorted(k for k, v in matplotlib.rcParams.items() if before[k] != v)
        print(changed)
        """
    )
    assert printed == "[]"


def test_a_chart_looks_the_same_whatever_was_drawn_before_it() -> None:
    printed = run(
        """
        import tempfile, pathlib
        from esgledger.assess.charts import risk_heatmap
        risks = [{"code": "R1", "likelihood": 2, "impact": 4}]
        def heatmap():
            with tempfile.TemporaryDirectory() as folder:
                path = pathlib.Path(folder) / "h.svg"
                risk_heatmap(risks, lambda l, i: "high", path)
                return path.read_text()
        first = heatmap()
        from esgledger.disclose import charts
        charts.energy_mix({}, ["2025"])
        print(first == heatmap(), "R1" in first)
        """
    )
    assert printed == "True True"  # the same SVG, its codes kept as searchable text
