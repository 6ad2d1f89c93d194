"""inexogy (formerly Discovergy) REST API JSON into load curves — or a clear refusal.

``GET /readings`` returns ``[{"time": <epoch ms, UTC>, "values": {...}}, ...]``. For electricity
meters ``energy`` / ``energyOut`` are **cumulative registers in 10⁻¹⁰ kWh** (import / export);
``power`` is in mW and is not used (the registers are exact). Consumption per interval is the
difference of consecutive readings (:func:`advisor.ingest.smgw.curve_from_register`).

Refused with a specific :class:`LoadCurveError`:

* gas readings (``volume``, a gas register in m³ × 10⁻³ … not electricity);
* ``GET /meters`` metadata (a list of meters, no readings);
* ``GET /last_reading`` (one object: a single reading, not a load curve).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from advisor.errors import LoadCurveError
from advisor.ingest.smgw import curve_from_register
from advisor.loadcurve import CurveMeta, Direction, LoadCurve
from advisor.texts import Message

FORMAT = "discovergy"

ENERGY_UNIT_KWH = 1e-10  # `energy` / `energyOut` are in 10^-10 kWh
MAX_READINGS = 2_000_000
MAX_EPOCH_MS = 4_102_444_800_000  # 2100-01-01T00:00Z
_METER_KEYS = {"meterId", "administrationNumber", "measurementType", "serialNumber"}


def sniff(head: bytes, name: str) -> bool:
    """JSON whose first object holds ``"time"`` + ``"values"`` or inexogy meter fields."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] not in (b"[", b"{"):
        return False
    window = head[:4096]
    return (b'"time"' in window and b'"values"' in window) or (
        b'"meterId"' in window and b'"measurementType"' in window
    )


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    """Read an inexogy ``/readings`` response into import (and export) curves."""
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoadCurveError(Message("ingest.error.malformed_json", detail=str(exc)), source=source) from None
    except RecursionError:
        raise LoadCurveError(Message("ingest.error.discovergy.nested"), source=source) from None
    if isinstance(doc, dict):
        if "time" in doc and "values" in doc:
            raise LoadCurveError(
                Message("ingest.error.discovergy.last_reading"),
                source=source,
            )
        raise LoadCurveError(Message("ingest.error.discovergy.not_list"), source=source)
    if not isinstance(doc, list) or not doc:
        raise LoadCurveError(Message("ingest.error.discovergy.empty"), source=source)
    if all(isinstance(x, dict) and _METER_KEYS & set(x) for x in doc):
        kinds = sorted({str(x.get("measurementType", "?")) for x in doc})
        raise LoadCurveError(
            Message("ingest.error.discovergy.meters", n=len(doc), kinds=", ".join(kinds)),
            source=source,
        )
    if len(doc) > MAX_READINGS:
        raise LoadCurveError(Message("ingest.error.too_many_readings", max=MAX_READINGS), source=source)
    times, values = [], []
    for i, item in enumerate(doc):
        if not isinstance(item, dict) or not isinstance(item.get("values"), dict) or "time" not in item:
            raise LoadCurveError(Message("ingest.error.discovergy.reading_shape", n=i + 1), source=source)
        t = item["time"]
        if not isinstance(t, (int, float)) or isinstance(t, bool) or not 0 <= t <= MAX_EPOCH_MS:
            raise LoadCurveError(
                Message("ingest.error.discovergy.time", n=i + 1, found=repr(t)), source=source
            )
        times.append(t)
        values.append(item["values"])
    keys = set().union(*(v.keys() for v in values))
    if "volume" in keys and "energy" not in keys:
        raise LoadCurveError(
            Message("ingest.error.discovergy.gas"),
            source=source,
        )
    if "energy" not in keys and "energyOut" not in keys:
        raise LoadCurveError(
            Message("ingest.error.discovergy.no_register", found=str(sorted(keys))), source=source
        )
    if len(doc) == 1:
        raise LoadCurveError(Message("ingest.error.single_reading"), source=source)
    idx = pd.DatetimeIndex(pd.to_datetime(np.asarray(times, dtype="int64"), unit="ms", utc=True))
    # readings are stamped to the millisecond; align to whole minutes (API readings sit on the grid)
    rounded = idx.round("min")
    notes = []
    if (rounded != idx).any():
        notes.append(Message("ingest.warning.rounded_minutes"))
    curves = []
    for key, direction in (("energy", Direction.IMPORT), ("energyOut", Direction.EXPORT)):
        if key not in keys:
            continue
        raw_vals = [v.get(key) for v in values]
        bad = [
            i
            for i, x in enumerate(raw_vals)
            if x is not None and (not isinstance(x, (int, float)) or isinstance(x, bool))
        ]
        if bad:
            raise LoadCurveError(
                Message("ingest.error.discovergy.not_number", n=bad[0] + 1, key=repr(key), found=repr(raw_vals[bad[0]])), source=source
            )
        arr = np.array([np.nan if x is None else float(x) for x in raw_vals]) * ENERGY_UNIT_KWH
        if direction is Direction.EXPORT and np.nanmax(np.diff(arr), initial=0.0) <= 0:
            continue  # an export register that never moves: no feed-in curve
        meta = CurveMeta(
            source_format=FORMAT,
            meter_id=None,
            tz=options.tz,
            holiday_region=options.holiday_region,
            source_name=source,
            obis="1-0:1.8.0" if direction is Direction.IMPORT else "1-0:2.8.0",
            conversions=(Message("ingest.conv.discovergy", register=key),),
            warnings=tuple(notes),
        )
        curves.append(curve_from_register(rounded, arr, meta=meta, direction=direction))
    return curves

