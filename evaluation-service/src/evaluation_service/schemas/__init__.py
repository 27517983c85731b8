"""evaluation-service's shapes at the boundary (marshmallow), mirroring api/.

- evaluations.py  the shapes of /api/evaluations (api/evaluations.py)
- ratings.py      the shapes of /api/ratings (api/ratings.py)
- feedback.py     the shapes of /api/feedback (api/feedback.py)
- common.py       those several share: a page's query, an appeal
"""
