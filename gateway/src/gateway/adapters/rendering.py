"""Turning a template and a form's data into DOCX (docxtpl), PDF (LibreOffice headless) and a PNG of page 1
(poppler's pdftoppm). The PDF embeds the Chinese fonts the set-up installs (Debian's fonts-noto-cjk)."""
from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from jinja2 import TemplateError

from pacesetter_shared.i18n import _

from ..domain.forms import TemplateRefused

# docxtpl, python-docx and qrcode (with Pillow) are imported when a form is printed, not with the module: together
# about 11 MB that every gateway process would otherwise hold, printing or not (the bench's idle RSS goal).
log = logging.getLogger(__name__)
DEFAULTS = Path(__file__).resolve().parents[1] / "templates"  # gateway/templates
# Fields whose value is a picture (PNG bytes), not text.
PICTURES = ("qr_code",)
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


class ConversionFailed(Exception):
    """LibreOffice or poppler did not produce the file in time (the reason is logged)."""


def default_template(kind: str) -> bytes:
    return (DEFAULTS / f"{kind}.docx").read_bytes()


def template_fields(content: bytes) -> set[str]:
    """The names a DOCX template uses (docxtpl's undeclared variables); refused when it is no DOCX or no
    valid template."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise TemplateRefused(_("The template must be a DOCX file."), {"file": [_("not a DOCX file")]})
    from docxtpl import DocxTemplate

    try:
        return set(DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables())
    except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateRefused(_("The template cannot be read: {reason}.", reason=str(exc)),
                              {"file": [_("not a valid template")]}) from None


def qr_png(url: str) -> bytes:
    import qrcode

    image = qrcode.make(url, border=2, box_size=10)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def render_docx(template: bytes, context: dict, picture_cm: float = 4.5) -> bytes:
    from docx.shared import Cm
    from docxtpl import DocxTemplate, InlineImage

    document = DocxTemplate(io.BytesIO(template))
    values = dict(context)
    for name in PICTURES:
        if isinstance(values.get(name), bytes):
            values[name] = InlineImage(document, io.BytesIO(values[name]), width=Cm(picture_cm))
    document.render(values, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_to_pdf(docx: bytes, timeout: float = 60) -> bytes:
    """One LibreOffice per conversion, each with a profile of its own, so conversions run side by side
    (two sharing a profile wait on its lock, or one fails)."""
    with tempfile.TemporaryDirectory(prefix="pacesetter-form-") as work:
        folder = Path(work)
        source = folder / "form.docx"
        source.write_bytes(docx)
        argv = [SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore",
                "--nologo", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder), str(source)]
        _run(argv, timeout)
        target = folder / "form.pdf"
        if not target.exists():
            log.error("LibreOffice wrote no PDF")
            raise ConversionFailed(_("The form could not be converted; try again, or take the DOCX."))
        return target.read_bytes()


def docx_to_pdfs(documents: list[bytes], timeout: float = 300) -> list[bytes]:
    """Many DOCX in one LibreOffice run (its start-up is most of a single conversion's time), in their order."""
    with tempfile.TemporaryDirectory(prefix="pacesetter-forms-") as work:
        folder = Path(work)
        sources = []
        for number, docx in enumerate(documents):
            source = folder / f"form-{number:04d}.docx"
            source.write_bytes(docx)
            sources.append(source)
        argv = [SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore",
                "--nologo", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder), *map(str, sources)]
        _run(argv, timeout)
        pdfs = [source.with_suffix(".pdf") for source in sources]
        if not all(pdf.exists() for pdf in pdfs):
            log.error("LibreOffice wrote %d of %d PDFs", sum(p.exists() for p in pdfs), len(pdfs))
            raise ConversionFailed(_("The form could not be converted; try again, or take the DOCX."))
        return [pdf.read_bytes() for pdf in pdfs]


def pdf_first_page_png(pdf: bytes, dpi: int = 80, timeout: float = 30) -> bytes:
    with tempfile.TemporaryDirectory(prefix="pacesetter-preview-") as work:
        folder = Path(work)
        (folder / "form.pdf").write_bytes(pdf)
        _run([PDFTOPPM, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(folder / "form.pdf"),
              str(folder / "page")], timeout)
        return (folder / "page.png").read_bytes()


def _run(argv: list[str], timeout: float) -> None:
    try:
        subprocess.run(argv, check=True, timeout=timeout, capture_output=True, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        log.error("%s took longer than %g s", Path(argv[0]).name, timeout)
        raise ConversionFailed(_("The form could not be converted in time; try again, or take the DOCX.")) from None
    except (subprocess.CalledProcessError, OSError) as exc:
        log.error("%s failed: %s %s", Path(argv[0]).name, exc, getattr(exc, "stderr", b"")[-500:])
        raise ConversionFailed(_("The form could not be converted; try again, or take the DOCX.")) from None
