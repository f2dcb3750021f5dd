"""Small files for tests: an entity tree and helpers to write CSV/XLSX inputs."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

ENTITY_HEADER = ["id", "name", "parent", "country", "subdivision", "kind"]
ENTITIES = [
    ["GRP", "Example Group", "", "CN", "CN-GD", "group"],
    ["HQ", "Headquarters campus", "GRP", "CN", "CN-GD", "park"],
    ["SZ1", "Shenzhen plant", "HQ", "CN", "CN-GD", "site"],
    ["WH1", "Wuhan plant", "GRP", "CN", "CN-HB", "legal_entity"],
    ["VN1", "Vietnam plant", "GRP", "VN", "", "legal_entity"],
]
ACTIVITY_HEADER = ["entity", "start", "end", "activity", "quantity", "unit"]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[object]]]]
) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def entities_file(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "entities.csv", ENTITY_HEADER, ENTITIES)


def monthly_rows(
    entity: str, activity: str, unit: str, year: int, base: float
) -> list[list[object]]:
    import calendar

    rows: list[list[object]] = []
    for month in range(1, 13):
        last = calendar.monthrange(year, month)[1]
        rows.append(
            [
                entity,
                f"{year}-{month:02d}-01",
                f"{year}-{month:02d}-{last}",
                activity,
                base + month,
                unit,
            ]
        )
    return rows
