"""The demo's governance and people registers (#17): the group's board of nine with three
years of meetings, and the report year's integrity commitment and anti-corruption training
for every legal entity's managers and key positions (procurement, sales, finance: about
13,900 people, 27,000 LMS records).

Deterministic (a fixed seed), written as files and imported through the same services as
``esg register board|training``. The board agrees with the demo's typed board figures (nine
directors, three independent, two women), so the register confirms them.
"""

from __future__ import annotations

import random
from pathlib import Path

from esgledger.demo.files import stage_folder, write_rows
from esgledger.demo.org import ENTITIES, REPORT_YEAR, ROOT, YEARS
from esgledger.demo.stages import DemoContext, StageReport

SEED = 17
MEMBER_HEADER = ("ref", "entity", "name", "role", "executive", "independent", "gender",
                 "birth_year", "appointed_on", "left_on", "committees")  # fmt: skip
# Nine seats: three executive, three non-executive, three independent (CSRC: at least a
# third of the board independent); one non-executive seat changed hands in mid-2024.
BOARD = (
    ("D01", "Chen Guoqiang", "chair", "yes", "no", "male", 1964, "2015-05-20", "", "strategy"),
    ("D02", "Liu Yan", "director", "yes", "no", "female", 1972, "2018-05-18", "",
     "strategy; sustainability"),
    ("D03", "Zhang Wei", "director", "yes", "no", "male", 1976, "2021-05-21", "", "risk"),
    ("D04", "Huang Jianhua", "vice_chair", "no", "no", "male", 1961, "2015-05-20", "",
     "strategy; remuneration"),
    ("D05", "Xu Ming", "director", "no", "no", "male", 1970, "2018-05-18", "2024-06-28", "audit"),
    ("D06", "Guo Tao", "director", "no", "no", "male", 1979, "2024-06-28", "", "audit"),
    ("D07", "Lin Hui", "director", "no", "no", "male", 1968, "2021-05-21", "", "nomination"),
    ("D08", "He Li", "director", "no", "yes", "female", 1966, "2018-05-18", "",
     "audit; nomination; remuneration"),
    ("D09", "Song Zhiyuan", "director", "no", "yes", "male", 1958, "2021-05-21", "",
     "audit; remuneration; sustainability"),
    ("D10", "Ma Kai", "director", "no", "yes", "male", 1983, "2021-05-21", "",
     "nomination; risk; sustainability"),
)  # fmt: skip
MEETING_DAYS = ("03-28", "04-25", "06-28", "08-27", "10-29", "12-18")  # board meetings a year
ATTENDANCE_HEADER = ("entity", "meeting_ref", "body", "date", "member_ref", "attendance")
CAMPAIGN_HEADER = ("code", "title", "kind", "topic", "year", "worker_types", "entities",
                   "pass_score")  # fmt: skip
RECORD_HEADER = ("campaign", "person", "entity", "role", "worker_type", "completed_on", "score",
                 "hours")  # fmt: skip
STAFF = {"SZ": 3200, "HZ": 1500, "DG": 1400, "WH": 1300, "SUZ": 900, "CD": 800, "HF": 700,
         "CQ": 700, "NJ": 500, "XA": 400, "SH": 150, "BJ": 150, "INTL": 20, "VN": 900,
         "IN": 500, "BR": 300, "TR": 250, "DE": 40, "US": 40, "AE": 20, "ID": 120}  # fmt: skip
WORKER_TYPES = ("employee",) * 17 + ("outsourced", "outsourced", "intern")
ROLES = ("manager", "procurement", "sales", "finance", "warehouse")  # the key positions


def _attendance(rng: random.Random) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for year in YEARS:
        for n, day in enumerate(MEETING_DAYS, start=1):
            date = f"{year}-{day}"
            ref = f"BM-{year}-{n}"
            for member in BOARD:
                appointed, left = member[7], member[8]
                if appointed > date or (left and left <= date):
                    continue
                draw = rng.random()
                attendance = "present" if draw < 0.93 else "proxy" if draw < 0.98 else "absent"
                rows.append((ROOT, ref, "board", date, member[0], attendance))
    return rows


def _records(rng: random.Random) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for entity, staff in STAFF.items():
        for i in range(staff):
            person, worker = f"{entity}-{i:05d}", rng.choice(WORKER_TYPES)
            signed = rng.random() < (0.995 if worker == "employee" else 0.96)
            day = f"{REPORT_YEAR}-0{rng.randint(1, 3)}-{rng.randint(1, 28):02d}"
            role = rng.choice(ROLES)
            rows.append(("IC", person, entity, role, worker, day if signed else "", "", ""))
            if worker == "intern":
                continue
            trained = rng.random() < 0.97
            score = rng.choices((rng.randint(80, 100), rng.randint(45, 79)), (0.94, 0.06))[0]
            hours = rng.choice((1.5, 2.0, 2.0, 3.0))
            later = f"{REPORT_YEAR}-{rng.randint(4, 11):02d}-{rng.randint(1, 28):02d}"
            rows.append(
                ("AC", person, entity, role, worker, *((later, score, hours) if trained
                                                           else ("", "", "")))
            )  # fmt: skip
    return rows


def registers_stage(ctx: DemoContext) -> StageReport:
    """The board and training registers, imported as files like a user would: the files
    stay in ``<out>/registers`` (a temporary folder when built into a given database)."""
    with stage_folder(ctx.out_dir, "registers") as folder:
        from esgledger.demo.service_registers import import_service_registers

        return {**_import(ctx, folder), **import_service_registers(ctx, folder)}


def _import(ctx: DemoContext, folder: Path) -> StageReport:
    from esgledger.demo.governance_data import governance_registers
    from esgledger.registers.board import import_attendance, import_members
    from esgledger.registers.training import import_campaigns, import_records

    rng = random.Random(SEED)
    known = {e[0] for e in ENTITIES}
    assert set(STAFF) <= known, sorted(set(STAFF) - known)
    members = write_rows(folder / "board-members.csv", MEMBER_HEADER,
                     [(m[0], ROOT, *m[1:]) for m in BOARD])  # fmt: skip
    import_members(ctx.db, members, actor=ctx.actor)
    attendance = _attendance(rng)
    import_attendance(ctx.db, write_rows(folder / "board-attendance.csv", ATTENDANCE_HEADER,
                                     attendance), actor=ctx.actor)  # fmt: skip
    campaigns = [
        ("IC", f"Integrity commitment {REPORT_YEAR}", "commitment", "anti_corruption",
         REPORT_YEAR, "employee; outsourced; intern", "", ""),
        ("AC", f"Anti-bribery and anti-corruption course {REPORT_YEAR}", "training",
         "anti_corruption", REPORT_YEAR, "employee; outsourced", "", 80),
    ]  # fmt: skip
    import_campaigns(ctx.db, write_rows(folder / "campaigns.csv", CAMPAIGN_HEADER, campaigns),
                     actor=ctx.actor)  # fmt: skip
    records = _records(rng)
    import_records(ctx.db, write_rows(folder / "lms-export.csv", RECORD_HEADER, records),
                   actor=ctx.actor)  # fmt: skip
    return {
        "directors": len(BOARD),
        "attendance rows": len(attendance),
        "training records": len(records),
        **governance_registers(ctx, folder),
    }
