"""The cycle's results as an XLSX workbook (分类定级结果), Chinese first like every UI string."""
from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from tempfile import TemporaryFile
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from pacesetter_shared.exports import PRINT_ALIGNMENT, keep_text, looks_like_formula, set_up_printing

from ..domain.classification import CHANGE_LABELS, GRADE_LABELS, LevelChange
from ..domain.model import INDICATOR_LABELS, PART_LABELS, AssessmentPart, Grade, Indicator

UNDECIDED = "未定"
BY_BRANCH = "分类定级结果"
HEADING = ["党支部", "自评", "党员群众评议", "上级评定", "总分", "建议等次", "确定等次", "上年等次", "变化"]
# Each sheet's column widths in characters: a branch's full name on one line, the figures beside it.
WIDTHS = {BY_BRANCH: [30, 8, 13, 10, 8, 10, 10, 10, 8], "等次分布": [14, 10], "指标平均分": [14, 16, 16, 16]}
_LETTERS = [get_column_letter(i) for i in range(1, len(HEADING) + 1)]
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # as lxml writes a text
_ROWS_AT_ONCE = 500


def _grade(level: str | None) -> str:
    return GRADE_LABELS[Grade(level)] if level else UNDECIDED


def cycle_workbook(year: int, branches: Iterable[dict], figures: Callable[[], dict], unit: str) -> IO[bytes]:
    """The workbook in a temporary file, read from its start; ``unit`` (whose results these are) is printed in each
    page's header with the year. ``figures`` (the cycle's results) is asked once every branch is written.

    The branches' rows are written as they stream, as the XML openpyxl writes for them (its write-only mode took
    10 s of CPU for fifty thousand branches, making and writing each cell as an object), to a temporary file;
    openpyxl writes the rest of the workbook, the headings, the figures and the print set-up, and the rows are put
    into the first sheet as the file is put together. Memory stays flat whatever the number of branches."""
    book = Workbook(write_only=True)
    wrapped = WriteOnlyCell(book.create_sheet(BY_BRANCH))
    wrapped.alignment = PRINT_ALIGNMENT
    # One style for every cell (no Alignment hashed per cell), and one for a text that looks like a formula (the
    # one keep_text marks): given to cells, never changed, since openpyxl keeps a style as the key of its index.
    plain, quoted = copy(wrapped._style), copy(wrapped._style)
    quoted.quotePrefix = True
    styles = _StyleIds(book, plain, quoted)
    with TemporaryFile() as rows, TemporaryFile() as skeleton:
        _write_branch_rows(rows, branches, styles)
        results = figures()
        for sheet, values in _sheets(book, results):
            _set_up(sheet, unit, year)
            for line in values:
                cells = [WriteOnlyCell(sheet, value) for value in line]
                for cell in cells:
                    cell._style = quoted if looks_like_formula(cell.value) else plain
                keep_text(cells)  # a branch is named by people: "=…" must not become a formula
                sheet.append(cells)
        book.save(skeleton)
        out = TemporaryFile()
        try:
            _put_together(skeleton, book.worksheets[0].path.lstrip("/"), rows, out)
        except BaseException:
            out.close()
            raise
    out.seek(0)
    return out


class _StyleIds:
    """The ids the workbook's style index gives the two styles, the quoted one only once a text needs it."""

    def __init__(self, book: Workbook, plain, quoted):
        self._index, self._quoted = book._cell_styles, quoted
        self.plain, self._quoted_id = self._index.add(plain), None

    def quoted(self) -> int:
        if self._quoted_id is None:
            self._quoted_id = self._index.add(self._quoted)
        return self._quoted_id


def _branch_row(b: dict) -> list:
    parts = b["part_totals"]
    change = CHANGE_LABELS[LevelChange(b["change"])] if b["change"] else ""
    return [b["name"], parts["self"], parts["members_and_masses"], parts["superior"], b["total"],
            _grade(b["suggested_level"]), _grade(b["level"]), _grade(b["previous_level"])
            if b["previous_level"] else "", change]


