"""The cells of exported files: a text a spreadsheet would run as a formula is written as text (OWASP CSV
injection), and nothing else changes — numbers, negative ones included, stay numbers."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from pacesetter_shared.exports import csv_cell, csv_row, looks_like_formula
from tests.support.openpyxl_text import keep_text

FORMULAS = ['=HYPERLINK("http://evil.example/","点此查看")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
            "=cmd|' /C calc'!A0", "-"]
PLAIN = ["带头服务师生", "2026-12-31", "a=b", " =1", "", "'quoted", "1-2", "＝全角"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_that_starts_a_formula_gets_an_apostrophe_in_csv(text):
    assert looks_like_formula(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_other_texts_are_written_as_they_are(text):
    assert not looks_like_formula(text)
    assert csv_cell(text) == text


def test_numbers_and_empty_cells_are_left_alone_even_negative_ones():
    assert csv_row([-5, -0.5, 0, 12, None, "-5"]) == [-5, -0.5, 0, 12, None, "'-5"]


def test_a_csv_written_with_it_reads_back_with_no_cell_a_spreadsheet_would_run():
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(FORMULAS + PLAIN + [-3]))
    cells = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells[:-1])
    assert cells[-1] == "-3"  # a number, as a spreadsheet reads it
    assert cells[len(FORMULAS):-1] == PLAIN


def test_openpyxl_cells_stay_text_and_numbers_stay_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(['=HYPERLINK("http://evil.example/","点此查看")', "-x", "#N/A", "带头", -5, 2.5])
    assert sheet["A1"].data_type == "f"  # what openpyxl does by itself
    keep_text(cell for row in sheet.iter_rows() for cell in row)
    out = io.BytesIO()
    book.save(out)
    back = load_workbook(io.BytesIO(out.getvalue())).active
    cells = list(back.iter_rows())[0]
    assert [c.value for c in cells] == ['=HYPERLINK("http://evil.example/","点此查看")', "-x", "#N/A", "带头", -5, 2.5]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "n", "n"]
    # marked like a text typed with a leading apostrophe: editing the cell in Excel keeps it text
    assert [c.quotePrefix for c in cells] == [True, True, False, False, False, False]
