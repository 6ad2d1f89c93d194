"""Portal CSV exports of German (and a few other) meter operators and suppliers.

Covers the dialects listed in ``FORMATS.md`` §3 and §7: ``;``, ``,`` or tab separators, decimal
comma with thousands dot (detected once per file, refused when ambiguous), UTF-8 with or without
BOM, cp1252 and UTF-16 (Excel "Unicode text"), metadata lines above the header (``Zählpunkt;…``,
``Einheit;kWh``, ``#`` lines), trailing separators, ``="…"`` wrappers, ``-`` or empty for
missing, German and English headers, start- or end-labelled timestamps or ``Von/Bis`` pairs,
interval energy (kWh, Wh), average power (kW, W) and cumulative meter readings (Zählerstand),
naive local wall time across DST (by order or ``2A/2B`` labels), offsets, ``Z`` and epoch.

The table logic lives in :func:`parse_table` so that the Excel reader shares it.
"""

from __future__ import annotations

import csv as _stdcsv
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from advisor.errors import LoadCurveError
from advisor.ingest import timezones
from advisor.loadcurve import (
    MAX_PLAUSIBLE_POWER_KW,
    CurveMeta,
    Direction,
    LoadCurve,
    Quality,
    larger_than_household,
    make_load_curve,
    outside_plausible_period,
    plausible_window,
)
from advisor.texts import Message
from advisor.units import ALLOWED_INTERVAL_MINUTES, kw_to_kwh

FORMAT = "csv"

MAX_ROWS = 2_000_000
MAX_LINE_CHARS = 10_000
HEADER_SEARCH_LINES = 60
DELIMITERS = (";", "\t", ",")
MISSING_TOKENS = frozenset({"", "-", "--", "---", "–", "—", "n/a", "na", "nan", "null", "none", "k.a.", "#nv", "#n/a"})

# --- header vocabulary (normalised: lower case, umlauts folded, single spaces) ----------------
_DATETIME_NAMES = {
    "zeitraum",
    "messzeitraum",
    "periode",
    "period",
    "zeitstempel",
    "timestamp",
    "messzeitpunkt",
    "zeitpunkt",
    "datum/uhrzeit",
    "datum uhrzeit",
    "datum und uhrzeit",
    "datetime",
    "date/time",
    "date time",
    "zeit",
    "time",
    "ablesezeitpunkt",
    "horodate",
    "timestamp_utc",
    "timestamp utc",
    "zeitstempel (utc)",
    "time (utc)",
    "interval",
    "intervall",
    "messzeit",
    "last_changed",
}
_DATE_NAMES = {"datum", "date", "tag", "day", "ablesedatum", "messdatum"}
_TIME_NAMES = {"uhrzeit", "uhrzeit (mez/mesz)", "zeit (mez/mesz)", "tijdstip"}
_START_NAMES = {
    "von",
    "datum von",
    "start",
    "from",
    "beginn",
    "zeitraum von",
    "interval_start",
    "interval start",
    "start time",
    "begin",
    "startzeit",
    "van",
    "ab",
    "messbeginn",
    "zeitstempel von",
    "period_start",
    "start_time",
}
_END_NAMES = {
    "bis",
    "datum bis",
    "end",
    "to",
    "ende",
    "zeitraum bis",
    "interval_end",
    "interval end",
    "end time",
    "endzeit",
    "tot",
    "messende",
    "zeitstempel bis",
    "period_end",
    "end_time",
}
_START_DATE_NAMES = {"von datum", "datum von (datum)", "van datum", "startdatum", "start date", "datum beginn"}
_START_TIME_NAMES = {"von uhrzeit", "uhrzeit von", "zeit von", "van tijdstip", "startzeit uhrzeit", "start time of day"}
_END_DATE_NAMES = {"bis datum", "tot datum", "enddatum", "end date", "datum ende"}
_END_TIME_NAMES = {"bis uhrzeit", "uhrzeit bis", "zeit bis", "tot tijdstip"}

_REGISTER_WORDS = ("zaehlerstand", "zahlerstand", "meter reading", "register", "zaehlwerk", "ablesung", "stand")
_POWER_WORDS = ("leistung", "power", "wirkleistung", "demand")
_ENERGY_WORDS = (
    "wert",
    "verbrauch",
    "energiemenge",
    "energie",
    "consumption",
    "value",
    "menge",
    "bezug",
    "wirkarbeit",
    "volume",
    "messwert",
    "energy",
    "kwh",
    "arbeit",
    "einspeisung",
    "lieferung",
    "export",
    "feed",
    "valeur",
)
#: Text encodings in the words of the conversion note (``cp1252`` is what older Excel writes).
ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1", "utf-16": "UTF-16", "utf-8": "UTF-8", "utf-8-sig": "UTF-8"}
_EXPORT_WORDS = ("einspeisung", "lieferung", "export", "feed-in", "feed in", "feedin", "2.8.0", "injectie", "erzeugung")
#: Header words of a net (signed) value column: positive = import, negative = feed-in.
_SIGNED_WORDS = ("saldiert", "saldo", "saldierend", "signed", "net import", "netto-bezug", "nettobezug", "bezug - einspeisung")
#: Header names of a column that names the register (OBIS code) of each row.
_OBIS_COLUMN_NAMES = {"obis", "obis-kennzahl", "obis-kennziffer", "obis kennzahl", "obis-code", "obis code", "kennzahl"}
_OBIS_RE = re.compile(r"^(?:\d{1,3}-\d{1,3}:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\*\d+)?$")
_OBIS_IN_NAME_RE = re.compile(r"(?<![\d.])(?:1-0:)?([12])\.8\.(\d)(?![\d.])")
_STATUS_WORDS = ("status", "qualitaet", "quality", "validatiestatus", "kennzeichen", "messwertstatus", "nature", "flag")
_UNIT_COLUMN_NAMES = {"einheit", "unit", "eenheid", "unite", "masseinheit"}
_ID_COLUMN_NAMES = {
    "zaehlpunkt",
    "zahlpunkt",
    "ean",
    "messlokation",
    "marktlokation",
    "malo",
    "melo",
    "zaehlernummer",
    "meter",
    "mpan",
    "identifiant prm",
}
_LONG_TABLE_IDS = {"household_id", "lclid", "hh_id", "customer_id", "meter_id", "haushalt_id", "household", "id"}
_PRICE_PATTERNS = ("€/mwh", "eur/mwh", "€/kwh", "eur/kwh", "ct/kwh", "preis", "price", "(p)", "cent/kwh")
_META_ID_KEYS = (
    "zaehlpunkt",
    "zahlpunkt",
    "zaehlpunktbezeichnung",
    "messlokation",
    "marktlokation",
    "malo",
    "melo",
    "zaehlernummer",
    "meter",
    "meter id",
    "ean",
    "mpan",
    "uuid",
    "obis",
    "obis-kennzahl",
)

_TZ_META_KEYS = {"zeitzone", "timezone", "time zone", "zeitbasis", "zeitangabe", "zeitzone der zeitstempel"}
_UNIT_RE = re.compile(r"(?:\[|\()\s*(mwh|kwh|wh|kw|w)\s*(?:\]|\))|\bin\s+(mwh|kwh|wh|kw|w)\b|\b(mwh|kwh|wh|kw)\b", re.I)
_EPOCH_MIN_S, _EPOCH_MAX_S = 0, 7_258_118_400  # 1970-01-01 .. 2200-01-01
_AB_ANY = re.compile(r"\d\s?[AaBb](?:\s*:|\s*$)", re.M)
_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"


@dataclass(frozen=True)
class _Value:
    """One value column: index, kind (energy/power/register), unit, direction."""

    col: int
    name: str
    kind: str
    unit: str | None
    direction: Direction


@dataclass
class _Table:
    """Header-level reading of a table: roles of the columns and metadata above the header."""

    header: list[str]
    header_line: int
    start_cols: list[int] = field(default_factory=list)  # datetime or date+time columns of the start side
    end_cols: list[int] = field(default_factory=list)
    single_cols: list[int] = field(default_factory=list)
    values: list[_Value] = field(default_factory=list)
    substitute_col: int | None = None
    status_col: int | None = None
    unit_col: int | None = None
    id_col: int | None = None
    meta_unit: str | None = None
    meter_id: str | None = None
    obis: str | None = None
    forced_label: str | None = None  # "start"/"end" when the one time column is named Von/Bis


# ---------------------------------------------------------------------------------------------
# sniffing and decoding
# ---------------------------------------------------------------------------------------------
def _decode(raw: bytes, source: str) -> tuple[str, str]:
    """Text and encoding name: BOM first, then UTF-8, then cp1252 (German Excel), then Latin-1."""
    if raw[:3] == b"\xef\xbb\xbf":
        enc = "utf-8-sig"
    elif raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        enc = "utf-16"
    else:
        enc = "utf-8"
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        if enc == "utf-16":
            raise LoadCurveError(Message("ingest.error.utf16"), source=source) from None
        try:
            text, enc = raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, enc = raw.decode("latin-1"), "latin-1"
    if "\x00" in text:
        raise LoadCurveError(Message("ingest.error.nul_chars"), source=source)
    return text, enc


def _norm(cell: str) -> str:
    """Normalise a header cell: strip wrappers and quotes, lower case, fold umlauts, squeeze spaces."""
    c = cell.strip().lstrip("\ufeff").strip()
    if c.startswith('="') and c.endswith('"'):
        c = c[2:-1]
    c = c.strip().strip('"').strip("'").strip()
    c = c.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    c = unicodedata.normalize("NFKC", c)
    return re.sub(r"\s+", " ", c)


