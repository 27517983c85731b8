"""Write the suite's default DOCX templates of the printed forms (印制表单) into gateway/src/gateway/templates.

Run after changing a form's layout: `.venv/bin/python tools/make_form_templates.py`; commit the .docx files it
writes. The fields are docxtpl's (Jinja) and must be among the form's own (gateway.domain.forms.FORM_KINDS):
the tests render every template written here. A4, with a wide left margin for the binder's holes.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parents[1] / "gateway" / "src" / "gateway" / "templates"
BODY_FONT, HEADING_FONT = "Noto Serif CJK SC", "Noto Sans CJK SC"


def _font(run, name: str, size: float | None = None, bold: bool = False) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def new_document(landscape: bool = False, binder_margin: float = 3.0) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.left_margin, section.right_margin = Cm(binder_margin), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    # Chinese text: so that the Chinese (not the Japanese) forms of the CJK fonts' glyphs are chosen
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_after = Pt(3)
    return doc


def para(doc_or_cell, text: str = "", size: float = 12, bold: bool = False, align=None, font: str = BODY_FONT,
         space_after: float | None = None, indent_first: bool = False):
    paragraph = doc_or_cell.add_paragraph()
    if text:
        _font(paragraph.add_run(text), font, size, bold)
    if align is not None:
        paragraph.alignment = align
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    if indent_first:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    return paragraph


def title(doc, text: str, size: float = 22) -> None:
    para(doc, "{{ organisation }}", 12, align=WD_ALIGN_PARAGRAPH.CENTER, font=HEADING_FONT, space_after=4)
    para(doc, text, size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=HEADING_FONT, space_after=14)


def cell_text(cell, text: str, size: float = 11, bold: bool = False, align=None) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    _font(paragraph.add_run(text), HEADING_FONT if bold else BODY_FONT, size, bold)
    if align is not None:
        paragraph.alignment = align


def grid(doc, rows: int, cols: int, widths: list[float]):
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # both the grid (which LibreOffice reads) and each cell (which Word reads)
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
    return table


def fields_table(doc, pairs: list[tuple[str, str]], widths=(2.8, 5.2, 2.8, 5.2)) -> None:
    """Label/value pairs, two to a row."""
    table = grid(doc, (len(pairs) + 1) // 2, 4, list(widths))
    for i, (label, value) in enumerate(pairs):
        row, col = divmod(i, 2)
        cell_text(table.cell(row, col * 2), label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell_text(table.cell(row, col * 2 + 1), value)
    para(doc, space_after=6)


def looped_table(doc, headings: list[str], cells: list[str], loop: str, widths: list[float],
                 left: tuple[int, ...] = (0,)) -> None:
    """A header row, then one row per item: docxtpl's {%tr %} rows around the item's row; the ``left``
    columns (text) aligned left, the others (numbers) centred."""
    table = grid(doc, 4, len(headings), widths)
    for i, heading in enumerate(headings):
        cell_text(table.cell(0, i), heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    cell_text(table.cell(1, 0), f"{{%tr for {loop} %}}")
    for i, value in enumerate(cells):
        cell_text(table.cell(2, i), value, align=None if i in left else WD_ALIGN_PARAGRAPH.CENTER)
    cell_text(table.cell(3, 0), "{%tr endfor %}")
    for row in (1, 3):  # the tag rows vanish when rendered; merged so they hold one tag each
        table.cell(row, 0).merge(table.cell(row, len(headings) - 1))
    _repeat_header(table.rows[0])
    para(doc, space_after=6)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def bullet_list(doc, heading: str, loop: str, item: str) -> None:
    para(doc, heading, 13, bold=True, font=HEADING_FONT, space_after=4)
    para(doc, f"{{%p for {loop} %}}")
    para(doc, item, indent_first=True)
    para(doc, "{%p endfor %}")


def signatures(doc, *lines: str) -> None:
    para(doc, space_after=18)
    for line in lines:
        para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=14)


def footer(doc) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(paragraph.add_run("打印日期：{{ printed_on }}"), BODY_FONT, 9)


def pledge_letter() -> Document:
    doc = new_document()
    title(doc, "承  诺  书", 26)
    fields_table(doc, [("承诺人", "{{ pledger_name }}"), ("身份", "{{ pledger_kind }}"),
                       ("所在党组织", "{{ unit_name }}"), ("承诺年度", "{{ year }}"),
                       ("承诺类型", "{{ pledge_kind }}"), ("承诺方式", "{{ mode }}"),
                       ("完成时限", "{{ due_date }}"), ("共同承诺人", "{{ participants }}")])
    para(doc, "承诺事项：{{ title }}", 14, bold=True, font=HEADING_FONT, space_after=6)
    para(doc, "{{ content }}", indent_first=True)
    para(doc, "承诺领域：{{ areas }}", space_after=6)
    bullet_list(doc, "具体目标", "target in targets", "{{ loop.index }}. {{ target }}")
    para(doc, space_after=6)
    para(doc, "以上承诺，本人（本组织）将认真践行，自觉接受党组织和党员群众的监督。", indent_first=True)
    signatures(doc, "承诺人（签字）：____________________", "年      月      日")
    footer(doc)
    return doc


def _window_person(container, name_size: float, pledge_size: float, qr_note: bool = True) -> None:
    """What a desk plate and a name card show (亮身份、亮职责、亮承诺) and the window's rating QR code."""
    para(container, "{{ identity }}", pledge_size + 2, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=HEADING_FONT,
         space_after=2)
    para(container, "{{ name }}", name_size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=HEADING_FONT,
         space_after=2)
    para(container, "{{ post }} · {{ window_name }}", pledge_size, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    para(container, "承诺：{{ pledge_title }}", pledge_size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
         font=HEADING_FONT, space_after=2)


def desk_plate() -> Document:
    """A landscape A4 insert for a window's desk-plate stand (制作承诺桌牌)."""
    doc = new_document(landscape=True, binder_margin=2.0)
    table = grid(doc, 1, 2, [17.7, 8.0])
    row = table.rows[0]
    row.height, row.height_rule = Cm(15.5), WD_ROW_HEIGHT_RULE.EXACTLY
    left, right = table.cell(0, 0), table.cell(0, 1)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.text = ""
    para(left, "{{ organisation }} · {{ unit_name }}", 14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=10)
    _window_person(left, 72, 20)
    para(left, "{{ pledge_content }}", 16, space_after=2, indent_first=True)
    para(right, "{{ qr_code }}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
    para(right, "扫码评价我的服务", 18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=HEADING_FONT)
    para(right, "{{ location }}", 12, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "承诺桌牌 · {{ pledge_year }} 年度 · 放入窗口桌牌架", 9, align=WD_ALIGN_PARAGRAPH.CENTER)
    footer(doc)
    return doc


def name_card() -> Document:
    """Eight 9 × 5.4 cm cards of one member on an A4 sheet, to cut out (印制承诺名片)."""
    doc = new_document(binder_margin=1.5)
    section = doc.sections[0]
    section.right_margin, section.top_margin = Cm(1.5), Cm(1.8)
    para(doc, "承诺名片 · {{ name }} · 沿边框裁切", 9, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    table = grid(doc, 4, 2, [9.0, 9.0])
    for row in table.rows:
        row.height, row.height_rule = Cm(5.4), WD_ROW_HEIGHT_RULE.EXACTLY
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell.text = ""
            inner = cell.add_table(rows=1, cols=2)
            inner.autofit = False
            for column, width in zip(inner.columns, (6.0, 2.8)):
                column.width = Cm(width)
            inner.cell(0, 0).width, inner.cell(0, 1).width = Cm(6.0), Cm(2.8)
            text = inner.cell(0, 0)
            text.text = ""
            _font(text.paragraphs[0].add_run("{{ organisation }}"), BODY_FONT, 7)
            _window_person(text, 18, 8)
            para(text, "{{ location }}", 7, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
            qr = inner.cell(0, 1)
            qr.text = ""
            para(qr, "{{ qr_code }}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
            para(qr, "扫码评价", 7, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    footer(doc)
    return doc


def member_review() -> Document:
    doc = new_document()
    title(doc, "党员评议表")
    fields_table(doc, [("姓名", "{{ member_name }}"), ("所在党支部", "{{ unit_name }}"),
                       ("评议年度", "{{ year }}"), ("评议期间", "{{ period }}"),
                       ("评议名称", "{{ round_title }}"), ("评议结束", "{{ closed_on }}")])
    bullet_list(doc, "评议内容（承诺目标）", "target in targets", "{{ loop.index }}. {{ target }}")
    para(doc, "各方评议结果", 13, bold=True, font=HEADING_FONT, space_after=4)
    looped_table(doc, ["评议方", "权重", "参评人数", "得分"],
                 ["{{ p.name }}", "{{ p.weight }}", "{{ p.raters }}", "{{ p.score }}"], "p in parties",
                 [4.0, 3.0, 3.0, 6.0])
    para(doc, "综合得分：{{ score }}        评议等次：{{ level }}", 13, bold=True, font=HEADING_FONT)
    para(doc, "注：为保护评议人，参评人数少于 {{ min_group }} 人的评议方不显示得分。", 10)
    signatures(doc, "党支部书记（签字）：____________________", "党支部（盖章）        年      月      日")
    footer(doc)
    return doc


def grading_application() -> Document:
    doc = new_document()
    title(doc, "基层党组织分类定级申报表")
    fields_table(doc, [("党组织名称", "{{ branch_name }}"), ("定级年度", "{{ year }}"),
                       ("自评总分", "{{ self_total }}"), ("申报等次", "{{ suggested_level }}")])
    para(doc, "自评情况（七项指标）", 13, bold=True, font=HEADING_FONT, space_after=4)
    looped_table(doc, ["指标", "权重", "自评得分", "佐证材料"],
                 ["{{ i.name }}", "{{ i.weight }}", "{{ i.score }}", "{{ i.evidence }}"], "i in indicators",
                 [3.5, 2.0, 2.5, 8.0], left=(0, 3))
    para(doc, "自评截止：{{ deadline }}", 11)
    signatures(doc, "党支部书记（签字）：____________________", "党支部（盖章）        年      月      日",
               "党总支意见：____________________________________")
    footer(doc)
    return doc


def grading_result() -> Document:
    doc = new_document()
    title(doc, "基层党组织分类定级结果")
    fields_table(doc, [("党组织名称", "{{ branch_name }}"), ("定级年度", "{{ year }}"),
                       ("综合得分", "{{ total }}"), ("定级等次", "{{ level }}"),
                       ("等次来源", "{{ level_source }}"), ("上年等次", "{{ previous_level }}"),
                       ("晋位升级", "{{ change }}"), ("评定机关", "{{ organisation }}")])
    para(doc, "三方评价", 13, bold=True, font=HEADING_FONT, space_after=4)
    looped_table(doc, ["评价方", "得分"], ["{{ p.name }}", "{{ p.score }}"], "p in parts", [8.0, 8.0])
    para(doc, "分项得分", 13, bold=True, font=HEADING_FONT, space_after=4)
    looped_table(doc, ["指标", "权重", "得分"], ["{{ i.name }}", "{{ i.weight }}", "{{ i.score }}"],
                 "i in indicators", [6.0, 4.0, 6.0])
    bullet_list(doc, "等次变更记录", "c in changes", "{{ c.at }}  {{ c.old }} → {{ c.new }}（{{ c.reason }}）")
    signatures(doc, "党委组织部（盖章）        年      月      日")
    footer(doc)
    return doc


def rectification_plan() -> Document:
    doc = new_document()
    title(doc, "基层党组织整改提高方案")
    fields_table(doc, [("党组织名称", "{{ branch_name }}"), ("定级年度", "{{ year }}"),
                       ("定级等次", "{{ level }}"), ("整改方向", "{{ emphasis }}"),
                       ("责任人", "{{ owner_name }}"), ("完成时限", "{{ deadline }}")])
    bullet_list(doc, "一、存在问题", "problem in problems", "{{ loop.index }}. {{ problem }}")
    bullet_list(doc, "二、整改措施", "measure in measures", "{{ loop.index }}. {{ measure }}")
    para(doc, "三、整改任务", 13, bold=True, font=HEADING_FONT, space_after=4)
    looped_table(doc, ["任务", "责任人", "完成时限", "进度"],
                 ["{{ t.title }}", "{{ t.owner }}", "{{ t.deadline }}", "{{ t.percent }}%"], "t in tasks",
                 [7.0, 3.0, 3.5, 2.5], left=(0,))
    signatures(doc, "党支部书记（签字）：____________________", "党支部（盖章）        年      月      日")
    footer(doc)
    return doc


TEMPLATES = {"pledge-letter": pledge_letter, "desk-plate": desk_plate, "name-card": name_card,
             "member-review": member_review, "grading-application": grading_application,
             "grading-result": grading_result, "rectification-plan": rectification_plan}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for kind, make in TEMPLATES.items():
        path = OUT / f"{kind}.docx"
        make().save(str(path))
        print(path)


if __name__ == "__main__":
    main()
