"""My notification settings (通知设置): /api/notifications/preferences."""
from __future__ import annotations

from pacesetter_shared.web import current_identity

from ..schemas.preferences import PreferencesIn, PreferencesOut
from ..service import preferences
from ._views import _uow, blp


@blp.route("/preferences", methods=["GET"])
@blp.response(200, PreferencesOut)
def my_preferences():
    """My notification settings (通知设置)."""
    with _uow()() as uow:
        return preferences.my_preferences(uow, current_identity())


# PUT replaces my settings whole: repeating it changes nothing, so no Idempotency-Key.
@blp.route("/preferences", methods=["PUT"])
@blp.arguments(PreferencesIn)
@blp.response(200, PreferencesOut)
def set_preferences(body):
    """Choose channels per kind of notice, quiet hours (Beijing time) and the daily digest."""
    with _uow()() as uow:
        return preferences.set_preferences(uow, current_identity(), **body)
