"""Each figure's history: every full ``make bench`` run appends its table to bench/results/history.md, each
figure beside its values in the last runs at the same scale, so that a regression shows as a row against them."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

HISTORY = Path(__file__).resolve().parent / "results" / "history.md"
LAST = 3  # earlier values shown beside each figure
HEADING = ("# make bench — history\n\nEvery full run (`make bench`, `--scale campus` or `--scale system`) appends its "
           "table below, newest last; \"last runs\" are the same figure's values in the latest earlier runs of that "
           "scale, newest first. The machine is shared: compare the ratios and the load average too.\n")
COLUMNS = "| scenario | figure | value | ratio | growth | goal | met | last runs |"


def earlier(text: str) -> dict[tuple[str, str, str], list[str]]:
    """(scale, scenario, figure) → its values in the runs written so far, newest first."""
    found: dict[tuple[str, str, str], list[str]] = {}
    scale = None
    for line in text.splitlines():
        if line.startswith("## "):
            scale = line.partition(" — ")[2].split(",")[0].strip()
        elif line.startswith("| ") and scale and not line.startswith(("| scenario", "|---")):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            found.setdefault((scale, cells[0], cells[1]), []).insert(0, cells[2])
    return found


def append(rows: list[dict], scale: str, started: datetime, minutes: float, load: list[float], fmt,
           path: Path = HISTORY) -> str:
    """Appends this run's table; returns it. ``fmt`` formats a number as the run's report does."""
    text = path.read_text() if path.exists() else HEADING
    before = earlier(text)
    lines = ["", f"## {started:%Y-%m-%d %H:%M} UTC — {scale}, {minutes:.1f} min, load average at start "
             f"{', '.join(map(str, load))}", "", COLUMNS, "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        met = "met" if row["met"] else "**missed**" if row["met"] is not None else "—"
        last = before.get((scale, row["scenario"], row["figure"]), [])[:LAST]
        lines.append(f"| {row['scenario']} | {row['figure']} | {fmt(row['value'])} | {fmt(row['ratio'], 2)} | "
                     f"{growth(row)} | {row['goal']} | {met} | {' · '.join(last) or '—'} |")
    table = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n" + table)
    return table


def growth(row: dict) -> str:
    """How a figure grew with the volume (data, or events/s): ×10 volume → ×3.2."""
    if not row.get("growth") or row.get("ratio") is None:
        return ""
    return f"×{row['growth']:g} volume → ×{row['ratio']:.2f}"
