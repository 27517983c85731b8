"""The suite's one XLSX writer: a workbook written as a stream, its zip sent as it grows (issue 24).

The grading report (fifty thousand branches) and the pledge ledger (a million pledges) are written row by row
from an ordered cursor: the first bytes leave at once, so a proxy's per-read timeout never fires, and memory
stays flat whatever the number of rows. openpyxl, even write-only, made and wrote every cell as an object and
sent nothing until the whole file was built (15 s for 100,000 pledges); no package we may install streams the
zip as it is written (xlsxwriter's constant-memory mode and pyexcelerate build the file before sending a byte),
so the sheets' XML is written here and the zip by the standard library.

Every text is an inline string (no shared-string table to hold), every cell is wrapped for print and one that
looks like a formula (:func:`~pacesetter_shared.exports.looks_like_formula`) is marked quotePrefix, every sheet
is set up for printing by :func:`~pacesetter_shared.exports.set_up_printing`, turned into XML once.

A row is a list of cells as :func:`cell` writes them. No cell or row names its place (r="B7"): SpreadsheetML
places them one after the other, an empty cell included, so a cell that repeats (a name, a state, a day) is the
same text in every row and can be written once; a million pledges took a third less CPU, and their zip a sixth
of the bytes (11 MB), than with the row number written into every cell.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.xml.functions import tostring

from .exports import FORMULA_STARTS, PRINT_ALIGNMENT, set_up_printing

CHUNK = 64 * 1024  # bytes handed on at a time
MAX_TEXT = 32767  # the most characters a cell holds in Excel; openpyxl keeps as many
_ROWS_AT_ONCE = 500

# Markup escaped, a carriage return kept as lxml keeps it (a character reference, which XML does not fold into
# a newline), and what no XML 1.0 document may hold dropped, in one pass: a streamed file cannot turn into an
# error once its first bytes are sent, so a control character typed into a name is lost, not the whole file.
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", "\ufffe": None, "\uffff": None,
                       **{chr(c): None for c in range(32) if chr(c) not in "\t\n\r"}})
_MARKUP = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # a text without any is written as it is
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
# Style 1 is every cell's, wrapped for print; style 2 the same with quotePrefix, for a text that looks like a
# formula, so that it stays text when someone edits it. Every cell names its style: LibreOffice leaves the
# alignment of style 0, the one a cell without s="…" has, unapplied.
PLAIN, QUOTED = 1, 2
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">{alignment}</xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyAlignment="1">'
    '{alignment}</xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def cell(value) -> str:
    """The XML of a cell holding ``value``. A number is a number (a negative one too); every other value is written
    as text, never as a formula, and None is an empty cell, "" an empty text, both still wrapped as openpyxl writes
    them."""
    if value is None:
        return f'<c s="{PLAIN}" t="n"/>'
    kind = type(value)
    if kind is int or kind is float or kind is Decimal:
        return f'<c s="{PLAIN}" t="n"><v>{value!r}</v></c>' if kind is float else \
            f'<c s="{PLAIN}" t="n"><v>{value}</v></c>'
    text = value if kind is str else str(value)
    style = QUOTED if text.startswith(FORMULA_STARTS) else PLAIN  # as looks_like_formula, without its call per cell
    if not text:
        return f'<c s="{style}" t="inlineStr"/>'
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    # spaces at either end are kept only when asked to (as openpyxl asks): a fifth of the XML when every cell asked
    space = ' xml:space="preserve"' if text != text.strip() else ""
    if _MARKUP.search(text):
        text = text.translate(_TEXT)
    return f'<c s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def cells(values: Iterable) -> list[str]:
    """A row's cells from its values, the first in column A."""
    return [cell(value) for value in values]


