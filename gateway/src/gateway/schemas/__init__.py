"""The gateway's marshmallow shapes at the boundary, one module per api/ module (common.py: shapes several share)."""
