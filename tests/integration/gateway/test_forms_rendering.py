"""Every default template of the printed forms (issue 21) renders with data: DOCX read back with python-docx, PDF
(LibreOffice) read back with pdftotext, A4 with the Chinese fonts embedded, page 1 kept as PNG; several
conversions at once, each with its own LibreOffice profile."""
from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from docx import Document

from gateway.adapters import rendering
from gateway.domain.forms import FORM_KINDS, TemplateRefused, check_template
from gateway.domain.form_samples import SAMPLES
from tests.support.forms import assert_printable, docx_text, keep_first_page, pdf_text

# What each form must print, from its sample data
EXPECTED = {
    "pledge-letter": ["承  诺  书", "陈党员", "每周为学生答疑两次", "全年答疑不少于六十次", "带头", "承诺人（签字）"],
    "desk-plate": ["中共党员", "陈党员", "党员先锋岗", "办事不过夜，服务零差错", "扫码评价我的服务"],
    "name-card": ["中共党员", "陈党员", "党员先锋岗", "办事不过夜，服务零差错", "扫码评价"],
    "member-review": ["党员评议表", "陈党员", "党员互评", "86.5", "参评人数不足", "89.1", "优秀"],
    "grading-application": ["分类定级申报表", "教育学院教工第一党支部", "党组织带头人", "群众评价", "支部会议记录", "先进"],
    "grading-result": ["分类定级结果", "教育学院教工第一党支部", "上级党组织评定", "86.4", "先进", "晋位"],
    "rectification-plan": ["整改提高方案", "组织生活形式单一", "设立党员先锋岗并公开承诺", "制定主题党日年度计划", "张支书"],
}


def _context(kind: str) -> dict:
    context = SAMPLES[kind] | {"organisation": "中共示范大学委员会", "printed_on": "2026年12月5日"}
    if "rating_url" in context:
        context["qr_code"] = rendering.qr_png(context["rating_url"])
    return context


def _compact(text: str) -> str:
    # pdftotext spaces Chinese words apart where a line is justified; 承  诺  书 keeps its own spaces in the DOCX
    return "".join(text.split())


@pytest.mark.parametrize("kind", list(FORM_KINDS))
def test_every_default_template_renders_with_data_to_docx_and_an_a4_pdf(kind):
    template = rendering.default_template(kind)
    check_template(FORM_KINDS[kind], rendering.template_fields(template))  # the shipped one uses known fields only
    docx = rendering.render_docx(template, _context(kind), FORM_KINDS[kind].picture_cm)
    text = docx_text(docx)
    assert "{{" not in text and "{%" not in text
    for words in EXPECTED[kind]:
        assert words in text, (kind, words)
    section = Document(io.BytesIO(docx)).sections[0]
    # the forms filed in a binder leave room for its holes; plates and cards are cut out, not filed
    assert section.left_margin.cm >= (1.4 if kind in ("desk-plate", "name-card") else 2.5)
    pdf = rendering.docx_to_pdf(docx)
    assert_printable(pdf)
    printed = _compact(pdf_text(pdf))
    for words in EXPECTED[kind]:
        assert _compact(words) in printed, (kind, words)
    keep_first_page(pdf, f"sample-{kind}")


def test_a_page_one_preview_is_a_png():
    pdf = rendering.docx_to_pdf(rendering.render_docx(rendering.default_template("member-review"),
                                                      _context("member-review")))
    assert rendering.pdf_first_page_png(pdf)[:8] == b"\x89PNG\r\n\x1a\n"


def test_conversions_run_side_by_side_each_with_its_own_profile():
    docx = rendering.render_docx(rendering.default_template("pledge-letter"), _context("pledge-letter"))
    with ThreadPoolExecutor(3) as pool:
        pdfs = list(pool.map(lambda _i: rendering.docx_to_pdf(docx), range(3)))
    for pdf in pdfs:
        assert "陈党员" in pdf_text(pdf)


def test_a_template_with_an_unknown_field_is_refused_naming_it():
    template = rendering.default_template("pledge-letter")
    document = Document(io.BytesIO(template))
    document.add_paragraph("{{ salary }} {{ pledger_name }}")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(TemplateRefused) as refused:
        check_template(FORM_KINDS["pledge-letter"], rendering.template_fields(out.getvalue()))
    assert "salary" in str(refused.value) and "pledger_name" not in str(refused.value)
    with pytest.raises(TemplateRefused):
        rendering.template_fields(b"not a docx at all")
