"""One text system for core, app, reports and letters: message codes + gettext catalogues.

* The core says things as :class:`Message` objects: a **code** (``"signature.ev_charging.evidence"``)
  and **parameters** (raw figures: ``kw=11.2``, ``days=14``), like eemeter's warnings carry a
  qualified name and data. A ``Message`` *is* a ``str`` too (its English rendering), so code and
  JSON consumers that treat the field as text keep working; ``msg.text("de")`` renders it in
  German, ``msg.code`` / ``msg.params`` give the machine-readable part.
* The words live in gettext catalogues managed with Babel: ``advisor/locale/<lang>/LC_MESSAGES/
  <domain>.po`` for ``de``, ``en`` and ``tr``, shipped as package data and parsed at load time
  with :mod:`babel.messages.pofile` (so a wheel works without a compile step). The msgid is the
  code; the msgstr is a ``str.format`` template whose fields are filled with the parameters,
  formatted by :mod:`advisor.formatting` in the target language (see :func:`render` for the
  format specs such as ``{kw:.1}``, ``{eur:eur}``, ``{share:%}``).
* Edges (app, report templates, CLI JSON) render with :func:`gettext` / :func:`localize` /
  :func:`localized`; JSON outputs put the rendered texts next to the codes with
  :func:`text_fields` (``evidence``, ``evidence_de``, ``evidence_en``, ``evidence_code``).

Fallbacks: German falls back to English, English to German, Turkish to German then English; a
code found nowhere renders as the code itself. :func:`record_fallbacks` lets a test see every
fallback that happened while a page or report was rendered.
"""

from __future__ import annotations

import gettext as _gettext
import math
import numbers
import re
import string
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from advisor.formatting import LANGUAGES, MISSING, formatter  # noqa: F401  (LANGUAGES re-exported)

#: Languages with a catalogue; German first (the product's language).
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "tr": "Türkçe"}
FALLBACKS: dict[str, tuple[str, ...]] = {"de": ("en",), "en": ("de",), "tr": ("de", "en")}
#: Internal code: a list of messages joined with a separator (see :func:`join`).
JOIN = "_join"


# ------------------------------------------------------------------------------ catalogues
@dataclass
class Catalogue:
    """The merged ``.po`` files of one language."""

    lang: str
    entries: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # code -> domain file it came from
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (code, file a, file b)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # domain -> header fields
    plural: Any = None  # n -> index of the plural form

    def get(self, code: str) -> str | tuple[str, ...] | None:
        return self.entries.get(code)


def _locale_dir(lang: str):
    return resources.files("advisor").joinpath("locale", lang, "LC_MESSAGES")


