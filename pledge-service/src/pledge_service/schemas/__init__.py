"""pledge-service's shapes at the boundary (marshmallow), mirroring api/.

- pledges: the shapes of /api/pledges (api/pledges.py)
"""
