"""The one formatter for numbers, money, percentages and dates (app, reports, letters, CSV, core texts).

Everything goes through Babel with the locale of the language: ``de`` -> ``de_DE``, ``en`` ->
``en_GB``, ``tr`` -> ``tr_TR``. So German shows ``1.234,5 kWh``, ``1.234 €``, ``24.11.2026``;
English ``1,234.5 kWh``, ``€1,234``, ``24 Nov 2026``; Turkish ``1.234,5 kWh``, ``€1.234``,
``24 Kas 2026``. Rules the three old formatters disagreed on, decided once here:

* A value that rounds to zero never shows a minus (``-0.04`` -> ``0,0``).
* A missing value (None, NaN, inf, not a number) prints as an en dash ``–``.
* Thousands are grouped in every language (``1,234.5``, not ``1234.5``).
* Spaces inside a formatted value are plain spaces (CLDR's no-break spaces replaced), so texts,
  tests and CSV cells can be searched for ``"1.234 €"``.
* CSV cells (:meth:`Formatter.csv_number`) carry no grouping, only the decimal mark of the
  language (German Excel opens ``1803,4`` directly).

Use ``formatter(lang)`` (cached per language) or the module-level shortcuts.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from functools import lru_cache
from typing import Any

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers

LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB", "tr": "tr_TR"}
LANGUAGES: tuple[str, ...] = tuple(LOCALES)
MISSING = "–"

_NUMBER_PART = re.compile(r"[#0,.]+")
_NBSP = str.maketrans({"\u00a0": " ", "\u202f": " "})


def _float(value: Any) -> float | None:
    """``value`` as a finite float, else None (None, NaN, inf, text, pandas NA)."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _digits_pattern(decimals: int, grouping: bool = True) -> str:
    head = "#,##0" if grouping else "0"
    return head + ("." + "0" * decimals if decimals > 0 else "")


@lru_cache(maxsize=64)
def _parsed(pattern: str):
    """The parsed Babel number pattern of ``pattern`` (Babel parses a string pattern on every call;
    a letter formats a few hundred numbers)."""
    return _numbers.parse_pattern(pattern)


def _no_negative_zero(text: str) -> str:
    if text[:1] in "-\u2212" and not any(c in "123456789" for c in text):
        return text[1:]
    return text


