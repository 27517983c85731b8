"""Flask plumbing shared by every service: one error shape, ids, logs, health, metrics, identity."""
from .app import ServiceApp, accepts, create_service_app
from .errors import (
    ApiError,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    error_body,
)
from .security import anonymous_allowed, current_identity, device_allowed, kiosk_allowed, public
from .strict import Blueprint

__all__ = [
    "ServiceApp", "accepts", "create_service_app", "ApiError", "BadRequest", "Conflict", "Forbidden", "NotFound",
    "Unauthorized", "error_body", "anonymous_allowed", "current_identity", "kiosk_allowed", "device_allowed", "public", "Blueprint",
]
