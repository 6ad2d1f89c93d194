"""A load curve as numpy arrays in local wall-clock time, shared by the analysis and the signatures.

DST-safe: a Berlin day has 92, 96 or 100 quarter-hours, so nothing here reshapes by 96; every
interval carries its local day number and wall-clock slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.loadcurve import LoadCurve, validate_load_curve
from advisor.units import kwh_to_kw

NS_PER_MIN = 60_000_000_000
NS_PER_DAY = 86_400_000_000_000


@dataclass(frozen=True)
class CurveArrays:
    """Numpy views of a curve in local wall-clock time, shared by the analysis and signatures.

    Attributes
    ----------
    power_kw
        Mean power per interval [kW], NaN where unknown.
    energy_kwh
        Energy per interval [kWh], NaN where unknown.
    known
        True where the interval has a value.
    day
        Local calendar day number (days since 1970-01-01) per interval.
    day0
        ``day - day.min()`` (row of the heatmap).
    slot
        Wall-clock slot of the day, 0 .. ``n_slots - 1``.
    hour, month
        Local wall-clock hour (0..23) and month (1..12).
    days
        Local dates (DatetimeIndex, naive) of rows ``0 .. n_days - 1``.
    """

    power_kw: np.ndarray
    energy_kwh: np.ndarray
    known: np.ndarray
    day: np.ndarray
    day0: np.ndarray
    slot: np.ndarray
    hour: np.ndarray
    month: np.ndarray
    days: pd.DatetimeIndex
    interval_minutes: int
    n_slots: int
    local_index: pd.DatetimeIndex

    @property
    def n_days(self) -> int:
        return len(self.days)


def curve_arrays(curve: LoadCurve) -> CurveArrays:
    """Local wall-clock arrays of ``curve`` (vectorised; DST-safe)."""
    validate_load_curve(curve)
    local = curve.data.index.tz_convert(curve.meta.tz)
    wall_ns = local.tz_localize(None).as_unit("ns").asi8
    day = wall_ns // NS_PER_DAY
    minute_of_day = (wall_ns - day * NS_PER_DAY) // NS_PER_MIN
    minutes = curve.interval_minutes
    slot = (minute_of_day // minutes).astype(np.int64)
    energy = curve.data["energy_kwh"].to_numpy(dtype=float)
    power = kwh_to_kw(energy, minutes)
    d0 = int(day.min())
    day0 = (day - d0).astype(np.int64)
    n_days = int(day0.max()) + 1
    days = pd.DatetimeIndex(pd.to_datetime((d0 + np.arange(n_days)) * NS_PER_DAY, unit="ns"))
    return CurveArrays(
        power_kw=power,
        energy_kwh=energy,
        known=~np.isnan(energy),
        day=day,
        day0=day0,
        slot=slot,
        hour=(minute_of_day // 60).astype(np.int64),
        month=local.month.to_numpy().astype(np.int64),
        days=days,
        interval_minutes=minutes,
        n_slots=1440 // minutes,
        local_index=local,
    )


def grouped_mean(keys: np.ndarray, values: np.ndarray, mask: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and count of ``values[mask]`` per integer key in ``0 .. n_keys-1`` (NaN when empty)."""
    k = keys[mask]
    v = values[mask]
    total = np.bincount(k, weights=v, minlength=n_keys)
    count = np.bincount(k, minlength=n_keys).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)
    return mean, count


def slot_labels(interval_minutes: int) -> list[str]:
    """``["00:00", "00:15", …]`` for the wall-clock slots of one day."""
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, interval_minutes)]


def daily_minimum_kw(arrays: CurveArrays, min_coverage: float = 0.9) -> np.ndarray:
    """Lowest interval power of each local day [kW] (NaN for days below ``min_coverage``)."""
    p = np.where(arrays.known, arrays.power_kw, np.inf)
    starts = np.flatnonzero(np.diff(np.concatenate(([-1], arrays.day0))) != 0)
    mins = np.minimum.reduceat(p, starts)
    counts = np.add.reduceat(arrays.known.astype(np.int64), starts)
    sizes = np.diff(np.concatenate((starts, [len(p)])))
    out = np.full(arrays.n_days, np.nan)
    ok = counts >= min_coverage * (1440 // arrays.interval_minutes)
    ok &= sizes > 0
    out[arrays.day0[starts][ok]] = mins[ok]
    out[~np.isfinite(out)] = np.nan
    return out
