"""The shapes of /api/ops (api/ops.py)."""
from pacesetter_shared.web import fields
from pacesetter_shared.web.ops import JobList


class SuiteJobList(JobList):
    unavailable = fields.List(fields.String(), metadata={"description": "Services that did not answer"})
