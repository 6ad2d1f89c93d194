"""Time zones, interval lengths and kWh <-> kW conversion.

This is the only module that converts by interval length: ``kw = kwh / hours(interval)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_TZ = "Europe/Berlin"
DEFAULT_HOLIDAY_REGION = "DE-NW"
ALLOWED_INTERVAL_MINUTES = (15, 30, 60)


def interval_hours(interval_minutes: int) -> float:
    """Length of an interval in hours [h]."""
    return interval_minutes / 60.0


def kwh_to_kw(energy_kwh, interval_minutes: int):
    """Average power [kW] over an interval from the energy in it [kWh]."""
    return energy_kwh / interval_hours(interval_minutes)


def kw_to_kwh(power_kw, interval_minutes: int):
    """Energy [kWh] in an interval from the average power over it [kW]."""
    return power_kw * interval_hours(interval_minutes)


def freq_of(interval_minutes: int) -> str:
    """pandas frequency string of an interval length, e.g. ``"15min"``."""
    return f"{int(interval_minutes)}min"


def infer_interval_minutes(index: pd.DatetimeIndex) -> int | None:
    """Most common positive step of a sorted index, in whole minutes, or None if undecidable."""
    if len(index) < 2:
        return None
    steps = np.diff(index.as_unit("ns").asi8) // 60_000_000_000
    if steps.size and steps[0] > 0 and (steps == steps[0]).all():  # a regular grid: no sort needed
        return int(steps[0])
    steps = steps[steps > 0]
    if steps.size == 0:
        return None
    values, counts = np.unique(steps, return_counts=True)
    return int(values[np.argmax(counts)])


def intervals_per_day(day: pd.Timestamp, interval_minutes: int, tz: str = DEFAULT_TZ) -> int:
    """Number of intervals in one local calendar day (92, 96 or 100 at 15 min in Berlin)."""
    start = pd.Timestamp(day.date()).tz_localize(tz)
    end = (pd.Timestamp(day.date()) + pd.DateOffset(days=1)).tz_localize(tz)
    return int((end - start) / pd.Timedelta(minutes=interval_minutes))


def local_day_bounds(first: pd.Timestamp, last: pd.Timestamp, tz: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Local midnight at or before ``first`` and the local midnight after ``last``."""
    f = first.tz_convert(tz)
    lo = pd.Timestamp(f.date()).tz_localize(tz)
    la = last.tz_convert(tz)
    hi = (pd.Timestamp(la.date()) + pd.DateOffset(days=1)).tz_localize(tz)
    return lo, hi
