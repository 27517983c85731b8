"""The ledger (承诺台账) as CSV or XLSX, written row by row so that a large unit never sits in memory."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from typing import Callable, Iterable, Iterator, Mapping

from openpyxl.utils import get_column_letter

from pacesetter_shared.events.labels import LEVEL_WORDS, in_language
from pacesetter_shared.exports import csv_cell, looks_like_formula, print_xml

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


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def ledger_cells(cell: Callable[[int, object], object] = _as_is) -> Callable[[Mapping], list]:
    """A function from a ledger row to its fifteen cells, each as ``cell(column, value)`` writes it (columns from
    0, an empty value as ""). Only the title is new in nearly every row; every other column is worked out once
    per value."""
    def column(number: int, value_of: Callable = lambda value: value) -> _Memo:
        return _Memo(lambda value: cell(number, value_of(value)))

    def shanghai_day(moment) -> date | None:
        return moment.astimezone(SHANGHAI).date() if moment else None

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
                areas[_key(row["areas"])], state[row["state"]], made[shanghai_day(row["created_at"])],
                due[row["due_date"]], done[shanghai_day(row["fulfilled_at"])], counts[row["progress_count"]],
                level[row["evaluation_level"] or ""], scores[row["evaluation_score"]]]
    return cells


def csv_chunks(rows: Iterable[Mapping]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, which WPS and Excel need to read Chinese CSV correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([heading for heading, _ in COLUMNS])
    cells = ledger_cells(lambda _column, value: csv_cell(value))
    for row in rows:
        writer.writerow(cells(row))
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


class _Sink:
    """The zip's output: what is written is taken away in chunks (a stream, never seeked)."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


# Markup escaped, and what no XML 1.0 document may hold dropped, in one pass.
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\ufffe": None, "\uffff": None,
                           **{chr(c): None for c in range(32) if chr(c) not in "\t\n\r"}})
_MARKUP = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # a text without any is written as it is
_LETTERS = [get_column_letter(i) for i in range(1, len(COLUMNS) + 1)]
_ROW = "\x00"  # in a cell written once for every row with its value: no text of the sheet can hold it (_MARKUP)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
}
# The cells' alignment (wrapped, for print) is filled in by xlsx_chunks from the shared print set-up. Every cell
# names its style: LibreOffice leaves the alignment of style 0, the one a cell without s="…" has, unapplied.
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    # style 1: every cell, wrapped; style 2 (quotePrefix): a text that looks like a formula stays text when
    # someone edits the cell
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">{alignment}</xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyAlignment="1">'
    '{alignment}</xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _xlsx_cell(column: int, value) -> str:
    """A cell of the sheet with _ROW where its row number goes, or "" for an empty value, which is no cell at all."""
    if value == "":
        return ""
    if type(value) is int or type(value) is float:
        return f'<c r="{_LETTERS[column]}{_ROW}" s="1"><v>{value}</v></c>'
    # an inline string is text, never a formula, whatever it starts with
    text = str(value)
    if _MARKUP.search(text):
        text = text.translate(_XML_TEXT)
    # spaces at either end are kept only when asked to (as openpyxl asks): a fifth of the XML when every cell asked
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return (f'<c r="{_LETTERS[column]}{_ROW}" s="{2 if looks_like_formula(value) else 1}" t="inlineStr"><is>'
            f'<t{space}>{text}</t></is></c>')


def _row(number: int, cells: list[str]) -> str:
    """One row of the sheet from its cells as _xlsx_cell wrote them: its number put in once for all of them, since
    a call per cell was half of the CPU that 100,000 pledges took."""
    return f'<row r="{number}">{"".join(cells).replace(_ROW, str(number))}</row>'


def xlsx_chunks(rows: Iterable[Mapping], title: str, unit: str, year: int) -> Iterator[bytes]:
    """The workbook written as a stream: the sheet's XML row by row into a zip that is sent as it grows.

    openpyxl (even write-only) took 15 s for 100,000 pledges and sent nothing until the whole file
    was built, which outlasted the gateway's timeout; this takes a fraction and starts at once.
    One sheet, strings inline (no shared-string table to hold in memory), widths and frozen header,
    set up for printing like every XLSX of the suite (``title``, ``unit`` and ``year`` in the page header).
    """
    sink = _Sink()
    printing = print_xml(title[:31], title, unit, year)
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, xml in (*_PARTS.items(), ("xl/styles.xml", _STYLES.format(alignment=printing.alignment))):
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
        name = title[:31].translate(_XML_TEXT).replace('"', "&quot;")
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
            f'{printing.defined_names}</workbook>'))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
                           for i, (_, width) in enumerate(COLUMNS, start=1))
            head = _row(1, [_xlsx_cell(i, heading) for i, (heading, _) in enumerate(COLUMNS)])
            sheet.write((
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
                f'{printing.sheet_properties}<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                f'<cols>{cols}</cols><sheetData>{head}'
            ).encode("utf-8"))
            lines, cells = [], ledger_cells(_xlsx_cell)
            for number, row in enumerate(rows, start=2):
                lines.append(_row(number, cells(row)))
                if len(lines) >= 500:
                    sheet.write("".join(lines).encode("utf-8"))
                    lines = []
                    if sink.size >= CHUNK:
                        yield sink.take()
            sheet.write(("".join(lines) + f"</sheetData>{printing.page}</worksheet>").encode("utf-8"))
    yield sink.take()
