from alembic import context

from pacesetter_shared.db import plumbing_metadata
from pacesetter_shared.directory import directory_metadata
from pacesetter_shared.migrations import run_env
from notification_service.adapters.tables import metadata

run_env(context, [metadata, plumbing_metadata, directory_metadata])
