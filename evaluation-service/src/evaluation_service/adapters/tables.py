"""evaluation-service's own tables (plumbing and directory projection come from the shared package).

Empty for now: the first slice computes results in the domain; the round tables arrive with the
use cases that store rounds, each with its migration.
"""
import sqlalchemy as sa

metadata = sa.MetaData()
