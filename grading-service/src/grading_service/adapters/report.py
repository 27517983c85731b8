"""The cycle's results as an XLSX workbook (分类定级结果), Chinese first like every UI string."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from pacesetter_shared.exports import keep_text, set_up_printing

from ..domain.classification import CHANGE_LABELS, GRADE_LABELS, LevelChange
from ..domain.model import INDICATOR_LABELS, PART_LABELS, AssessmentPart, Grade, Indicator

UNDECIDED = "未定"
# Each sheet's column widths in characters: a branch's full name on one line, the figures beside it.
WIDTHS = {"分类定级结果": [30, 8, 13, 10, 8, 10, 10, 10, 8], "等次分布": [14, 10], "指标平均分": [14, 16, 16, 16]}


def _grade(level: str | None) -> str:
    return GRADE_LABELS[Grade(level)] if level else UNDECIDED


def cycle_workbook(results: dict, branches: list[dict], unit: str) -> bytes:
    """The workbook; ``unit`` (whose results these are) is printed in each page's header with the year."""
    book = Workbook()
    sheet = book.active
    sheet.title = "分类定级结果"
    sheet.append(["党支部", "自评", "党员群众评议", "上级评定", "总分", "建议等次", "确定等次", "上年等次", "变化"])
    for b in branches:
        parts = b["part_totals"]
        change = CHANGE_LABELS[LevelChange(b["change"])] if b["change"] else ""
        sheet.append([b["name"], parts["self"], parts["members_and_masses"], parts["superior"], b["total"],
                      _grade(b["suggested_level"]), _grade(b["level"]), _grade(b["previous_level"])
                      if b["previous_level"] else "", change])
    levels = book.create_sheet("等次分布")
    levels.append(["等次", "支部数"])
    for code, count in results["distribution"].items():
        levels.append([GRADE_LABELS[Grade(code)] if code != "undecided" else UNDECIDED, count])
    levels.append([])
    levels.append(["变化", "支部数"])
    for code, count in results["moved"].items():
        levels.append([CHANGE_LABELS[LevelChange(code)], count])
    means = book.create_sheet("指标平均分")
    means.append(["指标"] + [PART_LABELS[AssessmentPart(p)][0] for p in results["indicator_averages"]])
    for indicator in Indicator:
        means.append([INDICATOR_LABELS[indicator][0]] + [results["indicator_averages"][p][indicator.value]
                                                         for p in results["indicator_averages"]])
    for worksheet in book.worksheets:  # a branch is named by people: "=…" must not become a formula
        keep_text(cell for row in worksheet.iter_rows() for cell in row)
        for column, width in enumerate(WIDTHS[worksheet.title], start=1):
            worksheet.column_dimensions[get_column_letter(column)].width = width
        set_up_printing(worksheet, worksheet.title, unit, results["year"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
