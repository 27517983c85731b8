"""The one streamed XLSX writer (issue 24): what it writes reads back in openpyxl as the cells, sheets and print
set-up it was given; its first bytes leave before any row is read; what it holds does not grow with the rows."""
from __future__ import annotations

import tracemalloc
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from pacesetter_shared import xlsx


def _read(chunks):
    return load_workbook(BytesIO(b"".join(chunks)))


def test_cells_read_back_as_the_values_they_were_given():
    values = [1, -2.5, Decimal("3.25"), 1e-7, None, "", "=SUM(A1)", "-x", "a&<b>\"c'", "一行\r\n两行\t制表",
              " 前后有空格 ", "响铃\x07", "长" * 40000, "\u3000全角空格"]
    book = _read(xlsx.workbook_chunks([xlsx.Sheet("表", [10] * len(values), [xlsx.cells(values)])], "党委", 2026))
    cells = list(book["表"].iter_rows())[0]
    assert [c.value for c in cells] == [1, -2.5, 3.25, 1e-7, None, None, "=SUM(A1)", "-x", "a&<b>\"c'",
                                        "一行\r\n两行\t制表", " 前后有空格 ", "响铃", "长" * xlsx.MAX_TEXT,
                                        "\u3000全角空格"]
    assert [c.data_type for c in cells[:5]] == ["n"] * 5 and {c.data_type for c in cells[6:]} == {"s"}
    # a text a spreadsheet program would run keeps a quote prefix; every cell is wrapped for print
    assert [c.quotePrefix for c in cells[5:9]] == [False, True, True, False]
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in cells)


def test_every_sheet_is_written_in_order_with_its_widths_and_print_set_up():
    read = []

    def rows(sheet: str, count: int):
        for n in range(count):
            read.append(sheet)
            yield xlsx.cells([f"{sheet}{n}", n])

    sheets = [xlsx.Sheet("明细", [30, 8], rows("甲", 3), title="承诺台账 & 明细", frozen_heading=True),
              xlsx.Sheet('汇总 "二"', [14, 10], rows("乙", 2))]
    book = _read(xlsx.workbook_chunks(sheets, "A&B党总支", 2026))
    assert read == ["甲"] * 3 + ["乙"] * 2  # a later sheet's rows are read once the earlier one is written
    first, second = book.worksheets
    assert (first.title, second.title) == ("明细", '汇总 "二"')
    assert [r[0] for r in second.values] == ["乙0", "乙1"]
    assert (first.column_dimensions["A"].width, second.column_dimensions["B"].width) == (30, 10)
    assert (first.freeze_panes, second.freeze_panes) == ("A2", None)
    assert (first.print_title_rows, second.print_title_rows) == ("$1:$1", "$1:$1")
    assert (first.oddHeader.left.text, first.oddHeader.center.text, first.oddHeader.right.text) == (
        "A&&B党总支", "&B承诺台账 && 明细", "2026年度")
    assert second.oddHeader.center.text == '&B汇总 "二"'
    assert (first.page_setup.orientation, second.page_setup.fitToHeight) == ("landscape", 0)


def _rows(count: int, read: list | None = None):
    for n in range(count):
        if read is not None:
            read.append(n)
        yield xlsx.cells([f"带头服务师生第{n}项", n, n / 3, "已办结"])


def _peak(count: int) -> int:
    tracemalloc.start()
    try:
        for _chunk in xlsx.workbook_chunks([xlsx.Sheet("表", [10] * 4, _rows(count))], "党委", 2026):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_first_bytes_leave_before_any_row_is_read_and_memory_stays_flat():
    read = []
    chunks = xlsx.workbook_chunks([xlsx.Sheet("表", [10] * 4, _rows(50_000, read))], "党委", 2026)
    assert next(chunks).startswith(b"PK") and read == []
    assert max(len(chunk) for chunk in chunks) < 4 * xlsx.CHUNK and len(read) == 50_000
    # four times the rows, the same memory: a few chunks and a few hundred rows at a time
    assert _peak(80_000) - _peak(20_000) < 256 * 1024
