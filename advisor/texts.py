"""German and English for every user-facing text the core produces (one mechanism for all modules).

Convention (used by :mod:`advisor.signatures`, :mod:`advisor.benchmark`, :mod:`advisor.analysis`,
:mod:`advisor.pv`, :mod:`advisor.economics`, :mod:`advisor.forecast`, :mod:`advisor.savings`):

* A result's text field keeps its historic name and holds **English** (``evidence``, ``reason``,
  ``case``, ``warnings``, ``notes``, ``assumptions``, ``method``, ``note`` …); existing JSON keys and
  code that reads them are unchanged.
* The **German** text of the same content sits next to it in ``<field>_de`` (``evidence_de``,
  ``reason_de``, ``warnings_de`` …; for ``DataFrame.attrs["note"]`` in ``attrs["note_de"]``), with
  German number formats (``1.234,5``) wherever figures are embedded.
* Edges (app, report, CLI) pick the language with :func:`localized` (``localized(sig, "evidence",
  "de")``) and never translate core text themselves. The JSON outputs add the ``*_de`` keys.

Detectors build both languages from the same figures, usually with a small closure ``msg(lang)``
and :func:`both`, so the two texts can never drift apart in their numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

LANGUAGES = ("de", "en")
MISSING = "–"


def num(value: Any, decimals: int = 0, lang: str = "en", *, grouping: bool | None = None) -> str:
    """A number in the language's format: ``1.234,5`` (de) or ``1234.5`` / ``1,234.5`` (en).

    Parameters
    ----------
    value
        The number; None or non-finite prints as an en dash.
    decimals
        Digits after the decimal mark.
    lang
        ``"de"`` or ``"en"``.
    grouping
        Thousands separator; default: on for German, off for English (the English texts keep the
        plain form they had before German was added).

    >>> num(1234.5, 1, "de")
    '1.234,5'
    >>> num(1234.5, 1, "en")
    '1234.5'
    >>> num(-0.04, 1, "de")
    '0,0'
    """
    if value is None:
        return MISSING
    try:
        x = float(value)
    except (TypeError, ValueError):
        return MISSING
    if not math.isfinite(x):
        return MISSING
    group = (lang == "de") if grouping is None else grouping
    text = f"{x:,.{decimals}f}" if group else f"{x:.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0"
    if lang == "de":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def signed(value: Any, decimals: int = 0, lang: str = "en") -> str:
    """A number with an explicit sign (``+12``, ``-0,35``)."""
    text = num(value, decimals, lang)
    if text != MISSING and not text.startswith("-"):
        text = "+" + text
    return text


def pct(share_pct: Any, decimals: int = 0, lang: str = "en") -> str:
    """A percentage given in percent [%]: ``12 %`` (both languages, as the English texts had it)."""
    return f"{num(share_pct, decimals, lang)} %"


def both(make: Callable[[str], str]) -> tuple[str, str]:
    """``(english, german)`` from one text builder ``make(lang)``."""
    return make("en"), make("de")


def localized(obj: Any, field: str, lang: str = "de") -> Any:
    """The text ``field`` of ``obj`` in ``lang``: ``obj.<field>_de`` for German, else ``obj.<field>``.

    Works on dataclasses, objects and mappings (a ``to_dict()`` or ``DataFrame.attrs``). Falls back
    to the English field when no German one exists (e.g. a result created before German was
    added), so an edge never breaks.
    """
    if lang == "de":
        if isinstance(obj, dict):
            if obj.get(f"{field}_de"):
                return obj[f"{field}_de"]
        else:
            value = getattr(obj, f"{field}_de", None)
            if value:
                return value
    return obj.get(field) if isinstance(obj, dict) else getattr(obj, field)


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised (core texts start lower-case to be joinable)."""
    return text[:1].upper() + text[1:] if text else text


def join_notes(parts: list[str] | tuple[str, ...], sep: str = "; ") -> str:
    """Non-empty parts joined with ``sep``."""
    return sep.join(p for p in parts if p)
