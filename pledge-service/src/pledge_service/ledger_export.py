"""The ledger (承诺台账) as CSV or XLSX, written row by row so that a large unit never sits in memory."""
from __future__ import annotations

import csv
import io
import tempfile
from typing import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .domain.statistics import SHANGHAI

KIND_ZH = {"annual": "年度承诺", "instant": "即时承诺"}
MODE_ZH = {"individual": "个人承诺", "collective": "集体承诺", "with_masses": "带领群众承诺"}
PLEDGER_ZH = {"member": "党员", "unit": "党组织"}
AREA_ZH = {"study": "带头学习提高", "achievement": "带头争创佳绩", "serving_masses": "带头服务群众",
           "discipline": "带头遵纪守法", "upright_spirit": "带头弘扬正气"}
STATE_ZH = {"draft": "草稿", "submitted": "待审核", "returned": "已退回", "approved": "审核通过",
            "published": "已公开", "overdue": "已逾期", "fulfilled": "已践诺", "evaluated": "已评议",
            "closed": "已办结", "withdrawn": "已撤回"}
LEVEL_ZH = {"excellent": "优秀", "good": "良好", "fair": "一般", "poor": "较差"}

# (heading, width in characters) — widths fit Chinese text in WPS and Excel.
COLUMNS = [("承诺人", 14), ("所在支部", 24), ("承诺主体", 10), ("承诺类型", 10), ("承诺方式", 14), ("承诺事项", 40),
           ("五带头", 30), ("状态", 10), ("提交日期", 12), ("完成时限", 12), ("践诺日期", 12),
           ("进展次数", 10), ("评议等次", 10), ("评议得分", 10)]
CHUNK = 64 * 1024


def _day(moment) -> str:
    return moment.astimezone(SHANGHAI).date().isoformat() if moment else ""


def ledger_cells(row: dict) -> list:
    return [row["pledger_name"], row["unit_name"], PLEDGER_ZH.get(row["pledger_kind"], row["pledger_kind"]),
            KIND_ZH.get(row["kind"], row["kind"]), MODE_ZH.get(row["mode"], row["mode"]), row["title"],
            "、".join(AREA_ZH.get(a, a) for a in row["areas"]), STATE_ZH.get(row["state"], row["state"]),
            _day(row["created_at"]), row["due_date"].isoformat(), _day(row["fulfilled_at"]),
            row["progress_count"], LEVEL_ZH.get(row["evaluation_level"] or "", ""),
            row["evaluation_score"] if row["evaluation_score"] is not None else ""]


def csv_chunks(rows: Iterable[dict]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, which WPS and Excel need to read Chinese CSV correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([heading for heading, _ in COLUMNS])
    for row in rows:
        writer.writerow(ledger_cells(row))
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(rows: Iterable[dict], title: str) -> Iterator[bytes]:
    """openpyxl's write-only mode spools rows to disk; the finished file is then sent in chunks."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([heading for heading, _ in COLUMNS])
    for row in rows:
        sheet.append(ledger_cells(row))
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