def _split(line: str, delim: str) -> list[str]:
    try:
        return next(_stdcsv.reader([line], delimiter=delim, skipinitialspace=True))
    except (StopIteration, _stdcsv.Error):
        return line.split(delim)


def _bare(name: str) -> str:
    """Header name without its unit in brackets or 'in kWh'."""
    b = re.sub(r"[\[(][^\])]*[\])]", " ", name)
    b = re.sub(r"\bin (mwh|kwh|wh|kw|w)\b", " ", b)
    return re.sub(r"\s+", " ", b).strip(" :")


def _unit_of(name: str) -> str | None:
    m = _UNIT_RE.search(name)
    if not m:
        return None
    u = next(g for g in m.groups() if g)
    return {"mwh": "MWh", "kwh": "kWh", "wh": "Wh", "kw": "kW", "w": "W"}[u.lower()]


def _time_role(name: str) -> str | None:
    b = _bare(name)
    for role, names in (
        ("start_date", _START_DATE_NAMES),
        ("start_time", _START_TIME_NAMES),
        ("end_date", _END_DATE_NAMES),
        ("end_time", _END_TIME_NAMES),
        ("start", _START_NAMES),
        ("end", _END_NAMES),
        ("date", _DATE_NAMES),
        ("time", _TIME_NAMES),
        ("single", _DATETIME_NAMES),
    ):
        if b in names or name in names:
            return role
    return None


def _is_price_header(cells: list[str]) -> bool:
    return any(p in c for c in cells for p in _PRICE_PATTERNS)


def _value_kind(name: str, unit: str | None) -> str | None:
    b = _bare(name)
    if any(w in b for w in _REGISTER_WORDS):
        return "register"
    if any(w in b for w in _POWER_WORDS) or (unit in ("kW", "W") and not any(w in b for w in _ENERGY_WORDS[:-1])):
        return "power"
    if any(w in b for w in _ENERGY_WORDS) or unit is not None:
        return "energy"
    return None


def _looks_like_header(cells: list[str]) -> bool:
    roles = [_time_role(c) for c in cells]
    has_time = any(r is not None for r in roles)
    has_value = any(
        r is None and (_value_kind(c, _unit_of(c)) is not None or c == "ersatzwert") for c, r in zip(cells, roles, strict=False)
    )
    return has_time and has_value


def _best_delimiter(line: str) -> str | None:
    best, best_score = None, 0
    for d in DELIMITERS:
        if d not in line:
            continue
        cells = [_norm(c) for c in _split(line, d)]
        score = sum(_time_role(c) is not None for c in cells) + sum(
            _value_kind(c, _unit_of(c)) is not None for c in cells
        )
        if score > best_score and len(cells) > 1:
            best, best_score = d, score
    return best


def is_long_table_header(cells: list[str]) -> bool:
    """True for long multi-household tables (``household_id``/``lclid`` + time + kWh)."""
    norm = [_norm(c) for c in cells]
    return any(c in _LONG_TABLE_IDS for c in norm) and len([c for c in norm if c]) >= 3


def sniff(head: bytes, name: str) -> bool:
    """A text table with a time and a value column (or a .csv/.txt name); not a long table."""
    if head[:4] in (b"PK\x03\x04", b"PAR1"):
        return False
    try:
        text, _ = _decode(
            head[:8192] if head[:2] not in (b"\xff\xfe", b"\xfe\xff") else head[: 8192 - (len(head[:8192]) % 2)], name
        )
    except LoadCurveError:
        return False
    lines = text.splitlines()[:HEADER_SEARCH_LINES]
    for line in lines:
        d = _best_delimiter(line)
        if d is None:
            continue
        cells = _split(line, d)
        if is_long_table_header(cells):
            return False
        if _looks_like_header([_norm(c) for c in cells]):
            return True
    return name.lower().endswith((".csv", ".txt", ".tsv"))


# ---------------------------------------------------------------------------------------------
# header search and column roles
# ---------------------------------------------------------------------------------------------
def _meta_from_line(cells: list[str], table_meta: dict) -> None:
    key = _norm(cells[0]).lstrip("#").strip().rstrip(":").strip()
    vals = [c.strip() for c in cells[1:] if c.strip()]
    if not vals:
        m = re.match(r"^([^:]+):\s*(.+)$", cells[0].lstrip("#").strip())
        if not m:
            return
        key, vals = _norm(m.group(1)), [m.group(2).strip()]
    val = vals[0]
    if val.startswith('="') and val.endswith('"'):
        val = val[2:-1]
    if key in ("einheit", "unit", "masseinheit", "eenheid"):
        u = _unit_of(f"[{val.strip()}]")
        if u:
            table_meta["unit"] = u
    elif key.startswith("obis"):
        table_meta["obis"] = val
    elif key in _TZ_META_KEYS:
        table_meta["tz_text"] = val
    elif any(key == k or key.startswith(k + " ") for k in _META_ID_KEYS) and "meter_id" not in table_meta:
        table_meta["meter_id"] = val


def find_header(rows: list[list[str]], source: str, *, first_line: int = 1) -> tuple[int, dict]:
    """Index of the header row in ``rows`` and metadata from the lines above it.

    Raises LoadCurveError for price files and files without a recognisable header.
    """
    meta: dict = {}
    for i, cells in enumerate(rows[:HEADER_SEARCH_LINES]):
        norm = [_norm(c) for c in cells]
        if not any(norm):
            continue
        if _is_price_header(norm) and any(_time_role(c) for c in norm):
            raise LoadCurveError(
                Message(
                    "ingest.error.price_file",
                    column=repr(next(c for c, n in zip(cells, norm, strict=False) if _is_price_header([n])).strip()),
                ),
                source=source,
                line=first_line + i,
            )
        if _looks_like_header(norm):
            return i, meta
        _meta_from_line(cells, meta)
    shown = next((" ".join(r)[:80] for r in rows if any(c.strip() for c in r)), "")
    raise LoadCurveError(
        Message("ingest.error.no_header", n=HEADER_SEARCH_LINES, found=repr(shown)),
        source=source,
    )


def _roles(header: list[str], header_line: int, meta: dict, source: str) -> _Table:
    t = _Table(
        header=header,
        header_line=header_line,
        meta_unit=meta.get("unit"),
        meter_id=meta.get("meter_id"),
        obis=meta.get("obis"),
    )
    norm = [_norm(c) for c in header]
    if is_long_table_header(header):
        raise LoadCurveError(
            Message("ingest.error.long_table"),
            source=source,
            line=header_line,
        )
    roles: dict[str, list[int]] = {}
    for j, c in enumerate(norm):
        if not c:
            continue
        r = _time_role(c)
        if r is not None:
            roles.setdefault(r, []).append(j)
            continue
        b = _bare(c)
        if b in _UNIT_COLUMN_NAMES:
            t.unit_col = j
        elif b in _ID_COLUMN_NAMES or b.startswith("zaehlpunkt"):
            t.id_col = j
        elif b == "ersatzwert" or b.startswith("ersatzwert "):
            t.substitute_col = j  # decided later: numeric substitute values or a status flag
        elif any(w in b for w in _STATUS_WORDS):
            if t.status_col is None:
                t.status_col = j
        else:
            unit = _unit_of(c)
            kind = _value_kind(c, unit)
            if kind is not None:
                direction = Direction.EXPORT if any(w in c for w in _EXPORT_WORDS) else Direction.IMPORT
                t.values.append(_Value(j, header[j].strip(), kind, unit, direction))
    # time columns
    if "start_date" in roles or "start_time" in roles:
        t.start_cols = roles.get("start_date", [])[:1] + roles.get("start_time", [])[:1]
        t.end_cols = roles.get("end_date", [])[:1] + roles.get("end_time", [])[:1]
    elif "start" in roles or "end" in roles:
        date = roles.get("date", [])[:1]
        t.start_cols = date + roles.get("start", [])[:1] if "start" in roles else []
        t.end_cols = date + roles.get("end", [])[:1] if "end" in roles else []
        if not t.start_cols:
            t.single_cols, t.end_cols = t.end_cols, []
            t.forced_label = "end"
        elif not t.end_cols:
            t.single_cols, t.start_cols = t.start_cols, []
            t.forced_label = "start"
    elif "single" in roles:
        t.single_cols = roles["single"][:1]
        if "date" in roles and "time" not in roles:
            t.single_cols = roles["date"][:1] + t.single_cols
    elif "date" in roles:
        t.single_cols = roles["date"][:1] + roles.get("time", [])[:1]
    elif "time" in roles:
        t.single_cols = roles["time"][:1]
    if not (t.single_cols or t.start_cols):
        raise LoadCurveError(
            Message("ingest.error.no_time_column", columns=str(header)),
            source=source,
            line=header_line,
        )
    if not t.values and t.substitute_col is None:
        raise LoadCurveError(
            Message("ingest.error.no_value_column", columns=str(header)),
            source=source,
            line=header_line,
        )
    return t


# ---------------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------------
_CELL_UNIT_RE = r"^([+-]?[\d.,]+)\s*(mwh|kwh|wh|kw|w|MWh|kWh|Wh|kW|W|KWH|KW|WH)$"
_NUM_CHARS = re.compile(r"^[+-]?[\d.,]+(?:[eE][+-]?\d+)?$")
_GROUP_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}(?:\.\d{3})+$")
_GROUP_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+$")


