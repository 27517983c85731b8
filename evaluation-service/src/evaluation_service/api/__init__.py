"""evaluation-service's views, one blueprint module per resource, each keeping its blueprint (its name is the
OpenAPI tag and the endpoints' prefix); app.py registers BLUEPRINTS in this order.

- evaluations.py  /api/evaluations (``evaluations``): the scale and default weights, rounds, their peers, ratings in
                  a round and paper sheets (代录)
- ratings.py      /api/ratings (``ratings``): the masses' ratings of windows (one, or a kiosk's batch), rating links
                  (评价二维码), reason tags, the figures (summary, my windows, ranking, rhythm, stars), appeals against
                  ratings and their audit
- feedback.py     /api/feedback (``feedback``): follow-up cases (差评整改), the suggestion box (意见箱), appeals of notes
                  and the decisions on appeals (申诉复核)
- _views.py       what the views share: the unit of work, the service's settings, the Idempotency-Key header
"""
from . import evaluations, feedback, ratings

BLUEPRINTS = (evaluations.blp, ratings.blp, feedback.blp)