@lru_cache(maxsize=8)
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``: every ``*.po`` of ``advisor/locale/<lang>/LC_MESSAGES`` merged.

    Fuzzy entries and empty translations count as missing (gettext's rule).
    """
    from babel.messages.pofile import read_po

    cat = Catalogue(lang)
    folder = _locale_dir(lang)
    files = (
        sorted((p for p in folder.iterdir() if p.name.endswith(".po")), key=lambda p: p.name) if folder.is_dir() else []
    )
    plural_expr = None
    for path in files:
        with path.open("rb") as fh:
            po = read_po(fh, locale=lang, domain=path.name[:-3])
        cat.headers[path.name] = dict(po.mime_headers)
        plural_expr = plural_expr or po.plural_expr
        for m in po:
            if not m.id or m.fuzzy:
                continue
            code = m.id[0] if isinstance(m.id, (tuple, list)) else m.id
            value = tuple(m.string) if isinstance(m.string, (tuple, list)) else m.string
            if not value or (isinstance(value, tuple) and not all(value)):
                continue
            if code in cat.entries:
                cat.duplicates.append((code, cat.sources[code], path.name))
                continue
            cat.entries[code] = value
            cat.sources[code] = path.name
    cat.plural = _gettext.c2py(plural_expr or "(n != 1)")
    return cat


def codes(lang: str = "en") -> set[str]:
    """Every code with an entry in ``lang``."""
    return set(catalogue(lang).entries)


# ------------------------------------------------------------------------------ fallbacks seen
_recorders: list[list[tuple[str, str, str | None]]] = []
_lock = threading.Lock()


@contextmanager
def record_fallbacks() -> Iterator[list[tuple[str, str, str | None]]]:
    """Collect ``(code, wanted language, language used or None)`` for every text rendered
    from another language's catalogue (or from none) while the block runs (any thread)."""
    seen: list[tuple[str, str, str | None]] = []
    with _lock:
        _recorders.append(seen)
    try:
        yield seen
    finally:
        with _lock:
            _recorders.remove(seen)


def _lookup(code: str, lang: str) -> tuple[str | tuple[str, ...] | None, str | None]:
    for candidate in (lang, *FALLBACKS.get(lang, ("de", "en"))):
        value = catalogue(candidate).get(code)
        if value is not None:
            if candidate != lang and _recorders:
                with _lock:
                    for r in _recorders:
                        r.append((code, lang, candidate))
            return value, candidate
    if _recorders:
        with _lock:
            for r in _recorders:
                r.append((code, lang, None))
    return None, None


# ------------------------------------------------------------------------------ rendering
_SPEC = re.compile(r"^(?P<kind>eur|ct|pct|%|\+|d|date|datetime|month|kwh|kw|w)?(?:\.(?P<dec>\d+)f?)?$")
_CAP = "cap"


class _Fields(string.Formatter):
    """``str.format`` with figures formatted in one language (see :func:`render`)."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def get_value(self, key, args, kwargs):
        if isinstance(key, int):
            return args[key] if key < len(args) else MISSING
        return kwargs.get(key, MISSING)

    def format_field(self, value: Any, spec: str) -> str:
        return format_value(value, self.lang, spec)


def format_value(value: Any, lang: str, spec: str = "") -> str:
    """One parameter as text in ``lang``.

    Specs: ``""`` (int grouped, float with up to two decimals, text as is, dates as dates),
    ``.N`` (N decimals), ``eur`` / ``eur.N`` (euro), ``ct.N`` (a €/kWh price in ct/kWh), ``pct.N``
    (a value in percent), ``%.N`` (a share 0..1 as percent), ``+.N`` (signed), ``d`` (digits
    without grouping: years, line numbers), ``kwh.N`` / ``kw.N`` / ``w.N`` (number with unit),
    ``date``, ``datetime``, ``month``, ``cap`` (a text or message with a capital first letter).
    """
    if spec == _CAP:  # the parameter's text with a capital first letter (a sentence starts with it)
        return sentence(format_value(value, lang))
    f = formatter(lang)
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v, lang, spec) for v in value)
    if isinstance(value, str):
        return value
    m = _SPEC.match(spec or "")
    if m is None:
        return format(value, spec)
    kind, dec = m.group("kind"), m.group("dec")
    decimals = int(dec) if dec is not None else 0
    if kind in ("date", "datetime", "month"):
        return {"date": f.date, "datetime": f.datetime, "month": f.month}[kind](value)
    if value is None or isinstance(value, bool):
        return MISSING if value is None else format_value(Message("common.yes" if value else "common.no"), lang)
    if not isinstance(value, numbers.Real):
        if hasattr(value, "year") and hasattr(value, "month"):
            return f.date(value)
        return str(value)
    if kind is None:
        if dec is not None:
            return f.number(value, decimals)
        if isinstance(value, numbers.Integral):
            return f.number(value, 0)
        return f.auto(value)
    if kind == "eur":
        return f.eur(value, decimals)
    if kind == "ct":
        return f.ct_per_kwh(value, decimals)
    if kind == "pct":
        return f.pct(value, decimals)
    if kind == "%":
        return f.percent(value, decimals)
    if kind == "+":
        return f.signed(value, decimals)
    if kind == "d":
        return f.integer_plain(value)
    return f.unit(value, {"kwh": "kWh", "kw": "kW", "w": "W"}[kind], decimals)


def _plural_index(cat: Catalogue, params: dict[str, Any]) -> int:
    """Index of the plural form for parameter ``n``: an integer chooses by the catalogue's
    rule; a float always takes the "other" form (German and English say "1,0 Jahre")."""
    n = params.get("n", 1)
    if isinstance(n, bool) or not isinstance(n, numbers.Real):
        return 0
    if not isinstance(n, numbers.Integral):
        return int(cat.plural(2))
    return int(cat.plural(abs(int(n))))


def render(code: str, lang: str = "de", params: dict[str, Any] | None = None) -> str:
    """The text of ``code`` in ``lang`` with its parameters filled in.

    Plural entries (``msgid_plural`` in the ``.po``) choose their form by the parameter ``n``.
    """
    params = params or {}
    if code == JOIN:
        parts = [format_value(p, lang) for p in params.get("parts", ())]
        return str(params.get("sep", "; ")).join(p for p in parts if p)
    template, used = _lookup(code, lang)
    if template is None:
        return code
    if isinstance(template, tuple):
        index = _plural_index(catalogue(used or lang), params)
        template = template[min(index, len(template) - 1)]
    if not params and "{" not in template:
        return template
    try:
        return _Fields(used or lang).vformat(template, (), params)
    except (ValueError, IndexError, AttributeError):  # a broken template must not break a page
        return template


def gettext(code: str, lang: str = "de", /, **params: Any) -> str:
    """``render(code, lang, params)`` for edges that hold a code (app views, templates)."""
    return render(code, lang, params)


def translator(lang: str):
    """``t(code, **params)`` bound to one language."""

    def t(code: str, /, **params: Any) -> str:
        return render(code, lang, params)

    return t


class Message(str):
    """A text the core says: a code with parameters; as a ``str`` its English rendering.

    >>> m = Message("common.yes")
    >>> m.code, m.text("de"), str(m)
    ('common.yes', 'ja', 'yes')
    """

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Message:
        self = super().__new__(cls, render(code, "en", params))
        self.code = code
        self.params = params
        return self

    def text(self, lang: str = "de") -> str:
        """The text in ``lang`` (``de``, ``en``, ``tr``)."""
        return str.__str__(self) if lang == "en" else render(self.code, lang, self.params)

    @property
    def de(self) -> str:
        return self.text("de")

    @property
    def en(self) -> str:
        return self.text("en")

    def to_dict(self) -> dict[str, Any]:
        """``{"code": …, "data": {…}}`` with nested messages as dicts too (JSON-ready)."""
        return {"code": self.code, "data": {k: _jsonable(v) for k, v in self.params.items()}}

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Message({self.code!r}{args})"

    def __reduce__(self):
        return (_restore, (self.code, self.params))

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self


def _restore(code: str, params: dict[str, Any]) -> Message:
    return Message(code, **params)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Message):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        x = float(value)
        return x if math.isfinite(x) else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def message(code: str, /, **params: Any) -> Message:
    """Shorthand for ``Message(code, **params)``."""
    return Message(code, **params)


def join(parts: Iterable[Any], sep: str = "; ") -> Message:
    """Messages (or plain texts) joined with ``sep``, still renderable in every language."""
    return Message(JOIN, parts=[p for p in parts if p], sep=sep)


# ------------------------------------------------------------------------------ edges
def localize(value: Any, lang: str = "de") -> Any:
    """``value`` in ``lang``: a :class:`Message` rendered, lists/tuples element-wise, dicts of the
    form ``{"code": …, "data": …}`` rendered, anything else unchanged."""
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, list):
        return [localize(v, lang) for v in value]
    if isinstance(value, tuple):
        return tuple(localize(v, lang) for v in value)
    if isinstance(value, dict) and set(value) == {"code", "data"} and isinstance(value["code"], str):
        return render(value["code"], lang, {k: _from_json(v) for k, v in value["data"].items()})
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"code", "data"}:
        return Message(value["code"], **{k: _from_json(v) for k, v in value["data"].items()})
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


def localized(obj: Any, name: str, lang: str = "de") -> Any:
    """The text ``name`` of ``obj`` (dataclass, object or mapping) in ``lang``.

    A mapping from a JSON output may carry the rendered ``<name>_<lang>`` key; otherwise the
    value (a :class:`Message` or a list of them) is rendered with :func:`localize`.
    """
    if isinstance(obj, dict):
        if lang != "en" and obj.get(f"{name}_{lang}"):
            return obj[f"{name}_{lang}"]
        return localize(obj.get(name), lang)
    value = getattr(obj, name)
    if lang == "de" and not isinstance(value, (Message, list, tuple)):
        twin = getattr(obj, f"{name}_de", None)  # a module not yet converted to Messages
        if twin:
            return twin
    if lang == "de" and isinstance(value, (list, tuple)) and not any(isinstance(v, Message) for v in value):
        twin = getattr(obj, f"{name}_de", None)
        if twin:
            return twin
    return localize(value, lang)


def text_fields(name: str, value: Any, languages: Iterable[str] = ("de", "en")) -> dict[str, Any]:
    """JSON keys for one text field: ``name`` (English, the historic key), ``name_<lang>``
    rendered for each language and ``name_code`` (code and data, or a list of them). A tuple
    comes out as a list (as JSON has it)."""
    if isinstance(value, tuple):
        value = list(value)
    out: dict[str, Any] = {name: localize(value, "en")}
    for lang in languages:
        out[f"{name}_{lang}"] = localize(value, lang)
    if isinstance(value, Message):
        out[f"{name}_code"] = value.to_dict()
    elif isinstance(value, (list, tuple)) and any(isinstance(v, Message) for v in value):
        out[f"{name}_code"] = [
            v.to_dict() if isinstance(v, Message) else {"code": None, "data": {"text": v}} for v in value
        ]
    return out


_CITE_DATE = re.compile(r"^(?P<body>.*) \((?P<date>[^()]*)\)$", re.S)


def source_text(text: str, lang: str = "de") -> str:
    """A cited source in ``lang``.

    The ``sources`` catalogue is keyed by the seed's exact source text (its msgid), so a source
    that a Stadtwerk wrote itself in a seeds override is shown as written. A trailing ``(date)``
    as in ``Measure.cite()`` is kept; unknown sources are returned unchanged.
    """
    if not text:
        return text
    m = _CITE_DATE.match(text)
    body, tail = (m.group("body"), f" ({m.group('date')})") if m else (text, "")
    for candidate in (lang, *FALLBACKS.get(lang, ())):
        found = catalogue(candidate).get(body)
        if isinstance(found, str) and found:
            return found + tail
    return text


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised (core texts start lower-case to be joinable)."""
    return text[:1].upper() + text[1:] if text else text


def join_notes(parts: list[str] | tuple[str, ...], sep: str = "; ") -> str:
    """Non-empty parts joined with ``sep`` (a :class:`Message` when any part is one)."""
    if any(isinstance(p, Message) for p in parts):
        return join(parts, sep)
    return sep.join(p for p in parts if p)


# ------------------------------------------------------------------------------ number shortcuts
def num(value: Any, decimals: int = 0, lang: str = "en", *, grouping: bool = True) -> str:
    """A number in the language's format (``1.234,5`` de, ``1,234.5`` en) via the one formatter.

    >>> num(1234.5, 1, "de")
    '1.234,5'
    >>> num(-0.04, 1, "de")
    '0,0'
    """
    return formatter(lang).number(value, decimals, grouping=grouping)


def signed(value: Any, decimals: int = 0, lang: str = "en") -> str:
    """A number with an explicit sign (``+12``, ``-0,35``)."""
    return formatter(lang).signed(value, decimals)


def pct(share_pct: Any, decimals: int = 0, lang: str = "en") -> str:
    """A value given in percent [%]: ``12 %`` (de), ``12%`` (en)."""
    return formatter(lang).pct(share_pct, decimals)


def both(make) -> tuple[str, str]:
    """``(english, german)`` from one text builder ``make(lang)`` (legacy; prefer Message)."""
    return make("en"), make("de")


# --- legacy importer texts (removed once the ingest readers emit Messages): warnings (CurveMeta.warnings_de) and LoadCurveError.message_de -------------
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