def _write_branch_rows(out: IO[bytes], branches: Iterable[dict], styles: _StyleIds) -> None:
    lines = []
    for number, branch in enumerate(branches, start=2):  # below the heading
        lines.append(_row_xml(number, _branch_row(branch), styles))
        if len(lines) >= _ROWS_AT_ONCE:
            out.write("".join(lines).encode("utf-8"))
            lines = []
    out.write("".join(lines).encode("utf-8"))


def _row_xml(number: int, values: list, styles: _StyleIds) -> str:
    """A row as openpyxl writes one of wrapped cells after keep_text: every text inline, None an empty number."""
    cells = []
    for letter, value in zip(_LETTERS, values):
        at = f'r="{letter}{number}"'
        if value is None:
            cells.append(f'<c {at} s="{styles.plain}" t="n"></c>')
        elif isinstance(value, str):
            text = value[:32767]  # what openpyxl keeps of a text, and refuses
            if ILLEGAL_CHARACTERS_RE.search(text):
                raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
            style = styles.quoted() if looks_like_formula(value) else styles.plain
            if not text:
                cells.append(f'<c {at} s="{style}" t="inlineStr"></c>')
                continue
            space = ' xml:space="preserve"' if text != text.strip() else ""
            cells.append(f'<c {at} s="{style}" t="inlineStr"><is><t{space}>{text.translate(_XML_TEXT)}</t></is></c>')
        else:
            cells.append(f'<c {at} s="{styles.plain}" t="n"><v>{safe_string(value)}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _put_together(skeleton: IO[bytes], branch_sheet: str, rows: IO[bytes], out: IO[bytes]) -> None:
    """openpyxl's workbook with the branches' rows after the first sheet's heading."""
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != branch_sheet:
                target.writestr(item, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with target.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head)
                rows.seek(0)
                shutil.copyfileobj(rows, sheet)
                sheet.write(b"</sheetData>" + tail)


def _set_up(sheet, unit: str, year: int) -> None:
    for column, width in enumerate(WIDTHS[sheet.title], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    _set_up_printing(sheet, sheet.title, unit, year)


def _set_up_printing(sheet, title: str, unit: str, year: int) -> None:
    """The shared print set-up, made on a sheet of openpyxl's own and carried over, so there is one set-up, not
    two (a streamed sheet has no cells for ``set_up_printing`` to wrap: each gets the alignment as it is written)."""
    model = Workbook().active
    set_up_printing(model, title, unit, year)
    sheet.sheet_properties, sheet.print_options = model.sheet_properties, model.print_options
    sheet.page_margins, sheet.page_setup, sheet.HeaderFooter = model.page_margins, model.page_setup, model.HeaderFooter
    sheet.print_title_rows = model.print_title_rows


def _sheets(book: Workbook, results: dict) -> Iterator[tuple[object, Iterator[list]]]:
    """Each sheet and its rows, its heading first; the branches' own rows are put in after the first heading."""
    def levels():
        yield ["等次", "支部数"]
        for code, count in results["distribution"].items():
            yield [GRADE_LABELS[Grade(code)] if code != "undecided" else UNDECIDED, count]
        yield []
        yield ["变化", "支部数"]
        for code, count in results["moved"].items():
            yield [CHANGE_LABELS[LevelChange(code)], count]

    def means():
        yield ["指标"] + [PART_LABELS[AssessmentPart(p)][0] for p in results["indicator_averages"]]
        for indicator in Indicator:
            yield [INDICATOR_LABELS[indicator][0]] + [results["indicator_averages"][p][indicator.value]
                                                      for p in results["indicator_averages"]]

    yield book[BY_BRANCH], iter([HEADING])
    yield book.create_sheet("等次分布"), levels()
    yield book.create_sheet("指标平均分"), means()
