"""What the views of every blueprint share: the service's unit of work and its own settings."""
from __future__ import annotations

from flask import current_app


def _svc():
    return current_app.extensions["pacesetter"]


def _config():
    return current_app.extensions["evaluation_config"]
