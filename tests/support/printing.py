"""What every XLSX of the suite must hold to print (issue 21, gap 4), read back with openpyxl."""
from __future__ import annotations


def assert_set_up_for_print(sheet, title: str, unit: str, year: int, header_rows: int = 1) -> None:
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # A4
    # one page wide, as many tall as it takes (0: no limit), which only counts with fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == f"$1:${header_rows}"
    header = sheet.oddHeader
    assert header.center.text == f"&B{title}"
    assert header.left.text == unit and str(year) in header.right.text
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    for row in sheet.iter_rows(max_row=min(sheet.max_row, header_rows + 1)):
        for cell in row:  # the headings and the first row below them; an empty cell is no cell in the file
            assert cell.value is None or cell.alignment.wrap_text is True, cell.coordinate