def detect_decimal(samples: pd.Series, source: str, header_line: int) -> str:
    """``","`` (German: decimal comma, thousands dot) or ``"."``; refuses ambiguous files."""
    s = samples[samples.str.contains(r"[.,]", regex=True)]
    if s.empty:
        return "."
    has_comma = s.str.contains(",", regex=False)
    has_dot = s.str.contains(".", regex=False)
    both = s[has_comma & has_dot]
    if not both.empty:
        comma_last = both.str.rfind(",") > both.str.rfind(".")
        if comma_last.all():
            return ","
        if (~comma_last).all():
            return "."
        raise LoadCurveError(
            Message("ingest.error.mixed_number_styles"),
            source=source,
            line=header_line,
        )
    if has_comma.any() and has_dot.any():
        commas, dots = s[has_comma], s[has_dot]
        if dots.str.match(_GROUP_DOT).all():
            return ","
        if commas.str.match(_GROUP_COMMA).all():
            return "."
        raise LoadCurveError(
            Message("ingest.error.two_decimal_marks", comma=repr(commas.iloc[0]), dot=repr(dots.iloc[0])),
            source=source,
            line=header_line,
        )
    if has_comma.any():
        if s.str.match(_GROUP_COMMA).all():
            raise LoadCurveError(
                Message("ingest.error.ambiguous_comma", value=repr(s.iloc[0])),
                source=source,
                line=header_line,
            )
        return ","
    if s.str.match(_GROUP_DOT).all():
        raise LoadCurveError(
            Message("ingest.error.ambiguous_dot", value=repr(s.iloc[0])),
            source=source,
            line=header_line,
        )
    return "."


def _mostly_numeric(cells: pd.Series) -> bool:
    """True when the column's filled cells look like numbers (sampled from the first rows)."""
    head = cells.iloc[:200]
    filled = head[~head.str.lower().isin(MISSING_TOKENS)]
    return bool(len(filled) == 0 or filled.str.match(_NUM_CHARS).mean() >= 0.9)


def _fast_float(txt: pd.Series, missing: pd.Series) -> pd.Series | None:
    """Arrow's C cast of clean number strings (missing tokens as NaN); None if any cell is odd."""
    try:
        arr = pa.array(txt.where(~missing, "nan").astype("str"))
        out = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        return None
    return pd.Series(out, index=txt.index)


