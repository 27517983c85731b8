"""The ledger's CSV joins each row's fields itself (the csv module's writer was a third of the CPU of a million
rows): what it writes is what that writer writes, for texts with commas, quotes, line breaks, formulas and spaces."""
from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, timezone

from pledge_service.adapters.ledger_export import COLUMNS, csv_chunks, ledger_cells
from pacesetter_shared.exports import csv_cell

LETTERS = ['a', '承', ',', '"', '\n', '\r', ' ', '=', '+', '-', '@', '\t', "'", ';', '\\']


def _text(draw: random.Random) -> str:
    return "".join(draw.choice(LETTERS) for _ in range(draw.randint(0, 6)))


def _rows(seed: int) -> list[dict]:
    draw = random.Random(seed)
    return [{"pledger_name": _text(draw), "unit_name": _text(draw), "pledger_kind": draw.choice(("member", "unit")),
             "kind": "annual", "mode": "individual", "title": _text(draw), "linked_title": draw.choice((None, _text(draw))),
             "areas": draw.choice(('["study"]', '[]', ["serving_masses", "study"])), "state": "closed",
             "created_at": draw.choice((date(2026, 3, 2), datetime(2026, 3, 1, 17, tzinfo=timezone.utc))),
             "due_date": date(2026, 12, 31), "fulfilled_at": draw.choice((None, date(2026, 12, 1))),
             "progress_count": draw.randint(0, 3), "evaluation_level": draw.choice((None, "good")),
             "evaluation_score": draw.choice((None, 0.0, 88.5, 90.0))} for _ in range(300)]


def test_the_csv_is_what_the_csv_modules_writer_writes():
    for seed in range(5):
        rows = _rows(seed)
        expected = io.StringIO()
        expected.write("\ufeff")
        writer = csv.writer(expected)
        writer.writerow([heading for heading, _ in COLUMNS])
        cells = ledger_cells(lambda _column, value: csv_cell(value))
        for row in rows:
            writer.writerow(cells(row))
        written = b"".join(csv_chunks(rows)).decode("utf-8")
        assert written == expected.getvalue()
        # and it reads back as those cells, the tricky texts included
        back = list(csv.reader(io.StringIO(written.lstrip("\ufeff"))))[1:]
        assert [r[5] for r in back] == [csv_cell(row["title"]) for row in rows]
