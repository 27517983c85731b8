"""The printed forms through the gateway (issue 21), every service its own process: each form composed from the
services' data as the caller sees it, as DOCX (read back with python-docx) and as PDF (pdftotext; A4, Chinese fonts
embedded; page 1 kept under artifacts/forms/); the organisation's templates uploaded, refused, previewed, activated."""
from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from docx import Document

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.forms import assert_printable, docx_text, keep_first_page, pdf_text
from tests.support.http import Api, Response
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

FORMS_YEAR = 2047  # the grading cycle of these tests (other tests grade years of their own)
INDICATORS = ["leader", "work_plan", "rules", "venue", "support", "performance", "masses"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _api(suite, user: str, language: str | None = None) -> Api:
    return Api(suite.gateway, language=language).login(user, DEMO_PASSWORD)


def _form(api: Api, kind: str, fmt: str, **ids) -> Response:
    query = urllib.parse.urlencode({**{k: str(v) for k, v in ids.items()}, "format": fmt})
    return api.get(f"/api/forms/{kind}?{query}")


def _upload(api: Api, kind: str, content: bytes) -> Response:
    request = urllib.request.Request(f"{api.base}/api/forms/templates/{kind}/versions", data=content, method="POST",
                                     headers={"Authorization": f"Bearer {api.token}", "Content-Type": DOCX,
                                              **({"Accept-Language": api.language} if api.language else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Response(response.status, response.read(), response.headers)
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.read(), exc.headers)


def _both(api: Api, kind: str, expected: list[str], artifact: str, **ids) -> tuple[str, str]:
    """The form as DOCX and PDF: both hold every expected text; the PDF is printable; page 1 kept."""
    docx = _form(api, kind, "docx", **ids)
    assert docx.status == 200, docx.json
    assert docx.headers["Content-Type"] == DOCX
    text = docx_text(docx.body)
    pdf = _form(api, kind, "pdf", **ids)
    assert pdf.status == 200, pdf.json
    assert pdf.headers["Content-Type"] == "application/pdf"
    disposition = pdf.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert urllib.parse.unquote(disposition.split("UTF-8''")[1]).endswith(".pdf")
    assert_printable(pdf.body)
    printed = "".join(pdf_text(pdf.body).split())
    for words in expected:
        assert words in text, (kind, words)
        assert "".join(words.split()) in printed, (kind, words)
    keep_first_page(pdf.body, artifact)
    return text, urllib.parse.unquote(disposition.split("UTF-8''")[1])


def test_a_members_pledge_letter_as_docx_and_pdf_and_only_to_who_may_see_the_pledge(suite):
    member = _api(suite, "liuwei")
    title = f"带头开展志愿服务 {uuid.uuid4().hex[:4]}"
    made = member.post("/api/pledges", {"kind": "instant", "trigger": "temporary_task", "title": title,
                                        "content": "组织党员志愿者参加迎新服务，全程引导新生报到。",
                                        "targets": ["引导新生三百人次"], "areas": ["serving_masses"],
                                        "due_date": f"{datetime.now().year + 1}-03-31"})
    assert made.status == 201, made.json
    text, filename = _both(member, "pledge-letter", ["承  诺  书", "刘伟", title, "引导新生三百人次", "带头服务群众",
                                                     "即时承诺", "中共示范大学委员会"],
                           "pledge-letter", pledge_id=made.json["id"])
    assert filename == "承诺书-刘伟.pdf"
    assert "承诺人（签字）" in text
    # a draft is its pledger's alone: another member is told there is no such pledge, as the pledge API says
    other = _form(_api(suite, "zhaomin"), "pledge-letter", "pdf", pledge_id=made.json["id"])
    assert other.status == 404 and other.json["error"]["code"] == "not_found"


def test_desk_plate_and_name_card_of_a_member_on_duty_with_the_windows_rating_qr_code(suite):
    org, reviewer, member = _api(suite, "zuzhibu"), _api(suite, "zongzhi"), _api(suite, "zhaomin")
    window = org.post("/api/directory/windows", {
        "name": f"学生事务服务窗口 {uuid.uuid4().hex[:4]}", "kind": "vanguard_post", "location": "行政楼一楼 105 室",
        "unit_id": str(_id("br-teachers")), "on_duty_ids": [str(_id("zhaomin"))]}).json
    link = wait_for(lambda: (r := org.get(f"/api/ratings/windows/{window['id']}/link")).status == 200 and r.json,
                    timeout=30, message="evaluation-service to know the window")
    title = f"办事不过夜，服务零差错 {uuid.uuid4().hex[:4]}"
    pledged = member.post("/api/pledges", {"kind": "annual", "areas": ["serving_masses"], "submit": True,
                                           "title": title, "due_date": f"{datetime.now().year}-12-31"})
    if pledged.status == 201:
        for action in ("approve", "publish"):
            assert reviewer.post(f"/api/pledges/{pledged.json['id']}/{action}").status == 200
    # the member's public annual pledge of the year, whichever it is (one a year: another test may have made it)
    ledger = org.get(f"/api/pledges/ledger?unit_id={_id('br-teachers')}&year={datetime.now().year}&kind=annual"
                     f"&pledger_id={_id('zhaomin')}&state=published").json["items"]
    assert ledger, "zhaomin has a published annual pledge"
    shown = ledger[0]["title"]
    ids = {"window_id": window["id"], "person_id": _id("zhaomin")}
    plate, _name = _both(org, "desk-plate", ["中共预备党员", "赵敏", "党员先锋岗", shown, "扫码评价我的服务"],
                         "desk-plate", **ids)
    card, _name = _both(org, "name-card", ["中共预备党员", "赵敏", "党员先锋岗", shown, "扫码评价"], "name-card", **ids)
    assert card.count("赵敏") >= 8  # a sheet of cards to cut out
    # the QR code is drawn as a picture, not printed as text
    document = Document(io.BytesIO(_form(org, "desk-plate", "docx", **ids).body))
    assert document.inline_shapes and link["url"] not in plate
    # the window's rating link is not the member's to print, so neither are its plate and card (evaluation's rule)
    refused = _form(member, "desk-plate", "pdf", **ids)
    assert refused.status in (403, 404), refused.json
    # someone not on duty there has no plate of it
    stranger = _form(org, "name-card", "pdf", window_id=window["id"], person_id=_id("liuwei"))
    assert stranger.status == 409 and "person_id" in stranger.json["error"]["details"]


def test_a_members_evaluation_form_shows_the_parties_as_the_api_and_never_below_the_anonymity_threshold(suite):
    org, member, peer, leader = (_api(suite, u) for u in ("zuzhibu", "dangyuan", "liuwei", "zongzhi"))
    round_ = org.post("/api/evaluations/rounds", {
        "target_kind": "member_year", "target_id": str(_id("dangyuan")), "unit_id": str(_id("br-teachers")),
        "subject_person_id": str(_id("dangyuan")), "year": FORMS_YEAR, "title": "评议表测试",
        "targets": ["全年为学生答疑六十次"], "weights": {"self": 30, "peer": 40, "leader": 30},
        "peer_ids": [str(_id("liuwei"))], "leader_ids": [str(_id("zongzhi"))],
        "deadline": (datetime.now(timezone.utc) + timedelta(days=7)).isoformat()})
    assert round_.status == 201, round_.json
    round_id = round_.json["id"]
    open_form = _form(member, "member-review", "pdf", round_id=round_id)
    assert open_form.status == 409 and open_form.json["error"]["code"] == "conflict"
    for api, party, rating in ((member, "self", "excellent"), (peer, "peer", "good"), (leader, "leader", "excellent")):
        body = {"party": party, "rating": rating}
        if party == "self":
            body["target_reports"] = [{"target": "全年为学生答疑六十次", "done": "已答疑六十二次"}]
        if party == "leader":
            body["mode"] = "individual"
        rated = api.post(f"/api/evaluations/rounds/{round_id}/ratings", body)
        assert rated.status == 201, rated.json
    shown = wait_for(lambda: (r := member.get(f"/api/evaluations/rounds/{round_id}").json)["state"] == "completed" and r,
                     timeout=30, message="the round closed")
    parties = {p["party"]: p for p in shown["breakdown"]}
    assert parties["peer"]["score"] is None  # one peer: too few to show without exposing them
    text, filename = _both(member, "member-review", ["党员评议表", "陈党员", "个人自评", "领导点评", "党员互评",
                                                     "参评人数不足", "评议表测试"], "member-review", round_id=round_id)
    assert filename == "党员评议表-陈党员.pdf"
    for party in ("self", "leader"):
        assert f"{parties[party]['score']:.1f}" in text
    assert f"{shown['score']:.1f}" in text
    # the peer took part but sees no result, so prints none; another member is told there is no such round
    assert _form(peer, "member-review", "pdf", round_id=round_id).status == 409
    other = _form(_api(suite, "zhaomin"), "member-review", "pdf", round_id=round_id)
    assert other.status == 404 and other.json["error"]["code"] == "not_found"
    # and the ids a form needs are named when missing
    missing = _form(member, "member-review", "pdf")
    assert missing.status == 422 and "round_id" in missing.json["error"]["details"]

    # the branch's year's archive, asked by the general branch's secretary (who sees members' results), files the
    # member's 评议表 of that year's round
    secretary = leader
    asked = secretary.post("/api/forms/archives", {"unit_id": str(_id("br-teachers")), "year": FORMS_YEAR})
    assert asked.status == 202, asked.json
    ready = wait_for(lambda: (r := secretary.get(f"/api/forms/archives/{asked.json['id']}").json)["state"]
                     in ("ready", "failed") and r, timeout=240, message="the archive")
    assert ready["state"] == "ready", ready.get("error")
    archive = zipfile.ZipFile(io.BytesIO(secretary.get(f"/api/forms/archives/{asked.json['id']}/file").body))
    reviews = [n for n in archive.namelist() if n.startswith("03-党员评议表/") and "陈党员-年度评议" in n]
    assert len(reviews) == 1, archive.read("00-目录.csv").decode("utf-8-sig")
    assert "评议表测试" in pdf_text(archive.read(reviews[0]))


def test_grading_application_result_and_rectification_plan_of_a_branch(suite):
    org, secretary, superior = (_api(suite, u) for u in ("zuzhibu", "zhishu", "zongzhi"))
    body = {"year": FORMS_YEAR, "advanced_cap_percent": 34, "self_assessment_deadline": f"{FORMS_YEAR}-12-31",
            "branch_ids": [str(_id(k)) for k in ("br-teachers", "br-students", "br-affairs")], "publicity_days": 0}
    cycle = wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(org.post("/api/grading/cycles", body)),
                     timeout=60, message="the cycle opened")
    branch = _id("br-teachers")
    url = f"/api/grading/cycles/{cycle['id']}/branches/{branch}"
    scores = {"scores": [{"indicator": c, "score": 88, "evidence": f"支部会议记录 {c}"} for c in INDICATORS]}
    assert secretary.request("PUT", f"{url}/self-assessment", scores).status == 200
    ids = {"cycle_id": cycle["id"], "branch_id": branch}
    _both(secretary, "grading-application", ["分类定级申报表", "教育学院教工第一党支部", "党组织带头人", "群众评价",
                                             "支部会议记录 leader", "88.0", str(FORMS_YEAR)],
          "grading-application", **ids)
    no_level = _form(secretary, "grading-result", "pdf", **ids)
    assert no_level.status == 409 and "branch_id" in no_level.json["error"]["details"]
    for key, who in (("br-teachers", superior), ("br-students", superior), ("br-affairs", _api(suite, "jiguan"))):
        level = {"br-teachers": "ordinary", "br-students": "advanced", "br-affairs": "lagging"}[key]
        assert who.post(f"/api/grading/cycles/{cycle['id']}/branches/{_id(key)}/level",
                        {"action": "override", "level": level, "reason": "综合研判"}).status == 200
    for step in ("publish", "finalise"):
        assert org.post(f"/api/grading/cycles/{cycle['id']}/{step}").status == 200
    _both(org, "grading-result", ["分类定级结果", "教育学院教工第一党支部", "一般", "上级调整", "综合研判"],
          "grading-result", **ids)
    plan = secretary.post(f"{url}/rectification", {
        "problems": ["组织生活不够规范"], "measures": ["严格落实三会一课"], "owner_id": str(_id("zhishu")),
        "deadline": f"{FORMS_YEAR + 1}-06-30", "tasks": [{"title": "制定三会一课计划", "deadline": f"{FORMS_YEAR + 1}-01-31",
                                                          "owner_id": str(_id("liuwei"))}]})
    assert plan.status == 201, plan.json
    _both(secretary, "rectification-plan", ["整改提高方案", "组织生活不够规范", "严格落实三会一课", "制定三会一课计划",
                                            "张支书", "刘伟"], "rectification-plan", **ids)
    # a member sees no branch's grading, and prints none of it
    assert _form(_api(suite, "dangyuan"), "grading-result", "pdf", **ids).status in (403, 404)


def test_templates_uploaded_refused_with_the_field_named_previewed_activated_and_reverted(suite):
    org, org_en = _api(suite, "zuzhibu"), _api(suite, "zuzhibu", language="en")
    kinds = {k["code"]: k for k in org.get("/api/forms/kinds").json["items"]}
    assert set(kinds) == {"pledge-letter", "desk-plate", "name-card", "member-review", "grading-application",
                          "grading-result", "rectification-plan"}
    assert "pledger_name" in kinds["pledge-letter"]["fields"]
    default = org.get("/api/forms/templates/pledge-letter/versions/0/file")
    assert default.status == 200 and default.headers["Content-Type"] == DOCX

    document = Document(io.BytesIO(default.body))
    document.add_paragraph("{{ pledger_salary }}")
    bad = io.BytesIO()
    document.save(bad)
    for api, words in ((org, "模板使用了承诺书没有的字段：pledger_salary"), (org_en, "pledger_salary")):
        refused = _upload(api, "pledge-letter", bad.getvalue())
        assert refused.status == 422 and refused.json["error"]["code"] == "validation_error"
        assert words in refused.json["error"]["message"], refused.json
        assert "pledger_salary" in str(refused.json["error"]["details"]["file"])
    assert "pledge letter" in _upload(org_en, "pledge-letter", bad.getvalue()).json["error"]["message"]
    assert _upload(org, "pledge-letter", b"plain text").status == 422

    marker = f"本单位承诺书 {uuid.uuid4().hex[:6]}"
    document = Document(io.BytesIO(default.body))
    document.paragraphs[0].text = marker + " {{ organisation }}"
    good = io.BytesIO()
    document.save(good)
    uploaded = _upload(org, "pledge-letter", good.getvalue())
    assert uploaded.status == 201, uploaded.json
    version = uploaded.json["version"]
    assert uploaded.json["active"] is False
    assert _upload(_api(suite, "zhishu"), "pledge-letter", good.getvalue()).status == 403
    preview = org.get(f"/api/forms/templates/pledge-letter/versions/{version}/preview")
    assert preview.status == 200 and preview.body[:8] == b"\x89PNG\r\n\x1a\n"
    listed = org.get("/api/forms/templates/pledge-letter/versions").json
    assert listed["items"][0]["version"] == version and listed["total"] >= 1

    member = _api(suite, "liuwei")
    made = member.post("/api/pledges", {"kind": "instant", "trigger": "phase_work", "title": "模板测试承诺",
                                        "areas": ["study"], "due_date": f"{datetime.now().year + 1}-01-31"}).json
    before = docx_text(_form(member, "pledge-letter", "docx", pledge_id=made["id"]).body)
    assert marker not in before
    activated = org.post(f"/api/forms/templates/pledge-letter/versions/{version}/activate")
    assert activated.status == 200 and activated.json["active_version"] == version
    assert marker in docx_text(_form(member, "pledge-letter", "docx", pledge_id=made["id"]).body)
    reverted = org.post("/api/forms/templates/pledge-letter/versions/0/activate")
    assert reverted.status == 200 and reverted.json["active_version"] == 0
    assert marker not in docx_text(_form(member, "pledge-letter", "docx", pledge_id=made["id"]).body)
    assert org.post("/api/forms/templates/pledge-letter/versions/999/activate").status == 404
    assert member.get("/api/forms/kinds").status == 403


def test_the_forms_are_in_the_combined_openapi_document(suite):
    spec = Api(suite.gateway).get("/api/openapi.json").json
    assert "/api/forms/{kind}" in spec["paths"]
    parameters = {p["name"] for p in spec["paths"]["/api/forms/{kind}"]["get"]["parameters"]}
    assert {"format", "pledge_id", "round_id", "window_id", "person_id", "cycle_id", "branch_id"} <= parameters
    assert {"/api/forms/archives", "/api/forms/archives/{archive_id}/file",
            "/api/forms/templates/{kind}/versions/{version}/preview"} <= set(spec["paths"])
