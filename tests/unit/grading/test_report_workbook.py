"""The report's workbook (issue 24): its branches' rows, written as they stream, hold the cells that openpyxl made
of them one by one before, whatever the names hold."""
from __future__ import annotations

from copy import copy
import tracemalloc
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from grading_service.adapters import report
from grading_service.domain.classification import CHANGE_LABELS, LevelChange
from pacesetter_shared import xlsx
from pacesetter_shared.exports import PRINT_ALIGNMENT, set_up_printing
from tests.support.openpyxl_text import keep_text


def as_before(year: int, branches: list[dict], figures: dict, unit: str) -> BytesIO:
    """The workbook as the report wrote it before it streamed (issue 24): openpyxl write-only, a cell object made,
    styled and checked by keep_text for every value, the figures' sheets after the branches'."""
    book = Workbook(write_only=True)
    heading = ["党支部", "自评", "党员群众评议", "上级评定", "总分", "建议等次", "确定等次", "上年等次", "变化"]
    sheets = {report.BY_BRANCH: [heading] + [
        [b["name"], b["part_totals"]["self"], b["part_totals"]["members_and_masses"], b["part_totals"]["superior"],
         b["total"], report._grade(b["suggested_level"]), report._grade(b["level"]),
         report._grade(b["previous_level"]) if b["previous_level"] else "",
         CHANGE_LABELS[LevelChange(b["change"])] if b["change"] else ""] for b in branches]}
    sheets.update({"等次分布": list(report._levels(figures)), "指标平均分": list(report._means(figures))})
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for column, width in enumerate(report.WIDTHS[title], start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        model = Workbook().active  # the shared print set-up, made on a sheet of openpyxl's own and carried over
        set_up_printing(model, title, unit, year)
        sheet.sheet_properties, sheet.print_options = model.sheet_properties, model.print_options
        sheet.page_margins, sheet.page_setup = model.page_margins, model.page_setup
        sheet.HeaderFooter, sheet.print_title_rows = model.HeaderFooter, model.print_title_rows
        wrapped = WriteOnlyCell(sheet)
        wrapped.alignment = PRINT_ALIGNMENT
        for values in rows:
            cells = []
            for value in values:
                cell = WriteOnlyCell(sheet, value)
                cell._style = copy(wrapped._style)
                cells.append(cell)
            keep_text(cells)
            sheet.append(cells)
    out = BytesIO()
    book.save(out)
    return out


def cells_of(book) -> dict:
    """Every cell's value, type, quote prefix and alignment, and every sheet's print set-up, by sheet."""
    return {sheet.title: ([[(c.value, c.data_type, c.quotePrefix, c.alignment.wrap_text, c.alignment.vertical)
                            for c in row] for row in sheet.iter_rows()],
                          {k: v.width for k, v in sheet.column_dimensions.items()},
                          repr(sheet.page_setup), sheet.print_title_rows,
                          [(part.left.text, part.center.text, part.right.text)
                           for part in (sheet.oddHeader, sheet.oddFooter)],
                          repr(sheet.page_margins), repr(sheet.sheet_properties))
            for sheet in book.worksheets}



FIGURES = {"distribution": {"advanced": 1, "ordinary": 2, "lagging": 0, "undecided": 3},
           "moved": {"up": 1, "same": 0, "down": 2},
           "indicator_averages": {part: {indicator: 80.5 if part == "self" else None for indicator in (
               "leader", "work_plan", "rules", "venue", "support", "performance", "masses")}
               for part in ("self", "members_and_masses", "superior")}}


def branch(name: str, **overrides) -> dict:
    values = {"name": name, "part_totals": {"self": 90.0, "members_and_masses": 85.25, "superior": None},
              "total": None, "suggested_level": None, "level": "ordinary", "previous_level": None, "change": None}
    return values | overrides


NAMES = ["教工第一党支部", "=HYPERLINK(\"http://evil.example\")", "+1", "-x", "@sum", " 前后有空格 ", "a&<b>\"c'",
         "一行\r\n两行\t制表", "", "#N/A", "长" * 40000]


def test_the_streamed_rows_hold_the_cells_openpyxl_made_of_them():
    branches = [branch(name, total=float(n) + 0.5, change="up" if n % 2 else None, previous_level="lagging"
                       if n % 3 else None, suggested_level="advanced" if n % 2 else None)
                for n, name in enumerate(NAMES)]
    branches.append(branch("整数", part_totals={"self": 90, "members_and_masses": 1e-7, "superior": 100.0}, total=90.0))
    written = _read(report.cycle_workbook(2026, iter(branches), lambda: FIGURES, "党委"))
    before = load_workbook(as_before(2026, branches, FIGURES, "党委"))
    assert cells_of(written) == cells_of(before)
    rows = list(written[report.BY_BRANCH].values)
    assert len(rows) == 1 + len(branches) and rows[2][0] == NAMES[1] and rows[-1][1:4] == (90, 1e-7, 100)
    assert written[report.BY_BRANCH]["A3"].quotePrefix and not written[report.BY_BRANCH]["A2"].quotePrefix


def test_the_figures_are_asked_for_once_every_branch_is_written():
    seen = []

    def branches():
        for name in ("甲", "乙"):
            seen.append(name)
            yield branch(name)

    def figures():
        assert seen == ["甲", "乙"]
        return FIGURES
    assert _read(report.cycle_workbook(2026, branches(), figures, "党委")).sheetnames == [
        "分类定级结果", "等次分布", "指标平均分"]


def test_a_character_no_worksheet_can_hold_is_left_out_of_the_name():
    # Streamed, the file cannot turn into an error once it has started: the bell is dropped, not the report.
    sheet = _read(report.cycle_workbook(2026, iter([branch("响铃\x07支部")]), lambda: FIGURES, "党委"))
    assert sheet[report.BY_BRANCH]["A2"].value == "响铃支部"


def test_bytes_leave_before_the_first_branch_is_read_and_memory_stays_flat():
    read = []

    def branches(count: int):
        for n in range(count):
            read.append(n)
            yield branch(f"压测党支部{n}", total=80.0 + n % 20, change="up", previous_level="ordinary")

    chunks = report.cycle_workbook(2026, branches(20_000), lambda: FIGURES, "党委")
    assert next(chunks).startswith(b"PK") and read == []
    tracemalloc.start()
    try:
        largest = 0
        for chunk in chunks:
            largest = max(largest, len(chunk))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(read) == 20_000
    # what is held at once is a few chunks and a few hundred rows, whatever the number of branches
    assert largest < 4 * xlsx.CHUNK and peak < 4 * 2**20, (largest, peak)


def _read(chunks) -> object:
    return load_workbook(BytesIO(b"".join(chunks)))
