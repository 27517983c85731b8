"""The shapes of api/publicity.py: the publicity list (公示) and who may read it."""
from marshmallow import Schema

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page

from ..domain.classification import CycleState
from .common import _values


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
