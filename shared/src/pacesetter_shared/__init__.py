"""What every Pacesetter service shares (创先争优长效机制平台的公共部分).

Configuration, database and migrations, the event contracts, the transactional outbox,
the idempotent consumer runner, the scheduler and the Flask plumbing. A service imports
from here and never from another service.
"""
