"""The printed forms' rules (gateway/domain/forms.py): what a template may use, what a 党员评议表 shows of each
party, when a round's form may be printed, and how a form's file is named."""
from __future__ import annotations

from urllib.parse import unquote

import pytest

from gateway.domain.forms import (
    COMMON_FIELDS, FORM_KINDS, TOO_FEW, NotPrintable, TemplateRefused, check_review_printable, check_template,
    content_disposition, identity_label, party_rows,
)
from pacesetter_shared.i18n import translate


def test_a_template_may_use_its_forms_fields_and_the_common_ones_only():
    kind = FORM_KINDS["member-review"]
    check_template(kind, {"member_name", "parties", *COMMON_FIELDS})
    with pytest.raises(TemplateRefused) as refused:
        check_template(kind, {"member_name", "salary", "bonus"})
    assert refused.value.details == {"file": ["unknown field bonus", "unknown field salary"]}
    assert translate(refused.value.args[0], "zh-CN") == "模板使用了党员评议表没有的字段：bonus, salary。"
    assert translate(refused.value.args[0], "en") == \
        "The template uses fields the member evaluation form does not have: bonus, salary."
    # a desk plate's fields are not a pledge letter's
    assert FORM_KINDS["pledge-letter"].unknown_fields({"qr_code"}) == ["qr_code"]


def test_a_party_without_enough_raters_has_no_score_on_the_form_either():
    rows = party_rows([{"party": "self", "weight": 30.0, "raters": 1, "score": 95.0},
                       {"party": "masses", "weight": 40.0, "raters": 2, "score": None}])
    assert rows[0] == {"name": "个人自评", "weight": "30%", "raters": 1, "score": "95.0"}
    assert rows[1] == {"name": "群众评议", "weight": "40%", "raters": "—", "score": TOO_FEW}


@pytest.mark.parametrize("round_, reason", [
    ({"state": "open", "breakdown": None}, "still open"),
    ({"state": "incomplete", "breakdown": None}, "no result"),
    ({"state": "completed", "breakdown": None}, "result not yours to see"),
])
def test_an_evaluation_form_is_printed_from_a_completed_round_whose_result_the_caller_sees(round_, reason):
    with pytest.raises(NotPrintable) as refused:
        check_review_printable(round_)
    assert refused.value.details == {"round_id": [reason]}
    check_review_printable({"state": "completed", "breakdown": []})


def test_the_file_is_named_in_chinese_the_rfc_5987_way_with_an_ascii_stand_in():
    header = content_disposition(FORM_KINDS["name-card"], "赵敏", "pdf")
    assert header.startswith('attachment; filename="name-card.pdf"; ')
    assert unquote(header.split("UTF-8''")[1]) == "承诺名片-赵敏.pdf"


def test_a_member_is_shown_as_a_full_or_probationary_party_member():
    assert identity_label("full") == "中共党员"
    assert identity_label("probationary") == "中共预备党员"
