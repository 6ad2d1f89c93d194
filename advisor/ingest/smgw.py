"""Smart-meter-gateway XML (FNN/VDE AR 2418-6, as exported by TRuDI) into load curves.

The gateway delivers **cumulative register readings at points in time** (``duration`` 0), e.g.
OBIS ``1-0:1.8.0`` (import) or ``1-0:2.8.0`` (export), as ``value × 10^scaler`` in the unit
``uom`` (72 = Wh). The energy of an interval is the difference of two consecutive readings.

Time stamps are ISO 8601 with an offset, and the offset style may change inside one file
(``+02:00`` next to ``Z``); every reading becomes an aware instant, so the October day with its
repeated wall hour (``02:45+02:00`` then ``02:00+01:00``) simply gives 100 quarter-hours.

Gaps (readings left out) — our choice, documented in ``docs/ingest_formats.md``: the energy over
a gap is known only as a sum (the register difference across it). We spread that sum evenly over
the intervals of the gap and flag them :attr:`Quality.FILLED`, so the curve still adds up to the
register difference; the summary's ``energy_kwh`` (measured + substituted) does not include it, and
a warning names the gaps and the energy spread. :func:`curve_from_register` holds this rule and is
used by the MSCONS and inexogy readers too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from advisor.errors import LoadCurveError
from advisor.loadcurve import CurveMeta, Direction, LoadCurve, Quality, make_load_curve
from advisor.texts import Message, join
from advisor.units import ALLOWED_INTERVAL_MINUTES

FORMAT = "smgw"

AR2418_NS = "http://vde.de/AR_2418-6.xsd"
ESPI_NS = "http://naesb.org/espi"

# ESPI / IEC 61968 unit-of-measure codes we accept for energy, as factor to kWh.
UOM_TO_KWH = {72: 1e-3}  # 72 = Wh
UOM_NAMES = {72: "Wh", 38: "W", 169: "therm", 42: "m³", 119: "ft³"}
# PTB status word (statusPTB): 0 no error, 1 warning, 2 temporary error, 3 critical temporary
# error, 4 fatal error (TRuDI's StatusPTB enumeration). From 3 on the reading is not used.
PTB_UNUSABLE_FROM = 3
MAX_READINGS = 2_000_000


# ---------------------------------------------------------------------------------------------
# Register readings -> interval energies (shared by smgw, mscons and discovergy)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegisterGap:
    """A gap between two register readings more than one interval apart.

    Attributes
    ----------
    start
        Time of the reading before the gap (start of the first interval of the gap).
    n_intervals
        Number of intervals the gap spans.
    energy_kwh
        Register difference across the gap [kWh].
    """

    start: pd.Timestamp
    n_intervals: int
    energy_kwh: float


def curve_from_register(
    times: pd.DatetimeIndex,
    readings_kwh: np.ndarray,
    *,
    meta: CurveMeta,
    direction: Direction = Direction.IMPORT,
    interval_minutes: int | None = None,
    resets: np.ndarray | None = None,
    unusable: np.ndarray | None = None,
    unit_stated: bool = False,
) -> LoadCurve:
    """Turn cumulative register readings into a load curve of interval energies.

    Parameters
    ----------
    times
        Tz-aware instants of the readings (any order; sorted here).
    readings_kwh
        Register value at each instant [kWh].
    meta
        Metadata of the resulting curve (its ``tz`` is the display zone).
    direction
        Import (1.8.x) or export (2.8.x).
    interval_minutes
        Interval length [min]; by default the most common spacing of the readings.
    resets
        True where a reading starts a new counter (meter change, overflow checked by the
        source): the interval ending there is unknown and becomes missing.
    unusable
        True where the source marks a reading invalid; it is dropped (its neighbours' intervals
        become a gap).

    Returns
    -------
    LoadCurve
        Interval energies labelled at interval start: measured between readings one interval
        apart, ``filled`` (the register difference spread evenly) across gaps, ``missing`` across
        resets. Gaps and resets are listed in ``meta.warnings``.

    Raises
    ------
    LoadCurveError
        Fewer than two readings, naive times, disagreeing duplicates, readings off the interval
        grid, an interval length not in 15/30/60 min, or a register running backwards without a
        reset.
    """
    src = meta.source_name
    if times.tz is None:
        raise LoadCurveError(Message("ingest.error.smgw.naive_times"), source=src)
    vals = np.asarray(readings_kwh, dtype="float64")
    resets = np.zeros(len(vals), bool) if resets is None else np.asarray(resets, bool)
    unusable = np.zeros(len(vals), bool) if unusable is None else np.asarray(unusable, bool)
    warnings_: list[str] = list(meta.warnings)
    if unusable.any():
        warnings_.append(Message("ingest.warning.register.invalid", n=int(unusable.sum())))
    keep = ~unusable & np.isfinite(vals)
    t_ns = times.tz_convert("UTC").as_unit("ns").asi8[keep]
    vals, resets = vals[keep], resets[keep]
    order = np.argsort(t_ns, kind="stable")
    t_ns, vals, resets = t_ns[order], vals[order], resets[order]
    # duplicates: equal readings are dropped, disagreeing ones refused
    if len(t_ns) > 1:
        dup = np.flatnonzero(np.diff(t_ns) == 0)
        if dup.size:
            bad = dup[vals[dup] != vals[dup + 1]]
            if bad.size:
                ts = pd.Timestamp(t_ns[bad[0]], tz="UTC").tz_convert(meta.tz).isoformat()
                raise LoadCurveError(
                    Message("ingest.error.smgw.two_readings", first=float(vals[bad[0]]), second=float(vals[bad[0] + 1])),
                    source=src,
                    timestamp=ts,
                )
            drop = np.zeros(len(t_ns), bool)
            drop[dup + 1] = True
            resets[dup] |= resets[dup + 1]
            t_ns, vals, resets = t_ns[~drop], vals[~drop], resets[~drop]
            warnings_.append(Message("ingest.warning.register.repeated", n=int(drop.sum())))
    if len(t_ns) < 2:
        raise LoadCurveError(
            Message("ingest.error.smgw.too_few", n=len(t_ns)),
            source=src,
        )
    step_ns_all = np.diff(t_ns)
    if interval_minutes is None:
        minutes, counts = np.unique(step_ns_all // 60_000_000_000, return_counts=True)
        interval_minutes = int(minutes[np.argmax(counts)])
    if interval_minutes not in ALLOWED_INTERVAL_MINUTES:
        raise LoadCurveError(
            Message("ingest.error.smgw.spacing", minutes=interval_minutes),
            source=src,
        )
    step_ns = interval_minutes * 60_000_000_000
    off = (t_ns - t_ns[0]) % step_ns
    if (off != 0).any():
        pos = int(np.argmax(off != 0))
        raise LoadCurveError(
            Message("ingest.error.smgw.off_grid", minutes=interval_minutes),
            source=src,
            timestamp=pd.Timestamp(t_ns[pos], tz="UTC").tz_convert(meta.tz).isoformat(),
        )
    n = (step_ns_all // step_ns).astype(np.int64)
    # differences rounded to 1e-10 kWh (finer than any meter's resolution) to drop float noise
    d = np.round(np.diff(vals), 10)
    reset_after = resets[1:]
    back = (d < 0) & ~reset_after
    if back.any():
        i = int(np.argmax(back))
        raise LoadCurveError(
            Message("ingest.error.smgw.backwards", start=float(vals[i]), end=float(vals[i + 1])),
            source=src,
            timestamp=pd.Timestamp(t_ns[i + 1], tz="UTC").tz_convert(meta.tz).isoformat(),
        )
    per = np.where(reset_after, np.nan, d / n)
    starts = np.repeat(t_ns[:-1], n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)) * step_ns
    energy = np.repeat(per, n)
    qual = np.where(
        np.repeat(reset_after, n),
        Quality.MISSING.value,
        np.where(np.repeat(n > 1, n), Quality.FILLED.value, Quality.MEASURED.value),
    )
    gaps = np.flatnonzero((n > 1) & ~reset_after)
    if gaps.size:
        spread = float(d[gaps].sum())
        warnings_.append(
            Message("ingest.warning.register.gaps_filled", n=int(n[gaps].sum()), gaps=int(gaps.size), kwh=spread)
        )
    if reset_after.any():
        warnings_.append(Message("ingest.warning.register.resets", n=int(reset_after.sum())))
    conversions = meta.conversions + (Message("ingest.conv.register.differenced"),)
    meta = replace(meta, conversions=conversions, warnings=tuple(warnings_))
    idx = pd.DatetimeIndex(starts.astype("datetime64[ns]")).tz_localize("UTC")
    return make_load_curve(
        pd.Series(energy, index=idx),
        interval_minutes=interval_minutes,
        quality=pd.Series(qual, index=idx),
        direction=direction,
        meta=meta,
        unit_stated=unit_stated,
    )


# ---------------------------------------------------------------------------------------------
# OBIS
# ---------------------------------------------------------------------------------------------
_OBIS_TEXT = re.compile(r"^(\d{1,3})-(\d{1,3}):(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:[*&](\d{1,3}))?$")


def parse_obis(code: str) -> tuple[int, int, int, int, int, int] | None:
    """OBIS groups ``(A, B, C, D, E, F)`` from text (``1-0:1.8.0*255``) or 12 hex digits
    (``0100010800ff``); None if it is neither."""
    code = code.strip()
    if re.fullmatch(r"[0-9A-Fa-f]{12}", code):
        b = bytes.fromhex(code)
        return tuple(b)  # type: ignore[return-value]
    m = _OBIS_TEXT.match(code)
    if not m:
        return None
    g = [int(x) if x is not None else 255 for x in m.groups()]
    return tuple(g)  # type: ignore[return-value]


def obis_text(groups: tuple[int, ...]) -> str:
    """``A-B:C.D.E`` text of OBIS groups."""
    a, b, c, d, e = groups[:5]
    return f"{a}-{b}:{c}.{d}.{e}"


def obis_direction(groups: tuple[int, ...]) -> Direction | None:
    """Import for active energy +A (C = 1), export for -A (C = 2), None for anything else."""
    if groups[0] != 1:
        return None
    return {1: Direction.IMPORT, 2: Direction.EXPORT}.get(groups[2])


# ---------------------------------------------------------------------------------------------
# Reader
# ---------------------------------------------------------------------------------------------
def sniff(head: bytes, name: str) -> bool:
    """An XML document in the AR 2418-6 namespace (root ``UsagePoints``)."""
    text = head[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:1] == b"<" and AR2418_NS.encode() in head[:8192]


def _parse_xml(raw: bytes, source: str):
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    try:
        return SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise LoadCurveError(
            Message("ingest.error.smgw.forbidden_xml", error=type(exc).__name__), source=source
        ) from None
    except Exception as exc:  # noqa: BLE001  (ParseError and friends)
        raise LoadCurveError(Message("ingest.error.smgw.malformed_xml", detail=str(exc)), source=source) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el, name: str):
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _text(el, name: str) -> str | None:
    c = _child(el, name)
    return None if c is None or c.text is None else c.text.strip()


def _int(text: str | None, what: str, source: str, default: int | None = None) -> int:
    if text is None:
        if default is not None:
            return default
        raise LoadCurveError(Message("ingest.error.xml.missing", element=what), source=source)
    try:
        return int(text)
    except ValueError:
        raise LoadCurveError(Message("ingest.error.xml.not_integer", element=what, found=repr(text)), source=source) from None


def _timestamp(text: str | None, source: str) -> pd.Timestamp:
    if not text:
        raise LoadCurveError(Message("ingest.error.smgw.no_start"), source=source)
    try:
        ts = pd.Timestamp(text)
    except (ValueError, TypeError):
        raise LoadCurveError(
            Message("ingest.error.bad_time", what=Message("ingest.what.time"), cell=repr(text), expected=Message("ingest.expected.iso")),
            source=source,
        ) from None
    if ts.tz is None:
        raise LoadCurveError(
            Message("ingest.error.smgw.time_no_offset", time=repr(text)), source=source
        )
    return ts


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    """Read every active-energy register of an AR 2418-6 export into curves.

    One curve per ``MeterReading`` with OBIS 1.8.x (import) or 2.8.x (export); other registers
    (reactive energy, ...) are skipped with a warning. ``options.tz`` is the display zone.
    """
    root = _parse_xml(raw, source)
    if _local(root.tag) != "UsagePoints":
        raise LoadCurveError(Message("ingest.error.smgw.root", root=_local(root.tag)), source=source)
    found: list[tuple[tuple, LoadCurve]] = []
    failed: list[tuple[str, LoadCurveError]] = []
    skipped: list[str] = []
    for up in _children(root, "UsagePoint"):
        usage_point_id = _text(up, "usagePointId")
        for mr in _children(up, "MeterReading"):
            rt = _child(mr, "ReadingType")
            if rt is None:
                raise LoadCurveError(Message("ingest.error.xml.no_reading_type"), source=source)
            obis_raw = _text(rt, "obisCode") or ""
            obis = parse_obis(obis_raw)
            if obis is None:
                raise LoadCurveError(Message("ingest.error.smgw.obis", obis=repr(obis_raw)), source=source)
            direction = obis_direction(obis)
            if direction is None:
                skipped.append(obis_text(obis))
                continue
            uom = _int(_text(rt, "uom"), "uom", source)
            if uom not in UOM_TO_KWH:
                raise LoadCurveError(
                    Message("ingest.error.smgw.uom", uom=uom, name=UOM_NAMES.get(uom, "unknown")),
                    source=source,
                )
            scaler = _int(_text(rt, "scaler"), "scaler", source, default=0)
            p10 = _int(_text(rt, "powerOfTenMultiplier"), "powerOfTenMultiplier", source, default=0)
            factor = UOM_TO_KWH[uom] * 10.0 ** (scaler + p10)
            meter = _child(mr, "Meter")
            meter_id = usage_point_id or (_text(meter, "meterId") if meter is not None else None)
            times, values, durations, ptb = [], [], [], []
            for block in _children(mr, "IntervalBlock"):
                for r in _children(block, "IntervalReading"):
                    tp = _child(r, "timePeriod")
                    if tp is None:
                        raise LoadCurveError(Message("ingest.error.xml.no_time_period"), source=source)
                    times.append(_timestamp(_text(tp, "start"), source))
                    durations.append(_int(_text(tp, "duration"), "duration", source, default=0))
                    values.append(_int(_text(r, "value"), "value", source))
                    ptb.append(_int(_text(r, "statusPTB"), "statusPTB", source, default=0))
                    if len(times) > MAX_READINGS:
                        raise LoadCurveError(Message("ingest.error.too_many_readings", max=MAX_READINGS), source=source)
            if not times:
                raise LoadCurveError(Message("ingest.error.smgw.register_empty", register=obis_text(obis)), source=source)
            is_register = obis[3] == 8 and all(dur == 0 for dur in durations)
            warns: list[str] = []
            ptb_arr = np.asarray(ptb)
            counts = Counter(int(p) for p in ptb_arr if p > 0)
            if counts:
                items = [Message("ingest.warning.smgw.ptb_item", n=n, status=s) for s, n in sorted(counts.items())]
                warns.append(Message("ingest.warning.smgw.ptb", items=join(items, ", "), unusable=PTB_UNUSABLE_FROM))
            meta = CurveMeta(
                source_format=FORMAT,
                meter_id=meter_id,
                tz=options.tz,
                holiday_region=options.holiday_region,
                source_name=source,
                obis=obis_text(obis),
                conversions=(Message("ingest.conv.scaled_unit", exponent=int(scaler + p10), unit=UOM_NAMES[uom]),),
                warnings=tuple(warns),
            )
            idx = pd.DatetimeIndex([t.tz_convert("UTC") for t in times])
            kwh = np.asarray(values, dtype="float64") * factor
            try:
                if is_register:
                    curve = curve_from_register(
                        idx, kwh, meta=meta, direction=direction, unusable=ptb_arr >= PTB_UNUSABLE_FROM,
                        unit_stated=True,  # uom and scaler of the ReadingType
                    )
                else:
                    curve = _interval_values(idx, kwh, np.asarray(durations), ptb_arr, meta, direction, source)
            except LoadCurveError as exc:
                failed.append((obis_text(obis), exc))
                continue
            found.append((obis, curve))
    notes = []
    # tariff registers (x.8.1, x.8.2 ...) repeat the total register (x.8.0) of the same point
    totals = {(c.meta.meter_id, c.direction) for o, c in found if o[4] == 0}
    curves: list[LoadCurve] = []
    for o, c in found:
        if o[4] != 0 and (c.meta.meter_id, c.direction) in totals:
            notes.append(Message("ingest.warning.smgw.tariff_register", obis=obis_text(o)))
            continue
        curves.append(c)
    if skipped:
        notes.append(Message("ingest.warning.smgw.skipped_registers", registers=str(sorted(set(skipped)))))
    if not curves and failed:
        raise failed[0][1]
    for o, exc in failed:
        notes.append(Message("ingest.warning.smgw.register_failed", register=str(o), reason=exc.reason))
    curves = [c.with_meta(warnings=c.meta.warnings + tuple(notes)) for c in curves]
    if not curves:
        raise LoadCurveError(
            Message("ingest.error.smgw.no_energy_register", found=str(sorted(set(skipped)) or "none")),
            source=source,
        )
    return curves


def _interval_values(idx, kwh, durations, ptb, meta, direction, source) -> LoadCurve:
    """Readings that are interval energies (``duration`` > 0), e.g. OBIS 1.29.0."""
    if (durations <= 0).any():
        raise LoadCurveError(Message("ingest.error.smgw.mixed_durations"), source=source)
    minutes = set((durations // 60).tolist())
    if len(minutes) != 1 or next(iter(minutes)) not in ALLOWED_INTERVAL_MINUTES:
        raise LoadCurveError(
            Message("ingest.error.smgw.durations", found=str(sorted(minutes)), allowed=str(ALLOWED_INTERVAL_MINUTES)), source=source
        )
    s = pd.Series(np.where(ptb >= PTB_UNUSABLE_FROM, np.nan, kwh), index=idx)
    return make_load_curve(s, interval_minutes=next(iter(minutes)), direction=direction, meta=meta, unit_stated=True)

