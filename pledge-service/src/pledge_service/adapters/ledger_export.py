"""The ledger (承诺台账) as CSV or XLSX, written row by row so that a large unit never sits in memory."""
from __future__ import annotations

import csv
import io
import zipfile
from typing import Iterable, Iterator

from openpyxl.utils import get_column_letter

from pacesetter_shared.events.labels import LEVEL_WORDS, in_language
from pacesetter_shared.exports import csv_row, looks_like_formula, print_xml

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


def _day(moment) -> str:
    return moment.astimezone(SHANGHAI).date().isoformat() if moment else ""


def ledger_cells(row: dict) -> list:
    # a member's pledge names the organisation pledge it supports (基层党组织承诺), by its title as typed
    return [row["pledger_name"], row["unit_name"], PLEDGER_ZH.get(row["pledger_kind"], row["pledger_kind"]),
            KIND_ZH.get(row["kind"], row["kind"]), MODE_ZH.get(row["mode"], row["mode"]), row["title"],
            row.get("linked_title") or "", "、".join(AREA_ZH.get(a, a) for a in row["areas"]),
            STATE_ZH.get(row["state"], row["state"]),
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
        writer.writerow(csv_row(ledger_cells(row)))
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


def _row(number: int, values: list, letters: list[str]) -> str:
    """One row of the sheet; an empty value is no cell at all. One call per row, not per cell: a call per
    cell was half of the 1.8 s CPU that 100,000 pledges took."""
    parts = [f'<row r="{number}">']
    for letter, value in zip(letters, values):
        if value == "":
            continue
        if type(value) is int or type(value) is float:
            parts.append(f'<c r="{letter}{number}" s="1"><v>{value}</v></c>')
        else:
            # an inline string is text, never a formula, whatever it starts with
            style = ' s="2"' if looks_like_formula(value) else ' s="1"'
            parts.append(f'<c r="{letter}{number}"{style} t="inlineStr"><is><t xml:space="preserve">'
                         f'{str(value).translate(_XML_TEXT)}</t></is></c>')
    parts.append("</row>")
    return "".join(parts)


def xlsx_chunks(rows: Iterable[dict], title: str, unit: str, year: int) -> Iterator[bytes]:
    """The workbook written as a stream: the sheet's XML row by row into a zip that is sent as it grows.

    openpyxl (even write-only) took 15 s for 100,000 pledges and sent nothing until the whole file
    was built, which outlasted the gateway's timeout; this takes a fraction and starts at once.
    One sheet, strings inline (no shared-string table to hold in memory), widths and frozen header,
    set up for printing like every XLSX of the suite (``title``, ``unit`` and ``year`` in the page header).
    """
    sink = _Sink()
    letters = [get_column_letter(i) for i in range(1, len(COLUMNS) + 1)]
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
            head = _row(1, [heading for heading, _ in COLUMNS], letters)
            sheet.write((
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
                f'{printing.sheet_properties}<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                f'<cols>{cols}</cols><sheetData>{head}'
            ).encode("utf-8"))
            lines = []
            for number, row in enumerate(rows, start=2):
                lines.append(_row(number, ledger_cells(row), letters))
                if len(lines) >= 500:
                    sheet.write("".join(lines).encode("utf-8"))
                    lines = []
                    if sink.size >= CHUNK:
                        yield sink.take()
            sheet.write(("".join(lines) + f"</sheetData>{printing.page}</worksheet>").encode("utf-8"))
    yield sink.take()
