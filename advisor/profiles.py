"""BDEW standard load profiles (H25, P25, S25 of 2025) from demandlib, on any local index.

The profiles are used as a *shape*: to estimate a curve from an annual consumption, to annualise a
partial year, as the forecasting baseline and in the synthetic households.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from demandlib import bdew

from advisor.holidays_de import holiday_dates
from advisor.units import freq_of

PROFILES = {"H25": bdew.H25, "P25": bdew.P25, "S25": bdew.S25}


def bdew_shape(index: pd.DatetimeIndex, *, profile: str = "H25", holiday_region: str = "DE-NW") -> pd.Series:
    """Relative BDEW profile energy per interval on ``index`` (sums to 1 over a full year).

    Parameters
    ----------
    index
        Regular, tz-aware interval starts (15, 30 or 60 min). The profile is evaluated in the
        index's own local time, so DST days get 92/100 quarter-hours.
    profile
        ``"H25"`` (household), ``"P25"`` (household with PV) or ``"S25"`` (with battery).
    holiday_region
        Region whose public holidays count as Sundays (``"DE-NW"``).

    Returns
    -------
    pandas.Series
        Dimensionless weights per interval, normalised so that one full calendar year sums to 1.
    """
    if profile not in PROFILES:
        raise ValueError(f"`profile` must be one of {sorted(PROFILES)}; got {profile!r}")
    if index.tz is None:
        raise ValueError("`index` must be tz-aware")
    step = pd.Timedelta(index[1] - index[0]) if len(index) > 1 else pd.Timedelta("15min")
    minutes = int(step / pd.Timedelta("1min"))
    years = sorted(set(index.year) | {index[-1].year})
    parts = [_year_weights(profile, int(year), index.tz, holiday_region, minutes) for year in years]
    full = pd.concat(parts)
    return full.reindex(index).fillna(0.0).rename("weight").copy()  # never a view of the cache


@lru_cache(maxsize=24)
def _year_weights(profile: str, year: int, tz, holiday_region: str, minutes: int) -> pd.Series:
    """One calendar year of the profile in local time ``tz``, normalised, at ``minutes``.

    Cached: demandlib builds a year of quarter-hours in about 0.1 s, and a batch asks for the same
    few years for every household with gaps, estimated curve or forecast.
    """
    start = pd.Timestamp(f"{year}-01-01").tz_localize(tz)
    end = pd.Timestamp(f"{year + 1}-01-01").tz_localize(tz)
    q = pd.date_range(start, end, freq="15min", inclusive="left")
    hol = holiday_dates(holiday_region, [year])
    kw = pd.Series(PROFILES[profile](q, holidays=hol).to_numpy(dtype=float), index=q)
    kw = kw / kw.sum()
    if minutes != 15:
        kw = kw.resample(freq_of(minutes)).sum()
    return kw


def bdew_energy_kwh(
    index: pd.DatetimeIndex, annual_kwh: float, *, profile: str = "H25", holiday_region: str = "DE-NW"
) -> pd.Series:
    """BDEW profile scaled to ``annual_kwh`` per full year [kWh per interval]."""
    return (bdew_shape(index, profile=profile, holiday_region=holiday_region) * annual_kwh).rename("energy_kwh")
