"""grading-service's marshmallow shapes at the boundary, one module per module of api/ (indicators, cycles, branches,
publicity, objections, history, rectifications, results); common.py: those several share."""
