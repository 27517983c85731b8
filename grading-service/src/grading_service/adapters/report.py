"""The cycle's results as an XLSX workbook (分类定级结果), Chinese first like every UI string."""
from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator

from pacesetter_shared import xlsx

from ..domain.classification import CHANGE_LABELS, GRADE_LABELS, LevelChange
from ..domain.model import INDICATOR_LABELS, PART_LABELS, AssessmentPart, Grade, Indicator

UNDECIDED = "未定"
BY_BRANCH = "分类定级结果"
HEADING = ["党支部", "自评", "党员群众评议", "上级评定", "总分", "建议等次", "确定等次", "上年等次", "变化"]
# Each sheet's column widths in characters: a branch's full name on one line, the figures beside it.
WIDTHS = {BY_BRANCH: [30, 8, 13, 10, 8, 10, 10, 10, 8], "等次分布": [14, 10], "指标平均分": [14, 16, 16, 16]}


def _grade(level: str | None) -> str:
    return GRADE_LABELS[Grade(level)] if level else UNDECIDED


def cycle_workbook(year: int, branches: Iterable[dict], figures: Callable[[], dict], unit: str) -> Iterator[bytes]:
    """The workbook as a stream of bytes (:mod:`pacesetter_shared.xlsx`): the first before any branch is read, the
    branches' rows as they come, then the figures' sheets. ``unit`` (whose results these are) is printed in each
    page's header with the year. ``figures`` (the cycle's results) is asked once every branch is written.
    Memory stays flat whatever the number of branches."""
    counted = functools.cache(figures)

    def figures_rows(rows_of: Callable[[dict], Iterator[list]]) -> Iterator[list[str]]:
        yield from map(xlsx.cells, rows_of(counted()))  # a generator: the figures asked when the sheet is written

    listed = itertools.chain([HEADING], map(_branch_row, branches))
    return xlsx.workbook_chunks([
        xlsx.Sheet(BY_BRANCH, WIDTHS[BY_BRANCH], map(xlsx.cells, listed)),
        xlsx.Sheet("等次分布", WIDTHS["等次分布"], figures_rows(_levels)),
        xlsx.Sheet("指标平均分", WIDTHS["指标平均分"], figures_rows(_means))], unit, year)


def _branch_row(b: dict) -> list:
    parts = b["part_totals"]
    change = CHANGE_LABELS[LevelChange(b["change"])] if b["change"] else ""
    return [b["name"], parts["self"], parts["members_and_masses"], parts["superior"], b["total"],
            _grade(b["suggested_level"]), _grade(b["level"]), _grade(b["previous_level"])
            if b["previous_level"] else "", change]


def _levels(results: dict) -> Iterator[list]:
    yield ["等次", "支部数"]
    for code, count in results["distribution"].items():
        yield [GRADE_LABELS[Grade(code)] if code != "undecided" else UNDECIDED, count]
    yield []
    yield ["变化", "支部数"]
    for code, count in results["moved"].items():
        yield [CHANGE_LABELS[LevelChange(code)], count]


def _means(results: dict) -> Iterator[list]:
    averages = results["indicator_averages"]
    yield ["指标"] + [PART_LABELS[AssessmentPart(p)][0] for p in averages]
    for indicator in Indicator:
        yield [INDICATOR_LABELS[indicator][0]] + [averages[p][indicator.value] for p in averages]
