"""Reading a printed form back (issue 21): its DOCX with python-docx, its PDF with poppler (text, fonts, page 1 as
PNG), the PNG kept under artifacts/forms/ to be looked at."""
from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from docx import Document

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "forms"
A4_POINTS = {(595, 842), (842, 595)}


def docx_text(content: bytes) -> str:
    """Every paragraph's text, the tables' cells (nested ones too) and the footers'."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)
    cells(document.tables)
    for section in document.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run([tool, *args, file.name, *(["-"] if tool == "pdftotext" else [])], check=True,
                              capture_output=True, text=True, timeout=60).stdout


def pdf_text(pdf: bytes) -> str:
    return _poppler("pdftotext", pdf, "-layout")


def pdf_pages(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's size in points, rounded."""
    info = _poppler("pdfinfo", pdf, "-l", "100")
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            width, _x, height = line.split("size:")[1].split()[:3]
            sizes.append((round(float(width)), round(float(height))))
    return sizes


def assert_printable(pdf: bytes, pages: int = 1) -> None:
    """A4 pages, every font embedded, a Chinese one among them (the set-up's fonts-noto-cjk)."""
    assert pdf[:5] == b"%PDF-"
    sizes = pdf_pages(pdf)
    assert len(sizes) == pages and set(sizes) <= A4_POINTS, sizes
    fonts = _poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    assert any("CJK" in line for line in fonts), fonts


def keep_first_page(pdf: bytes, name: str) -> Path:
    """Page 1 as PNG under artifacts/forms/, to be looked at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "form.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source),
                        str(target.with_suffix(""))], check=True, timeout=60)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return target
