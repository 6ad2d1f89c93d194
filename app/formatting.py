"""Number, date and export formatting for the household app (German first, English switchable).

German: ``1.234,5 kWh``, ``1.234 €``, ``24.11.2026``. English: ``1,234.5 kWh``, ``€1,234``,
``24 Nov 2026``. A missing value prints as an en dash. No arithmetic beyond rounding for display.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

MISSING = "–"

MONTHS_SHORT = {
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
WEEKDAYS_SHORT = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

# Plotly's layout.separators: decimal mark first, then the thousands separator.
PLOTLY_SEPARATORS = {"de": ",.", "en": ".,"}


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """A number with the language's decimal mark and thousands separator.

    >>> number(1234.5, 1)
    '1.234,5'
    >>> number(1234.5, 1, "en")
    '1,234.5'
    """
    if _is_missing(value):
        return MISSING
    x = float(value)
    if not math.isfinite(x):
        return MISSING
    text = f"{x:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0"
    if lang == "de":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def kwh(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """Energy [kWh] for display, e.g. ``1.234,5 kWh``."""
    return MISSING if _is_missing(value) else f"{number(value, decimals, lang)} kWh"


def watts(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """Power [W], e.g. ``180 W``."""
    return MISSING if _is_missing(value) else f"{number(value, decimals, lang)} W"


def kw(value: Any, decimals: int = 1, lang: str = "de") -> str:
    """Power [kW], e.g. ``3,2 kW``."""
    return MISSING if _is_missing(value) else f"{number(value, decimals, lang)} kW"


def kwp(value: Any, decimals: int = 1, lang: str = "de") -> str:
    """Peak power [kWp]."""
    return MISSING if _is_missing(value) else f"{number(value, decimals, lang)} kWp"


def eur(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """Money [EUR]: ``1.234 €`` (de) or ``€1,234`` (en)."""
    if _is_missing(value):
        return MISSING
    text = number(value, decimals, lang)
    if lang == "de":
        return f"{text} €"
    if text.startswith("-"):
        return f"-€{text[1:]}"
    return f"€{text}"


def ct_per_kwh(value_eur_per_kwh: Any, decimals: int = 1, lang: str = "de") -> str:
    """A price given in EUR/kWh shown in ct/kWh."""
    if _is_missing(value_eur_per_kwh):
        return MISSING
    return f"{number(float(value_eur_per_kwh) * 100, decimals, lang)} ct/kWh"


def percent(share: Any, decimals: int = 0, lang: str = "de") -> str:
    """A share 0..1 as percent: ``0.355 -> 35,5 %`` (de) / ``35.5%`` (en)."""
    if _is_missing(share):
        return MISSING
    text = number(float(share) * 100, decimals, lang)
    return f"{text} %" if lang == "de" else f"{text}%"


def co2_kg(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """CO₂ mass [kg]."""
    return MISSING if _is_missing(value) else f"{number(value, decimals, lang)} kg CO₂"


def years(value: Any, decimals: int = 1, lang: str = "de") -> str:
    """A duration in years, e.g. payback ``8,5 Jahre`` / ``8.5 years``."""
    if _is_missing(value):
        return MISSING
    unit = "Jahre" if lang == "de" else "years"
    if float(value) == 1 and decimals == 0:
        unit = "Jahr" if lang == "de" else "year"
    return f"{number(value, decimals, lang)} {unit}"


def date(value: Any, lang: str = "de") -> str:
    """A date: ``24.11.2026`` (de) or ``24 Nov 2026`` (en)."""
    if _is_missing(value):
        return MISSING
    ts = pd.Timestamp(value)
    if lang == "de":
        return ts.strftime("%d.%m.%Y")
    return f"{ts.day} {MONTHS_SHORT['en'][ts.month - 1]} {ts.year}"


def datetime(value: Any, lang: str = "de", tz: str | None = "Europe/Berlin") -> str:
    """Date and local time: ``24.11.2026 18:15`` (de) / ``24 Nov 2026 18:15`` (en)."""
    if _is_missing(value):
        return MISSING
    ts = pd.Timestamp(value)
    if tz is not None and ts.tzinfo is not None:
        ts = ts.tz_convert(tz)
    return f"{date(ts, lang)} {ts.strftime('%H:%M')}"


def month_label(value: Any, lang: str = "de", with_year: bool = True) -> str:
    """A month: ``Nov 2026`` / ``Mär 2024``."""
    ts = pd.Timestamp(value)
    name = MONTHS_SHORT.get(lang, MONTHS_SHORT["de"])[ts.month - 1]
    return f"{name} {ts.year}" if with_year else name


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: object, max_chars: int = 300) -> str:
    """Text from a file (its name, an importer message) made inert for Markdown: special
    characters escaped, newlines flattened, length capped."""
    flat = " ".join(str(text).split())
    if len(flat) > max_chars:
        flat = flat[: max_chars - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


# ---- CSV export, neutralised against formula injection (OWASP "CSV Injection") ---------------

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def neutralise_cell(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would read as a formula with ``'``.

    Numbers stay numbers (a negative float keeps its sign); only text is changed.
    """
    if isinstance(value, str) and value[:1] in _FORMULA_TRIGGERS:
        return "'" + value
    return value


def csv_bytes(
    rows: Iterable[Sequence[Any]],
    header: Sequence[str],
    *,
    lang: str = "de",
) -> bytes:
    """Write rows as CSV with every text cell (header included) neutralised.

    German output uses ``;`` and the decimal comma (what German Excel opens directly), English
    output ``,`` and the decimal point. UTF-8 with BOM so that Excel reads umlauts.
    """
    sep = ";" if lang == "de" else ","
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise_cell(str(h)) for h in header])
    for row in rows:
        out = []
        for v in row:
            if isinstance(v, bool) or v is None:
                out.append("" if v is None else str(v))
            elif isinstance(v, float):
                text = repr(float(v))
                out.append("" if not math.isfinite(v) else (text.replace(".", ",") if lang == "de" else text))
            elif isinstance(v, int):
                out.append(str(v))
            else:
                out.append(neutralise_cell(str(v)))
        writer.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
