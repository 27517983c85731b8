"""The caller's language, from an Accept-Language header: at the HTTP edge, so that the message catalogue
(``pacesetter_shared.i18n``) stays plain Python that any domain module may use."""
from __future__ import annotations

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES


def negotiate(accept_language: str | None) -> str:
    """The language to answer in: zh-CN unless English is preferred."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    # werkzeug matches the primary subtag when no exact tag matches: zh-Hans, zh-TW → zh-CN, en-GB → en
    return parse_accept_header(accept_language, LanguageAccept).best_match(LANGUAGES, default=DEFAULT_LANGUAGE)
