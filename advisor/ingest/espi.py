"""Green Button (NAESB ESPI Atom XML) interval data into load curves.

An Atom ``feed`` links ``UsagePoint`` → ``MeterReading`` → ``IntervalBlock`` and ``ReadingType``
entries by ``href``. Each ``IntervalReading`` has ``timePeriod/start`` in **epoch seconds (UTC)**,
``duration`` [s] and an integer ``value`` scaled by the ReadingType's ``powerOfTenMultiplier`` in
its ``uom`` (72 = Wh). Readings may come in any order (UtilityAPI exports are newest first).

Time zone of the curve: ESPI files carry a fixed UTC offset (``LocalTimeParameters/tzOffset`` [s]
or a ``<timezone>-0500</timezone>`` per reading) but no zone name, so US DST cannot be told from
the file. If ``options.tz`` has exactly the file's offset at every reading (e.g. the user passes
``America/New_York`` for a winter file), the curve uses ``options.tz``; otherwise it uses the fixed
offset zone ``Etc/GMT+5`` (= UTC-05:00; the IANA sign is inverted) and notes that in the warnings.
Timestamps themselves are always the file's UTC instants; the zone only affects local days.
"""

from __future__ import annotations

import re
import zoneinfo
from collections import defaultdict

import numpy as np
import pandas as pd

from advisor.errors import LoadCurveError
from advisor.ingest.smgw import _child, _children, _int, _local, _parse_xml, _text
from advisor.loadcurve import CurveMeta, Direction, LoadCurve, make_load_curve
from advisor.texts import Message
from advisor.units import ALLOWED_INTERVAL_MINUTES

FORMAT = "espi"

ATOM_NS = "http://www.w3.org/2005/Atom"
ESPI_NS = "http://naesb.org/espi"
UOM_TO_KWH = {72: 1e-3}  # Wh
UOM_NAMES = {72: "Wh", 38: "W", 169: "therm", 42: "m³", 119: "ft³", 132: "kWh? (unknown)"}
# ESPI flowDirection: 1 forward (delivered to the customer), 19 reverse (received from the customer)
FLOW_DIRECTION = {1: Direction.IMPORT, 19: Direction.EXPORT}
MAX_READINGS = 2_000_000
MAX_EPOCH_S = 4_102_444_800  # 2100-01-01T00:00Z


def sniff(head: bytes, name: str) -> bool:
    """An XML Atom feed that uses the ESPI namespace."""
    text = head[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:1] == b"<" and ESPI_NS.encode() in head[:65536] and b"<feed" in head[:8192]


def _offset_seconds(text: str, source: str) -> int:
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", text.strip())
    if not m:
        raise LoadCurveError(Message("ingest.error.espi.timezone", found=repr(text)), source=source)
    sign = 1 if m.group(1) == "+" else -1
    return sign * (int(m.group(2)) * 3600 + int(m.group(3)) * 60)


def _fixed_zone(offset_s: int) -> str | None:
    if offset_s % 3600:
        return None
    hours = -offset_s // 3600
    return "Etc/GMT" if hours == 0 else f"Etc/GMT{hours:+d}"


