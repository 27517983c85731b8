"""The codes the events carry and, for those the services show, their words in zh and en: one table that every
service shows them from (a notice, an export, a printed form, an API's label), so that 优秀 is never 优 in one place
and 优秀 in another. Plain Python, so that a domain module may use them (the event schemas beside it are marshmallow).

English is written as inside a sentence ("very satisfied"); ``Words.title`` starts one ("Very satisfied").
"""
from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    zh: str
    en: str

    @property
    def title(self) -> str:
        """The English at the start of a sentence or as a label."""
        return self.en[:1].upper() + self.en[1:]

    def __call__(self, language: str) -> str:
        """The words in ``language`` (zh unless en)."""
        return self.en if language == "en" else self.zh


UNIT_KINDS = ("committee", "general_branch", "branch", "group")  # 党委 / 党总支 / 党支部 / 党小组
DEPARTMENT_KINDS = ("teaching", "administrative", "other")  # 教学部门 / 机关管理部门 / 其他
MEMBER_STATUSES = ("full", "probationary", "none")  # 正式党员 / 预备党员 / 非党员
PERSON_CATEGORIES = ("member", "masses", "leader")
ROLES = ("member", "branch_secretary", "general_branch_secretary", "org_department", "ops_admin")

# a rater's verdict and a result's level (评议等次), best first
LEVEL_WORDS = {"excellent": Words("优秀", "excellent"), "good": Words("良好", "good"), "fair": Words("一般", "fair"),
               "poor": Words("较差", "poor")}
# who judges (评议主体, 三评)
PARTY_WORDS = {"self": Words("个人自评", "self-assessment"), "peer": Words("党员互评", "peer review by members"),
               "masses": Words("群众评议", "evaluation by the masses"), "leader": Words("领导点评", "leader's comment")}
# a branch's yearly grade (晋位升级), best first
GRADE_WORDS = {"advanced": Words("先进", "advanced"), "ordinary": Words("一般", "ordinary"),
               "lagging": Words("后进", "lagging")}
# a service window's rating (好差评), 5 best
SATISFACTION_WORDS = {5: Words("非常满意", "very satisfied"), 4: Words("满意", "satisfied"),
                      3: Words("基本满意", "basically satisfied"), 2: Words("不满意", "dissatisfied"),
                      1: Words("非常不满意", "very dissatisfied")}


def in_language(words: dict, language: str) -> dict:
    """A table's words in one language, by code."""
    return {code: word(language) for code, word in words.items()}
