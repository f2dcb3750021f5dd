"""#19: Chinese text in the report's stylesheet renders with an embedded CJK font, and the PDF's
text extracts as the Chinese that was written (no empty boxes, no missing glyphs)."""

from __future__ import annotations

from importlib import resources
from io import BytesIO
from typing import Any

from pypdf import PdfReader

from esgledger.disclose.render import PDF_VARIANT

CHINESE = ["应对气候变化", "范围一（直接）排放", "吨标准煤", "2025年12月31日"]


def _fonts(reader: PdfReader) -> list[dict[str, Any]]:
    found = []
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                d = descendant.get_object()
                descriptor = d.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    key in descriptor.get_object()
                    for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                found.append({"name": str(d.get("/BaseFont", "")), "embedded": embedded})
    return found


def test_chinese_renders_with_an_embedded_cjk_font_and_extracts_as_chinese() -> None:
    from weasyprint import HTML

    css = (
        resources.files("esgledger.disclose").joinpath("templates", "report.css").read_text("utf-8")
    )
    body = "".join(f"<p>{text}</p>" for text in CHINESE)
    html = f'<html lang="zh"><head><title>报告</title><style>{css}</style></head><body>{body}</body></html>'
    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    reader = PdfReader(BytesIO(pdf))

    fonts = _fonts(reader)
    cjk = [f for f in fonts if "NotoSansCJK" in f["name"].replace("-", "")]
    assert cjk, f"no CJK font in the PDF: {fonts}"
    assert all(f["embedded"] for f in fonts), fonts

    text = "".join(page.extract_text() for page in reader.pages)
    for phrase in CHINESE:
        assert phrase in text
    assert "\ufffd" not in text and ".notdef" not in text
