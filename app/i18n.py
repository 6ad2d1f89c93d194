"""Texts of the household app: a thin binding of the one text system (:mod:`advisor.texts`).

The words live in ``advisor/locale/<lang>/LC_MESSAGES/app.po`` (German, English, Turkish); a
view asks for ``t("start.title")`` and gets the ``app.start.title`` entry of the session's
language. A key missing in the language falls back (de -> en, en -> de, tr -> de -> en); a key
missing everywhere shows the key itself, so a test can spot it.
"""

from __future__ import annotations

from collections.abc import Callable

from advisor import texts

LANGUAGES = dict(texts.LANGUAGE_NAMES)
PREFIX = "app."


def text(key: str, lang: str = "de", **values: object) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled."""
    code = PREFIX + key
    out = texts.render(code, lang, values)
    return key if out == code else out


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` bound to one language."""

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    return t


def keys() -> list[str]:
    """Every app key of the German catalogue (without the ``app.`` prefix)."""
    return sorted(c[len(PREFIX) :] for c in texts.codes("de") if c.startswith(PREFIX))
