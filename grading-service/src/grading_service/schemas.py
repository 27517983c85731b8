"""The API's shapes (marshmallow): what a client may send and what it gets back."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page, limit_field, offset_field
from pacesetter_shared.web.query import CommaList

from .domain.classification import CycleState
from .domain.model import AssessmentPart, Grade, Indicator


def _values(enum):
    return [e.value for e in enum]


class IndicatorOut(Schema):
    code = fields.Function(lambda i: i["code"].value, metadata={"enum": _values(Indicator)})
    zh = fields.String()
    en = fields.String()
    default_weight = fields.Float(metadata={"description": "Percent; the seven weights add up to 100"})


class PartOut(Schema):
    code = fields.Function(lambda p: p["code"].value, metadata={"enum": _values(AssessmentPart)})
    zh = fields.String()
    en = fields.String()
    default_weight = fields.Float(metadata={"description": "Percent; the three weights add up to 100"})


class IndicatorsOut(Schema):
    indicators = fields.List(fields.Nested(IndicatorOut))
    parts = fields.List(fields.Nested(PartOut))


class PageQuery(Schema):
    limit = limit_field(20, 200)
    offset = offset_field()


class BranchQuery(PageQuery):
    q = fields.String(load_default=None, validate=validate.Length(max=100),
                      metadata={"description": "Branches whose name holds this"})
    level = CommaList(fields.String(validate=validate.OneOf(_values(Grade) + ["none"])),
                      load_default=None, metadata={"description": "One or several levels; none: no level yet"})
    general_branch_id = fields.UUID(load_default=None)


class ObjectionQuery(PageQuery):
    mine = fields.Boolean(load_default=False, metadata={"description": "Only the objections I lodged"})
    answered = fields.Boolean(load_default=None, allow_none=True)
    branch_id = fields.UUID(load_default=None)


class Thresholds(Schema):
    advanced = fields.Float(load_default=90)
    ordinary = fields.Float(load_default=70)


class CycleOpen(Schema):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    branch_ids = fields.List(fields.UUID(), load_default=None, validate=validate.Length(max=20000),
                             metadata={"description": "Default: every branch in the directory"})
    criteria = fields.Dict(keys=fields.String(validate=validate.OneOf(_values(Indicator))),
                           values=fields.String(validate=validate.Length(max=5000)), load_default=dict,
                           metadata={"description": "Criteria text per indicator (评价标准)"})
    indicator_weights = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=None,
                                    metadata={"description": "Percent per indicator; the seven add up to 100"})
    part_weights = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=None,
                               metadata={"description": "Percent per part; the three add up to 100"})
    thresholds = fields.Nested(Thresholds, load_default=None)
    advanced_cap_percent = fields.Raw(required=True, metadata={"description": "先进比例上限, 0–100"})
    cap_per_general_branch = fields.Boolean(load_default=False)
    self_assessment_deadline = fields.Date(required=True)
    superior_deadline = fields.Date(load_default=None, allow_none=True)
    publicity_days = fields.Integer(load_default=5, validate=validate.Range(0, 30),
                                    metadata={"description": "公示 period in days"})


class CycleOut(Schema):
    id = fields.UUID()
    year = fields.Integer()
    state = fields.String(metadata={"enum": _values(CycleState)})
    advanced_cap_percent = fields.Float()
    cap_per_general_branch = fields.Boolean()
    indicator_weights = fields.Dict(keys=fields.String(), values=fields.Float())
    part_weights = fields.Dict(keys=fields.String(), values=fields.Float())
    thresholds = fields.Dict(keys=fields.String(), values=fields.Float())
    criteria = fields.Dict(keys=fields.String(), values=fields.String())
    self_assessment_deadline = fields.Date()
    superior_deadline = fields.Date(allow_none=True)
    publicity_days = fields.Integer()
    publicity_ends_on = fields.Date(allow_none=True)
    publicity_without_login = fields.Boolean(metadata={
        "description": "The publicity list is also readable without login from the campus network"})
    opened_at = fields.AwareDateTime()
    branch_count = fields.Integer()
    decided = fields.Integer(metadata={"description": "Branches with a level (拟定 or final); 0: no results yet"})


class CyclePage(Page):
    items = fields.List(fields.Nested(CycleOut))


class ScoreEntry(Schema):
    indicator = fields.String(required=True, validate=validate.OneOf(_values(Indicator)))
    score = fields.Float(required=True, validate=validate.Range(0, 100))
    evidence = fields.String(load_default="", validate=validate.Length(max=5000))


class ScoresIn(Schema):
    scores = fields.List(fields.Nested(ScoreEntry), required=True, validate=validate.Length(min=1, max=7))
    reason = fields.String(load_default="", validate=validate.Length(max=2000),
                           metadata={"description": "Why a score changes (kept in the history)"})


class LevelIn(Schema):
    action = fields.String(required=True, validate=validate.OneOf(["confirm", "override"]))
    level = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(_values(Grade)))
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class ChangeOut(Schema):
    what = fields.String()
    old = fields.String(allow_none=True)
    new = fields.String()
    actor_id = fields.UUID()
    at = fields.AwareDateTime()
    reason = fields.String()


class ScoreOut(Schema):
    score = fields.Float()
    evidence = fields.String()
    by = fields.UUID()
    at = fields.AwareDateTime()


class BranchOut(Schema):
    branch_id = fields.UUID()
    name = fields.String()
    general_branch_id = fields.UUID(allow_none=True)
    part_totals = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    total = fields.Float(allow_none=True)
    suggested_level = fields.String(allow_none=True, metadata={"enum": _values(Grade)})
    level = fields.String(allow_none=True, metadata={"enum": _values(Grade)})
    level_source = fields.String(allow_none=True, metadata={"enum": ["confirmed", "overridden"]})
    members_and_masses = fields.Dict(keys=fields.String(), values=fields.Float())
    indicator_scores = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), metadata={
        "description": "分项: each indicator's score weighted over the parts; null until every part that weighs scored it"})
    evaluation_rounds = fields.Integer()
    satisfaction = fields.Float(allow_none=True)
    pledge_score = fields.Float(allow_none=True)
    last_rectification = fields.Dict(allow_none=True, metadata={"description": "考核验收 of last year's plan"})
    previous_level = fields.String(allow_none=True, metadata={"description": "Final level of the latest earlier cycle"})
    change = fields.String(allow_none=True, metadata={"enum": ["up", "same", "down"],
                                                      "description": "晋位 / 持平 / 降位"})


class BranchDetail(BranchOut):
    scores = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(),
                                                                  values=fields.Nested(ScoreOut)))
    changes = fields.List(fields.Nested(ChangeOut))


class BranchPage(Page):
    items = fields.List(fields.Nested(BranchOut))


class PublicBranch(Schema):
    """A branch as the publicity list (公示) shows it to everyone."""

    branch_id = fields.UUID()
    name = fields.String()
    general_branch_id = fields.UUID(allow_none=True)
    level = fields.String(allow_none=True)


class PublicityPage(Page):
    items = fields.List(fields.Nested(PublicBranch))
    year = fields.Integer()
    state = fields.String(metadata={"enum": _values(CycleState)})
    publicity_ends_on = fields.Date(metadata={"description": "The publicity period's last day: objections until its "
                                                             "end (Shanghai)"})


class PublicityAccessIn(Schema):
    without_login = fields.Boolean(required=True, metadata={
        "description": "Also readable without login, from the campus network (PUBLICITY_OPEN_NETWORKS) only"})


class ObjectionIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class AnswerIn(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class ObjectionOut(Schema):
    id = fields.UUID()
    cycle_id = fields.UUID()
    branch_id = fields.UUID()
    text = fields.String()
    lodged_by = fields.UUID()
    lodged_at = fields.AwareDateTime()
    answer = fields.String(allow_none=True)
    answered_by = fields.UUID(allow_none=True)
    answered_at = fields.AwareDateTime(allow_none=True)


class ObjectionPage(Page):
    items = fields.List(fields.Nested(ObjectionOut))


class HistoryEntry(Schema):
    year = fields.Integer()
    cycle_id = fields.UUID()
    level = fields.String()
    level_zh = fields.String()
    total = fields.Float(allow_none=True)
    change = fields.String(allow_none=True, metadata={"enum": ["up", "same", "down"]})
    change_zh = fields.String(allow_none=True, metadata={"description": "晋位 / 持平 / 降位"})


class HistoryOut(Schema):
    branch_id = fields.UUID()
    years = fields.List(fields.Nested(HistoryEntry))


class TaskIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    owner_id = fields.UUID(load_default=None, allow_none=True)
    deadline = fields.Date(required=True)


class PlanIn(Schema):
    problems = fields.List(fields.String(validate=validate.Length(min=1, max=2000)), required=True,
                           validate=validate.Length(min=1, max=30), metadata={"description": "存在问题"})
    measures = fields.List(fields.String(validate=validate.Length(min=1, max=2000)), required=True,
                           validate=validate.Length(min=1, max=30), metadata={"description": "整改措施"})
    owner_id = fields.UUID(required=True, metadata={"description": "责任人"})
    deadline = fields.Date(required=True)
    tasks = fields.List(fields.Nested(TaskIn), load_default=list, validate=validate.Length(max=50))


class ProgressIn(Schema):
    percent = fields.Integer(required=True, validate=validate.Range(0, 100))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class AcceptanceIn(Schema):
    organisation_stronger = fields.Boolean(required=True, metadata={"description": "组织建设是否得到新的加强"})
    problems_solved = fields.Boolean(required=True, metadata={"description": "突出问题是否得到较好解决"})
    masses_satisfied = fields.Boolean(required=True, metadata={"description": "党员群众是否真正满意"})
    notes = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class TaskOut(Schema):
    id = fields.UUID()
    title = fields.String()
    owner_id = fields.UUID(allow_none=True)
    deadline = fields.Date()
    percent = fields.Integer()
    state = fields.String(metadata={"enum": ["open", "overdue", "done"]})


class AcceptanceOut(Schema):
    in_cycle_id = fields.UUID()
    answers = fields.Dict(keys=fields.String(), values=fields.Boolean())
    passed = fields.Boolean()
    notes = fields.String()
    by = fields.UUID()
    at = fields.AwareDateTime()


class PlanOut(Schema):
    id = fields.UUID()
    cycle_id = fields.UUID()
    branch_id = fields.UUID()
    level = fields.String()
    emphasis = fields.String(metadata={"enum": ["consolidate", "push", "overhaul"]})
    emphasis_zh = fields.String()
    problems = fields.List(fields.String())
    measures = fields.List(fields.String())
    owner_id = fields.UUID()
    deadline = fields.Date()
    tasks = fields.List(fields.Nested(TaskOut))
    acceptance = fields.Nested(AcceptanceOut, allow_none=True)


class ResultsOut(Schema):
    cycle_id = fields.UUID()
    year = fields.Integer()
    state = fields.String()
    branches = fields.Integer()
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer(),
                               metadata={"description": "advanced / ordinary / lagging / undecided"})
    indicator_averages = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.Float(allow_none=True)), metadata={"description": "part → indicator → mean"})
    moved = fields.Dict(keys=fields.String(), values=fields.Integer(),
                        metadata={"description": "Branches up (晋位), same (持平), down (降位)"})
    advanced = fields.Dict(metadata={
        "description": "先进 set so far: overall (every branch of the cycle), by_general_branch (those the caller sees)"})
    advanced_quota = fields.Dict(metadata={
        "description": "先进 allowed: overall, and by_general_branch (largest remainder) when the cap applies per general branch"})


class MovementQuery(Schema):
    from_cycle_id = fields.UUID(load_default=None, metadata={
        "description": "The earlier cycle; default: the latest earlier cycle with final results"})


class MovementOut(Schema):
    cycle_id = fields.UUID()
    year = fields.Integer()
    from_cycle_id = fields.UUID(allow_none=True)
    from_year = fields.Integer(allow_none=True)
    branches = fields.Integer()
    matrix = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                         metadata={"description": "earlier level (advanced/ordinary/lagging/none) → level now "
                                                  "(advanced/ordinary/lagging/undecided) → branches"})


class ProfileIndicator(Schema):
    code = fields.String(metadata={"enum": _values(Indicator)})
    zh = fields.String()
    en = fields.String()
    branch = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True),
                         metadata={"description": "combined (weighted over the parts), self, members_and_masses, superior"})
    average = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), allow_none=True,
                          metadata={"description": "The cycle's mean of the same; null where it would expose a branch"})


class ProfileOut(Schema):
    cycle_id = fields.UUID()
    year = fields.Integer()
    branch_id = fields.UUID()
    name = fields.String()
    level = fields.String(allow_none=True)
    average_over = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True,
                               metadata={"description": "Branches in each average (combined, self, …)"})
    indicators = fields.List(fields.Nested(ProfileIndicator))
