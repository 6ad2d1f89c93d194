"""Public holidays of a region (``DE-NW`` for Herne, ``GB-ENG`` for London) from `holidays`."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as _holidays


@lru_cache(maxsize=64)
def _calendar(region: str, years: tuple[int, ...]):
    country, _, subdiv = region.partition("-")
    if country == "GB" and subdiv in ("ENG", "WLS"):
        subdiv = "ENG" if subdiv == "ENG" else "WLS"
    return _holidays.country_holidays(country, subdiv=subdiv or None, years=list(years))


def holiday_dates(region: str, years) -> list[dt.date]:
    """Sorted public holidays of ``region`` (``"DE-NW"``, ``"GB-ENG"`` …) in ``years``."""
    cal = _calendar(region, tuple(sorted(set(int(y) for y in years))))
    return sorted(cal.keys())


def is_holiday(dates, region: str):
    """Boolean array: which local dates are public holidays in ``region``."""
    import numpy as np
    import pandas as pd

    d = pd.DatetimeIndex(dates)
    hol = holiday_dates(region, set(d.year))
    wall = d.tz_localize(None) if d.tz is not None else d  # the local dates, as x.date() gives them
    days = wall.to_numpy().astype("datetime64[D]")
    return np.isin(days, np.array(hol, dtype="datetime64[D]"))
