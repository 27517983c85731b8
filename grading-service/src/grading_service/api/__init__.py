"""grading-service's views, one module per resource, all on the one blueprint ``grading`` (/api/grading; see
_views.py for why one):

- indicators.py      the seven indicators and the assessment parts
- cycles.py          grading cycles: open, list, read, finalise
- branches.py        a cycle's branches: list, detail, 自评, 上级评定, level
- publicity.py       公示: publish, who reads the list, the list
- objections.py      异议 and their answers
- history.py         a branch's levels over the years
- rectifications.py  整改提高 plans, tasks' progress, 考核验收
- results.py         results, movement, a branch's profile, the XLSX report
"""
# Each module adds its views to the blueprint.
from . import branches, cycles, history, indicators, objections, publicity, rectifications, results  # noqa: F401
from ._views import blp

BLUEPRINTS = (blp,)
