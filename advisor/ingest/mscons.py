"""EDIFACT MSCONS load profiles (German market communication, "Lastgang") into load curves.

Syntax (ISO 9735 as used by the BDEW MIG): the optional ``UNA`` service string sets the component
and element separators, the **decimal mark** (taken from UNA, never guessed; without UNA the
syntax default ``.`` applies), the release character and the segment terminator. Segments are split
on the *unescaped* terminator, so a file may be one line or one segment per line.

One interchange may hold several ``UNH … UNT`` messages and several locations (``LOC``); each
location and OBIS channel becomes one curve with ``meter_id`` = the LOC id. Values (``QTY``) are
bracketed by ``DTM+163`` (start) and ``DTM+164`` (end, exclusive); the interval length is taken
from the data and must be 15, 30 or 60 min. Times: format 303 carries an offset (``?+00`` UTC in
current messages, ``?+01``/``?+02`` German legal time in older ones); 203 has none and is
localised with ``options.tz`` (the repeated October hour by order).

QTY qualifiers (DE 6063): ``220`` measured; ``67`` substitute (flagged ``substituted``; its STS
method/reason codes are listed in the warnings); ``Z18`` provisional (kept as measured, warned);
``201`` proposed value (kept as substituted, warned); ``20`` unusable and ``Z30`` missing (missing);
``187`` forecast (left out, warned; a message of forecasts only is refused); ``79``, ``Z31``,
``136``, ``Z47`` are not interval readings (left out, warned).

OBIS (PIA): C = 1 import, C = 2 export, other C (reactive …) skipped; D = 8 is a cumulative register
(differenced, see :func:`advisor.ingest.smgw.curve_from_register`), any other D is read as
interval energy. Units: ``KWH`` (or left out, which the AHB allows for Lastgänge), ``WHR``,
``MWH``; ``KWT``/``KW``/``W`` average power is converted with :func:`advisor.units.kw_to_kwh`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from advisor.errors import LoadCurveError
from advisor.ingest.smgw import curve_from_register, obis_direction, obis_text, parse_obis
from advisor.loadcurve import CurveMeta, Direction, LoadCurve, Quality, make_load_curve
from advisor.texts import Message, join
from advisor.units import ALLOWED_INTERVAL_MINUTES, kw_to_kwh

FORMAT = "mscons"

MAX_SEGMENTS = 3_000_000  # a year of 15-min values is ~105,000 segments per channel
MAX_SEGMENT_CHARS = 2_000

# QTY qualifier -> (quality, note); None quality = left out of the curve.
QTY_QUALIFIERS: dict[str, tuple[str | None, str]] = {
    "220": (Quality.MEASURED.value, "true value"),
    "67": (Quality.SUBSTITUTED.value, "substitute value"),
    "Z18": (Quality.MEASURED.value, "provisional value"),
    "201": (Quality.SUBSTITUTED.value, "proposed value"),
    "20": (Quality.MISSING.value, "unusable value"),
    "Z30": (Quality.MISSING.value, "missing value"),
    "187": (None, "forecast value"),
    "79": (None, "summed energy"),
    "Z31": (None, "delivery-note value"),
    "136": (None, "other process value"),
    "Z47": (None, "other process value"),
}
# Units (DE 6411) as (kind, factor): energy to kWh, power to kW.
UNITS = {
    "": ("energy", 1.0),
    "KWH": ("energy", 1.0),
    "WHR": ("energy", 1e-3),
    "MWH": ("energy", 1e3),
    "KWT": ("power", 1.0),
    "WTT": ("power", 1e-3),
    "MAW": ("power", 1e3),
}
# STS codes (category 9015 -> status 9013) that explain substitutes; from the AHB 13025/13018.
STS_TEXT = {
    "Z88": "comparison measurement (calibrated)",
    "Z89": "comparison measurement (not calibrated)",
    "Z92": "interpolation",
    "ZJ2": "statistical method",
    "Z74": "no access",
    "Z75": "communication fault",
    "Z76": "grid outage",
    "Z77": "voltage outage",
    "Z78": "meter change",
    "Z79": "calibration",
    "Z81": "metering device faulty",
    "ZA0": "clock set",
    "ZA1": "value implausible",
    "Z83": "customer self-reading",
    "Z84": "vacancy",
    "Z85": "real counter overflow checked",
}
RESET_STATUS = {"Z78", "Z85"}
# Redispatch "Ausfallarbeit" series (AHB 13022, BGM Z45) may hold values < 0; a Lastgang may not.
REDISPATCH_DOCUMENTS = {"Z45"}
REDISPATCH_PRUEFI = {"13022"}  # meter change, counter overflow: a register may restart here


@dataclass
class _Value:
    qualifier: str
    value: float
    unit: str
    segment: int
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    reading_time: pd.Timestamp | None = None
    status: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Channel:
    loc: str | None
    obis: tuple[int, ...] | None
    obis_raw: str | None
    message: int
    period: dict = field(default_factory=dict)  # LOC-level DTM+163 / DTM+164 of the transmitted period
    values: list[_Value] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Syntax layer
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceChars:
    """EDIFACT service characters (from UNA or the syntax defaults)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    terminator: str = "'"


