"""Estimated load curves for households without a smart meter.

Most meters in Herne are not yet smart meters: the household knows an **annual consumption** from
its bill, or has a few **dated meter readings**. Both become a curve with the shape of the BDEW
standard load profile H25 (demandlib, via :func:`advisor.profiles.bdew_shape`), every interval
flagged :attr:`Quality.ESTIMATED` and ``source_format = "estimated"``, so that every later step can
say that the curve is modelled, not measured. (The ingest summary's ``energy_kwh`` counts measured
and substituted values only, so it is 0 for these curves; ``estimated_intervals`` says why.)

* :func:`estimate_from_annual`: the H25 shape scaled to ``annual_kwh`` per calendar year; a full
  year sums to ``annual_kwh`` exactly.
* :func:`estimate_from_readings`: each period between two readings gets its own consumption
  (the reading difference) distributed with the H25 shape **inside the period**, so the curve
  reproduces every reading difference exactly. A date means local midnight at the start of that
  day. A reading marked ``new_meter=True`` starts a new counter (meter change or reset): the period
  ending there is unknown and stays missing, unless it has zero length (old meter's final and new
  meter's first reading on the same day).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.errors import LoadCurveError
from advisor.loadcurve import MAX_PLAUSIBLE_POWER_KW, CurveMeta, LoadCurve, Quality, make_load_curve
from advisor.profiles import bdew_shape
from advisor.texts import Message
from advisor.units import ALLOWED_INTERVAL_MINUTES, DEFAULT_HOLIDAY_REGION, DEFAULT_TZ, freq_of

FORMAT = "estimated"
HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True)
class MeterReading:
    """One reading of a cumulative electricity meter.

    Attributes
    ----------
    time
        Date (local midnight at the start of that day) or tz-aware/naive local timestamp.
    reading_kwh
        Meter reading [kWh].
    new_meter
        True if this reading starts a new counter (meter change, reset).
    """

    time: dt.date | dt.datetime | pd.Timestamp | str
    reading_kwh: float
    new_meter: bool = False


def _check_interval(interval_minutes: int) -> None:
    if interval_minutes not in ALLOWED_INTERVAL_MINUTES:
        raise LoadCurveError(Message("ingest.error.estimated.interval", allowed=str(ALLOWED_INTERVAL_MINUTES), minutes=interval_minutes))


def _local_midnight(day, tz: str, what: Message) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(day)
    except (ValueError, TypeError):
        raise LoadCurveError(Message("ingest.error.estimated.not_date", what=what, day=repr(day))) from None
    if ts.tz is not None:
        ts = ts.tz_convert(tz).tz_localize(None)
    return pd.Timestamp(ts.date()).tz_localize(tz)


def estimate_from_annual(
    annual_kwh: float,
    year: int | None = None,
    *,
    start=None,
    end=None,
    interval_minutes: int = 15,
    tz: str = DEFAULT_TZ,
    holiday_region: str = DEFAULT_HOLIDAY_REGION,
    profile: str = "H25",
) -> LoadCurve:
    """A curve estimated from an annual consumption with the BDEW profile shape.

    Parameters
    ----------
    annual_kwh
        Consumption per calendar year [kWh/a], e.g. from the bill.
    year
        Calendar year of the curve (local time); or give ``start`` and ``end``.
    start, end
        First day and the day after the last (local midnights; ``end`` exclusive). The curve then
        holds ``annual_kwh`` × the profile's share of that period.
    interval_minutes
        15, 30 or 60 [min].
    tz, holiday_region
        Time zone of the local days and region whose holidays count as Sundays.
    profile
        BDEW profile (``"H25"``; ``"P25"``/``"S25"`` for households with PV/battery).

    Returns
    -------
    LoadCurve
        Every interval ``estimated``; ``source_format = "estimated"``.

    Raises
    ------
    LoadCurveError
        Non-finite, non-positive or physically absurd ``annual_kwh``, or an unclear period.
    """
    _check_interval(interval_minutes)
    try:
        annual_kwh = float(annual_kwh)
    except (TypeError, ValueError):
        raise LoadCurveError(Message("ingest.error.estimated.annual_not_number", value=repr(annual_kwh))) from None
    limit = MAX_PLAUSIBLE_POWER_KW * HOURS_PER_YEAR
    if not math.isfinite(annual_kwh) or annual_kwh <= 0:
        raise LoadCurveError(Message("ingest.error.estimated.annual_not_positive", value=repr(annual_kwh)))
    if annual_kwh > limit:
        raise LoadCurveError(
            Message("ingest.error.estimated.annual_implausible", kwh=annual_kwh, max_kw=MAX_PLAUSIBLE_POWER_KW, limit=limit)
        )
    if (year is None) == (start is None or end is None):
        raise LoadCurveError(Message("ingest.error.estimated.period"))
    if year is not None:
        lo = pd.Timestamp(int(year), 1, 1).tz_localize(tz)
        hi = pd.Timestamp(int(year) + 1, 1, 1).tz_localize(tz)
    else:
        lo, hi = _local_midnight(start, tz, Message("ingest.what.start")), _local_midnight(end, tz, Message("ingest.what.end"))
        if hi <= lo:
            raise LoadCurveError(Message("ingest.error.estimated.end_before_start", start=lo.date().isoformat(), end=hi.date().isoformat()))
    idx = pd.date_range(lo, hi, freq=freq_of(interval_minutes), inclusive="left")
    energy = bdew_shape(idx, profile=profile, holiday_region=holiday_region) * annual_kwh
    meta = CurveMeta(
        source_format=FORMAT,
        tz=tz,
        holiday_region=holiday_region,
        conversions=(
            Message("ingest.conv.estimated_annual", kwh=float(annual_kwh), profile=profile, region=holiday_region),
        ),
        warnings=(Message("ingest.warning.estimated"),),
    )
    return make_load_curve(
        pd.Series(energy.to_numpy(), index=idx),
        interval_minutes=interval_minutes,
        quality=pd.Series(Quality.ESTIMATED.value, index=idx),
        meta=meta,
    )


def _as_readings(readings: Iterable) -> list[MeterReading]:
    out = []
    for i, r in enumerate(readings):
        if isinstance(r, MeterReading):
            out.append(r)
            continue
        if not isinstance(r, Sequence) or isinstance(r, str) or len(r) not in (2, 3):
            raise LoadCurveError(
                Message("ingest.error.estimated.reading_shape", n=i + 1, found=repr(r))
            )
        flag = False
        if len(r) == 3:
            if r[2] not in ("new_meter", "reset", True, False):
                raise LoadCurveError(Message("ingest.error.estimated.third_item", n=i + 1, found=repr(r[2])))
            flag = r[2] in ("new_meter", "reset", True)
        out.append(MeterReading(r[0], r[1], flag))
    return out


def _reading_time(t, tz: str, interval_minutes: int, i: int) -> pd.Timestamp:
    if isinstance(t, dt.date) and not isinstance(t, dt.datetime):
        return pd.Timestamp(t).tz_localize(tz)
    try:
        ts = pd.Timestamp(t)
    except (ValueError, TypeError):
        raise LoadCurveError(Message("ingest.error.estimated.not_time", n=i + 1, found=repr(t))) from None
    if ts is pd.NaT:
        raise LoadCurveError(Message("ingest.error.estimated.no_date", n=i + 1))
    if ts.tz is None:
        try:
            ts = ts.tz_localize(tz, ambiguous="raise", nonexistent="raise")
        except Exception:  # noqa: BLE001
            raise LoadCurveError(Message("ingest.error.estimated.local_time", n=i + 1, time=repr(t), tz=tz)) from None
    ts = ts.tz_convert(tz)
    if ts != ts.floor(freq_of(interval_minutes)):
        raise LoadCurveError(Message("ingest.error.estimated.off_grid", n=i + 1, time=ts.isoformat(), minutes=interval_minutes))
    return ts


def estimate_from_readings(
    readings: Iterable[MeterReading | tuple],
    *,
    interval_minutes: int = 15,
    tz: str = DEFAULT_TZ,
    holiday_region: str = DEFAULT_HOLIDAY_REGION,
    profile: str = "H25",
) -> LoadCurve:
    """A curve estimated from dated meter readings that reproduces every reading difference.

    Parameters
    ----------
    readings
        ``[(date, meter_reading_kwh), ...]`` or :class:`MeterReading` objects; a third tuple item
        ``"new_meter"`` marks a reading that starts a new counter.
    interval_minutes, tz, holiday_region, profile
        As in :func:`estimate_from_annual`.

    Returns
    -------
    LoadCurve
        From the first to the last reading; intervals ``estimated`` (``missing`` across a meter
        change with unknown consumption).

    Raises
    ------
    LoadCurveError
        Fewer than two readings, non-numeric or negative readings, readings going backwards
        without ``new_meter``, two different readings at one time, or a period whose average
        power is physically absurd for a household.
    """
    _check_interval(interval_minutes)
    items = _as_readings(readings)
    if len(items) < 2:
        raise LoadCurveError(
            Message("ingest.error.estimated.too_few", n=len(items))
        )
    rows = []
    for i, r in enumerate(items):
        try:
            v = float(r.reading_kwh)
        except (TypeError, ValueError):
            raise LoadCurveError(Message("ingest.error.estimated.reading_not_number", n=i + 1, found=repr(r.reading_kwh))) from None
        if not math.isfinite(v) or v < 0:
            raise LoadCurveError(Message("ingest.error.estimated.reading_negative", n=i + 1, found=repr(v)))
        rows.append((_reading_time(r.time, tz, interval_minutes, i), v, bool(r.new_meter), i))
    rows.sort(key=lambda x: (x[0], x[3]))
    for (t0, v0, _, i0), (t1, v1, new1, i1) in zip(rows, rows[1:], strict=False):
        if t1 == t0 and not new1 and v1 != v0:
            raise LoadCurveError(
                Message("ingest.error.estimated.two_readings", first=i0 + 1, second=i1 + 1, a=v0, b=v1, day=t0.isoformat())
            )
        if v1 < v0 and not new1:
            raise LoadCurveError(
                Message("ingest.error.estimated.backwards", n=i1 + 1, a=v0, b=v1, day=t1.isoformat())
            )
    lo, hi = rows[0][0], rows[-1][0]
    if hi <= lo:
        raise LoadCurveError(Message("ingest.error.estimated.same_time"))
    idx = pd.date_range(lo, hi, freq=freq_of(interval_minutes), inclusive="left")
    shape = bdew_shape(idx, profile=profile, holiday_region=holiday_region).to_numpy()
    energy = np.full(len(idx), np.nan)
    quality = np.full(len(idx), Quality.MISSING.value, dtype=object)
    step = pd.Timedelta(minutes=interval_minutes)
    notes = []
    periods = 0
    for (t0, v0, _, _), (t1, v1, new1, i1) in zip(rows, rows[1:], strict=False):
        if t1 == t0:
            continue
        a, b = int((t0 - lo) / step), int((t1 - lo) / step)
        if new1:
            notes.append(Message("ingest.warning.estimated_reset", reading=i1 + 1, start=t0, end=t1))
            continue
        used = v1 - v0
        hours = (t1 - t0) / pd.Timedelta(hours=1)
        if used / hours > MAX_PLAUSIBLE_POWER_KW:
            raise LoadCurveError(
                Message(
                    "ingest.error.estimated_implausible",
                    reading=i1 + 1,
                    kwh=float(used),
                    start=t0,
                    end=t1,
                    kw=float(used / hours),
                    max_kw=MAX_PLAUSIBLE_POWER_KW,
                )
            )
        w = shape[a:b]
        total = w.sum()
        w = w / total if total > 0 else np.full(b - a, 1.0 / (b - a))
        energy[a:b] = used * w
        quality[a:b] = Quality.ESTIMATED.value
        periods += 1
    if periods == 0:
        raise LoadCurveError(Message("ingest.error.estimated.no_period"))
    meta = CurveMeta(
        source_format=FORMAT,
        tz=tz,
        holiday_region=holiday_region,
        conversions=(
            Message(
                "ingest.conv.estimated_readings",
                n=len(rows),
                start=pd.Timestamp(lo.date()),
                end=pd.Timestamp(hi.date()),
                profile=profile,
                region=holiday_region,
            ),
        ),
        warnings=(Message("ingest.warning.estimated"), *notes),
    )
    return make_load_curve(
        pd.Series(energy, index=idx),
        interval_minutes=interval_minutes,
        quality=pd.Series(quality, index=idx),
        meta=meta,
    )