class Formatter:
    """Formats for one language (``de``, ``en`` or ``tr``)."""

    def __init__(self, lang: str = "de") -> None:
        if lang not in LOCALES:
            raise ValueError(f"language must be one of {', '.join(LOCALES)}; got {lang!r}")
        self.lang = lang
        self.locale = Locale.parse(LOCALES[lang])
        self.decimal_mark = _numbers.get_decimal_symbol(self.locale)
        self.group_mark = _numbers.get_group_symbol(self.locale)
        self._currency = self.locale.currency_formats["standard"].pattern
        self._percent = self.locale.percent_formats[None].pattern

    def __repr__(self) -> str:
        return f"Formatter({self.lang!r})"

    # ---- numbers
    def number(self, value: Any, decimals: int = 0, *, grouping: bool = True) -> str:
        """``1.234,5`` (de), ``1,234.5`` (en); ``–`` when missing."""
        x = _float(value)
        if x is None:
            return MISSING
        text = _numbers.format_decimal(x, _parsed(_digits_pattern(decimals, grouping)), locale=self.locale)
        return _no_negative_zero(text.translate(_NBSP))

    def auto(self, value: Any) -> str:
        """A number with as many decimals as it needs, at most two (``11,25``, ``3``, ``0,5``)."""
        x = _float(value)
        if x is None:
            return MISSING
        text = _numbers.format_decimal(x, _parsed("#,##0.##"), locale=self.locale)
        return _no_negative_zero(text.translate(_NBSP))

    def signed(self, value: Any, decimals: int = 0) -> str:
        """With an explicit sign: ``+12``, ``-0,35``; zero without sign."""
        text = self.number(value, decimals)
        if text == MISSING or text.startswith("-") or not any(c in "123456789" for c in text):
            return text
        return "+" + text

    def quoted(self, value: Any) -> str:
        """A figure as a file gave it (Python's ``g``: up to six significant digits, no grouping)
        with this language's decimal mark: ``1001``, ``0,2`` (de) / ``0.2`` (en)."""
        x = _float(value)
        if x is None:
            return MISSING
        text = _no_negative_zero(f"{x:g}")
        return text.replace(".", _numbers.get_decimal_symbol(self.locale))

    def integer_plain(self, value: Any) -> str:
        """Digits without grouping (years, postal codes, line numbers given as numbers)."""
        x = _float(value)
        return MISSING if x is None else str(int(round(x)))

    # ---- quantities
    def unit(self, value: Any, unit: str, decimals: int = 0) -> str:
        text = self.number(value, decimals)
        return text if text == MISSING else f"{text} {unit}"

    def kwh(self, value: Any, decimals: int = 0) -> str:
        return self.unit(value, "kWh", decimals)

    def kw(self, value: Any, decimals: int = 1) -> str:
        return self.unit(value, "kW", decimals)

    def watts(self, value: Any, decimals: int = 0) -> str:
        return self.unit(value, "W", decimals)

    def kwp(self, value: Any, decimals: int = 1) -> str:
        return self.unit(value, "kWp", decimals)

    def co2_kg(self, value: Any, decimals: int = 0) -> str:
        return self.unit(value, "kg CO₂", decimals)

    def eur(self, value: Any, decimals: int = 0) -> str:
        """Money in euro: ``1.234 €`` (de), ``€1,234`` (en), ``€1.234`` (tr)."""
        x = _float(value)
        if x is None:
            return MISSING
        pattern = _NUMBER_PART.sub(_digits_pattern(decimals), self._currency, count=1)
        text = _numbers.format_currency(x, "EUR", _parsed(pattern), locale=self.locale, currency_digits=False)
        return _no_negative_zero(text.translate(_NBSP))

    def ct_per_kwh(self, value_eur_per_kwh: Any, decimals: int = 1) -> str:
        """A price given in €/kWh shown in ct/kWh (``32,0 ct/kWh``)."""
        x = _float(value_eur_per_kwh)
        return MISSING if x is None else self.unit(100 * x, "ct/kWh", decimals)

    def percent(self, share: Any, decimals: int = 0) -> str:
        """A share 0..1 as percent: ``0.355`` -> ``35,5 %`` (de), ``35.5%`` (en), ``%35,5`` (tr).

        A share strictly between 0 and 1 never reads as exactly 0 % or 100 %: it is shown as
        ``< 0,1 %`` / ``> 99 %`` (the smallest step at ``decimals``), so "100 %" complete next
        to "values missing" cannot happen.
        """
        x = _float(share)
        if x is None:
            return MISSING
        pattern = _NUMBER_PART.sub(_digits_pattern(decimals), self._percent, count=1)
        step = 10.0 ** -(decimals + 2)
        prefix = ""
        if 0.0 < x < 1.0 and round(x / step) * step <= 0.0:
            x, prefix = step, "< "
        elif 0.0 < x < 1.0 and round(x / step) * step >= 1.0:
            x, prefix = 1.0 - step, "> "
        text = _numbers.format_percent(x, _parsed(pattern), locale=self.locale)
        return prefix + _no_negative_zero(text.translate(_NBSP))

    def pct(self, value_pct: Any, decimals: int = 0) -> str:
        """A value already in percent (``12`` -> ``12 %``)."""
        x = _float(value_pct)
        return MISSING if x is None else self.percent(x / 100, decimals)

    # ---- dates
    @staticmethod
    def _timestamp(value: Any, tz: str | None = "Europe/Berlin"):
        import pandas as pd

        if value is None:
            return None
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
        ts = pd.Timestamp(value)
        if tz is not None and ts.tzinfo is not None:
            ts = ts.tz_convert(tz)
        return ts

    def date(self, value: Any, tz: str | None = "Europe/Berlin") -> str:
        """``24.11.2026`` (de), ``24 Nov 2026`` (en), ``24 Kas 2026`` (tr); the day in ``tz`` (the
        curve's own time zone for a data period: a London year ends on 31 Dec there, not on 1 Jan in Berlin)."""
        ts = self._timestamp(value, tz)
        if ts is None:
            return MISSING
        d = _dt.date(ts.year, ts.month, ts.day)
        if self.lang == "de":
            return _dates.format_date(d, "dd.MM.yyyy", locale=self.locale)
        return _dates.format_date(d, "d MMM y", locale=self.locale)

    def datetime(self, value: Any, tz: str | None = "Europe/Berlin") -> str:
        """Date and local time: ``24.11.2026 18:15``."""
        ts = self._timestamp(value, tz)
        return MISSING if ts is None else f"{self.date(ts)} {ts.hour:02d}:{ts.minute:02d}"

    def month(self, value: Any, with_year: bool = True) -> str:
        """``Nov 2026`` / ``Mär 2024`` (abbreviated month)."""
        ts = self._timestamp(value)
        if ts is None:
            return MISSING
        name = self.month_names()[ts.month - 1]
        return f"{name} {ts.year}" if with_year else name

    def month_names(self, width: str = "abbreviated") -> list[str]:
        """Twelve month names, January first (``abbreviated`` without trailing dots, or ``wide``)."""
        names = _dates.get_month_names(width, context="stand-alone", locale=self.locale)
        return [names[i].rstrip(".") for i in range(1, 13)]

    def weekday_names(self, width: str = "short") -> list[str]:
        """Seven weekday names, Monday first (``Mo``, ``Di`` … / ``Mo``, ``Tu`` …)."""
        names = _dates.get_day_names(width, context="format", locale=self.locale)
        return [names[i].rstrip(".") for i in range(7)]

    # ---- exports and charts
    def csv_number(self, value: Any, decimals: int | None = None) -> str:
        """A CSV cell: rounded to ``decimals`` (None: as needed, at most 6), no grouping, the
        language's decimal mark; empty when missing."""
        x = _float(value)
        if x is None:
            return ""
        if decimals is None:
            text = _numbers.format_decimal(x, _parsed("0.######"), locale=self.locale)
        else:
            text = _numbers.format_decimal(x, _parsed(_digits_pattern(decimals, grouping=False)), locale=self.locale)
        return _no_negative_zero(text.translate(_NBSP))

    @property
    def csv_separator(self) -> str:
        """``;`` where the decimal mark is a comma (what German Excel expects), else ``,``."""
        return ";" if self.decimal_mark == "," else ","

    @property
    def plotly_separators(self) -> str:
        """Plotly's ``layout.separators``: decimal mark, then thousands separator."""
        return self.decimal_mark + self.group_mark

    @property
    def plotly_dates(self) -> dict[str, str]:
        """d3-time-format patterns for Plotly date axes and hovers, from the locale's CLDR patterns:
        ``day`` (a tick within a month: ``%d.%m.`` / ``%d %b``), ``hour`` (time, then day),
        ``month`` (a tick per month: ``%m.%Y`` / ``%b %Y``), ``full`` (a date in a hover:
        ``%d.%m.%Y`` / ``%d %b %Y``), ``time`` (``%H:%M``).

        Plotly writes month names in English (``%b``), so only English uses them; every other
        language gets its numeric CLDR pattern (``tr``: ``%d/%m``, ``%m.%Y``, ``%d.%m.%Y``) and a
        new language needs no branch in the charts."""
        return _plotly_dates(self.lang)


