"""Cells of the files the suite writes (CSV, XLSX), safe to open in Excel and WPS.

A spreadsheet program takes a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
for a formula and runs it: a pledge titled ``=HYPERLINK("http://…","点此查看")`` becomes a link in the
secretary's ledger (OWASP, "CSV Injection"). Such a text gets a leading apostrophe, which those programs read
as "this is text". An XLSX cell has a type: :mod:`pacesetter_shared.xlsx` writes every text as a text, never a
formula, and marks one that looks like a formula quotePrefix, so editing it keeps it text. Numbers are left alone in both: a
negative number is a number, not a formula.

Every XLSX is also set up for printing the same way (:func:`set_up_printing`, which :mod:`pacesetter_shared.xlsx`
turns into the XML of its streamed sheets): a unit files its year's ledger and results on paper.
"""
from __future__ import annotations

from typing import Iterable

from openpyxl.styles import Alignment
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """A text a spreadsheet program would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """What a CSV cell holds: ``value`` itself, a text that looks like a formula with an apostrophe before it."""
    return "'" + value if looks_like_formula(value) else value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


# -- Printing: every XLSX the suite writes is filed on paper (issue 21, gap 4) --

# Wrapped and top-aligned, so a long pledge grows its row instead of widening the page.
PRINT_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
PAGE_NUMBERS = "第 &P 页 / 共 &N 页"


def _header_text(text: str) -> str:
    """A name printed in a header as it is: "&" alone starts a header code (&P, &B…), "&&" is the letter."""
    return text.replace("&", "&&")


def set_up_printing(sheet: Worksheet, title: str, unit: str, year: int, header_rows: int = 1) -> None:
    """``sheet`` prints on landscape A4, one page wide and as many tall as it takes, its first
    ``header_rows`` rows on every page, the title, the unit and the year in the header, page numbers
    in the footer, and every cell wrapped."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # no limit: a long ledger runs on, never shrunk to fit one page
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.6, header=0.3, footer=0.3)
    sheet.oddHeader.left.text = _header_text(unit)
    sheet.oddHeader.center.text = "&B" + _header_text(title)
    sheet.oddHeader.right.text = f"{year}年度"
    sheet.oddFooter.center.text = PAGE_NUMBERS
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = PRINT_ALIGNMENT
