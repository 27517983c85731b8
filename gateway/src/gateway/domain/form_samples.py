"""Sample data for each form, to preview a template before it is used (and to test every default template)."""
from __future__ import annotations

_PARTIES = [{"name": "个人自评", "weight": "20%", "raters": 1, "score": "90.0"},
            {"name": "党员互评", "weight": "30%", "raters": 5, "score": "86.5"},
            {"name": "群众评议", "weight": "30%", "raters": "—", "score": "参评人数不足，不予显示"},
            {"name": "领导点评", "weight": "20%", "raters": 1, "score": "92.0"}]
_INDICATORS = [("党组织带头人", "15%"), ("工作思路", "15%"), ("工作制度", "15%"), ("活动阵地", "10%"),
               ("保障机制", "10%"), ("工作业绩", "20%"), ("群众评价", "15%")]
_WINDOW_PERSON = {
    "name": "陈党员", "identity": "中共党员", "post": "党员先锋岗", "unit_name": "教务处党支部",
    "window_name": "学生事务服务窗口", "location": "行政楼一楼 105 室", "pledge_title": "办事不过夜，服务零差错",
    "pledge_content": "当天受理的学生事务当天办结；一次告知办理所需材料；对群众意见三日内答复。", "pledge_year": 2026,
    "rating_url": "https://pacesetter.example.edu.cn/rate/00000000-0000-0000-0000-000000000000?t=sample",
}

SAMPLES: dict[str, dict] = {
    "pledge-letter": {
        "pledger_name": "陈党员", "pledger_kind": "共产党员", "unit_name": "教育学院教工第一党支部", "year": 2026,
        "pledge_kind": "年度承诺", "mode": "党员个人承诺", "title": "每周为学生答疑两次",
        "content": "每周二、周四下午在学院办公室为学生答疑解惑，全年不少于六十次，并记录答疑情况。",
        "targets": ["全年答疑不少于六十次", "指导本科生论文五篇"], "areas": "带头学习提高、带头服务群众",
        "due_date": "2026年12月31日", "participants": "—"},
    "desk-plate": _WINDOW_PERSON,
    "name-card": _WINDOW_PERSON,
    "member-review": {
        "member_name": "陈党员", "unit_name": "教育学院教工第一党支部", "year": 2026, "period": "2026",
        "round_title": "2026 年度党员评议", "targets": ["全年答疑不少于六十次", "指导本科生论文五篇"],
        "parties": _PARTIES, "score": "89.1", "level": "优秀", "min_group": 3, "closed_on": "2026年12月20日"},
    "grading-application": {
        "branch_name": "教育学院教工第一党支部", "year": 2026, "self_total": "88.0", "suggested_level": "先进",
        "deadline": "2026年12月15日",
        "indicators": [{"name": n, "weight": w, "score": "88.0", "evidence": "支部会议记录、活动台账"} for n, w in _INDICATORS]},
    "grading-result": {
        "branch_name": "教育学院教工第一党支部", "year": 2026, "total": "86.4", "level": "先进", "level_source": "按得分确认",
        "previous_level": "一般", "change": "晋位",
        "parts": [{"name": "基层党组织自评", "score": "88.0"}, {"name": "党员群众评议", "score": "85.2"},
                  {"name": "上级党组织评定", "score": "86.0"}],
        "indicators": [{"name": n, "weight": w, "score": "86.4"} for n, w in _INDICATORS],
        "changes": [{"at": "2026年12月18日", "what": "level", "old": "—", "new": "先进", "reason": "按得分确认"}]},
    "rectification-plan": {
        "branch_name": "教育学院教工第一党支部", "year": 2026, "level": "一般", "emphasis": "推动提升",
        "problems": ["组织生活形式单一", "党员示范作用发挥不充分"],
        "measures": ["每季度开展一次主题党日活动", "设立党员先锋岗并公开承诺"], "owner_name": "张支书",
        "deadline": "2027年6月30日",
        "tasks": [{"title": "制定主题党日年度计划", "owner": "张支书", "deadline": "2027年1月31日", "percent": 0},
                  {"title": "设立两个党员先锋岗", "owner": "刘伟", "deadline": "2027年3月31日", "percent": 0}]},
}