#: Languages whose month names are Plotly's own (plotly.js writes ``%b`` in English).
_PLOTLY_MONTH_NAMES = ("en",)
#: CLDR date-pattern letters -> d3-time-format (days and months zero-padded, as on every axis so far).
_CLDR_TO_D3 = {"dd": "%d", "d": "%d", "MMM": "%b", "MM": "%m", "M": "%m", "LLL": "%b", "LL": "%m", "L": "%m",
               "yyyy": "%Y", "y": "%Y", "yy": "%y", "HH": "%H", "H": "%H", "hh": "%I", "h": "%I", "mm": "%M",
               "a": "%p"}  # fmt: skip


def _d3(pattern: str) -> str:
    """A CLDR date/time pattern (``d.M.y``, ``MMM y``, ``HH:mm``) as d3-time-format."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":  # quoted literal ('' is a quote)
            j = pattern.find("'", i + 1)
            j = len(pattern) if j < 0 else j
            out.append(pattern[i + 1 : j].replace("%", "%%") or "'")
            i = j + 1
            continue
        j = i
        while j < len(pattern) and pattern[j] == c:
            j += 1
        run = pattern[i:j]
        if c.isalpha():
            if run not in _CLDR_TO_D3:
                raise ValueError(f"no d3 equivalent for CLDR field {run!r} in {pattern!r}")
            out.append(_CLDR_TO_D3[run])
        else:
            out.append(run.replace("%", "%%"))
        i = j
    return "".join(out)


@lru_cache(maxsize=8)
def _plotly_dates(lang: str) -> dict[str, str]:
    loc = Locale.parse(LOCALES[lang])
    sk = loc.datetime_skeletons
    named = lang in _PLOTLY_MONTH_NAMES

    def pick(*keys: str) -> str:
        return _d3(str(next(sk[k] for k in keys if k in sk)))

    day = pick("MMMd") if named else pick("MMdd", "Md")
    time = _d3(loc.time_formats["short"].pattern)
    return {
        "day": day,
        "month": pick("yMMM") if named else pick("yMM", "yM"),
        "full": pick("yMMMd") if named else pick("yMMdd", "yMd"),
        "time": time,
        "hour": f"{time}\n{day}",
    }


@lru_cache(maxsize=8)
def formatter(lang: str = "de") -> Formatter:
    """The cached :class:`Formatter` of ``lang``."""
    return Formatter(lang)


def number(value: Any, decimals: int = 0, lang: str = "de") -> str:
    return formatter(lang).number(value, decimals)


def eur(value: Any, decimals: int = 0, lang: str = "de") -> str:
    return formatter(lang).eur(value, decimals)


def date(value: Any, lang: str = "de") -> str:
    return formatter(lang).date(value)
