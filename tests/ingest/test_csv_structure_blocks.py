"""#18: a CSV's structure (cells per row) and its UTF-8 are checked a block of lines at a
time: over a 10⁷-row file the comma positions and line ends of the whole file took about
3 GB, the largest part of a store import's 5.5 GB peak. The memory the check takes no
longer grows with the file, and a bad row is still named by its line, wherever the blocks
fall."""

from __future__ import annotations

import tracemalloc

import pytest

from esgledger.errors import ImportRejected
from esgledger.ingest.csv_structure import check_structure, check_utf8

HEADER = b"entity,start,end,activity,quantity,unit,use\n"
LINE = b"E0001,2024-01-01,2024-01-31,electricity.purchased,1234.5,kWh,\n"


def file_of(rows: int) -> bytes:
    return HEADER + LINE * rows


def peak_of_check(data: bytes) -> int:
    tracemalloc.start()
    try:
        check_structure(data, "a.csv", block=1 << 20)
        check_utf8(data, "a.csv", block=1 << 20)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_check_takes_memory_set_by_its_block_not_by_the_file() -> None:
    small, large = peak_of_check(file_of(100_000)), peak_of_check(file_of(400_000))  # 6, 24 MB
    assert large < 1.2 * small + (1 << 20)  # not 4×: bounded by the block (1 MB here)
    assert large < 24 << 20


@pytest.mark.parametrize("block", [7, 64, 100, 1 << 20])
def test_rows_are_named_by_their_line_wherever_the_blocks_fall(block: int) -> None:
    lines = [LINE] * 50
    lines[9] = b"E0001,2024-01-01,2024-01-31,electricity.purchased,1234.5,kWh\n"  # 6 cells
    lines[48] = b"E0001,2024-01-01,2024-01-31,electricity.purchased,1,2,kWh,\n"  # 8 cells
    data = HEADER + b"".join(lines)
    with pytest.raises(ImportRejected) as refused:
        check_structure(data, "a.csv", block=block)
    assert [(p.row, p.reason) for p in refused.value.problems] == [
        (11, "the row has 6 cells, the header 7; look for a missing or extra comma"),
        (50, "the row has 8 cells, the header 7; look for a missing or extra comma"),
    ]
    check_structure(HEADER + LINE * 50 + LINE.rstrip(b"\n"), "a.csv", block=block)  # no end


@pytest.mark.parametrize("block", [5, 64, 1 << 20])
def test_bad_utf8_is_named_by_its_line_wherever_the_blocks_fall(block: int) -> None:
    data = HEADER + LINE * 20 + "E0001,中文,".encode()[:-2] + b"\xff,\n" + LINE * 5
    with pytest.raises(ImportRejected) as refused:
        check_utf8(data, "a.csv", block=block)
    assert [p.reason for p in refused.value.problems] == [
        "not UTF-8 (bad byte at line 22); save the file as UTF-8 CSV"
    ]
    check_utf8(HEADER + "E0001,中文\n".encode() * 30, "a.csv", block=block)
