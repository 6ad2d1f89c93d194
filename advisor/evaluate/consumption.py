"""A household's mean daily consumption over a period, the quantity the evaluation compares."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.loadcurve import LoadCurve, Quality


@dataclass(frozen=True)
class PeriodConsumption:
    """Mean daily consumption of one household over the intervals it has data for.

    Attributes
    ----------
    kwh_per_day
        Energy of the counted intervals divided by their length in days [kWh/day]; NaN when
        no interval counts.
    days
        Length of the counted intervals [days].
    start, end
        First interval start and last interval end that count (ISO with offset), or None.
    estimated
        True when the figures come from a curve modelled from a billed annual consumption.
    """

    kwh_per_day: float
    days: float
    start: str | None
    end: str | None
    estimated: bool = False


def period_consumption(curve: LoadCurve, since: pd.Timestamp | None = None) -> PeriodConsumption:
    """Mean daily consumption of ``curve`` [kWh/day] from ``since`` (inclusive) on.

    Measured, substituted and filled intervals count; missing ones do not (the mean is over the
    data there is, never gaps read as zero). A curve that is estimated as a whole (from a bill)
    counts its estimated intervals and says so.
    """
    e = curve.data["energy_kwh"].to_numpy(dtype=float)
    q = curve.data["quality"].astype(str).to_numpy()
    known = ~np.isnan(e)
    estimated = curve.is_estimated
    if not estimated:
        known &= q != Quality.ESTIMATED.value
    if since is not None:
        known &= np.asarray(curve.data.index >= since)
    n = int(known.sum())
    if n == 0:
        return PeriodConsumption(math.nan, 0.0, None, None, estimated)
    days = n * curve.interval_hours / 24.0
    idx = curve.data.index[known]
    end = idx[-1] + pd.Timedelta(minutes=curve.interval_minutes)
    return PeriodConsumption(float(e[known].sum()) / days, days, idx[0].isoformat(), end.isoformat(), estimated)
