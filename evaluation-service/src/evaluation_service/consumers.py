"""Events evaluation-service acts on."""
from pacesetter_shared.directory import DIRECTORY_HANDLERS

HANDLERS = dict(DIRECTORY_HANDLERS)
