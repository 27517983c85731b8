"""Every server message in the caller's language: one catalogue, chosen per request.

How it works, and why this way:

- **Code says English, marked once.** A message is written where it is raised, in English, and marked
  gettext style: ``raise NotFound(_("No such pledge."))``; values go in named placeholders:
  ``_("At most {count} rows per file.", count=MAX_ROWS)``. The English text *is* the message id, so
  English is complete by construction and nothing needs a key invented for it. ``_`` returns a
  :class:`Message`: a ``str`` holding the English text (logs, ``str(exc)`` and comparisons in tests
  are unchanged) that also remembers its id and values. Nothing is translated where it is raised —
  domain code stays free of Flask and of the request — only where the response is written
  (``pacesetter_shared.web.errors``), in the language of that request.
- **One catalogue, translated once**, for every service: :mod:`pacesetter_shared.i18n.zh_cn`
  (English id → 简体中文), a plain Python dict. No ``.mo`` file to compile, ship or forget on a fresh
  clone; a test fails on a marked message without a translation, a translation nobody uses, or
  placeholders that differ. Codes that appear inside messages (a role, a unit kind, a party) are
  translated as *terms* (:func:`term`), in ``TERMS`` of the same module.
- **marshmallow's own messages** (and webargs') are plain strings formatted from templates
  ("Length must be between {min} and {max}."). The catalogue holds the templates; a formatted
  message is mapped back to its template by an exact look-up, else by a regular expression made
  from the template, and the values it carried are kept. That covers every field error and every
  validator, parametrised ones included, in nested dicts and lists and ``_schema``, without
  patching marshmallow; a test walks every schema of every service and fails on a message the
  catalogue lacks.
- **The language** comes from Accept-Language, in one place (``pacesetter_shared.web.language.negotiate``): ``zh``,
  ``zh-CN``, ``zh-Hans`` … → ``zh-CN``; ``en``, ``en-US`` … → ``en``; q-values are honoured;
  absent, ``*`` or anything else → ``zh-CN``, the users' language.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache

from .zh_cn import MESSAGES, TERMS

ZH_CN, EN = "zh-CN", "en"
LANGUAGES = (ZH_CN, EN)
DEFAULT_LANGUAGE = ZH_CN

# marshmallow fills these placeholders with English words of its own ("datetime", "aware"): terms
_LIBRARY_TERMS = {"obj_type": "marshmallow", "awareness": "marshmallow"}
_formatter = string.Formatter()


class Message(str):
    """A message: its English text, and the id and values it can be translated from."""

    def __new__(cls, msgid: str, params: dict | None = None, english: str | None = None):
        params = dict(params or {})
        self = super().__new__(cls, english if english is not None else _fill(msgid, params))
        self.msgid = msgid
        self.params = params
        return self

    def __getnewargs__(self):  # copy, deepcopy and pickle keep what it is
        return self.msgid, self.params, str(self)

    def translate(self, language: str) -> str:
        if language == EN:
            return str(self)
        template = MESSAGES.get(self.msgid)
        if template is None:
            return str(self)
        return _fill(template, {k: translate(v, language) if isinstance(v, Message) else _library_term(k, v)
                                for k, v in self.params.items()})


class Term(Message):
    """A code inside a message (a role, a unit kind…): its English word, and its Chinese from ``TERMS``."""

    def __new__(cls, group: str, code: str, english: str | None = None):
        self = super().__new__(cls, str(code), {}, english if english is not None else str(code))
        self.group = group
        return self

    def __getnewargs__(self):
        return self.group, self.msgid, str(self)

    def translate(self, language: str) -> str:
        if language == EN:
            return str(self)
        return TERMS.get(self.group, {}).get(self.msgid, str(self))


class TermList(Message):
    """Codes listed inside a message: English "a, b", Chinese "甲、乙" (each from ``TERMS[group]``)."""

    def __new__(cls, group: str, codes):
        codes = [str(code) for code in codes]
        self = super().__new__(cls, ", ".join(codes), {}, ", ".join(codes))
        self.group, self.codes = group, codes
        return self

    def __getnewargs__(self):
        return self.group, self.codes

    def translate(self, language: str) -> str:
        if language == EN:
            return str(self)
        words = TERMS.get(self.group, {})
        return "、".join(words.get(code, code) for code in self.codes)


def _(msgid: str, **params) -> Message:
    """Mark an English message for translation; ``{name}`` placeholders take ``params``."""
    return Message(msgid, params)


def term(group: str, code, english: str | None = None) -> Term:
    """A code to show inside a message, translated from ``TERMS[group]`` (English: ``english`` or the code)."""
    return Term(group, str(code), english)


def term_list(group: str, codes) -> TermList:
    """Codes to list inside a message, each translated from ``TERMS[group]``."""
    return TermList(group, codes)


def translate(text, language: str) -> str:
    """One message in ``language``: a :class:`Message` by its id; a plain string (marshmallow's) by the
    template it was formatted from; anything the catalogue does not know stays as it is."""
    if isinstance(text, Message):
        return text.translate(language)
    if not isinstance(text, str) or language == EN:
        return text
    exact = MESSAGES.get(text)
    if exact is not None and not _placeholders(text):
        return exact
    for template, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found:
            values = found.groupdict()
            return _fill(MESSAGES[template], {k: _library_term(k, v) for k, v in values.items()}, raw=True)
    return text


def localize(value, language: str):
    """Every message in a structure of dicts and lists (an error's details) in ``language``; keys stay."""
    if isinstance(value, str):
        return translate(value, language)
    if isinstance(value, dict):
        return {key: localize(item, language) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [localize(item, language) for item in value]
    return value


def placeholders(template: str) -> set[str]:
    """The names of a template's placeholders: ``{min}``, ``{input!r}`` → {"min", "input"}."""
    return _placeholders(template)


def _placeholders(template: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in _formatter.parse(template) if name}


def _library_term(name: str, value):
    group = _LIBRARY_TERMS.get(name)
    if group is None or not isinstance(value, str):
        return value
    return TERMS.get(group, {}).get(value, value)


def _fill(template: str, values: dict, raw: bool = False) -> str:
    """``template`` with its placeholders filled; ``raw``: values are text already (taken from a message)."""
    if not values and "{" not in template:
        return template
    out = []
    for literal, name, spec, conversion in _formatter.parse(template):
        out.append(literal)
        if name is None:
            continue
        value = values.get(name, "{" + name + "}")
        if raw:
            out.append(str(value))
        else:
            value = _formatter.convert_field(value, conversion) if conversion else value
            out.append(format(value, spec or ""))
    return "".join(out)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """A pattern per catalogue template with placeholders, the most specific (longest literal text) first."""
    compiled = []
    for template in MESSAGES:
        names = _placeholders(template)
        if not names:
            continue
        parts, seen, literal_length = [], set(), 0
        for literal, name, _spec, _conversion in _formatter.parse(template):
            parts.append(re.escape(literal))
            literal_length += len(literal)
            if name:
                parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
                seen.add(name)
        compiled.append((literal_length, template, re.compile("".join(parts), re.DOTALL)))
    compiled.sort(key=lambda item: -item[0])
    return tuple((template, pattern) for _length, template, pattern in compiled)


__all__ = ["DEFAULT_LANGUAGE", "EN", "LANGUAGES", "MESSAGES", "Message", "TERMS", "Term", "TermList", "ZH_CN", "_",
           "localize", "placeholders", "term", "term_list", "translate"]
