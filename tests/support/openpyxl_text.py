"""What the suite's XLSX did before it was streamed (issue 24): openpyxl's cells kept text. The tests use it as
the old writer's half of their comparisons with pacesetter_shared.xlsx."""
from __future__ import annotations

from typing import Iterable

from pacesetter_shared.exports import looks_like_formula


def keep_text(cells: Iterable) -> None:
    """Every text among openpyxl's ``cells`` stays text (openpyxl makes "=…" a formula and "#N/A" an error);
    one that looks like a formula is also marked the way Excel marks a text typed with a leading apostrophe
    (quotePrefix), so that editing the cell keeps it text."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if looks_like_formula(cell.value):
                cell.quotePrefix = True
