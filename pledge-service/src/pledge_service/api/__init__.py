"""pledge-service's views, one blueprint module per resource; app.py registers BLUEPRINTS.

- pledges: /api/pledges — pledges, their actions and progress, statistics, who has not pledged, the ledger, the wall
"""
from . import pledges

BLUEPRINTS = (pledges.blp,)
