"""grading-service's own tables (plumbing and directory projection come from the shared package).

Empty for now: the first slice computes totals and quotas in the domain; the cycle tables arrive
with the use cases that store cycles, each with its migration.
"""
import sqlalchemy as sa

metadata = sa.MetaData()
