"""The cycle's results as an XLSX workbook (分类定级结果), Chinese first like every UI string."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from copy import copy
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from pacesetter_shared.exports import PRINT_ALIGNMENT, keep_text, set_up_printing

from ..domain.classification import CHANGE_LABELS, GRADE_LABELS, LevelChange
from ..domain.model import INDICATOR_LABELS, PART_LABELS, AssessmentPart, Grade, Indicator

UNDECIDED = "未定"
# Each sheet's column widths in characters: a branch's full name on one line, the figures beside it.
WIDTHS = {"分类定级结果": [30, 8, 13, 10, 8, 10, 10, 10, 8], "等次分布": [14, 10], "指标平均分": [14, 16, 16, 16]}


def _grade(level: str | None) -> str:
    return GRADE_LABELS[Grade(level)] if level else UNDECIDED


def cycle_workbook(results: dict, branches: Iterable[dict], unit: str) -> bytes:
    """The workbook; ``unit`` (whose results these are) is printed in each page's header with the year.

    Written in openpyxl's write-only mode: each row goes to a temporary file as it is appended, so that fifty
    thousand branches take no more memory than five thousand (held whole, they took ~200 MB more and 11 s against
    7 s, most of it styling each cell one by one)."""
    book = Workbook(write_only=True)
    for title, rows in _sheets(results, branches):
        sheet = book.create_sheet(title)
        for column, width in enumerate(WIDTHS[title], start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        _set_up_printing(sheet, title, unit, results["year"])
        wrapped = WriteOnlyCell(sheet)
        wrapped.alignment = PRINT_ALIGNMENT
        for values in rows:
            cells = []
            for value in values:
                cell = WriteOnlyCell(sheet, value)
                cell._style = copy(wrapped._style)  # one style for every cell: no Alignment hashed per cell
                cells.append(cell)
            keep_text(cells)  # a branch is named by people: "=…" must not become a formula
            sheet.append(cells)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _set_up_printing(sheet, title: str, unit: str, year: int) -> None:
    """The shared print set-up, made on a sheet of openpyxl's own and carried over, so there is one set-up, not
    two (a streamed sheet has no cells for ``set_up_printing`` to wrap: each gets the alignment as it is written)."""
    model = Workbook().active
    set_up_printing(model, title, unit, year)
    sheet.sheet_properties, sheet.print_options = model.sheet_properties, model.print_options
    sheet.page_margins, sheet.page_setup, sheet.HeaderFooter = model.page_margins, model.page_setup, model.HeaderFooter
    sheet.print_title_rows = model.print_title_rows


def _sheets(results: dict, branches: Iterable[dict]) -> Iterator[tuple[str, Iterator[list]]]:
    """Each sheet's title and rows, its heading first."""
    def by_branch():
        yield ["党支部", "自评", "党员群众评议", "上级评定", "总分", "建议等次", "确定等次", "上年等次", "变化"]
        for b in branches:
            parts = b["part_totals"]
            change = CHANGE_LABELS[LevelChange(b["change"])] if b["change"] else ""
            yield [b["name"], parts["self"], parts["members_and_masses"], parts["superior"], b["total"],
                   _grade(b["suggested_level"]), _grade(b["level"]), _grade(b["previous_level"])
                   if b["previous_level"] else "", change]

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

    yield "分类定级结果", by_branch()
    yield "等次分布", levels()
    yield "指标平均分", means()
