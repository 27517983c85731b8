"""The ledger's XLSX is written as a stream: it reads back in spreadsheet programs' library, markup and
control characters included, and its first bytes leave before the last row is read (bench: issue 10)."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

from openpyxl import load_workbook

from pledge_service.adapters.ledger_export import xlsx_chunks


def _row(title: str, **extra) -> dict:
    return {"pledger_name": "陈党员", "unit_name": "教工第一党支部", "pledger_kind": "member", "kind": "annual",
            "mode": "individual", "title": title, "areas": ["study", "serving_masses"], "state": "published",
            "created_at": datetime(2026, 3, 1, 20, 0, tzinfo=timezone.utc), "due_date": date(2026, 12, 31),
            "fulfilled_at": None, "progress_count": 2, "evaluation_level": None, "evaluation_score": None, **extra}


def test_the_sheet_reads_back_with_markup_and_control_characters():
    rows = [_row('A&B <b>"引号"</b>\x01\x0b', evaluation_level="good", evaluation_score=88.5), _row("第二项")]
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_chunks(rows, '承诺台账 & "2026"', "A&B党总支", 2026)))).active
    assert sheet.title == '承诺台账 & "2026"' and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["F"].width == 32
    # a lone "&" in a page header starts a code (&B is bold): a name's "&" is printed as the letter
    assert (sheet.oddHeader.left.text, sheet.oddHeader.center.text) == ("A&&B党总支", '&B承诺台账 && "2026"')
    assert sheet.print_titles == """'承诺台账 & "2026"'!$1:$1"""
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "承诺人" and len(values) == 3
    assert values[1][5] == 'A&B <b>"引号"</b>'
    assert values[1][6] is None  # supports no organisation pledge
    assert values[1][7] == "带头学习提高、带头服务群众" and values[1][9] == "2026-03-02"  # Shanghai date
    assert values[1][12:] == (2, "良好", 88.5) and values[2][13] is None


def test_bytes_leave_before_the_last_row_is_read():
    read = []

    def rows():
        for i in range(20_000):
            read.append(i)
            yield _row(f"带头服务师生第{i}项")

    chunks = xlsx_chunks(rows(), "承诺台账", "教工第一党支部", 2026)
    next(chunks)
    assert len(read) < 20_000
    rest = b"".join(chunks)
    assert len(read) == 20_000 and rest


def test_spaces_at_either_end_of_a_text_read_back():
    rows = [_row("  带头服务师生\n每周一次  ", pledger_name=" 陈党员")]
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_chunks(rows, "承诺台账", "教工第一党支部", 2026)))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))[0]
    assert (values[0], values[5]) == (" 陈党员", "  带头服务师生\n每周一次  ")