def _links(entry) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for link in _children(entry, "link"):
        out[link.get("rel", "")].append(link.get("href", ""))
    return out


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    """Read every electricity MeterReading of a Green Button feed into one curve each."""
    root = _parse_xml(raw, source)
    if _local(root.tag) != "feed":
        raise LoadCurveError(Message("ingest.error.espi.root", root=_local(root.tag)), source=source)
    reading_types: dict[str, object] = {}
    meter_readings: dict[str, list[str]] = {}
    blocks: list[tuple[str, object]] = []
    tz_offset: int | None = None
    for entry in _children(root, "entry"):
        links = _links(entry)
        content = _child(entry, "content")
        if content is None:
            continue
        self_href = (links.get("self") or [""])[0]
        up_href = (links.get("up") or [""])[0]
        for res in content:
            kind = _local(res.tag)
            if kind == "ReadingType":
                reading_types[self_href] = res
            elif kind == "MeterReading":
                meter_readings[self_href] = [h for h in links.get("related", []) if "ReadingType" in h]
            elif kind == "IntervalBlock":
                blocks.append((up_href or self_href, res))
            elif kind == "LocalTimeParameters":
                off = _text(res, "tzOffset")
                if off is not None:
                    tz_offset = _int(off, "tzOffset", source)
    if not blocks:
        raise LoadCurveError(Message("ingest.error.espi.no_block"), source=source)
    # group blocks by their MeterReading
    by_reading: dict[str, list] = defaultdict(list)
    for up, block in blocks:
        mr = up.rsplit("/IntervalBlock", 1)[0]
        by_reading[mr].append(block)
    curves = []
    for mr, blks in by_reading.items():
        rt = _reading_type(mr, meter_readings, reading_types, source)
        uom = _int(_text(rt, "uom"), "uom", source)
        if uom not in UOM_TO_KWH:
            raise LoadCurveError(
                Message("ingest.error.espi.uom", reading=str(mr), uom=uom, name=UOM_NAMES.get(uom, "unknown")),
                source=source,
            )
        p10 = _int(_text(rt, "powerOfTenMultiplier"), "powerOfTenMultiplier", source, default=0)
        flow = _int(_text(rt, "flowDirection"), "flowDirection", source, default=1)
        direction = FLOW_DIRECTION.get(flow)
        if direction is None:
            raise LoadCurveError(Message("ingest.error.espi.flow", flow=str(flow)), source=source)
        starts, durations, values, offsets = [], [], [], set()
        for b in blks:
            for r in _children(b, "IntervalReading"):
                tp = _child(r, "timePeriod")
                if tp is None:
                    raise LoadCurveError(Message("ingest.error.xml.no_time_period"), source=source)
                starts.append(_int(_text(tp, "start"), "start", source))
                durations.append(_int(_text(tp, "duration"), "duration", source))
                values.append(_int(_text(r, "value"), "value", source))
                tz_text = _text(tp, "timezone")
                if tz_text is not None:
                    offsets.add(_offset_seconds(tz_text, source))
                if len(starts) > MAX_READINGS:
                    raise LoadCurveError(Message("ingest.error.too_many_readings", max=MAX_READINGS), source=source)
        if not starts:
            raise LoadCurveError(Message("ingest.error.espi.reading_empty", reading=str(mr)), source=source)
        if min(starts) < 0 or max(starts) > MAX_EPOCH_S:
            raise LoadCurveError(
                Message("ingest.error.espi.epoch", start=str(max(starts) if max(starts) > MAX_EPOCH_S else min(starts))),
                source=source,
            )
        minutes = sorted(set(d // 60 for d in durations))
        if len(minutes) != 1 or minutes[0] not in ALLOWED_INTERVAL_MINUTES or any(d % 60 for d in durations):
            raise LoadCurveError(
                Message("ingest.error.espi.durations", found=str(sorted(set(durations))), allowed=str([m * 60 for m in ALLOWED_INTERVAL_MINUTES])),
                source=source,
            )
        if tz_offset is not None:
            offsets.add(tz_offset)
        tz, tz_note = _curve_tz(np.asarray(starts), offsets, options.tz)
        idx = pd.DatetimeIndex(pd.to_datetime(np.asarray(starts, dtype="int64"), unit="s", utc=True))
        notes = [tz_note] if tz_note else []
        if not idx.is_monotonic_increasing:
            notes.append(Message("ingest.warning.espi.sorted"))
        energy = pd.Series(np.asarray(values, dtype="float64") * UOM_TO_KWH[uom] * 10.0**p10, index=idx)
        meta = CurveMeta(
            source_format=FORMAT,
            meter_id=mr.split("/UsagePoint/")[-1].split("/")[0] if "/UsagePoint/" in mr else mr or None,
            tz=tz,
            holiday_region=options.holiday_region,
            source_name=source,
            conversions=(
                Message("ingest.conv.scaled_unit", exponent=int(p10), unit=UOM_NAMES[uom]),
                Message("ingest.conv.espi.epoch"),
            ),
            warnings=tuple(notes),
        )
        curves.append(
            make_load_curve(energy, interval_minutes=minutes[0], direction=direction, meta=meta, unit_stated=True)
        )
    return curves


def _reading_type(mr: str, meter_readings: dict, reading_types: dict, source: str):
    related = meter_readings.get(mr, [])
    for href in related:
        for key, rt in reading_types.items():
            if key == href or key.endswith("/" + href) or href.endswith("/" + key):
                return rt
    electric = [rt for rt in reading_types.values() if _text(rt, "uom") == "72"]
    if len(electric) == 1:
        return electric[0]
    raise LoadCurveError(Message("ingest.error.espi.reading_type", reading=repr(mr)), source=source)


def _curve_tz(starts_s: np.ndarray, offsets: set[int], wanted: str) -> tuple[str, Message | None]:
    """The curve's zone: ``wanted`` if it matches the file's offset everywhere, else a fixed one."""
    if not offsets:
        return wanted, None
    if len(offsets) > 1:
        return wanted, Message("ingest.warning.espi.several_offsets", offsets=str(sorted(offsets)), tz=wanted)
    off = next(iter(offsets))
    local = pd.to_datetime(starts_s, unit="s", utc=True).tz_convert(zoneinfo.ZoneInfo(wanted))
    if {int(t.utcoffset().total_seconds()) for t in local} == {off}:
        return wanted, None
    fixed = _fixed_zone(off)
    if fixed is None:
        return wanted, Message("ingest.warning.espi.odd_offset", seconds=int(off), tz=wanted)
    sign = "+" if off >= 0 else "-"
    offset = f"UTC{sign}{abs(off) // 3600:02d}:{abs(off) % 3600 // 60:02d}"
    return fixed, Message("ingest.warning.espi.fixed_offset", offset=offset, fixed=fixed, tz=wanted)

