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
import re
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


# --- importer texts: warnings (CurveMeta.warnings_de) and LoadCurveError.message_de -------------
# One place for both languages of the importer's texts. The readers keep writing their English
# text (other tools read it); each entry below matches one English text and rebuilds the German
# one from the *same* figures it captured (numbers re-formatted the German way). Texts without
# an entry fall back to English (``localized`` then shows English), which is acceptable for rare
# internal cases.

_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")


def _de_figure(text: str) -> str:
    """A captured figure in German format (``1234.5`` -> ``1.234,5``); other text unchanged."""
    if not _NUMBER_RE.fullmatch(text):
        return text
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return num(float(text), decimals, "de")


_EXPECTED_DE = (
    ("e.g.", "z. B."),
    (" or ", " oder "),
    ("ISO 8601 with offset", "ISO 8601 mit Zeitversatz"),
    ("epoch seconds", "Unix-Sekunden"),
    ("like the first rows", "wie in den ersten Zeilen"),
    ("the format of the first rows", "das Format der ersten Zeilen"),
)


def _de_expected(text: str) -> str:
    """The 'expected …' part of a parse error (examples stay as they are, the words in German)."""
    for en, de in _EXPECTED_DE:
        text = text.replace(en, de)
    return text


_WARNINGS_DE: tuple[tuple[str, str], ...] = (
    (
        r"(?P<n>\d+) intervals absent from the file \(gaps\), marked missing",
        "{n} Intervalle fehlen in der Datei (Lücken), als fehlend markiert",
    ),
    (r"(?P<n>\d+) substitute values \(Ersatzwerte\) from the source", "{n} Ersatzwerte aus der Quelle"),
    (r"(?P<n>\d+) intervals without a value in the file", "{n} Intervalle ohne Wert in der Datei"),
    (r"(?P<n>\d+) repeated header lines skipped", "{n} wiederholte Kopfzeilen übersprungen"),
    (r"(?P<n>\d+) sum/footer rows skipped", "{n} Summen-/Fußzeilen übersprungen"),
    (
        r"cells in (?P<n>\d+) unnamed columns beyond the header ignored \(first at line (?P<line>\d+)\)",
        "Zellen in {n} unbenannten Spalten hinter der Kopfzeile ignoriert (erste in Zeile {line})",
    ),
    (r"(?P<n>\d+) duplicate rows with identical values dropped", "{n} doppelte Zeilen mit gleichen Werten entfernt"),
    (r"unknown status codes (?P<codes>.+) kept as measured", "unbekannte Statuscodes {codes} als gemessen übernommen"),
    (r"extra value columns ignored: (?P<cols>.+)", "weitere Wertspalten ignoriert: {cols}"),
    (r"no unit stated for column (?P<col>.+); assumed kWh", "keine Einheit für Spalte {col} angegeben; kWh angenommen"),
    (
        r"counter overflow at (?P<when>.+): reading went from (?P<a>[-\d.e+]+) to (?P<b>[-\d.e+]+); "
        r"energy taken across the wrap at (?P<wrap>[-\d.e+]+)",
        "Zählerüberlauf am {when}: Zählerstand von {a} auf {b}; Verbrauch über den Überlauf bei {wrap} gerechnet",
    ),
    (
        r"meter reading fell from (?P<a>[-\d.e+]+) to (?P<b>[-\d.e+]+) at (?P<when>.+) \(line (?P<line>\d+)\): "
        r"counter reset or meter change; that interval is left missing, not counted as negative energy",
        "Zählerstand fiel von {a} auf {b} am {when} (Zeile {line}): Zählerrücksetzung oder Zählerwechsel; "
        "dieses Intervall bleibt leer statt negativ gezählt",
    ),
    (
        r"(?P<n>\d+) gaps between readings; their (?P<kwh>[-\d.]+) kWh are not spread over the missing intervals",
        "{n} Lücken zwischen den Zählerständen; ihre {kwh} kWh werden nicht auf die fehlenden Intervalle verteilt",
    ),
    (
        r"UNZ declares (?P<a>\d+) messages but the interchange has (?P<b>\d+)",
        "UNZ nennt {a} Nachrichten, die Übertragungsdatei enthält aber {b}",
    ),
    (r"(?P<what>.+); values read as consumption interval energy", "{what}; Werte als Verbrauch je Intervall gelesen"),
    (
        r"redispatch series \(BGM Z45 / Pruefidentifikator 13022\): negative values allowed; not a household load curve",
        "Redispatch-Zeitreihe (BGM Z45 / Prüfidentifikator 13022): negative Werte erlaubt; keine Haushaltslastgang",
    ),
    (
        r"OBIS (?P<o>\S+) is not the interval code x\.29\.0; read as interval energy because each value is "
        r"bracketed by its interval",
        "OBIS {o} ist nicht der Intervallcode x.29.0; als Intervallenergie gelesen, weil jeder Wert von seinem "
        "Intervall eingerahmt ist",
    ),
    (r"skipped channels that are not active energy: (?P<x>.+)", "Kanäle ohne Wirkenergie übersprungen: {x}"),
    (r"(?P<n>\d+) x QTY (?P<q>\S+) \((?P<text>.*)\): left out", "{n} × QTY {q} ({text}): weggelassen"),
    (
        r"(?P<n>\d+) x QTY (?P<q>\S+) \((?P<text>.*)\): kept as measured",
        "{n} × QTY {q} ({text}): als gemessen übernommen",
    ),
    (
        r"(?P<n>\d+) x QTY (?P<q>\S+) \((?P<text>.*)\): flagged substituted",
        "{n} × QTY {q} ({text}): als Ersatzwert markiert",
    ),
    (
        r"(?P<n>\d+) x QTY (?P<q>\S+) \((?P<text>.*)\): treated as missing",
        "{n} × QTY {q} ({text}): als fehlend behandelt",
    ),
    (r"status \(STS\): (?P<x>.+)", "Status (STS): {x}"),
    (
        r"repeated identical values for the same interval were dropped",
        "wiederholte gleiche Werte für dasselbe Intervall entfernt",
    ),
    (
        r"(?P<n>\d+) interval brackets deviate from the (?P<step>[\d.]+)-min grid \(meter clock corrections\?\) "
        r"but form an unbroken chain of the right length; values placed by their position",
        "{n} Intervallgrenzen weichen vom {step}-Minuten-Raster ab (Uhrkorrekturen des Zählers?), bilden aber eine "
        "lückenlose Kette der richtigen Länge; Werte nach ihrer Position eingeordnet",
    ),
    (
        r"declared period (?P<a>\S+) \.\. (?P<b>\S+) is off the (?P<step>\d+)-min grid of the values",
        "angegebener Zeitraum {a} .. {b} liegt nicht im {step}-Minuten-Raster der Werte",
    ),
    (
        r"values reach beyond the declared period (?P<a>\S+) \.\. (?P<b>\S+)",
        "Werte reichen über den angegebenen Zeitraum {a} .. {b} hinaus",
    ),
    (
        r"(?P<n>\d+) intervals of the declared period have no value \(missing\)",
        "{n} Intervalle des angegebenen Zeitraums haben keinen Wert (Lücke)",
    ),
    (
        r"(?P<n>\d+) register readings marked invalid by the source were left out",
        "{n} von der Quelle als ungültig markierte Zählerstände weggelassen",
    ),
    (r"(?P<n>\d+) repeated register readings were dropped", "{n} wiederholte Zählerstände entfernt"),
    (
        r"(?P<n>\d+) intervals in (?P<g>\d+) gap\(s\) had no register reading; the register difference across each "
        r"gap \((?P<kwh>[-\d.e+]+) kWh in total\) was spread evenly over it and flagged 'filled'",
        "{n} Intervalle in {g} Lücke(n) ohne Zählerstand; die Zählerstandsdifferenz über jede Lücke ({kwh} kWh "
        "insgesamt) wurde gleichmäßig verteilt und als „aufgefüllt“ markiert",
    ),
    (
        r"(?P<n>\d+) register reset\(s\) \(meter change or overflow\): the interval\(s\) across them are missing",
        "{n} Zählerrücksetzung(en) (Zählerwechsel oder Überlauf): die Intervalle darüber fehlen",
    ),
    (
        r"PTB status of readings: (?P<x>.+) \(1-2 warnings kept; >= (?P<k>\d+) left out\)",
        "PTB-Status der Zählerstände: {x} (1–2 Warnungen übernommen; ab {k} weggelassen)",
    ),
    (
        r"tariff register (?P<o>\S+) skipped \(the total register is read\)",
        "Tarifregister {o} übersprungen (das Summenregister wird gelesen)",
    ),
    (r"skipped non-active-energy registers (?P<x>.+)", "Register ohne Wirkenergie übersprungen: {x}"),
    (r"register (?P<o>\S+) not read: (?P<why>.+)", "Register {o} nicht gelesen: {why}"),
    (r"(?P<n>\d+) empty values treated as missing", "{n} leere Werte als fehlend behandelt"),
    (r"values x (?P<f>\S+) -> kWh", "Werte × {f} -> kWh"),
    (r"(?P<n>\d+) repeated identical rows dropped", "{n} wiederholte gleiche Zeilen entfernt"),
    (r"reading times rounded to whole minutes", "Ablesezeiten auf volle Minuten gerundet"),
    (r"readings were not in time order \(sorted\)", "Werte waren nicht zeitlich geordnet (sortiert)"),
    (
        r"readings carry several UTC offsets (?P<x>.+); local days use (?P<tz>\S+)",
        "die Werte tragen mehrere UTC-Versätze {x}; die Tage werden in {tz} gebildet",
    ),
    (
        r"file offset (?P<off>-?\d+) s is not whole hours; local days use (?P<tz>\S+)",
        "der Zeitversatz der Datei ({off} s) ist keine ganze Stunde; die Tage werden in {tz} gebildet",
    ),
    (
        r"file gives the fixed offset (?P<off>UTC[+-]\d\d:\d\d) and no zone name; curve time zone set to "
        r"(?P<fixed>\S+) \(pass the matching zone, e\.g\. America/New_York, to use it instead of (?P<tz>\S+)\)",
        "die Datei nennt nur den festen Versatz {off} und keine Zeitzone; Zeitzone des Lastgangs auf {fixed} "
        "gesetzt (die passende Zone, z. B. America/New_York, angeben, um sie statt {tz} zu nutzen)",
    ),
    (
        r"estimated curve: no measured values; shape of the BDEW standard load profile",
        "geschätzter Lastgang: keine Messwerte; Form des BDEW-Standardlastprofils",
    ),
    (
        r"meter change/reset at reading (?P<i>\d+) \((?P<t1>\S+)\): consumption from (?P<a>\S+) to (?P<b>\S+) is "
        r"unknown \(missing\)",
        "Zählerwechsel/-rücksetzung bei Ablesung {i} ({t1}): Verbrauch vom {a} bis {b} unbekannt (Lücke)",
    ),
)

