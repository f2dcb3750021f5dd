"""Screenshots of a rendered report for the docs: a few PDF pages and the HTML on two screens.

Usage: ``.venv/bin/python scripts/report_screenshots.py REPORT_DIR [--out docs/report]
[--lang zh]`` where REPORT_DIR holds ``esg-report-YEAR.pdf`` and ``.html`` (``esg demo`` writes
them into ``<out>/report``, and the Chinese edition as ``esg-report-YEAR.zh.*``; with
``--lang zh`` the images are named ``pdf-zh-*.png`` / ``html-zh-*.png``).
PDF pages are drawn with pypdfium2 (a test dependency); the HTML with
Debian's Chromium through Playwright, at 1280 px (desktop) and 390 px (phone) wide.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
# Which pages to draw, by what they start with: the cover, the contents, a chart page, the
# KPI appendix and the first content index.
PAGES = {
    "cover": "cover",
    "Contents": "contents",
    "at a glance": "at-a-glance",
    "Key performance indicators": "kpi-appendix",
    "GRI Standards": "gri-index",
}
# The same pages of the Chinese edition, by its headings.
PAGES_ZH = {
    "cover": "cover",
    "目录": "contents",
    "年度概览": "at-a-glance",
    "关键绩效指标": "kpi-appendix",
    "GRI可持续发展报告标准": "gri-index",
}
SCREENS = {"desktop": (1280, 900), "phone": (390, 844)}


def _page_numbers(pdf_path: Path, pages: dict[str, str]) -> dict[str, int]:
    """0-based index of the first page that starts with each of ``pages``."""
    from pypdf import PdfReader

    found = {"cover": 0}
    for i, page in enumerate(PdfReader(pdf_path).pages):
        head = (page.extract_text().strip().splitlines() or [""])[0]
        for wanted in list(pages)[1:]:
            if wanted not in found and wanted.lower() in head.lower():
                found[wanted] = i
    return found


def pdf_pages(pdf_path: Path, out: Path, scale: float = 0.9, lang: str = "en") -> list[Path]:
    import pypdfium2 as pdfium

    pages = PAGES if lang == "en" else PAGES_ZH
    prefix = "pdf" if lang == "en" else f"pdf-{lang}"
    written = []
    document = pdfium.PdfDocument(str(pdf_path))
    for name, index in _page_numbers(pdf_path, pages).items():
        image = document[index].render(scale=scale).to_pil().convert("RGB")
        path = out / f"{prefix}-{pages[name]}.png"
        image.quantize(colors=128).save(path, optimize=True)
        written.append(path)
    return written


def html_screens(html_path: Path, out: Path, lang: str = "en") -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, (width, height) in SCREENS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(html_path.resolve().as_uri())
                for anchor in ("", "#highlights"):
                    if anchor:
                        page.goto(html_path.resolve().as_uri() + anchor)
                    prefix = "html" if lang == "en" else f"html-{lang}"
                    path = out / f"{prefix}-{name}{'-' + anchor[1:] if anchor else ''}.png"
                    page.screenshot(path=str(path))
                    written.append(path)
                page.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report_dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/report"))
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="Which edition.")
    args = parser.parse_args(argv)
    suffix = "" if args.lang == "en" else f".{args.lang}"
    pdfs = sorted(args.report_dir.glob(f"esg-report-????{suffix}.pdf"))
    htmls = sorted(args.report_dir.glob(f"esg-report-????{suffix}.html"))
    if not pdfs or not htmls:
        print(f"error: no esg-report-*.pdf and .html in {args.report_dir}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    written = pdf_pages(pdfs[-1], args.out, lang=args.lang) + html_screens(
        htmls[-1], args.out, lang=args.lang
    )
    total = sum(p.stat().st_size for p in written)
    for path in written:
        print(path)
    print(f"{len(written)} images, {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
