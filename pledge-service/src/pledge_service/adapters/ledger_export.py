"""The ledger (承诺台账) as CSV or XLSX, written row by row so that a large unit never sits in memory."""
from __future__ import annotations

import io
import json
import re
import itertools
from datetime import date, datetime
from typing import Callable, Iterable, Iterator, Mapping

from pacesetter_shared.events.labels import LEVEL_WORDS, in_language
from pacesetter_shared import xlsx
from pacesetter_shared.exports import csv_cell

from ..domain.statistics import SHANGHAI

KIND_ZH = {"annual": "年度承诺", "instant": "即时承诺"}
MODE_ZH = {"individual": "个人承诺", "collective": "集体承诺", "with_masses": "带领群众承诺"}
PLEDGER_ZH = {"member": "党员", "unit": "党组织"}
AREA_ZH = {"study": "带头学习提高", "achievement": "带头争创佳绩", "serving_masses": "带头服务群众",
           "discipline": "带头遵纪守法", "upright_spirit": "带头弘扬正气"}
STATE_ZH = {"draft": "草稿", "submitted": "待审核", "returned": "已退回", "approved": "审核通过",
            "published": "已公开", "overdue": "已逾期", "fulfilled": "已践诺", "evaluated": "已评议",
            "closed": "已办结", "withdrawn": "已撤回"}
LEVEL_ZH = in_language(LEVEL_WORDS, "zh")

# (heading, width in characters) — widths fit Chinese text in WPS and Excel; long texts wrap, and the
# fifteen columns together stay narrow enough that one landscape A4 page wide prints at about 80 %.
COLUMNS = [("承诺人", 12), ("所在支部", 18), ("承诺主体", 9), ("承诺类型", 9), ("承诺方式", 10), ("承诺事项", 32),
           ("支持的组织承诺", 18), ("五带头", 20), ("状态", 8), ("提交日期", 11), ("完成时限", 11), ("践诺日期", 11),
           ("进展次数", 9), ("评议等次", 9), ("评议得分", 9)]
CHUNK = 64 * 1024


class _Memo(dict):
    """A column's cells by value, each worked out once: most of a ledger's cells repeat a few words, names or days.
    Emptied when it holds ``limit`` values, so that a ledger of many names keeps its memory flat."""

    def __init__(self, make: Callable, limit: int = 4096):
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, value):
        if len(self) >= self.limit:
            self.clear()
        cell = self[value] = self.make(value)
        return cell


def _as_is(_column: int, value):
    return value


def _key(areas):
    return tuple(areas) if isinstance(areas, list) else areas


def _areas(areas) -> str:
    # as stored (JSON text, from the export's query) or as a list
    return "、".join(AREA_ZH.get(a, a) for a in (json.loads(areas) if isinstance(areas, str) else areas))


def _day(day: date | datetime | None) -> str:
    # a moment is shown as its day in Shanghai; the export's query has worked the day out already
    if isinstance(day, datetime):
        day = day.astimezone(SHANGHAI).date()
    return day.isoformat() if day else ""


def ledger_cells(cell: Callable[[int, object], object] = _as_is) -> Callable[[Mapping], list]:
    """A function from a ledger row to its fifteen cells, each as ``cell(column, value)`` writes it (columns from
    0, an empty value as ""). Only the title is new in nearly every row; every other column is worked out once
    per value."""
    def column(number: int, value_of: Callable = lambda value: value) -> _Memo:
        return _Memo(lambda value: cell(number, value_of(value)))

    def number(value):
        return "" if value is None else value

    names, units, pledger_kind = column(0), column(1), column(2, lambda v: PLEDGER_ZH.get(v, v))
    kind, mode = column(3, lambda v: KIND_ZH.get(v, v)), column(4, lambda v: MODE_ZH.get(v, v))
    supported, areas, state = column(6), column(7, _areas), column(8, lambda v: STATE_ZH.get(v, v))
    made, due, done = column(9, _day), column(10, _day), column(11, _day)
    counts, level, scores = column(12, number), column(13, lambda v: LEVEL_ZH.get(v, "")), column(14, number)

    def cells(row: Mapping) -> list:
        # a member's pledge names the organisation pledge it supports (基层党组织承诺), by its title as typed
        return [names[row["pledger_name"]], units[row["unit_name"]], pledger_kind[row["pledger_kind"]],
                kind[row["kind"]], mode[row["mode"]], cell(5, row["title"]), supported[row.get("linked_title") or ""],
                areas[_key(row["areas"])], state[row["state"]], made[row["created_at"]],
                due[row["due_date"]], done[row["fulfilled_at"]], counts[row["progress_count"]],
                level[row["evaluation_level"] or ""], scores[row["evaluation_score"]]]
    return cells


_CSV_QUOTED = re.compile('[,"\r\n]')  # what the csv module's writer (excel dialect) puts in quotes


def _csv_field(_column: int, value) -> str:
    """A cell as the csv module's writer writes it, a text that looks like a formula kept text (csv_cell). Each
    column's fields are worked out once (ledger_cells), so that a row is one join: the writer's own work on every
    field was a third of the CPU of a million rows."""
    text = str(csv_cell(value))
    return '"' + text.replace('"', '""') + '"' if _CSV_QUOTED.search(text) else text


def csv_chunks(rows: Iterable[Mapping]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, which WPS and Excel need to read Chinese CSV correctly."""
    buffer = io.StringIO()
    buffer.write("\ufeff" + ",".join(_csv_field(0, heading) for heading, _ in COLUMNS) + "\r\n")
    cells = ledger_cells(_csv_field)
    for row in rows:
        buffer.write(",".join(cells(row)) + "\r\n")
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(rows: Iterable[Mapping], title: str, unit: str, year: int) -> Iterator[bytes]:
    """The workbook as a stream (:mod:`pacesetter_shared.xlsx`): one sheet, its rows written as they are read,
    headings frozen, set up for printing like every XLSX of the suite (``title``, ``unit`` and ``year`` in the
    page header)."""
    cells = ledger_cells(lambda _column, value: xlsx.cell(value))
    sheet = xlsx.Sheet(title[:31], [width for _, width in COLUMNS],
                       itertools.chain([xlsx.cells(heading for heading, _ in COLUMNS)], map(cells, rows)),
                       title=title, frozen_heading=True)
    return xlsx.workbook_chunks([sheet], unit, year)
