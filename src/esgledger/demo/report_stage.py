"""The demo's last stage: narrative sections with bound figures, then the full report."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from esgledger.demo.stages import DemoContext, StageReport


def copy_narratives(target: Path) -> Path:
    """The demo company's narrative sections, written where a team would keep its own."""
    target.mkdir(parents=True, exist_ok=True)
    source = resources.files("esgledger.demo").joinpath("narratives")
    for item in sorted(source.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".md"):
            with resources.as_file(item) as path:
                shutil.copyfile(path, target / item.name)
    return target


def report_stage(ctx: DemoContext) -> StageReport:
    """HTML, PDF and XLSX of the report year, into ``<out>/report``: the English edition and
    the Chinese one (``esg-report-YEAR.zh.*``, from the ``NAME.zh.md`` narratives)."""
    from esgledger.disclose.publish import publish_report

    if ctx.out_dir is None:
        return {"report": "skipped (no output folder)"}
    sections = copy_narratives(ctx.out_dir / "report" / "sections")
    written = publish_report(
        ctx.db,
        ctx.report_year,
        out=ctx.out_dir / "report",
        formats=["html", "pdf", "xlsx"],
        sections=sections,
        archive_as=ctx.actor,
        langs=("en", "zh"),
    )
    return {
        fmt: Path(path).relative_to(ctx.out_dir).as_posix()
        for fmt, path in written["files"].items()
    }
