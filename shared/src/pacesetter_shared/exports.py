"""Cells of the files the suite writes (CSV, XLSX), safe to open in Excel and WPS.

A spreadsheet program takes a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
for a formula and runs it: a pledge titled ``=HYPERLINK("http://…","点此查看")`` becomes a link in the
secretary's ledger (OWASP, "CSV Injection"). Such a text gets a leading apostrophe, which those programs read
as "this is text". An XLSX cell has a type: a text there is never run, but openpyxl stores a string that starts
with ``=`` as a formula unless told otherwise — :func:`keep_text` tells it. Numbers are left alone in both: a
negative number is a number, not a formula.
"""
from __future__ import annotations

from typing import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """A text a spreadsheet program would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """What a CSV cell holds: ``value`` itself, a text that looks like a formula with an apostrophe before it."""
    return "'" + value if looks_like_formula(value) else value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


def keep_text(cells: Iterable) -> None:
    """Every text among openpyxl's ``cells`` stays text (openpyxl makes "=…" a formula and "#N/A" an error);
    one that looks like a formula is also marked the way Excel marks a text typed with a leading apostrophe
    (quotePrefix), so that editing the cell keeps it text."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if looks_like_formula(cell.value):
                cell.quotePrefix = True

