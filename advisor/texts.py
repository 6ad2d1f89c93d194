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
_SPEC = re.compile(r"^(?P<kind>eur|ct|pct|%|\+|d|g|iso|date|datetime|month|kwh|kw|w)?(?:\.(?P<dec>\d+)f?)?$")
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
    ``date``, ``datetime``, ``month``, ``iso`` (``2024-06-02`` in every language), ``g`` (a figure
    quoted from a file: up to six significant digits, no grouping, the language's decimal mark —
    ``1001``, ``0,2``), ``cap`` (a text or message with a capital first letter).
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
    if kind == "iso":  # a date as YYYY-MM-DD in every language (English texts that tools match)
        ts = f._timestamp(value)
        return MISSING if ts is None else f"{ts:%Y-%m-%d}"
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
    if kind == "g":
        return f.quoted(value)
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
    value (a :class:`Message` or a list of them) is rendered with :func:`localize`. (Objects carry
    no ``<name>_de`` twins any more: every core text is a Message.)
    """
    if isinstance(obj, dict):
        if lang != "en" and obj.get(f"{name}_{lang}"):
            return obj[f"{name}_{lang}"]
        return localize(obj.get(name), lang)
    return localize(getattr(obj, name), lang)


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
    as in ``Measure.cite()`` is kept; unknown sources are returned unchanged. A source the core
    words itself (a :class:`Message`, e.g. "the night-storage signature of your own curve") is
    rendered in ``lang``.
    """
    if isinstance(text, Message):
        return text.text(lang)
    if not text:
        return text
    m = _CITE_DATE.match(text)
    # the whole text first: a source may end in a parenthesis of its own ("… (20-40 % less)")
    tries = [(text, "")] + ([(m.group("body"), f" ({m.group('date')})")] if m else [])
    for candidate in (lang, *FALLBACKS.get(lang, ())):
        for body, tail in tries:
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


# ------------------------------------------------------------------------------ texts from outside
def map_text(value: Any, fn) -> Any:
    """``value`` with ``fn`` applied to every plain text in it: a ``str`` itself, or each text
    parameter of a :class:`Message` (nested, joined); the code stays. For cleaning or scrubbing
    what a file contributed to a message without losing the message's languages."""
    if isinstance(value, Message):
        return Message(value.code, **{k: map_text(v, fn) for k, v in value.params.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(map_text(v, fn) for v in value)
    if isinstance(value, str):
        return fn(value)
    return value


def message_from_dict(value: Any) -> Message | None:
    """A :class:`Message` back from :meth:`Message.to_dict` output read from a file, or None when
    ``value`` is not one: the code must be known to the catalogues (or a join) and the data only
    texts, numbers, booleans, lists and nested messages."""

    def param(v: Any, depth: int) -> Any:
        if depth > 8:
            raise ValueError
        if isinstance(v, dict):
            m = build(v, depth + 1)
            if m is None:
                raise ValueError
            return m
        if isinstance(v, list):
            return [param(x, depth + 1) for x in v]
        if v is None or isinstance(v, (str, bool, int, float)):
            return v
        raise ValueError

    def build(v: Any, depth: int) -> Message | None:
        if not (isinstance(v, dict) and set(v) == {"code", "data"} and isinstance(v["code"], str)):
            return None
        if not isinstance(v["data"], dict) or (v["code"] != JOIN and v["code"] not in catalogue("en").entries):
            return None
        return Message(v["code"], **{str(k): param(x, depth) for k, x in v["data"].items()})

    try:
        return build(value, 0)
    except (ValueError, TypeError, RecursionError):
        return None

