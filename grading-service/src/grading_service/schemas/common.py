"""Shapes several resources share: a page's query, a list of branches' query (the branches and the publicity list)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import limit_field, offset_field
from pacesetter_shared.web.query import CommaList

from ..domain.model import Grade


def _values(enum):
    return [e.value for e in enum]


class PageQuery(Schema):
    limit = limit_field(20, 200)
    offset = offset_field()


class BranchQuery(PageQuery):
    q = fields.String(load_default=None, validate=validate.Length(max=100),
                      metadata={"description": "Branches whose name holds this"})
    level = CommaList(fields.String(validate=validate.OneOf(_values(Grade) + ["none"])),
                      load_default=None, metadata={"description": "One or several levels; none: no level yet"})
    general_branch_id = fields.UUID(load_default=None)