_ERRORS_DE: tuple[tuple[str, str], ...] = (
    (r"file is empty", "die Datei ist leer"),
    (r"is a folder, not a meter file", "ist ein Ordner, keine Zählerdatei"),
    (
        r"binary file, not a meter-data export.*",
        "Binärdatei, kein Export von Zählerdaten (erwartet: CSV, Excel, MSCONS, XML oder Parquet)",
    ),
    (
        r"this is an HTML page .*",
        "das ist eine HTML-Seite (vielleicht eine Anmelde- oder Fehlerseite, als .csv gespeichert), kein "
        "Zählerexport; bitte die CSV-Datei erneut im Kundenportal herunterladen",
    ),
    (
        r"not a meter-data format this product reads .*",
        "kein Zählerdatenformat, das dieses Programm liest (erwartet: CSV-/Excel-Export aus dem Kundenportal, "
        "MSCONS, Smart-Meter-Gateway-XML, Green-Button-XML oder eine Parquet-/CSV-Langtabelle)",
    ),
    (
        r"this is a price file, not a meter export \(columns in €/MWh or ct/kWh such as (?P<col>.+)\); "
        r"expected energy or meter-reading columns",
        "das ist eine Preisdatei, kein Zählerexport (Spalten in €/MWh oder ct/kWh wie {col}); erwartet: "
        "Verbrauchs- oder Zählerstandsspalten",
    ),
    (
        r"no header with a time column and a value column found in the first (?P<n>\d+) lines; .*found (?P<x>.*)",
        "keine Kopfzeile mit Zeit- und Wertspalte in den ersten {n} Zeilen gefunden; erwartet z. B. "
        "'Datum;Uhrzeit;Wert', 'Von;Bis;Verbrauch [kWh]' oder 'Zeitstempel;Zählerstand [kWh]'; gefunden {x}",
    ),
    (
        r"no timestamp column; .*found columns (?P<x>.*)",
        "keine Zeitspalte; erwartet Datum/Uhrzeit, Zeitstempel oder Von/Bis; gefundene Spalten {x}",
    ),
    (
        r"no value column; .*found columns (?P<x>.*)",
        "keine Wertspalte; erwartet Wert, Verbrauch, Energiemenge, Zählerstand oder eine kWh-/kW-Spalte; "
        "gefundene Spalten {x}",
    ),
    (
        r"unparseable (?P<what>.+?) (?P<x>'.*'); expected (?P<exp>.*)",
        "Zeitangabe {x} nicht lesbar; erwartet {exp}",
    ),
    (
        r"cannot read (?P<what>.+?) (?P<x>'.*') as a number \(decimal mark (?P<d>'.')[^)]*\)",
        "{x} ist keine Zahl ({what}; Dezimalzeichen {d} in dieser Datei)",
    ),
    (
        r"negative interval (?P<kind>power|energy) (?P<v>-[\d.e+]+) (?P<unit>\S+) in column (?P<col>.+); "
        r"expected values >= 0.*",
        "negativer Wert {v} {unit} in Spalte {col}; erwartet Werte ≥ 0 (Einspeisung gehört in eine eigene Spalte)",
    ),
    (
        r"negative interval energy (?P<v>-[\d.e+]+) kWh; .*",
        "negativer Verbrauch {v} kWh in einem Intervall; ein Lastgang enthält nur Werte ≥ 0",
    ),
    (
        r"implausible value (?P<v>[\d.e+]+) (?P<unit>\S+) in column (?P<col>.+) \(= (?P<kwh>[\d.e+]+) kWh in "
        r"(?P<m>\d+) min, (?P<kw>[\d.e+]+) kW average; at most (?P<max>[\d.e+]+) kW is plausible for a household\)"
        r"\. Is the unit Wh rather than kWh\?",
        "unplausibler Wert {v} {unit} in Spalte {col} (= {kwh} kWh in {m} min, im Mittel {kw} kW; für einen "
        "Haushalt sind höchstens {max} kW plausibel). Ist die Einheit Wh statt kWh?",
    ),
    (
        r"implausible value (?P<v>[\d.e+]+) kWh in (?P<m>\d+) min(?P<rest>.*)",
        "unplausibler Wert {v} kWh in {m} min – für einen Haushalt zu hoch (Einheit Wh statt kWh?)",
    ),
    (
        r"duplicate timestamp with different values; expected each interval once.*",
        "doppelter Zeitpunkt mit unterschiedlichen Werten; erwartet jedes Intervall genau einmal (bei der "
        "Winterzeit-Umstellung im Oktober die Sommerzeit-Stunde zuerst oder als 2A/2B kennzeichnen)",
    ),
    (r"duplicate interval start", "doppelter Intervallbeginn"),
    (
        r"household (?P<h>.+): duplicate rows with different values for one interval",
        "Haushalt {h}: doppelte Zeilen mit unterschiedlichen Werten für ein Intervall",
    ),
    (
        r"time runs backwards: (?P<b>.+) follows (?P<a>.+?); expected rows in time order.*",
        "die Zeit läuft rückwärts: {b} folgt auf {a}; erwartet Zeilen in zeitlicher Reihenfolge (nur die "
        "doppelte Stunde der Winterzeit-Umstellung im Oktober darf sich wiederholen)",
    ),
    (
        r"local time (?P<t>.+) does not exist in (?P<tz>\S+) \(clocks jump forward.*",
        "die Ortszeit {t} gibt es in {tz} nicht (Sommerzeit-Umstellung: die Uhr springt vor); erwartet, dass "
        "die Datei diese Stunde auslässt",
    ),
    (
        r"segment (?P<seg>\d+): unit (?P<u>'[^']*') of value (?P<v>[-\d.]+) \((?P<raw>'[^']*')\); expected KWH or KWT "
        r"\(or none, meaning kWh\)",
        "Segment {seg}: Einheit {u} beim Wert {v} ({raw}); erwartet KWH oder KWT (oder keine, dann kWh)",
    ),
    (
        r"zip archive holds (?P<n>\d+) files; expected exactly one meter file",
        "das ZIP-Archiv enthält {n} Dateien; erwartet genau eine Zählerdatei",
    ),
    (
        r"zip member expands beyond the limit.*",
        "eine Datei im ZIP-Archiv wird beim Entpacken zu groß (mögliche ZIP-Bombe); abgelehnt",
    ),
    (r"damaged zip archive: .*", "beschädigtes ZIP-Archiv"),
    (r"damaged gzip file .*", "beschädigte gzip-Datei; erwartet ein vollständiges .gz-Archiv"),
    (r"file is larger than (?P<x>.+)", "die Datei ist größer als {x}"),
    (
        r"file is (?P<mb>\d+) MB; at most (?P<mib>\d+) MiB is accepted .*",
        "die Datei hat {mb} MB; für eine Zählerdatei sind höchstens {mib} MiB erlaubt",
    ),
)

_WARNINGS_DE_RE = tuple((re.compile(p, re.S), t) for p, t in _WARNINGS_DE)
_ERRORS_DE_RE = tuple((re.compile(p, re.S), t) for p, t in _ERRORS_DE)


def _translate(text: str, catalogue: tuple) -> str | None:
    for pattern, template in catalogue:
        m = pattern.fullmatch(text)
        if m:
            return template.format(
                **{k: _de_expected(v) if k == "exp" else _de_figure(v) for k, v in m.groupdict().items()}
            )
    return None


def warning_de(text_en: str) -> str:
    """German text of one importer warning (English when the catalogue has no entry).

    >>> warning_de("1234 intervals absent from the file (gaps), marked missing")
    '1.234 Intervalle fehlen in der Datei (Lücken), als fehlend markiert'
    """
    return _translate(text_en, _WARNINGS_DE_RE) or text_en


def warning_texts(text_en: str) -> tuple[str, str]:
    """``(english, german)`` of one importer warning, built from the same figures."""
    return text_en, warning_de(text_en)


def error_de(message_en: str) -> str:
    """German text of a :class:`~advisor.errors.LoadCurveError` message (English when unknown)."""
    return _translate(message_en, _ERRORS_DE_RE) or message_en