@dataclass(frozen=True)
class Sheet:
    """A sheet to write: its name (at most 31 characters), its columns' widths in characters, its rows (each a
    list of cells as :func:`cell` writes them, the first in column A; read only when the sheet is written, so a
    later sheet can hold figures counted over an earlier one's rows), its printed title (the name, unless given)
    and whether its heading row stays in view as the rows scroll."""

    name: str
    widths: list[float]
    rows: Iterable[list[str]]
    title: str | None = None
    frozen_heading: bool = False


def workbook_chunks(sheets: list[Sheet], unit: str, year: int) -> Iterator[bytes]:
    """The workbook of ``sheets`` as a stream of bytes: the first chunk as soon as the first sheet starts, then one
    every :data:`CHUNK` or so as the rows come. ``unit`` and ``year`` are printed in each page's header."""
    sink = _Sink()
    printing = [_print_xml(index, sheet, unit, year) for index, sheet in enumerate(sheets)]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, xml in _parts(sheets, printing).items():
            archive.writestr(name, _XML + xml)
        for number, (sheet, printed) in enumerate(zip(sheets, printing), start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
                out.write(_sheet_head(sheet, printed).encode("utf-8"))
                yield sink.take()  # the first bytes leave before any row is read
                lines, count = [], 0
                for written in sheet.rows:
                    lines.append("<row>")
                    lines.extend(written)
                    lines.append("</row>")
                    count += 1
                    if count % _ROWS_AT_ONCE == 0:
                        out.write("".join(lines).encode("utf-8"))
                        lines = []
                        if sink.size >= CHUNK:
                            yield sink.take()
                out.write(("".join(lines) + f"</sheetData>{printed.page}</worksheet>").encode("utf-8"))
    yield sink.take()


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


@dataclass(frozen=True)
class _Printing:
    """:func:`set_up_printing` as the XML of a sheet written by hand: where each part goes is the order
    SpreadsheetML asks for."""

    sheet_properties: str  # first in <worksheet>
    page: str  # after <sheetData>: printOptions, pageMargins, pageSetup, headerFooter
    defined_name: str  # in <workbook>'s <definedNames>, after <sheets>


def _print_xml(index: int, sheet: Sheet, unit: str, year: int) -> _Printing:
    """The print set-up of a streamed sheet, taken from openpyxl's own sheet so there is one set-up, not two."""
    model = Workbook().active
    model.title = sheet.name
    set_up_printing(model, sheet.title or sheet.name, unit, year)
    page = "".join(tostring(part.to_tree()).decode() for part in (
        model.print_options, model.page_margins, model.page_setup, model.HeaderFooter))
    titles = DefinedName("_xlnm.Print_Titles", localSheetId=index, attr_text=model.print_titles)
    return _Printing(tostring(model.sheet_properties.to_tree()).decode(), page, tostring(titles.to_tree()).decode())


def _attribute(text: str) -> str:
    return text.translate(_TEXT).replace('"', "&quot;")


def _parts(sheets: list[Sheet], printing: list[_Printing]) -> dict[str, str]:
    """Every part of the package but the sheets themselves."""
    numbers = range(1, len(sheets) + 1)
    return {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
                      for n in numbers) +
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PACKAGE_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PACKAGE_REL}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n in numbers) +
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES.format(alignment=tostring(PRINT_ALIGNMENT.to_tree()).decode()),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(f'<sheet name="{_attribute(sheet.name)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, sheet in zip(numbers, sheets)) +
            f'</sheets><definedNames>{"".join(p.defined_name for p in printing)}</definedNames></workbook>'),
    }


def _sheet_head(sheet: Sheet, printed: _Printing) -> str:
    """A sheet's XML up to its first row."""
    frozen = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
              if sheet.frozen_heading else "")
    cols = "".join(f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
                   for i, width in enumerate(sheet.widths, start=1))
    return (f'{_XML}<worksheet xmlns="{_MAIN}">{printed.sheet_properties}<sheetViews><sheetView workbookViewId="0">'
            f'{frozen}</sheetView></sheetViews><cols>{cols}</cols><sheetData>')
