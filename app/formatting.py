"""Formatting for the household app: a thin binding of the one formatter (:mod:`advisor.formatting`).

Numbers, money, percentages and dates come from Babel through ``advisor.formatting.formatter(lang)``
(German ``1.234,5 kWh``, ``1.234 €``, ``24.11.2026``; English ``1,234.5 kWh``, ``€1,234``,
``24 Nov 2026``; Turkish ``1.234,5 kWh``, ``€1.234``, ``24 Kas 2026``), the same formatter the
reports, letters, CSV exports and core texts use. This module adds the app's own helpers: Markdown
escaping of file texts and the CSV export neutralised against formula injection.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from advisor import texts
from advisor.formatting import MISSING, formatter

__all__ = ["MISSING"]


def number(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """A number with the language's decimal mark and thousands separator.

    >>> number(1234.5, 1)
    '1.234,5'
    >>> number(1234.5, 1, "en")
    '1,234.5'
    """
    return formatter(lang).number(value, decimals)


def kwh(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """Energy [kWh] for display, e.g. ``1.234,5 kWh``."""
    return formatter(lang).kwh(value, decimals)


def watts(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """Power [W], e.g. ``180 W``."""
    return formatter(lang).watts(value, decimals)


def kw(value: Any, decimals: int = 1, lang: str = "de") -> str:
    """Power [kW], e.g. ``3,2 kW``."""
    return formatter(lang).kw(value, decimals)


def kwp(value: Any, decimals: int = 1, lang: str = "de") -> str:
    """Peak power [kWp]."""
    return formatter(lang).kwp(value, decimals)


def eur(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """Money [EUR]: ``1.234 €`` (de) or ``€1,234`` (en)."""
    return formatter(lang).eur(value, decimals)


def ct_per_kwh(value_eur_per_kwh: Any, decimals: int = 1, lang: str = "de") -> str:
    """A price given in EUR/kWh shown in ct/kWh."""
    return formatter(lang).ct_per_kwh(value_eur_per_kwh, decimals)


def percent(share: Any, decimals: int = 0, lang: str = "de") -> str:
    """A share 0..1 as percent: ``0.355 -> 35,5 %`` (de) / ``35.5%`` (en)."""
    return formatter(lang).percent(share, decimals)


def co2_kg(value: Any, decimals: int = 0, lang: str = "de") -> str:
    """CO₂ mass [kg]."""
    return formatter(lang).co2_kg(value, decimals)


def years(value: Any, decimals: int = 1, lang: str = "de") -> str:
    """A duration in years, e.g. payback ``8,5 Jahre`` / ``8.5 years``."""
    f = formatter(lang)
    if f.number(value) == MISSING:
        return MISSING
    x = float(value)
    n: float | int = int(round(x)) if decimals == 0 else x
    return texts.render("unit.years", lang, {"n": n, "value": f.number(x, decimals)})


def date(value: Any, lang: str = "de", tz: str = "Europe/Berlin") -> str:
    """A date: ``24.11.2026`` (de) or ``24 Nov 2026`` (en), the day in ``tz`` (a curve's own zone)."""
    return formatter(lang).date(value, tz)


def datetime(value: Any, lang: str = "de", tz: str | None = "Europe/Berlin") -> str:
    """Date and local time: ``24.11.2026 18:15`` (de) / ``24 Nov 2026 18:15`` (en)."""
    return formatter(lang).datetime(value, tz)


def month_label(value: Any, lang: str = "de", with_year: bool = True) -> str:
    """A month: ``Nov 2026`` / ``Mär 2024``."""
    return formatter(lang).month(value, with_year)


def plotly_separators(lang: str = "de") -> str:
    """Plotly's ``layout.separators`` of the language (decimal mark, then thousands separator)."""
    return formatter(lang).plotly_separators


class _Separators(dict):
    def get(self, lang, default=None):  # type: ignore[override]
        try:
            return plotly_separators(lang)
        except ValueError:
            return default


#: ``PLOTLY_SEPARATORS.get(lang)`` as before, now from the formatter.
PLOTLY_SEPARATORS = _Separators()


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
    decimals: dict[int | None, int] | None = None,
) -> bytes:
    """Write rows as CSV with every text cell (header included) neutralised.

    German output uses ``;`` and the decimal comma (what German Excel opens directly), English
    output ``,`` and the decimal point (:meth:`advisor.formatting.Formatter.csv_number`). Numbers
    are rounded: ``decimals`` maps a column index (or None for every column) to its digits;
    without it a value keeps at most six decimals (never ``1803,4029999999998``). UTF-8 with BOM
    so that Excel reads umlauts.
    """
    f = formatter(lang)
    sep = f.csv_separator
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise_cell(str(h)) for h in header])
    for row in rows:
        out = []
        for col, v in enumerate(row):
            if isinstance(v, bool) or v is None:
                out.append("" if v is None else str(v))
            elif isinstance(v, (float, int)):
                out.append(f.csv_number(v, None if decimals is None else decimals.get(col, decimals.get(None))))
            else:
                out.append(neutralise_cell(str(v)))
        writer.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