def sniff(head: bytes, name: str) -> bool:
    """Starts (after a BOM and whitespace) with ``UNA`` or ``UNB`` and names MSCONS early."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:3] in (b"UNA", b"UNB") and b"MSCONS" in head[:4096]


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # UNOC is the ISO 8859-1 repertoire


def service_chars(text: str) -> tuple[ServiceChars, str]:
    """Service characters and the text after the UNA string (if any)."""
    text = text.lstrip()
    if text.startswith("UNA"):
        if len(text) < 9:
            raise LoadCurveError(Message("ingest.error.mscons.una_short"))
        una = text[3:9]
        sc = ServiceChars(component=una[0], element=una[1], decimal=una[2], release=una[3], terminator=una[5])
        if sc.decimal not in ".,":
            raise LoadCurveError(Message("ingest.error.mscons.una_decimal", mark=repr(sc.decimal)))
        if len({sc.component, sc.element, sc.release, sc.terminator}) != 4:
            raise LoadCurveError(Message("ingest.error.mscons.una_not_distinct", una=repr(una)))
        return sc, text[9:]
    return ServiceChars(), text


def split_segments(text: str, sc: ServiceChars) -> list[str]:
    """Segments split on the unescaped terminator, whitespace and newlines around them stripped.

    One left-to-right pass (linear time): a regex finds only release pairs and terminators, so
    text without terminators (newlines instead of ``'``) costs one scan, not one per character
    (the former ``((?:[^?']|?.)*)'`` pattern retried from every position: 80 kB took 158 s).
    """
    r, t = re.escape(sc.release), re.escape(sc.terminator)
    token = re.compile(f"{r}.|{t}", re.S)
    segments: list[str] = []
    start = 0
    for m in token.finditer(text):
        if m.group() != sc.terminator:
            if m.start() - start > MAX_SEGMENT_CHARS + 4096:  # refuse early, before a huge strip
                break
            continue  # a released character, part of the segment
        raw_seg = text[start : m.start()]
        start = m.end()
        seg = raw_seg.strip()
        if not seg:
            continue
        if len(seg) > MAX_SEGMENT_CHARS:
            raise LoadCurveError(
                Message("ingest.error.mscons.segment_long", n=len(segments) + 1, length=len(seg), max=MAX_SEGMENT_CHARS)
            )
        segments.append(seg)
        if len(segments) > MAX_SEGMENTS:
            raise LoadCurveError(Message("ingest.error.mscons.too_many_segments", max=MAX_SEGMENTS))
    rest = text[start:].strip()
    if len(rest) > MAX_SEGMENT_CHARS:
        raise LoadCurveError(
            Message("ingest.error.mscons.no_terminator", n=len(segments) + 1, length=len(rest), terminator=repr(sc.terminator), max=MAX_SEGMENT_CHARS)
        )
    if rest:
        raise LoadCurveError(
            Message("ingest.error.mscons.trailing_text", terminator=repr(sc.terminator), length=len(rest))
        )
    return segments


def split_elements(segment: str, sc: ServiceChars) -> list[list[str]]:
    """Elements of a segment, each a list of components, with release characters removed."""
    if sc.release not in segment:
        return [e.split(sc.component) for e in segment.split(sc.element)]
    elements: list[list[str]] = [[""]]
    i, n = 0, len(segment)
    while i < n:
        ch = segment[i]
        if ch == sc.release and i + 1 < n:
            elements[-1][-1] += segment[i + 1]
            i += 2
            continue
        if ch == sc.element:
            elements.append([""])
        elif ch == sc.component:
            elements[-1].append("")
        else:
            elements[-1][-1] += ch
        i += 1
    return elements


def _comp(elements: list[list[str]], e: int, c: int = 0) -> str:
    if e < len(elements) and c < len(elements[e]):
        return elements[e][c]
    return ""


# ---------------------------------------------------------------------------------------------
# Values and times
# ---------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def parse_number(text: str, sc: ServiceChars, source: str, segment: int) -> float:
    """A QTY value with the UNA decimal mark; the other mark is refused, not guessed."""
    t = text.strip()
    if not _NUMBER.match(t):
        raise LoadCurveError(Message("ingest.error.mscons.qty_not_number", segment=segment, value=repr(text)), source=source)
    other = "," if sc.decimal == "." else "."
    if other in t:
        raise LoadCurveError(
            Message("ingest.error.mscons.qty_decimal", segment=segment, value=repr(text), other=repr(other), declared=repr(sc.decimal)),
            source=source,
        )
    return float(t.replace(",", "."))


_DTM_FORMATS = {"303": 12, "304": 14, "203": 12, "204": 14, "102": 8}


def parse_dtm(value: str, fmt: str, source: str, segment: int) -> datetime:
    """A DTM value: aware (UTC) for 303/304 (offset ``+HH`` or ``+HHMM``), naive for 203/204/102."""
    n = _DTM_FORMATS.get(fmt)
    if n is None:
        raise LoadCurveError(
            Message("ingest.error.mscons.dtm_format", segment=segment, format=repr(fmt)), source=source
        )
    digits, rest = value[:n], value[n:]
    if not digits.isdigit() or len(digits) != n:
        raise LoadCurveError(Message("ingest.error.mscons.dtm_mismatch", segment=segment, value=repr(value), format=fmt), source=source)
    try:
        ts = datetime(
            int(digits[0:4]),
            int(digits[4:6]),
            int(digits[6:8]),
            int(digits[8:10] or 0),
            int(digits[10:12] or 0),
            int(digits[12:14] or 0),
        )
    except ValueError:
        raise LoadCurveError(Message("ingest.error.mscons.impossible_date", segment=segment, value=repr(value)), source=source) from None
    if not 1900 <= ts.year <= 2200:
        raise LoadCurveError(Message("ingest.error.mscons.date_range", segment=segment, value=repr(value)), source=source)
    if fmt in ("303", "304"):
        m = _OFFSET.fullmatch(rest)
        if not m:
            raise LoadCurveError(
                Message("ingest.error.mscons.no_offset", segment=segment, value=repr(value), format=fmt),
                source=source,
            )
        sign = 1 if m.group(1) == "+" else -1
        minutes = sign * (int(m.group(2)) * 60 + int(m.group(3) or 0))
        if abs(minutes) > 14 * 60:
            raise LoadCurveError(Message("ingest.error.mscons.offset_range", segment=segment, offset=repr(rest)), source=source)
        ts = (ts - timedelta(minutes=minutes)).replace(tzinfo=UTC)
    elif rest:
        raise LoadCurveError(Message("ingest.error.mscons.dtm_extra", segment=segment, value=repr(value), format=fmt), source=source)
    return ts


_OFFSET = re.compile(r"([+-])(\d{2})(\d{2})?")


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------
def _segments(raw: bytes, source: str) -> tuple[ServiceChars, list[str]]:
    text = _decode(raw)
    try:
        sc, body = service_chars(text)
        segments = split_segments(body, sc)
    except LoadCurveError as exc:
        raise LoadCurveError(exc.reason, source=source) from None
    if not segments or not segments[0].startswith("UNB"):
        raise LoadCurveError(Message("ingest.error.mscons.no_unb"), source=source)
    return sc, segments


def locations(raw: bytes, options, source: str) -> list[str]:
    """The locations (``LOC`` ids) with a consumption channel holding values, in file order,
    without splitting or parsing the values (one regex pass; for ``advisor batch``'s plan). A hint:
    the full read (:func:`parse`) decides, so an odd file costs a refusal there, never a wrong sum."""
    sc, body = service_chars(_decode(raw))
    t, e, r = (re.escape(x) for x in (sc.terminator, sc.element, sc.release))
    marker = re.compile(rf"(?:\A|(?<!{r}){t})\s*(UNH|LOC|LIN|PIA){e}")
    qty = f"QTY{sc.element}"
    found: dict[str, None] = {}
    any_loc: dict[str, None] = {}
    loc: str | None = None
    importing = False
    marks = list(marker.finditer(body))
    for i, m in enumerate(marks):
        tag = m.group(1)
        end = body.find(sc.terminator, m.end())
        seg = body[m.start(1) : end if end >= 0 else len(body)]
        if tag == "UNH":
            loc, importing = None, False
        elif tag == "LOC":
            loc, importing = _comp(split_elements(seg, sc), 2) or "?", False
        elif tag == "LIN":
            importing = True  # a channel without PIA is read as consumption
        else:
            obis = parse_obis(_comp(split_elements(seg, sc), 2))
            importing = obis is None or obis_direction(obis) is Direction.IMPORT
        nxt = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        if loc is not None and tag in ("LIN", "PIA") and body.find(qty, m.end(), nxt) >= 0:
            any_loc.setdefault(loc, None)
            if importing:
                found.setdefault(loc, None)
    return list(found or any_loc)


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    """Read every location and channel of an MSCONS interchange into curves (one each); with
    ``options.meter_id`` only that location's segments are parsed (the others are skipped)."""
    sc, segments = _segments(raw, source)
    wanted = getattr(options, "meter_id", None)
    skipping = False
    warnings_: list[str] = []
    message_warnings: dict[int, list[str]] = defaultdict(list)
    redispatch: set[int] = set()
    channels: list[_Channel] = []
    message = 0
    in_message = False
    seg_count = 0
    n_messages = 0
    loc: str | None = None
    period: dict[str, pd.Timestamp] = {}
    current: _Channel | None = None
    value: _Value | None = None
    dtm_fast, qty_fast = _fast_patterns(sc)
    for k, seg in enumerate(segments, start=1):
        # the two segments that make up almost all of a Lastgang are matched directly
        fast = dtm_fast.fullmatch(seg) if seg[:3] == "DTM" else qty_fast.fullmatch(seg) if seg[:3] == "QTY" else None
        if fast is not None:
            els, tag = None, seg[:3]
        else:
            els = split_elements(seg, sc)
            tag = _comp(els, 0)
        if in_message:
            seg_count += 1
        if tag == "UNH":
            if in_message:
                raise LoadCurveError(Message("ingest.error.mscons.unh_before_unt", segment=k), source=source)
            if _comp(els, 2) != "MSCONS":
                raise LoadCurveError(Message("ingest.error.mscons.message_type", segment=k, type=repr(_comp(els, 2))), source=source)
            in_message, seg_count, message = True, 1, message + 1
            n_messages += 1
            loc, current, value, period = None, None, None, {}
            skipping = False
        elif tag == "UNT":
            if not in_message:
                raise LoadCurveError(Message("ingest.error.mscons.unt_without_unh", segment=k), source=source)
            declared = _comp(els, 1)
            if declared.isdigit() and int(declared) != seg_count:
                message_warnings[message].append(
                    Message("ingest.warning.mscons.unt", message=message, declared=int(declared), found=seg_count)
                )
            in_message = False
        elif tag == "UNZ":
            declared = _comp(els, 1)
            if declared.isdigit() and int(declared) != n_messages:
                warnings_.append(Message("ingest.warning.mscons.unz", declared=int(declared), found=n_messages))
        elif not in_message:
            continue
        elif skipping and tag in ("LIN", "PIA", "QTY", "DTM", "STS"):
            continue  # another location than the one asked for
        elif tag == "BGM" and _comp(els, 1) in REDISPATCH_DOCUMENTS:
            redispatch.add(message)
        elif tag == "RFF" and _comp(els, 1, 0) == "Z13" and _comp(els, 1, 1) in REDISPATCH_PRUEFI:
            redispatch.add(message)
        elif tag == "LOC":
            loc = _comp(els, 2) or None
            current, value, period = None, None, {}
            skipping = wanted is not None and loc != wanted
        elif tag == "LIN":
            current = _Channel(loc=loc, obis=None, obis_raw=None, message=message, period=period)
            channels.append(current)
            value = None
        elif tag == "PIA":
            if current is None:
                raise LoadCurveError(Message("ingest.error.mscons.pia_outside_lin", segment=k), source=source)
            current.obis_raw = _comp(els, 2)
            current.obis = parse_obis(current.obis_raw)
        elif tag == "QTY":
            if current is None:
                raise LoadCurveError(Message("ingest.error.mscons.qty_outside_lin", segment=k), source=source)
            if fast is not None:
                qual, number_text, unit = fast.group(1), fast.group(2), (fast.group(3) or "").upper()
            else:
                qual, number_text, unit = _comp(els, 1, 0), _comp(els, 1, 1), _comp(els, 1, 2).upper()
            if qual not in QTY_QUALIFIERS:
                raise LoadCurveError(
                    Message("ingest.error.mscons.qty_qualifier", segment=k, qualifier=repr(qual), known=str(sorted(QTY_QUALIFIERS))),
                    source=source,
                )
            number = parse_number(number_text, sc, source, k)
            if unit not in UNITS:
                raise LoadCurveError(
                    Message("ingest.error.mscons.unit", segment=k, unit=repr(unit), value=str(number), raw=repr(seg)),
                    source=source,
                )
            value = _Value(qual, number, unit, k)
            current.values.append(value)
        elif tag == "DTM":
            if fast is not None:
                qual, fmt = fast.group(1), fast.group(4)
                val = fast.group(2) + (fast.group(3) or "").replace(sc.release, "")
            else:
                qual, val, fmt = _comp(els, 1, 0), _comp(els, 1, 1), _comp(els, 1, 2)
            if qual not in ("163", "164", "9"):
                continue
            ts = parse_dtm(val, fmt, source, k)
            if value is not None and current is not None:
                if qual == "163":
                    value.start = ts
                elif qual == "164":
                    value.end = ts
                else:
                    value.reading_time = ts
            elif current is None:
                period[qual] = ts
        elif tag == "STS":
            if value is not None:
                value.status.append((_comp(els, 1), _comp(els, 3)))
    if in_message:
        raise LoadCurveError(Message("ingest.error.mscons.unt_missing"), source=source)
    channels = [c for c in channels if c.values]
    if not channels and wanted is not None:
        return []  # the dispatcher names the location that is not in the file
    if not channels:
        raise LoadCurveError(Message("ingest.error.mscons.no_values"), source=source)
    return _build_curves(channels, options, source, warnings_, message_warnings, redispatch)


def _fast_patterns(sc: ServiceChars) -> tuple[re.Pattern, re.Pattern]:
    """Regexes for plain ``DTM`` and ``QTY`` segments under the given service characters.

    They accept exactly what :func:`split_elements` would give for such segments (a sign that is
    a service character must carry the release character); anything else takes the general path.
    """
    e, c, r = (re.escape(x) for x in (sc.element, sc.component, sc.release))
    special = {sc.element, sc.component, sc.terminator, sc.release}
    signs = "|".join(f"{r}{re.escape(ch)}" if ch in special else re.escape(ch) for ch in "+-")
    dtm = re.compile(rf"DTM{e}(\d{{1,3}}){c}(\d{{8,14}})((?:{signs})\d{{2}}(?:\d{{2}})?)?{c}(\d{{3}})")
    minus = f"{r}-" if "-" in special else "-"
    qty = re.compile(rf"QTY{e}([A-Z0-9]{{1,3}}){c}((?:{minus})?\d+(?:[.,]\d+)?)(?:{c}([A-Za-z0-9]*))?")
    return dtm, qty


def _localise(stamps: list, tz: str, source: str) -> pd.DatetimeIndex:
    """DTM times -> aware UTC index; naive ones (format 203) are localised in ``tz`` first, the
    repeated October hour by order."""
    if stamps[0].tzinfo is not None:
        if any(t.tzinfo is None for t in stamps):
            raise LoadCurveError(Message("ingest.error.mscons.mixed_offsets"), source=source)
        return pd.DatetimeIndex(stamps).tz_convert("UTC")
    try:
        idx = pd.DatetimeIndex(stamps).tz_localize(tz, ambiguous="infer", nonexistent="raise")
    except Exception as exc:  # noqa: BLE001  (AmbiguousTimeError / NonExistentTimeError / mixed)
        raise LoadCurveError(
            Message("ingest.error.mscons.local_dst", detail=str(exc)), source=source
        ) from None
    return idx.tz_convert("UTC")


def _build_curves(
    channels: list[_Channel],
    options,
    source: str,
    warnings_: list[str],
    message_warnings: dict[int, list[str]],
    redispatch: set[int],
) -> list[LoadCurve]:
    groups: dict[tuple, list[_Channel]] = defaultdict(list)
    skipped = []
    for ch in channels:
        if ch.obis is None:
            direction, kind = Direction.IMPORT, "interval"
        else:
            direction = obis_direction(ch.obis)
            if direction is None:
                skipped.append(obis_text(ch.obis))
                continue
            kind = "register" if ch.obis[3] == 8 else "interval"
        groups[(ch.loc, direction, kind, ch.obis[:5] if ch.obis else None)].append(ch)
    curves = []
    for (loc, direction, kind, obis), chs in groups.items():
        values = [v for ch in chs for v in ch.values]
        notes = list(warnings_)
        for m in sorted({ch.message for ch in chs}):
            notes.extend(message_warnings.get(m, []))
        if chs[0].obis is None:
            notes.append(
                Message("ingest.warning.mscons.pia_not_obis", pia=repr(chs[0].obis_raw))
                if chs[0].obis_raw
                else Message("ingest.warning.mscons.no_obis")
            )
        allow_negative = any(ch.message in redispatch for ch in chs)
        if allow_negative:
            notes.append(Message("ingest.warning.mscons.redispatch"))
        if obis is not None and kind == "interval" and obis[3] != 29:
            notes.append(Message("ingest.warning.mscons.not_interval_obis", obis=obis_text(obis)))
        if skipped:
            notes.append(Message("ingest.warning.mscons.skipped_channels", channels=str(sorted(set(skipped)))))
        meta = CurveMeta(
            source_format=FORMAT,
            meter_id=loc,
            tz=options.tz,
            holiday_region=options.holiday_region,
            source_name=source,
            obis=obis_text(obis) if obis else None,
        )
        if kind == "register":
            curves.append(_register_curve(values, meta, direction, options, source, notes))
        else:
            curves.append(
                _interval_curve(values, meta, direction, options, source, notes, allow_negative, chs[0].period)
            )
    if not curves:
        raise LoadCurveError(Message("ingest.error.mscons.no_energy_channel", found=str(sorted(set(skipped)))), source=source)
    return curves


def _quality_notes(values: list[_Value], notes: list[str]) -> None:
    quals = Counter(v.qualifier for v in values)
    for q, n in sorted(quals.items()):
        if q in ("220",):
            continue
        kind, _ = QTY_QUALIFIERS[q]
        what = {
            None: "left_out",
            Quality.MEASURED.value: "measured",
            Quality.SUBSTITUTED.value: "substituted",
            Quality.MISSING.value: "missing",
        }[kind]
        notes.append(Message(f"ingest.warning.mscons.qty_{what}", n=n, qualifier=q, text=Message(f"ingest.mscons.qty.{q}")))
    status = Counter((cat, code) for v in values for cat, code in v.status)
    if status:
        items = [
            Message("ingest.warning.mscons.status_item", n=n, category=cat, code=code, text=Message(f"ingest.mscons.sts.{code}"))
            if code in STS_TEXT
            else Message("ingest.warning.mscons.status_item_unknown", n=n, category=cat, code=code)
            for (cat, code), n in sorted(status.items())
        ]
        notes.append(Message("ingest.warning.mscons.status", items=join(items, ", ")))


def _interval_curve(
    values, meta, direction, options, source, notes, allow_negative: bool = False, period: dict | None = None
) -> LoadCurve:
    forecasts = [v for v in values if QTY_QUALIFIERS[v.qualifier][0] is None and v.qualifier == "187"]
    if forecasts and len(forecasts) == len(values):
        raise LoadCurveError(
            Message("ingest.error.mscons.forecast_only", location=str(meta.meter_id)), source=source
        )
    for v in values:
        if v.start is None or v.end is None:
            raise LoadCurveError(
                Message("ingest.error.mscons.no_interval", segment=v.segment), source=source
            )
    starts = _localise([v.start for v in values], options.tz, source)
    ends = _localise([v.end for v in values], options.tz, source)
    minutes = ((ends - starts) / pd.Timedelta(minutes=1)).to_numpy(dtype=float)
    uniq, counts = np.unique(minutes, return_counts=True)
    step = float(uniq[np.argmax(counts)])
    odd = np.flatnonzero((minutes != step) | ~np.isin(minutes, ALLOWED_INTERVAL_MINUTES))
    if odd.size and _chain_on_grid(starts, ends, step):
        # The brackets form one unbroken chain whose length is exactly n x step, but some
        # brackets stray from the grid (meter clock corrections, e.g. 20:00-20:16 + 20:16-20:30):
        # each value belongs to its position in the chain.
        notes.append(Message("ingest.warning.mscons.clock_corrections", n=int(odd.size), step=step))
        starts = starts[0] + pd.to_timedelta(np.arange(len(starts)) * step, unit="min")
        odd = odd[:0]
    if odd.size:
        v = values[int(odd[0])]
        raise LoadCurveError(
            Message("ingest.error.mscons.odd_interval", segment=v.segment, value=v.value, minutes=float(minutes[odd[0]]), start=starts[odd[0]].isoformat(), end=ends[odd[0]].isoformat(), allowed=" / ".join(map(str, ALLOWED_INTERVAL_MINUTES)), step=float(step)),
            source=source,
        )
    step_min = int(step)
    energy = np.empty(len(values))
    quality = []
    kept = np.ones(len(values), bool)
    units_used = set()
    for i, v in enumerate(values):
        q = QTY_QUALIFIERS[v.qualifier][0]
        if q is None:
            kept[i] = False
            energy[i] = np.nan
            quality.append(Quality.MISSING.value)
            continue
        if v.value < 0 and q != Quality.MISSING.value and not allow_negative:
            raise LoadCurveError(
                Message("ingest.error.mscons.negative", segment=v.segment, value=float(v.value)),
                source=source,
                timestamp=starts[i].tz_convert(options.tz).isoformat(),
            )
        kind, factor = UNITS[v.unit]
        units_used.add(v.unit or "(none)")
        e = v.value * factor
        if kind == "power":
            e = kw_to_kwh(e, step_min)
        energy[i] = np.nan if q == Quality.MISSING.value else e
        quality.append(q)
    idx = starts[kept]
    if idx.has_duplicates:
        dup = idx[idx.duplicated()][0]
        s_dup = pd.Series(energy[kept], index=idx)
        if s_dup[s_dup.index == dup].nunique(dropna=False) > 1:
            raise LoadCurveError(
                Message("ingest.error.mscons.two_values"),
                source=source,
                timestamp=dup.tz_convert(options.tz).isoformat(),
            )
        notes.append(Message("ingest.warning.mscons.repeated_values"))
    s = pd.Series(energy[kept], index=idx)
    qs = pd.Series(np.asarray(quality, dtype=object)[kept], index=idx)
    s, qs = s[~idx.duplicated()], qs[~idx.duplicated()]
    s, qs = _extend_to_period(s, qs, period or {}, step_min, options, source, notes)
    _quality_notes(values, notes)
    conv = []
    if units_used == {"(none)"}:
        conv.append(Message("ingest.conv.mscons.no_unit"))
    if any(UNITS[u][0] == "power" for u in units_used if u != "(none)"):
        conv.append(Message("ingest.conv.mscons.power", minutes=int(step_min)))
    meta = replace(meta, conversions=tuple(conv), warnings=tuple(notes))
    return make_load_curve(
        s,
        interval_minutes=step_min,
        quality=qs,
        direction=direction,
        meta=meta,
        allow_negative=allow_negative,
        unit_stated="(none)" not in units_used,  # every value names its unit (QTY+220:…:KWH)
    )


def _extend_to_period(s, qs, period: dict, step_min: int, options, source, notes):
    """Intervals of the declared period ``[DTM+163, DTM+164)`` without a value become missing."""
    if "163" not in period or "164" not in period or s.empty:
        return s, qs
    lo, hi = _localise([period["163"], period["164"]], options.tz, source)
    step = pd.Timedelta(minutes=step_min)
    first, last_end = s.index.min(), s.index.max() + step
    if (first - lo) % step or (hi - last_end) % step:
        notes.append(
            Message("ingest.warning.mscons.period_off_grid", start=lo, end=hi, minutes=int(step_min))
        )
        return s, qs
    add = []
    if lo < first:
        add.append(lo)
    if hi > last_end:
        add.append(hi - step)
    if first < lo or last_end > hi:
        notes.append(Message("ingest.warning.mscons.beyond_period", start=lo, end=hi))
    if not add:
        return s, qs
    n_missing = int(((first - lo) / step if lo < first else 0) + ((hi - last_end) / step if hi > last_end else 0))
    notes.append(Message("ingest.warning.mscons.period_missing", n=n_missing))
    extra = pd.DatetimeIndex(add)
    s = pd.concat([s, pd.Series(np.nan, index=extra)])
    qs = pd.concat([qs, pd.Series(Quality.MISSING.value, index=extra, dtype=object)])
    return s, qs


def _chain_on_grid(starts: pd.DatetimeIndex, ends: pd.DatetimeIndex, step: float) -> bool:
    """Each bracket starts where the previous ended and the chain spans len x step minutes."""
    if step not in ALLOWED_INTERVAL_MINUTES:
        return False
    if (ends[:-1] != starts[1:]).any():
        return False
    return (ends[-1] - starts[0]) == pd.Timedelta(minutes=step) * len(starts)


def _register_curve(values, meta, direction, options, source, notes) -> LoadCurve:
    times = []
    for v in values:
        t = v.reading_time or v.end or v.start
        if t is None:
            raise LoadCurveError(Message("ingest.error.mscons.register_no_date", segment=v.segment), source=source)
        times.append(t)
    idx = _localise(times, options.tz, source)
    use = [QTY_QUALIFIERS[v.qualifier][0] not in (None, Quality.MISSING.value) for v in values]
    kwh = []
    for v in values:
        kind, factor = UNITS[v.unit]
        if kind != "energy":
            raise LoadCurveError(
                Message("ingest.error.mscons.register_unit", segment=v.segment, unit=str(v.unit)), source=source
            )
        kwh.append(v.value * factor)
    resets = np.array([any(code in RESET_STATUS for _, code in v.status) for v in values])
    _quality_notes(values, notes)
    meta = replace(meta, warnings=tuple(notes))
    return curve_from_register(
        idx,
        np.asarray(kwh),
        meta=meta,
        direction=direction,
        resets=resets,
        unusable=~np.asarray(use),
        unit_stated=all(v.unit for v in values),
    )

