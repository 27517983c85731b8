"""notification-service's marshmallow shapes at the boundary, one module per module of api/ (notices, preferences,
deliveries, robots); common.py: those several share."""
