"""The password policy: long enough, and not easy to guess by zxcvbn's estimate, told in our own words.

zxcvbn says why a password is weak in English sentences of its own; a Chinese user gets ours instead, one
per pattern zxcvbn found (a common password, the person's own name, a keyboard run …). Plain Python.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from zxcvbn import zxcvbn

from pacesetter_shared.i18n import Message, _

# zxcvbn refuses to look at more than this; a longer password is judged by its start, the rest only adds to it.
_ZXCVBN_MAX_LENGTH = 72
# zxcvbn keeps the person's own words in a module-level dictionary while it scores: one estimate at a time.
_zxcvbn_lock = threading.Lock()
# Shorter words of a person (a two-character Chinese name) would refuse half of all passwords as "containing" them.
_SHORTEST_PERSONAL_WORD = 4


def _own_words() -> Message:
    return _("must not contain your user name or name")


def _reason(match: dict) -> Message | None:
    """Our words for one weak part zxcvbn found (None: a random-looking part, nothing to say)."""
    pattern = match["pattern"]
    if pattern == "dictionary":
        if match["dictionary_name"] == "user_inputs":
            return _own_words()
        if match["dictionary_name"] == "passwords":
            return _("a commonly used password")
        return _("common words and names alone are easy to guess: add more, unrelated words")
    if pattern == "repeat":
        return _("repeated characters or words (aaaa, abcabc) are easy to guess")
    if pattern == "sequence":
        return _("runs such as abcd or 1234 are easy to guess")
    if pattern == "spatial":
        return _("keyboard patterns such as qwerty are easy to guess")
    if pattern == "date" or (pattern == "regex" and match.get("regex_name") == "recent_year"):
        return _("dates and years are easy to guess")
    return None


@dataclass(frozen=True)
class PasswordPolicy:
    """``min_score`` is zxcvbn's 0–4: 3 holds against online guessing with throttling and most offline attacks
    on a slow hash."""

    min_length: int = 10
    min_score: int = 3

    def problems(self, password: str, personal: Iterable[str | None] = ()) -> list[Message]:
        """What is wrong with the password, each in a few words (none: it will do). ``personal``: the person's
        user name, name and e-mail address — a password made of them is refused."""
        words = []
        for text in filter(None, personal):
            text = text.strip().lower()
            # the whole of it, an e-mail address's name, and each part of a name ("Qian Xuesen", "li.ming")
            words += [text, text.split("@")[0], *re.split(r"[\W_]+", text.split("@")[0])]
        words = [w for w in dict.fromkeys(words) if w]
        problems: list[Message] = []
        if len(password) < self.min_length:
            problems.append(_("at least {count} characters", count=self.min_length))
        lowered = password.lower()
        if any(len(word) >= _SHORTEST_PERSONAL_WORD and word in lowered for word in words):
            problems.append(_own_words())
        with _zxcvbn_lock:
            estimate = zxcvbn(password[:_ZXCVBN_MAX_LENGTH], user_inputs=words)
        if estimate["score"] < self.min_score:
            reasons = [r for r in map(_reason, estimate["sequence"]) if r is not None]
            for reason in reasons or [_("too easy to guess: make it longer, with unrelated words")]:
                if reason not in problems:
                    problems.append(reason)
        return problems


DEFAULT_POLICY = PasswordPolicy()