def _to_number(cells: pd.Series, decimal: str, lines: np.ndarray, source: str, what: str) -> pd.Series:
    """Vectorised German/English number parsing; missing tokens -> NaN; junk -> LoadCurveError."""
    if decimal == ",":
        txt = cells.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        txt = cells.str.replace(",", "", regex=False)
    missing = cells.str.lower().isin(MISSING_TOKENS)
    num = _fast_float(txt, missing)
    if num is None:
        num = pd.to_numeric(txt, errors="coerce")
    bad = num.isna() & ~missing
    if decimal == ",":
        bad |= cells.str.contains(".", regex=False) & ~cells.str.match(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$")
    else:
        bad |= cells.str.contains(",", regex=False) & ~cells.str.match(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
    if bad.any():
        pos = int(np.argmax(bad.to_numpy()))
        raise LoadCurveError(
            Message("ingest.error.not_a_number", what=what, cell=repr(cells.iloc[pos]), decimal=repr(decimal)),
            source=source,
            line=int(lines[pos]),
        )
    num = num.astype("float64")
    inf = ~np.isfinite(num.to_numpy()) & num.notna().to_numpy()
    if inf.any():
        pos = int(np.argmax(inf))
        raise LoadCurveError(Message("ingest.error.not_finite", what=what, cell=repr(cells.iloc[pos])), source=source, line=int(lines[pos]))
    return num


# ---------------------------------------------------------------------------------------------
# timestamps
# ---------------------------------------------------------------------------------------------
_FORMATS = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d.%m.%Y %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
)


@dataclass(frozen=True)
class _Times:
    """Parsed timestamps of one side: UTC instants (int64 ns) or naive wall times with DST hints."""

    utc_ns: np.ndarray | None  # when the file carries offsets, Z or epoch
    naive: pd.DatetimeIndex | None  # naive wall time
    fold: np.ndarray | None  # +1 = 2A (summer copy), -1 = 2B (winter copy), 0 = by order
    how: str  # how the times were given: "local", "offsets", "epoch_s", "epoch_ms" (code ingest.conv.time.*)


def _parse_times(text: pd.Series, lines: np.ndarray, source: str, what: str) -> _Times:
    t = text.str.strip()
    empty = t.eq("")
    if empty.any():
        pos = int(np.argmax(empty.to_numpy()))
        raise LoadCurveError(Message("ingest.error.empty_time", what=what), source=source, line=int(lines[pos]))
    first = t.iloc[0]
    # epoch seconds / milliseconds
    if re.fullmatch(r"\d{9,13}", first):
        digits = t.str.fullmatch(r"\d{9,13}")
        if not digits.all():
            pos = int(np.argmax(~digits.to_numpy()))
            raise LoadCurveError(
                Message("ingest.error.bad_time", what=what, cell=repr(t.iloc[pos]), expected=Message("ingest.expected.epoch")),
                source=source,
                line=int(lines[pos]),
            )
        v = t.astype("int64").to_numpy()
        unit = "ms" if len(first) >= 12 else "s"
        secs = v // 1000 if unit == "ms" else v
        out_of_range = (secs < _EPOCH_MIN_S) | (secs > _EPOCH_MAX_S)
        if out_of_range.any():
            pos = int(np.argmax(out_of_range))
            raise LoadCurveError(
                Message("ingest.error.epoch_range", what=what, cell=repr(t.iloc[pos])),
                source=source, line=int(lines[pos]),
            )
        ns = v * (1_000_000 if unit == "ms" else 1_000_000_000)
        return _Times(ns, None, None, "epoch_ms" if unit == "ms" else "epoch_s")
    # ISO 8601 with offset or Z
    if re.search(_OFFSET_RE, first):
        has_off = t.str.contains(_OFFSET_RE, regex=True)
        if not has_off.all():
            pos = int(np.argmax(~has_off.to_numpy()))
            raise LoadCurveError(
                Message("ingest.error.offset_mixed", what=what, cell=repr(t.iloc[pos])),
                source=source,
                line=int(lines[pos]),
            )
        iso = t.str.replace(r"^(\d{4}-\d{2}-\d{2}) ", r"\1T", regex=True)
        parsed = pd.to_datetime(iso, format="ISO8601", utc=True, errors="coerce")
        bad = parsed.isna()
        if bad.any():
            pos = int(np.argmax(bad.to_numpy()))
            raise LoadCurveError(
                Message("ingest.error.bad_time", what=what, cell=repr(t.iloc[pos]), expected=Message("ingest.expected.iso")),
                source=source,
                line=int(lines[pos]),
            )
        _check_years(pd.DatetimeIndex(parsed), text, lines, source, what)
        return _Times(pd.DatetimeIndex(parsed).as_unit("ns").asi8, None, None, "offsets")
    # naive wall time; 2A/2B labels and 24:00
    fold = None
    big = "\n".join(t.tolist())
    if any(ch in big for ch in "AaBb") and _AB_ANY.search(big):  # pyarrow cannot run this regex
        marks = t.str.extract(r"(?<=\d)\s?([AaBb])(?=\s*(?::|$))", expand=False).fillna("").str.upper()
        fold = np.where(marks.eq("A"), 1, np.where(marks.eq("B"), -1, 0)).astype(np.int8)
        t = t.str.replace(r"(?<=\d)\s?[AaBb](?=\s*(?::|$))", "", regex=True)
    add_day = None
    if t.str.contains(" 24:00", regex=False).any():
        add_day = t.str.contains(r" 24:00(?::00)?$", regex=True).to_numpy()
        t = t.str.replace(r" 24:00((?::00)?)$", r" 00:00\1", regex=True)
    naive = _fixed_width_times(t)
    if naive is not None:
        if add_day is not None and add_day.any():
            naive = pd.DatetimeIndex(np.where(add_day, naive + pd.Timedelta(days=1), naive)).as_unit("ns")
        return _Times(None, naive, fold, "local")
    fmt = None
    for f in _FORMATS:
        try:
            pd.to_datetime(pd.Series([t.iloc[0]]), format=f)
        except (ValueError, TypeError, OverflowError):
            continue
        fmt = f
        break
    if fmt is None:
        raise LoadCurveError(
            Message("ingest.error.bad_time", what=what, cell=repr(text.iloc[0].strip()), expected=Message("ingest.expected.any")),
            source=source,
            line=int(lines[0]),
        )
    parsed = pd.to_datetime(t, format=fmt, errors="coerce")
    bad = parsed.isna()
    if bad.any():
        pos = int(np.argmax(bad.to_numpy()))
        raise LoadCurveError(
            Message(
                "ingest.error.bad_time",
                what=what,
                cell=repr(text.iloc[pos].strip()),
                expected=Message("ingest.expected.first_rows", format=str(fmt)),
            ),
            source=source,
            line=int(lines[pos]),
        )
    _check_years(pd.DatetimeIndex(parsed), text, lines, source, what)
    naive = pd.DatetimeIndex(parsed).as_unit("ns")
    if add_day is not None and add_day.any():
        naive = pd.DatetimeIndex(np.where(add_day, naive + pd.Timedelta(days=1), naive)).as_unit("ns")
    return _Times(None, naive, fold, "local")


# Fixed-width layouts parsed with numpy on the bytes (the common portal case; ~50x faster than
# strptime). Positions of year, month, day, hour, minute, second and the separators they need.
_FIXED = {
    16: [("%d.%m.%Y %H:%M", (6, 3, 0, 11, 14, None), {2: b".", 5: b".", 10: b" ", 13: b":"})],
    19: [
        ("%d.%m.%Y %H:%M:%S", (6, 3, 0, 11, 14, 17), {2: b".", 5: b".", 10: b" ", 13: b":", 16: b":"}),
        ("%Y-%m-%d %H:%M:%S", (0, 5, 8, 11, 14, 17), {4: b"-", 7: b"-", 10: b" ", 13: b":", 16: b":"}),
        ("%Y-%m-%dT%H:%M:%S", (0, 5, 8, 11, 14, 17), {4: b"-", 7: b"-", 10: b"T", 13: b":", 16: b":"}),
    ],
}
_FIXED[16] += [
    ("%Y-%m-%d %H:%M", (0, 5, 8, 11, 14, None), {4: b"-", 7: b"-", 10: b" ", 13: b":"}),
    ("%Y-%m-%dT%H:%M", (0, 5, 8, 11, 14, None), {4: b"-", 7: b"-", 10: b"T", 13: b":"}),
]


def _check_years(idx: pd.DatetimeIndex, text: pd.Series, lines: np.ndarray, source: str, what: str) -> None:
    years = idx.year.to_numpy()
    bad = (years < 1900) | (years > 2200)
    if bad.any():
        pos = int(np.argmax(bad))
        raise LoadCurveError(
            Message("ingest.error.bad_year", what=what, cell=repr(text.iloc[pos].strip())),
            source=source, line=int(lines[pos]),
        )


def _fixed_width_times(t: pd.Series) -> pd.DatetimeIndex | None:
    """Naive timestamps of equal-width strings in a known layout, or None to use strptime.

    Returns None (so the slower path finds and names the bad row) when any row does not fit.
    ``24:00`` is read as midnight of the next day.
    """
    first = t.iloc[0]
    width = len(first)
    if width not in _FIXED or not first.isascii():
        return None
    try:
        arr = np.asarray(t.to_numpy(dtype=object).astype(f"S{width}"))
    except (UnicodeEncodeError, ValueError):
        return None
    if (np.char.str_len(arr) != width).any():
        return None
    m = arr.view(np.uint8).reshape(len(arr), width)
    for _fmt, (y, mo, d, h, mi, sec), seps in _FIXED[width]:
        if not all((m[:, k] == ord(c)).all() for k, c in seps.items()):
            continue
        digit_pos = [k for k in range(width) if k not in seps]
        dig = m[:, digit_pos]
        if ((dig < 48) | (dig > 57)).any():
            return None
        v = m.astype(np.int64) - 48

        def num(start, n, v=v):
            out = np.zeros(len(v), np.int64)
            for k in range(n):
                out = out * 10 + v[:, start + k]
            return out

        year, month, day = num(y, 4), num(mo, 2), num(d, 2)
        hour, minute = num(h, 2), num(mi, 2)
        second = num(sec, 2) if sec is not None else np.zeros(len(v), np.int64)
        if (
            (month < 1) | (month > 12) | (day < 1) | (minute > 59) | (second > 59) | (year < 1900) | (year > 2200)
        ).any():
            return None
        if ((hour > 24) | ((hour == 24) & ((minute > 0) | (second > 0)))).any():
            return None
        months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
        days = months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
        if (days.astype("datetime64[M]") != months).any():  # 31.02. and the like
            return None
        ns = days.astype("datetime64[ns]") + (hour * 3600 + minute * 60 + second).astype("timedelta64[s]")
        return pd.DatetimeIndex(ns)
    return None


def _localise(times: _Times, tz: str, lines: np.ndarray, source: str, after_ns: np.ndarray | None = None) -> np.ndarray:
    """UTC instants [ns] of naive wall times, resolving the repeated October hour explicitly
    (:func:`advisor.ingest.timezones.wall_times_to_utc_ns`: 2A/2B labels, else the order of the
    rows; a file that starts inside the repeated hour is placed from the rows after it).
    Non-existent (March) wall times, and a file entirely inside the repeated hour with each wall
    time once, are refused."""
    if times.utc_ns is not None:
        return times.utc_ns
    try:
        return timezones.wall_times_to_utc_ns(times.naive, tz, fold=times.fold, after_ns=after_ns)
    except timezones.WallTimeError as exc:
        pos = exc.position
        code = "ingest.error.nonexistent_time" if exc.kind == "nonexistent" else "ingest.error.repeated_hour_only"
        raise LoadCurveError(
            Message(code, time=f"{times.naive[pos]:%d.%m.%Y %H:%M}", tz=str(tz)),
            source=source,
            line=int(lines[pos]),
        ) from None


# ---------------------------------------------------------------------------------------------
# quality
# ---------------------------------------------------------------------------------------------
_MEASURED_CODES = {
    "",
    "w",
    "220",
    "l1",
    "gemessen",
    "messwert",
    "wahrer wert",
    "valid",
    "gevalideerd",
    "ok",
    "g",
    "v",
    "true",
    "real",
    "gueltig",
    "b",
    "0",
    "measured",
    "abgelesen",
    "a",
    "actual",
    "geen verbruik",
    "vorlaeufig",
    "z18",
    "vorlaeufiger wert",
}
_SUBSTITUTE_CODES = {
    "e",
    "ersatzwert",
    "ersatz",
    "substitute",
    "substituted",
    "estimated",
    "geschaetzt",
    "s",
    "ew",
    "67",
    "l2",
    "l3",
    "ersatzwert (e)",
    "schaetzwert",
    "berechnet",
    "interpoliert",
    "est",
    "x",
    "ersatzwertbildung",
    "z",
}
_NO_FLAGS = {"", "nein", "n", "no", "false", "0", "-", "falsch"}
_MISSING_CODES = {
    "f",
    "fehlt",
    "fehlend",
    "missing",
    "z30",
    "20",
    "ungueltig",
    "invalid",
    "nicht verwendbar",
    "fehlwert",
    "leer",
}


def _quality_from_status(status: pd.Series, *, substitute_flags: bool = False) -> tuple[np.ndarray, list[str]]:
    """Quality per row from a status column, and the codes it did not know.

    With ``substitute_flags`` (a column named ``Ersatzwert`` holding flags, not numbers) any
    filled cell other than a no-flag (``nein``, ``0``, ``false`` …) marks a substitute value.
    """
    codes = pd.unique(status.to_numpy(dtype=object))
    s = status.map({c: _norm(c) for c in codes})
    q = np.full(len(s), Quality.MEASURED.value, dtype=object)
    sub = s.isin(_SUBSTITUTE_CODES).to_numpy()
    mis = s.isin(_MISSING_CODES).to_numpy()
    q[sub] = Quality.SUBSTITUTED.value
    q[mis] = Quality.MISSING.value
    known = sub | mis | s.isin(_MEASURED_CODES).to_numpy()
    if substitute_flags:
        q[:] = Quality.MEASURED.value
        q[s.ne("").to_numpy() & ~s.isin(_NO_FLAGS).to_numpy()] = Quality.SUBSTITUTED.value
        return q, []
    unknown = sorted(set(s[~known].unique()))
    return q, unknown


# ---------------------------------------------------------------------------------------------
# the table interpreter shared with the Excel reader
# ---------------------------------------------------------------------------------------------
class _Columns:
    """Column ``j`` of the data frame as text, or empty strings when a row has fewer cells."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame
        self._cache: dict[int, pd.Series] = {}

    def __call__(self, j: int) -> pd.Series:
        if j not in self._cache:
            if j in self._frame.columns:
                self._cache[j] = self._frame[j].astype("str")
            else:
                self._cache[j] = pd.Series([""] * len(self._frame), dtype="str")
        return self._cache[j]


def _clean(col: pd.Series) -> pd.Series:
    c = col.str.strip()
    if c.str.startswith("=").any():
        c = c.str.replace(r'^="(.*)"$', r"\1", regex=True).str.strip()
    return c


def _join(col: _Columns, cols: list[int]) -> pd.Series:
    parts = [_clean(col(j)) for j in cols]
    out = parts[0]
    for p in parts[1:]:
        out = out + " " + p
    return out


def _unit_factor(unit: str | None, kind: str) -> tuple[str, float]:
    """Kind after the unit is known ('energy'/'power'/'register') and factor to kWh or kW."""
    if unit in ("kW", "W"):
        if kind == "register":
            raise LoadCurveError(Message("ingest.error.reading_unit", unit=str(unit)))
        return "power", (1.0 if unit == "kW" else 1e-3)
    if unit in ("kWh", "Wh", "MWh"):
        factor = {"kWh": 1.0, "Wh": 1e-3, "MWh": 1e3}[unit]
        return ("register" if kind == "register" else "energy"), factor
    return kind, 1.0


_RANGE_RE = r"^(?P<a>.*?\d{1,2}:\d{2}(?::\d{2})?)\s*(?:-|–|bis)\s*(?P<b>.*\d{1,2}:\d{2}(?::\d{2})?)$"


def _split_time_range(txt: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """Start and end texts of cells like '01.02.2024 00:00 - 00:15' (end date taken from the start)."""
    t = txt.str.strip()
    first = t.iloc[0]
    if re.search(_OFFSET_RE, first) or not re.match(_RANGE_RE, first):
        return None
    parts = t.str.extract(_RANGE_RE)
    if parts["a"].isna().any():
        return None  # not every row is a range: the timestamp parser names the odd one
    a, b = parts["a"].str.strip(), parts["b"].str.strip()
    b_has_date = b.str.contains(r"\d[./-]\d", regex=True)
    date_part = a.str.extract(r"^(.*?)\s*\d{1,2}:\d{2}(?::\d{2})?$", expand=False).fillna("")
    # a bare end time 00:00 closes the day: write it as 24:00 of the start date
    b_time = b.where(b.ne("00:00") & b.ne("00:00:00") | b_has_date, "24:00")
    end = b.where(b_has_date, (date_part + " " + b_time).str.strip())
    return a, end


def _runs_backwards(ts: _Times) -> bool:
    """True when (nearly) every step goes back in time: a file listed newest first."""
    v = ts.utc_ns if ts.utc_ns is not None else ts.naive.asi8
    d = np.diff(v)
    return bool(v[0] > v[-1] and (d < 0).mean() > 0.5)


def _label_auto(first_local: pd.Timestamp, last_local: pd.Timestamp, step_min: int) -> str | None:
    tod_first = first_local.hour * 60 + first_local.minute
    tod_last = last_local.hour * 60 + last_local.minute
    if tod_first == step_min:
        return "end"
    if tod_first == 0:
        return "start"
    if tod_last == 24 * 60 - step_min:
        return "start"
    if tod_last == 0:
        return "end"
    return None


def parse_table(
    rows: list[list[str]],
    line_numbers: np.ndarray,
    options,
    source: str,
    *,
    fmt: str = FORMAT,
    decimal: str | None = None,
    notes: tuple[str, ...] = (),
) -> list[LoadCurve]:
    """Interpret a table of text cells (header search, roles, values, times) as load curves.

    Parameters
    ----------
    rows
        Cells of each line of the file (metadata lines, header and data).
    line_numbers
        1-based line (or spreadsheet row) number of each entry of ``rows``.
    options
        :class:`advisor.ingest.ReadOptions`.
    source
        File name for messages.
    fmt
        Reader name stored in the curve's metadata.
    decimal
        Decimal mark if known (Excel numbers); detected from the values when None.
    notes
        Conversions already applied by the caller (e.g. the text encoding).
    """
    hi, meta = find_header(rows, source, first_line=int(line_numbers[0]) if len(line_numbers) else 1)
    body_rows = rows[hi + 1 :]
    if len(body_rows) > MAX_ROWS:
        raise LoadCurveError(
            Message("ingest.error.too_many_rows", n=len(body_rows), max=MAX_ROWS),
            source=source,
        )
    width = max(map(len, body_rows), default=0)
    padded = [list(r) + [""] * (width - len(r)) for r in body_rows]
    frame = pd.DataFrame(padded, dtype=object) if padded and width else pd.DataFrame()
    return interpret_table(
        rows[hi],
        int(line_numbers[hi]),
        meta,
        frame,
        np.asarray(line_numbers)[hi + 1 :],
        options,
        source,
        fmt=fmt,
        decimal=decimal,
        notes=notes,
    )


def _unit_row(t: _Table, header: list[str], frame: pd.DataFrame, frame_lines: np.ndarray, meta: dict):
    """The time zone the file states, and a unit row below the header (``UTC;kWh``) taken out.

    Precedence: the time column's name (``timestamp_utc``, ``Uhrzeit (MEZ)``), then a unit row
    whose time cells name a zone, then a metadata line above the header (``Zeitzone;UTC``).
    Returns the frame and line numbers without the unit row, the :class:`StatedZone` (or None)
    and the units the unit row gives for value columns.
    """
    time_cols = [*t.start_cols, *t.single_cols, *t.end_cols]
    zone = None
    for j in time_cols:
        zone = zone or timezones.stated_zone(header[j], Message("ingest.where.column", name=header[j].strip()))
    row_units: dict[int, str] = {}
    if len(frame) and time_cols and all(j in frame.columns for j in time_cols):
        first = [str(frame.iloc[0][j]).strip() for j in frame.columns]
        tcells = [first[j] for j in time_cols if first[j]]
        if tcells and all(timezones.is_zone_cell(c) for c in tcells):
            for v in t.values:
                if v.col < len(first) and first[v.col]:
                    u = _unit_of(f"[{first[v.col].strip('[]() ')}]")
                    if u:
                        row_units[v.col] = u
            zone = zone or timezones.stated_zone(" ".join(tcells), Message("ingest.where.unit_row", line=int(frame_lines[0])))
            frame = frame.iloc[1:].reset_index(drop=True)
            frame_lines = frame_lines[1:]
            for k, v in enumerate(t.values):
                if v.unit is None and v.col in row_units:
                    unit = row_units[v.col]
                    t.values[k] = _Value(v.col, v.name, _value_kind(_norm(v.name), unit) or v.kind, unit, v.direction)
    if zone is None and meta.get("tz_text"):
        zone = timezones.stated_zone(meta["tz_text"], Message("ingest.where.meta_line"))
    return frame, frame_lines, zone, row_units


def _obis_in_name(name: str) -> str | None:
    """The OBIS code a column name states (``Bezug 1.8.0`` -> ``1-0:1.8.0``), if any."""
    m = _OBIS_IN_NAME_RE.search(name or "")
    return f"1-0:{m.group(1)}.8.{m.group(2)}" if m else None


def _split_by_register(header: list[str], meta: dict, frame: pd.DataFrame, lines: np.ndarray, source: str):
    """Rows of a table with an OBIS column, one part per active-energy register.

    Returns None when there is no such column (or its cells hold no OBIS codes), else a list of
    ``(meta with obis, rows, line numbers, direction)``: C = 1 import, C = 2 feed-in. Rows of
    other registers (reactive energy …) are left out with a note; two registers of one direction
    (``1.8.1`` and ``1.8.2``, two tariff registers) are refused, they would have to be added up.
    """
    cols = [j for j, h in enumerate(header) if _bare(_norm(h)) in _OBIS_COLUMN_NAMES and j < frame.shape[1]]
    if not cols or not len(frame):
        return None
    cells = frame[cols[0]].astype("str").str.strip()
    found = cells.str.extract(_OBIS_RE)
    if found[0].isna().all():
        return None
    code = cells.where(found[0].notna(), "")
    channel = pd.to_numeric(found[0], errors="coerce")
    parts = []
    for c, direction in ((1, Direction.IMPORT), (2, Direction.EXPORT)):
        sel = (channel == c).to_numpy()
        if not sel.any():
            continue
        codes = sorted(set(code[sel]))
        if len(codes) > 1:
            raise LoadCurveError(
                Message("ingest.error.obis_several", n=len(codes), direction=Message("ingest.what.import" if c == 1 else "ingest.what.feed_in"), codes=", ".join(codes[:4])),
                source=source,
            )
        sub_meta = {**meta, "obis": codes[0]}
        parts.append((sub_meta, frame[sel].reset_index(drop=True), lines[sel], direction))
    n_other = int((~channel.isin([1, 2])).sum())
    if parts and n_other:
        note = Message("ingest.warning.other_registers", n=n_other)
        parts = [(m, f, ln, d) for m, f, ln, d in parts]
        parts[0][0]["register_note"] = note
    if not parts:
        raise LoadCurveError(
            Message("ingest.error.obis_no_energy", found=str(sorted(set(code))[:4])),
            source=source,
        )
    return parts


def interpret_table(
    header: list[str],
    header_line: int,
    meta: dict,
    frame: pd.DataFrame,
    frame_lines: np.ndarray,
    options,
    source: str,
    *,
    fmt: str = FORMAT,
    decimal: str | None = None,
    notes: tuple[str, ...] = (),
    delimiter: str | None = None,
    _newest_first: bool = False,
    _one_register: bool = False,
) -> list[LoadCurve]:
    """Interpret the data rows below a known header (columns 0..n of ``frame`` as text).

    A column naming each row's OBIS register (``OBIS-Kennzahl``: ``1-0:1.8.0`` import,
    ``1-0:2.8.0`` feed-in) splits the rows into one table per register first.
    """
    if not _one_register:
        parts = _split_by_register(header, meta, frame, np.asarray(frame_lines), source)
        if parts is not None:
            out: list[LoadCurve] = []
            for sub_meta, sub_frame, sub_lines, direction in parts:
                sub = interpret_table(
                    header, header_line, sub_meta, sub_frame, sub_lines, options, source, fmt=fmt, decimal=decimal,
                    notes=notes, delimiter=delimiter, _newest_first=_newest_first, _one_register=True,
                )  # fmt: skip
                note = sub_meta.get("register_note")
                for c in sub:
                    c = replace(c, direction=direction)
                    out.append(c.with_meta(warnings=c.meta.warnings + (note,)) if note else c)
            return out
    t = _roles(header, header_line, meta, source)
    frame, frame_lines, zone, row_units = _unit_row(t, header, frame, np.asarray(frame_lines), meta)
    col = _Columns(frame)
    if len(frame):
        first = col(0).str.strip()
        nonblank = first.ne("").to_numpy().copy()
        if not nonblank.all():
            for j in frame.columns[1:]:
                nonblank |= frame[j].astype("str").str.strip().ne("").to_numpy()
        keep_rows = nonblank & ~first.str.startswith("#").to_numpy()
        # repeated header lines (concatenated exports) and sum/footer rows are not data
        head0 = _clean(pd.Series([header[0]], dtype="str")).iloc[0]
        repeated = first.eq(head0).to_numpy() if head0 else np.zeros(len(first), bool)
        footer = first.str.lower().str.match(r"^(summe|gesamt|total|sum|anzahl|mittelwert)\b").to_numpy()
        if (repeated & keep_rows).any():
            n_dropped_headers = int((repeated & keep_rows).sum())
            keep_rows &= ~repeated
        else:
            n_dropped_headers = 0
        n_footer = int((footer & keep_rows).sum())
        keep_rows &= ~footer
        if not keep_rows.all():
            frame = frame[keep_rows].reset_index(drop=True)
            frame_lines = frame_lines[keep_rows]
            col = _Columns(frame)
    else:
        n_dropped_headers = n_footer = 0
    if len(frame) > MAX_ROWS:
        raise LoadCurveError(
            Message("ingest.error.too_many_rows", n=len(frame), max=MAX_ROWS), source=source
        )
    if not len(frame):
        raise LoadCurveError(Message("ingest.error.no_data_rows"), source=source, line=t.header_line)
    lines = np.asarray(frame_lines)
    conversions = list(notes)
    warn: list[str] = []
    if n_dropped_headers:
        warn.append(Message("ingest.warning.repeated_headers", n=n_dropped_headers))
    if n_footer:
        warn.append(Message("ingest.warning.footer_rows", n=n_footer))
    # cells beyond the named columns: a decimal comma in a comma-separated file shifts the columns
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    extra = [j for j in frame.columns if j >= width]
    if extra:
        spill = np.zeros(len(frame), bool)
        for j in extra:
            spill |= col(j).str.strip().ne("").to_numpy()
        if spill.any():
            pos = int(np.argmax(spill))
            if delimiter == ",":
                raise LoadCurveError(
                    Message("ingest.error.too_many_fields", n=int(width)),
                    source=source, line=int(lines[pos]),
                )
            warn.append(Message("ingest.warning.extra_cells", n=len(extra), line=int(lines[pos])))

    # --- repeated header lines / summary rows are not data: refuse clearly ------------------
    # --- values --------------------------------------------------------------------------
    value_cells = {v.col: _clean(col(v.col)) for v in t.values}
    # units written into the cells ('0,25 kWh'): one unit per column, taken as the column's unit
    for k, v in enumerate(list(t.values)):
        cells = value_cells[v.col]
        first = cells[~cells.str.lower().isin(MISSING_TOKENS)].iloc[:1]
        if len(first) and re.match(_CELL_UNIT_RE, first.iloc[0]):
            found = cells.str.extract(_CELL_UNIT_RE, expand=True)
            units = set(found[1].dropna().str.lower())
            if len(units) == 1:
                cell_unit = _unit_of(f"[{units.pop()}]")
                if v.unit and v.unit != cell_unit:
                    raise LoadCurveError(
                        Message("ingest.error.unit_conflict", column=repr(v.name), header_unit=str(v.unit), cell_unit=str(cell_unit)),
                        source=source, line=t.header_line,
                    )
                value_cells[v.col] = found[0].where(found[0].notna(), cells).str.strip()
                t.values[k] = _Value(v.col, v.name, _value_kind(_norm(v.name), cell_unit) or v.kind, cell_unit, v.direction)
    # a column named like a value but holding text (e.g. Fluvius 'Register: Afname Nacht') is no value
    numeric = [v for v in t.values if _mostly_numeric(value_cells[v.col])]
    if numeric and len(numeric) < len(t.values):
        t.values = numeric
        value_cells = {v.col: value_cells[v.col] for v in numeric}
    sub_numeric = None
    if t.substitute_col is not None:
        sc = _clean(col(t.substitute_col))
        nonempty = sc[~sc.str.lower().isin(MISSING_TOKENS)]
        if len(nonempty) and nonempty.str.match(_NUM_CHARS).all():
            sub_numeric = sc
        else:
            if t.status_col is None:
                t.status_col = t.substitute_col
        if not t.values and sub_numeric is None:
            raise LoadCurveError(Message("ingest.error.no_value_column", columns=str(header)), source=source, line=t.header_line)
    if decimal is None:
        pool = pd.concat(
            list(value_cells.values()) + ([sub_numeric] if sub_numeric is not None else []), ignore_index=True
        )
        pool = pool[pool.str.match(_NUM_CHARS)]
        # decided once per file from a sample; _to_number then checks every value against it
        decimal = (
            detect_decimal(pool.iloc[:5000] if len(pool) > 5000 else pool, source, t.header_line) if len(pool) else "."
        )
    if decimal == ",":
        conversions.append(Message("ingest.conv.decimal_comma"))

    # unit from header, unit column, metadata, options
    col_unit = None
    if t.unit_col is not None:
        uc = _clean(col(t.unit_col))
        units = set(uc[uc.ne("")].unique())
        if len(units) > 1:
            raise LoadCurveError(
                Message("ingest.error.several_units", units=str(sorted(units))),
                source=source,
                line=t.header_line,
            )
        if units:
            col_unit = _unit_of(f"[{units.pop()}]")
            if col_unit is None:
                raise LoadCurveError(
                    Message("ingest.error.unknown_unit", unit=repr(uc[uc.ne("")].iloc[0])),
                    source=source,
                    line=int(lines[0]),
                )

    meter_id = t.meter_id
    if t.id_col is not None:
        ids = _clean(col(t.id_col))
        uniq = ids[ids.ne("")].unique()
        if len(uniq) > 1:
            raise LoadCurveError(
                Message("ingest.error.several_meters", n=len(uniq), meters=", ".join(map(str, uniq[:3]))),
                source=source,
                line=t.header_line,
            )
        if len(uniq) == 1:
            meter_id = str(uniq[0])
    # --- times -----------------------------------------------------------------------------
    label = t.forced_label
    if t.start_cols:
        start_txt = _join(col, t.start_cols)
        end_txt = _join(col, t.end_cols) if t.end_cols else None
    else:
        start_txt, end_txt = _join(col, t.single_cols), None
    # drop rows whose time cell is empty and whose values are all empty (footer / spacer rows)
    st = start_txt.str.strip()
    if st.eq("").any():
        allempty = st.eq("")
        for c in value_cells.values():
            allempty &= c.str.lower().isin(MISSING_TOKENS)
        if allempty.any():
            keep = ~allempty.to_numpy()
            frame = frame[keep].reset_index(drop=True)
            col = _Columns(frame)
            lines = lines[keep]
            start_txt = start_txt[keep].reset_index(drop=True)
            end_txt = end_txt[keep].reset_index(drop=True) if end_txt is not None else None
            value_cells = {k: v[keep].reset_index(drop=True) for k, v in value_cells.items()}
            if sub_numeric is not None:
                sub_numeric = sub_numeric[keep].reset_index(drop=True)
        if not len(frame):
            raise LoadCurveError(Message("ingest.error.no_data_rows"), source=source, line=t.header_line)
    if end_txt is None:
        ranged = _split_time_range(start_txt)
        if ranged is not None:  # one column holding 'von - bis', e.g. '01.02.2024 00:00 - 00:15'
            start_txt, end_txt = ranged
            label = "start"
    start_what = (
        Message("ingest.what.timestamp")
        if end_txt is None
        else Message(
            "ingest.what.column_timestamp", column=_clean(pd.Series([header[(t.start_cols or t.single_cols)[-1]]])).iloc[0]
        )
    )
    ts = _parse_times(start_txt, lines, source, start_what)
    # rows outside the plausible period (a mistyped 01.01.1900) are set aside before anything
    # else looks at the order of the times; a file made mostly of them is refused
    outside = outside_plausible_period(ts.utc_ns if ts.utc_ns is not None else ts.naive.as_unit("ns").asi8)
    if outside.any():
        n_out = int(outside.sum())
        shown = ", ".join(f"line {int(lines[i])}: {start_txt.iloc[i].strip()[:40]}" for i in np.flatnonzero(outside)[:5])
        if n_out * 2 >= len(outside):
            raise LoadCurveError(
                Message(
                    "ingest.error.rows_outside_period",
                    n=n_out,
                    total=len(outside),
                    start=plausible_window()[0],
                    end=plausible_window()[1],
                    examples=shown,
                ),
                source=source,
                line=int(lines[int(np.argmax(outside))]),
            )
        keep = ~outside
        warn.append(
            Message(
                "ingest.warning.rows_outside_period",
                n=n_out,
                start=plausible_window()[0],
                end=plausible_window()[1],
                examples=shown + (", …" if n_out > 5 else ""),
            )
        )
        frame = frame[keep].reset_index(drop=True)
        col = _Columns(frame)
        lines = lines[keep]
        start_txt = start_txt[keep].reset_index(drop=True)
        end_txt = end_txt[keep].reset_index(drop=True) if end_txt is not None else None
        value_cells = {k: v[keep].reset_index(drop=True) for k, v in value_cells.items()}
        if sub_numeric is not None:
            sub_numeric = sub_numeric[keep].reset_index(drop=True)
        ts = _parse_times(start_txt, lines, source, start_what)
    if not _newest_first and len(frame) > 2 and _runs_backwards(ts):
        # newest row first (some portals and APIs): read the rows in reverse, oldest first
        return interpret_table(
            header, header_line, meta, frame.iloc[::-1].reset_index(drop=True), lines[::-1].copy(), options,
            source, fmt=fmt, decimal=decimal, notes=(*notes, "rows listed newest first; read oldest first"),
            delimiter=delimiter, _newest_first=True,
        )
    tz = options.tz
    wall_tz = zone.tz if zone is not None else tz
    start_ns = _localise(ts, wall_tz, lines, source)
    if zone is not None and ts.naive is not None:
        conversions.append(timezones.note(zone))
    else:
        conversions.append(Message(f"ingest.conv.time.{ts.how}", tz=tz))
    if ts.fold is not None and (ts.fold != 0).any():
        conversions.append(Message("ingest.conv.fold_labels"))
    step_ns = None
    if end_txt is not None:
        te = _parse_times(end_txt, lines, source, Message("ingest.what.end_timestamp"))
        end_ns = _localise(te, wall_tz, lines, source, after_ns=start_ns)
        dur = end_ns - start_ns
        vals, counts = np.unique(dur, return_counts=True)
        step_ns = int(vals[np.argmax(counts)])
        odd = dur != step_ns
        if odd.any():
            pos = int(np.argmax(odd))
            raise LoadCurveError(
                Message(
                    "ingest.error.odd_interval",
                    start=start_txt.iloc[pos].strip(),
                    end=end_txt.iloc[pos].strip(),
                    minutes=float(dur[pos] / 6e10),
                    expected=float(step_ns / 6e10),
                ),
                source=source,
                line=int(lines[pos]),
            )
        label = "start"
        conversions.append(Message("ingest.conv.von_bis"))
    # duplicates (same instant): agree -> drop, disagree -> refuse
    order_ok = np.diff(start_ns) > 0
    keep = np.ones(len(start_ns), bool)
    if not order_ok.all():
        s_idx = pd.Index(start_ns)
        dup = s_idx.duplicated(keep="first")
        if dup.any():
            cols_for_cmp = list(value_cells.values()) + ([sub_numeric] if sub_numeric is not None else [])
            cmp = pd.DataFrame({f"v{k}": c.to_numpy() for k, c in enumerate(cols_for_cmp)})
            cmp["t"] = start_ns
            n_variants = cmp.drop_duplicates().groupby("t").size()
            clash = n_variants[n_variants > 1]
            if len(clash):
                bad_ns = int(clash.index[0])
                pos = int(np.flatnonzero(start_ns == bad_ns)[1])
                stamp = pd.Timestamp(bad_ns, tz="UTC").tz_convert(tz).isoformat()
                raise LoadCurveError(
                    Message("ingest.error.duplicate_time_local" if ts.naive is not None else "ingest.error.duplicate_time"),
                    source=source,
                    line=int(lines[pos]),
                    timestamp=stamp,
                )
            keep = ~dup
            warn.append(Message("ingest.warning.duplicate_rows", n=int(dup.sum())))
        kept_ns = start_ns[keep]
        back = np.diff(kept_ns) < 0
        if back.any() and ts.fold is not None:
            kf = ts.fold[keep]
            back &= ~((kf[1:] != 0) & (kf[:-1] != 0))  # 2A/2B rows may come in any order
            if not back.any():
                conversions.append(Message("ingest.conv.fold_sorted"))
        if back.any():
            pos_k = int(np.argmax(back)) + 1
            pos = int(np.flatnonzero(keep)[pos_k])
            raise LoadCurveError(
                Message(
                    "ingest.error.backwards",
                    later=start_txt.iloc[pos].strip(),
                    earlier=start_txt.iloc[np.flatnonzero(keep)[pos_k - 1]].strip(),
                ),
                source=source,
                line=int(lines[pos]),
                timestamp=pd.Timestamp(int(kept_ns[pos_k]), tz="UTC").tz_convert(tz).isoformat(),
            )
    lines_k = lines[keep]
    start_ns = start_ns[keep]
    # interval from the data
    if step_ns is None:
        d = np.diff(np.sort(start_ns))
        d = d[d > 0]
        if d.size == 0:
            raise LoadCurveError(
                Message("ingest.error.single_row_time"),
                source=source,
                line=int(lines_k[0]),
            )
        uv, uc = np.unique(d, return_counts=True)
        step_ns = int(uv[np.argmax(uc)])
    step_min = step_ns / 6e10
    if step_min not in ALLOWED_INTERVAL_MINUTES:
        raise LoadCurveError(
            Message("ingest.error.interval_length", minutes=float(step_min)),
            source=source,
            line=int(lines_k[0]),
        )
    step_min = int(step_min)
    off = (start_ns - start_ns[0]) % step_ns
    if (off != 0).any():
        pos = int(np.argmax(off != 0))
        raise LoadCurveError(
            Message("ingest.error.row_off_grid", time=start_txt[keep].iloc[pos].strip(), minutes=step_min),
            source=source,
            line=int(lines_k[pos]),
        )
    idx_utc = pd.DatetimeIndex(start_ns.astype("datetime64[ns]")).tz_localize("UTC")

    # label of single timestamps
    kinds_registers = [
        v for v in t.values if _unit_factor(options.unit or v.unit or col_unit or t.meta_unit, v.kind)[0] == "register"
    ]
    if label is None and not kinds_registers:
        if options.label != "auto":
            label = options.label
            conversions.append(Message(f"ingest.conv.label_option.{label}"))
        else:
            label = _label_auto(idx_utc.min().tz_convert(tz), idx_utc.max().tz_convert(tz), step_min)
            if label is None:
                label = "start"
                warn.append(Message("ingest.warning.label_unknown"))
            else:
                conversions.append(Message(f"ingest.conv.label_detected.{label}"))
    elif label is not None and not kinds_registers and end_txt is None:
        conversions.append(Message(f"ingest.conv.label_column.{label}"))
    if label == "end":
        idx_utc = idx_utc - pd.Timedelta(minutes=step_min)
        conversions.append(Message("ingest.conv.end_shift", minutes=int(step_min)))

    # quality
    status_q = None
    if t.status_col is not None:
        status_q, unknown = _quality_from_status(
            _clean(col(t.status_col)), substitute_flags=t.status_col == t.substitute_col
        )
        status_q = status_q[keep]
        if unknown:
            warn.append(Message("ingest.warning.unknown_status", codes=str(unknown[:5])))

    curves: list[LoadCurve] = []
    value_cols = t.values or [_Value(t.substitute_col, header[t.substitute_col], "energy", None, Direction.IMPORT)]
    chosen: dict[Direction, _Value] = {}
    for v in value_cols:
        chosen.setdefault(v.direction, v)
    ignored = [v.name for v in value_cols if v not in chosen.values()]
    if ignored:
        warn.append(Message("ingest.warning.extra_value_columns", columns=str(ignored)))
    shared_conversions = conversions
    for direction, v in chosen.items():
        conversions = list(shared_conversions)
        cells = value_cells[v.col] if v.col in value_cells else sub_numeric
        num = _to_number(cells[keep].reset_index(drop=True), decimal, lines_k, source, Message("ingest.what.value_in_column", column=repr(v.name)))
        quality = status_q.copy() if status_q is not None else np.full(len(num), Quality.MEASURED.value, dtype=object)
        if sub_numeric is not None and v.col in value_cells:
            subv = _to_number(sub_numeric[keep].reset_index(drop=True), decimal, lines_k, source, Message("ingest.what.substitute"))
            use = num.isna().to_numpy() & subv.notna().to_numpy()
            if use.any():
                num = num.where(~use, subv)
                quality[use] = Quality.SUBSTITUTED.value
                conversions.append(Message("ingest.conv.substitutes", n=int(use.sum())))
        unit = options.unit or v.unit or col_unit or t.meta_unit
        if options.unit and (v.unit or col_unit or t.meta_unit) and options.unit != (v.unit or col_unit or t.meta_unit):
            warn.append(Message("ingest.warning.unit_override", unit=options.unit, stated=v.unit or col_unit or t.meta_unit))
        try:
            kind, factor = _unit_factor(unit, v.kind)
        except LoadCurveError as exc:
            raise LoadCurveError(exc.reason, source=source, line=t.header_line) from None
        stated = unit is not None  # in the header, a unit column or row, a metadata line or the options
        if unit is None:
            unit = "kWh"
            warn.append(Message("ingest.warning.no_unit", column=repr(v.name)))
        vals = num.to_numpy(dtype="float64") * factor
        signed = kind != "register" and (
            bool(getattr(options, "signed", False)) or any(w in _norm(v.name) for w in _SIGNED_WORDS)
        )
        qual = quality.copy()
        qual[np.isnan(vals)] = Quality.MISSING.value
        vals = np.where(qual == Quality.MISSING.value, np.nan, vals)
        index = idx_utc
        if kind == "register":
            vals, qual, index, reg_notes, reg_warn = _differences(
                vals, qual, idx_utc, step_min, lines_k, source, tz, stated=stated
            )
            conversions.extend(reg_notes)
            warn.extend(reg_warn)
            conversions.append(Message("ingest.conv.registers", unit=unit))
        else:
            neg = vals < 0
            if neg.any() and not signed:
                pos = int(np.argmax(neg))
                raise LoadCurveError(
                    Message(
                        "ingest.error.negative_power" if kind == "power" else "ingest.error.negative_value",
                        value=float(num.iloc[pos]),
                        unit=str(unit),
                        column=repr(v.name),
                    ),
                    source=source,
                    line=int(lines_k[pos]),
                )
            if kind == "power":
                vals = kw_to_kwh(vals, step_min)
                conversions.append(Message("ingest.conv.power", unit=unit, minutes=int(step_min)))
            elif unit != "kWh":
                conversions.append(Message("ingest.conv.energy_unit", unit=unit))
            limit = MAX_PLAUSIBLE_POWER_KW * step_min / 60.0
            absurd = np.abs(vals) > limit
            if absurd.any() and not (stated and larger_than_household(np.abs(vals), step_min)):
                pos = int(np.argmax(absurd))
                raise LoadCurveError(
                    Message(
                        "ingest.error.implausible_value",
                        value=float(num.iloc[pos]),
                        unit=str(unit),
                        column=repr(v.name),
                        kwh=float(vals[pos]),
                        minutes=int(step_min),
                        kw=float(vals[pos] * 60 / step_min),
                        max_kw=MAX_PLAUSIBLE_POWER_KW,
                    ),
                    source=source,
                    line=int(lines_k[pos]),
                )
        n_sub = int((qual == Quality.SUBSTITUTED.value).sum())
        n_mis = int(np.isnan(vals).sum())
        w = list(warn)
        if n_sub:
            w.append(Message("ingest.warning.substitutes", n=n_sub))
        if n_mis:
            w.append(Message("ingest.warning.empty_values", n=n_mis))
        if signed:
            # a net (saldierte) curve: its positive part is drawn from the grid, its negative part fed in;
            # what was drawn and fed in within the same interval has netted out and cannot be recovered
            conversions.append(Message("ingest.conv.signed"))
            pieces = [
                (Direction.IMPORT, np.where(np.isnan(vals), np.nan, np.clip(vals, 0.0, None)), None),
                (Direction.EXPORT, np.where(np.isnan(vals), np.nan, np.clip(-vals, 0.0, None)), None),
            ]
        else:
            pieces = [(direction, vals, _obis_in_name(v.name) or t.obis)]
        for piece_direction, piece_vals, obis in pieces:
            cmeta = CurveMeta(
                source_format=fmt,
                meter_id=meter_id,
                tz=tz,
                holiday_region=options.holiday_region,
                source_name=source,
                obis=obis,
                conversions=tuple(dict.fromkeys(conversions)),
                warnings=tuple(dict.fromkeys(w)),
            )
            curve = make_load_curve(
                pd.Series(piece_vals, index=index),
                interval_minutes=step_min,
                quality=pd.Series(qual, index=index),
                direction=piece_direction,
                meta=cmeta,
                unit_stated=stated,
            )
            gaps = curve.missing_intervals - n_mis
            if gaps > 0:
                curve = curve.with_meta(
                    warnings=curve.meta.warnings + (Message("ingest.warning.gaps", n=int(gaps)),)
                )
            curves.append(curve)
    return curves


def _differences(vals, qual, idx_utc, step_min, lines, source, tz, *, stated: bool = False):
    """Energy per interval from cumulative readings; resets and meter changes leave a gap."""
    notes: list[str] = []
    warns: list[str] = []
    valid = ~np.isnan(vals)
    if valid.sum() < 2:
        raise LoadCurveError(Message("ingest.error.too_few_readings"), source=source)
    rv = vals[valid]
    iv = idx_utc[valid]
    qv = qual[valid]
    lv = lines[valid]
    diff = np.diff(rv)
    gap = np.diff(iv.asi8) != step_min * 60_000_000_000
    energy = diff.copy()
    q = np.where(
        (qv[1:] == Quality.SUBSTITUTED.value) | (qv[:-1] == Quality.SUBSTITUTED.value),
        Quality.SUBSTITUTED.value,
        Quality.MEASURED.value,
    ).astype(object)
    neg = np.flatnonzero(diff < 0)
    for k in neg:
        prev, cur = rv[k], rv[k + 1]
        wrap = 10.0 ** np.ceil(np.log10(max(prev, 1.0) + 1e-9))
        rolled = wrap - prev + cur
        when = iv[k + 1].tz_convert(tz)
        if not gap[k] and prev >= 0.9 * wrap and 0 <= rolled <= MAX_PLAUSIBLE_POWER_KW * step_min / 60.0:
            energy[k] = rolled
            notes.append(Message("ingest.conv.overflow", when=when, prev=float(prev), cur=float(cur), wrap=float(wrap)))
        else:
            energy[k] = np.nan
            q[k] = Quality.MISSING.value
            warns.append(
                Message("ingest.warning.reading_fell", prev=float(prev), cur=float(cur), when=when, line=int(lv[k + 1]))
            )
    if gap.any():
        lost = float(np.nansum(np.where(gap, energy, 0.0)))
        warns.append(Message("ingest.warning.reading_gaps", n=int(gap.sum()), kwh=lost))
    energy = np.where(gap, np.nan, energy)
    q = np.where(gap, Quality.MISSING.value, q)
    limit = MAX_PLAUSIBLE_POWER_KW * step_min / 60.0
    absurd = energy > limit
    if absurd.any() and not (stated and larger_than_household(energy, step_min)):  # else: "not a household"
        k = int(np.argmax(absurd))
        raise LoadCurveError(
            Message("ingest.error.reading_jump", kwh=float(energy[k]), minutes=step_min, start=float(rv[k]), end=float(rv[k + 1]), max_kw=MAX_PLAUSIBLE_POWER_KW),
            source=source,
            line=int(lv[k + 1]),
        )
    # interval [t_k, t_k+1) gets r_k+1 - r_k, labelled at its start t_k
    return energy, q, iv[:-1], notes, warns


# ---------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------
_HTML_RE = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    """Read a portal CSV export into load curves (consumption, and feed-in if present)."""
    text, enc = _decode(raw, source)
    head = text[:2048]
    if _HTML_RE.match(head) or re.search(r"<html[\s>]", head, re.I):
        raise LoadCurveError(
            Message("ingest.error.html"),
            source=source,
            line=1,
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) > MAX_ROWS + HEADER_SEARCH_LINES:
        raise LoadCurveError(
            Message("ingest.error.too_many_lines", n=len(lines), max=MAX_ROWS), source=source
        )
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    if lengths.size and lengths.max() > MAX_LINE_CHARS:
        k = int(np.argmax(lengths > MAX_LINE_CHARS))
        raise LoadCurveError(
            Message("ingest.error.long_line", n=int(lengths[k]), max=MAX_LINE_CHARS),
            source=source,
            line=k + 1,
        )
    delim = None
    for line in lines[:HEADER_SEARCH_LINES]:
        d = _best_delimiter(line)
        if d is not None and _looks_like_header([_norm(c) for c in _split(line, d)]):
            delim = d
            break
    if delim is None:
        # let find_header produce the refusal (price file or no header), splitting on the likeliest separator
        sample = "\n".join(lines[:HEADER_SEARCH_LINES])
        delim = max(DELIMITERS, key=sample.count)
    notes = ()
    if enc not in ("utf-8", "utf-8-sig"):
        notes = (Message("ingest.conv.encoding", encoding=ENCODING_NAMES.get(enc, enc)),)
    head_n = min(len(lines), HEADER_SEARCH_LINES)
    head_rows = [_split(line, delim) for line in lines[:head_n]]
    hi, meta = find_header(head_rows, source)
    body_lines = lines[hi + 1 :]
    if len(body_lines) > MAX_ROWS:
        raise LoadCurveError(
            Message("ingest.error.too_many_rows", n=len(body_lines), max=MAX_ROWS),
            source=source,
        )
    frame = _read_body(body_lines, delim, source, first_line=hi + 2)
    return interpret_table(
        head_rows[hi], hi + 1, meta, frame, np.arange(hi + 2, hi + 2 + len(frame)), options, source, notes=notes,
        delimiter=delim,
    )


def _read_body(body_lines: list[str], delim: str, source: str, *, first_line: int) -> pd.DataFrame:
    """Data rows as text columns 0..n with pandas' C parser; one record per line, or refuse."""
    if not body_lines:
        return pd.DataFrame()
    n_cols = max(map(str.count, body_lines, itertools.repeat(delim))) + 1  # upper bound (quoted separators)
    if n_cols > 1000:
        raise LoadCurveError(
            Message("ingest.error.too_many_columns", n=n_cols), source=source
        )
    try:
        frame = pd.read_csv(
            io.StringIO("\n".join(body_lines)),
            sep=delim,
            header=None,
            names=list(range(n_cols)),
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            skipinitialspace=True,
            engine="c",
            compression=None,
            index_col=False,
            quotechar='"',
            doublequote=True,
            escapechar=None,
            comment=None,
            encoding_errors="strict",
        )
    except (pd.errors.ParserError, ValueError, UnicodeError, MemoryError) as exc:
        msg = str(exc).splitlines()[0][:200]
        m = re.search(r"line (\d+)", msg)  # pandas counts lines from 1
        r = re.search(r"at row (\d+)", msg)  # ... and rows from 0 ("EOF inside string starting at row 7")
        raise LoadCurveError(
            Message("ingest.error.malformed_row", detail=str(msg)),
            source=source,
            line=first_line + int(m.group(1)) - 1 if m else first_line + int(r.group(1)) if r else None,
        ) from None
    if len(frame) != len(body_lines):
        # the first line with an odd number of quote marks opens a field that runs on
        odd = next((i for i, line in enumerate(body_lines) if line.count('"') % 2), None)
        raise LoadCurveError(
            Message("ingest.error.record_count", lines=len(body_lines), records=len(frame)),
            source=source,
            line=first_line + odd if odd is not None else None,
        )
    return frame
