"""Looking inside an XLSX before the spreadsheet reader does, with bounded memory.

The reader (calamine, through fastexcel) builds the whole used range of a sheet and every
shared string at once: one stray cell at Z200000 costs hundreds of MB, one 200 MB string
several GB. So the workbook's XML is streamed first with expat, keeping only counters, and
refused past the limits below. The same pass finds what a text reader would silently turn
into empty cells: error cells (``#DIV/0!``) and formulas saved without their value; and the
workbook's list of sheets says which are hidden.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected, Problem

MAX_CELL_CHARS = 32_767  # Excel's own limit on the text of one cell
MAX_SHEET_CELLS = 2_000_000  # rows × columns from A1 to the last cell holding something
MAX_XML_BYTES = 512 * 1024 * 1024  # one sheet or the shared strings, uncompressed
MAX_CELL_ISSUES = 1_000  # error cells and formulas without value kept for the message
CHUNK = 1 << 20
CELL_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Refused(Exception):
    """The workbook breaks a limit or cannot be read; the message says which, in English
    (``str``) and as its catalog message with values, for a reader of another language."""

    def __init__(self, message: str, **values: object):
        super().__init__(message % values)
        self.message_id = message
        self.values = values

    def rejected(self, source: str) -> ImportRejected:
        """The file refused whole for this reason."""
        return ImportRejected(
            source, [Problem(None, None, str(self), self.message_id, self.values)]
        )


MISSING_PART = N_("damaged workbook: %(part)s is missing")
PART_TOO_LARGE = N_(
    "%(part)s is %(size)s MB uncompressed; the limit is %(limit)s MB (use CSV or Parquet for "
    "data this large)"
)
NOT_XML = N_("damaged workbook: %(part)s is not valid XML (%(error)s)")
CANNOT_UNPACK = N_("damaged workbook: cannot unpack %(part)s (%(error)s)")
LONG_SHARED_STRING = N_(
    "shared string %(index)s is longer than %(most)s characters, the most an Excel cell holds"
)
LONG_CELL_AT = N_("cell %(cell)s holds more than %(most)s characters, the most an Excel cell holds")
TOO_MANY_CELLS = N_(
    "the sheet reaches cell %(cell)s, more than %(most)s cells from A1; delete stray cells far "
    "from the data, or use CSV or Parquet for data this large"
)


@dataclass(frozen=True)
class SheetEntry:
    name: str
    visible: bool
    part: str  # the sheet's XML inside the archive, e.g. ``xl/worksheets/sheet1.xml``


# A cell's issues, worded from the catalog for a reader asking for Chinese (#19).
ERROR_CELL = N_("the cell holds the Excel error %(error)s")
FORMULA_CELL = N_(
    "the cell holds a formula saved without its value; open the file in Excel and save it "
    "again, or type the value"
)


LONG_CELL = N_("the cell is longer than %(most)s characters")


def too_long_cell(row: int, column: str) -> Problem:
    """A cell longer than an Excel cell may be, refused with its row and column."""
    values = {"most": f"{MAX_CELL_CHARS:,}"}
    return Problem(row, column, LONG_CELL % values, LONG_CELL, values)


@dataclass
class CellIssue:
    row: int
    column: int  # 1-based
    reason: str
    message_id: str = ""  # the reason's catalog message, with its values
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class SheetScan:
    issues: list[CellIssue] = field(default_factory=list)
    issue_total: int = 0


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def _local(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def _stream(zf: zipfile.ZipFile, part: str, parser: expat.XMLParserType) -> None:
    """Feed one archive member to ``parser`` in chunks, refusing an oversized member."""
    try:
        info = zf.getinfo(part)
    except KeyError:
        raise Refused(MISSING_PART, part=part) from None
    if info.file_size > MAX_XML_BYTES:
        raise Refused(PART_TOO_LARGE, part=part, size=f"{info.file_size / 1e6:.0f}",
                      limit=MAX_XML_BYTES // (1024 * 1024))  # fmt: skip
    try:
        with zf.open(info) as fh:
            _feed(fh, parser)
    except expat.ExpatError as exc:
        raise Refused(NOT_XML, part=part, error=str(exc)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise Refused(CANNOT_UNPACK, part=part, error=str(exc)) from None


def _feed(fh: IO[bytes], parser: expat.XMLParserType) -> None:
    while chunk := fh.read(CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda tag, attrs: start(_local(tag), attrs)
    if end is not None:
        parser.EndElementHandler = lambda tag: end(_local(tag))
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


@dataclass(frozen=True)
class WorkbookParts:
    sheets: list[SheetEntry]  # in tab order
    shared_strings: str | None  # the shared strings' XML inside the archive, if any


def _part(target: str) -> str:
    """An archive path from a relationship target (relative to ``xl/`` or absolute)."""
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return posixpath.normpath(path)


def list_parts(zf: zipfile.ZipFile) -> WorkbookParts:
    """The workbook's sheets, with whether each is visible and where it is, and where its
    shared strings are."""
    targets: dict[str, str] = {}
    shared: list[str] = []

    def relation(tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")
            if attrs.get("Type", "").endswith("/sharedStrings"):
                shared.append(_part(attrs.get("Target", "")))

    _stream(zf, "xl/_rels/workbook.xml.rels", _parser(relation))
    found: list[SheetEntry] = []

    def sheet(tag: str, attrs: dict[str, str]) -> None:
        if tag != "sheet":
            return
        rel = next((v for k, v in attrs.items() if _local(k) == "id"), "")
        visible = attrs.get("state", "visible") == "visible"
        found.append(SheetEntry(attrs.get("name", ""), visible, _part(targets.get(rel, ""))))

    _stream(zf, "xl/workbook.xml", _parser(sheet))
    return WorkbookParts(found, shared[0] if shared else None)


def check_shared_strings(zf: zipfile.ZipFile, part: str | None) -> None:
    """Refuse a shared string longer than an Excel cell may hold, reading it in chunks."""
    if part is None:
        return
    state = {"index": -1, "length": 0}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        if tag == "si":
            state["index"] += 1
            state["length"] = 0

    def text(data: str) -> None:
        state["length"] += len(data)
        if state["length"] > MAX_CELL_CHARS:
            raise Refused(LONG_SHARED_STRING, index=state["index"] + 1, most=f"{MAX_CELL_CHARS:,}")

    _stream(zf, part, _parser(start, text=text))


class _SheetReader:
    """Expat handlers tracking the current cell: its place, type, formula, value length."""

    def __init__(self) -> None:
        self.scan = SheetScan()
        self.row = 0
        self.col = 0
        self.max_row = 0
        self.max_col = 0
        self.kind = ""
        self.formula = False
        self.value: list[str] = []
        self.value_len = 0
        self.in_value = False
        self.has_value = False
        self.saw_v = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "row":
            self.row = int(attrs["r"]) if attrs.get("r", "").isdigit() else self.row + 1
            self.col = 0
        elif tag == "c":
            match = CELL_REF.match(attrs.get("r", ""))
            if match:
                self.col = column_number(match.group(1))
                self.row = int(match.group(2))
            else:
                self.col += 1
            self.kind = attrs.get("t", "n")
            self.formula = self.has_value = self.saw_v = False
            self.value, self.value_len = [], 0
        elif tag == "f":
            self.formula = True
        elif tag in ("v", "t"):
            self.in_value = True
            self.saw_v = self.saw_v or tag == "v"

    def text(self, data: str) -> None:
        if not self.in_value:
            return
        self.value_len += len(data)
        if self.value_len > MAX_CELL_CHARS:
            raise Refused(LONG_CELL_AT, cell=f"{column_letters(self.col)}{self.row}",
                          most=f"{MAX_CELL_CHARS:,}")  # fmt: skip
        if len(self.value) < 4:
            self.value.append(data)

    def end(self, tag: str) -> None:
        if tag in ("v", "t"):
            self.in_value = False
            self.has_value = self.has_value or self.value_len > 0
        elif tag == "c":
            self._cell_done()

    def _cell_done(self) -> None:
        if self.has_value or self.formula:
            self.max_row = max(self.max_row, self.row)
            self.max_col = max(self.max_col, self.col)
            if self.max_row * self.max_col > MAX_SHEET_CELLS:
                raise Refused(TOO_MANY_CELLS, cell=f"{column_letters(self.max_col)}{self.max_row}",
                              most=f"{MAX_SHEET_CELLS:,}")  # fmt: skip
        if self.kind == "e":
            self._issue(ERROR_CELL, {"error": "".join(self.value)[:20]})
        elif self.formula and not self.has_value and not (self.saw_v and self.kind == "str"):
            self._issue(FORMULA_CELL, {})

    def _issue(self, message: str, values: dict[str, Any]) -> None:
        self.scan.issue_total += 1
        if len(self.scan.issues) < MAX_CELL_ISSUES:
            issue = CellIssue(self.row, self.col, message % values, message, values)
            self.scan.issues.append(issue)


def scan_sheet(zf: zipfile.ZipFile, part: str) -> SheetScan:
    """Stream one sheet: refuse it past the limits, and list error and unsaved-formula cells."""
    reader = _SheetReader()
    _stream(zf, part, _parser(reader.start, reader.end, reader.text))
    return reader.scan
