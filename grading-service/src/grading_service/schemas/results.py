"""The shapes of api/results.py: a cycle's results, the movement between years and a branch's profile."""
from marshmallow import Schema

from pacesetter_shared.web import fields

from ..domain.model import Indicator
from .common import _values


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
