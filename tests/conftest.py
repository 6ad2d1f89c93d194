"""Shared fixtures: small real-shaped curves (a normal day, the DST days) and the shared data path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shared_data import REPO, SHARED_DATA, shared_path  # noqa: F401  (re-exported for fixtures)

from advisor.loadcurve import CurveMeta, make_load_curve


def day_curve(day: str, interval_minutes: int = 15, tz: str = "Europe/Berlin", value: float = 0.1):
    start = pd.Timestamp(day).tz_localize(tz)
    end = (pd.Timestamp(day) + pd.DateOffset(days=1)).tz_localize(tz)
    idx = pd.date_range(start, end, freq=f"{interval_minutes}min", inclusive="left")
    return make_load_curve(
        pd.Series(np.full(len(idx), value), index=idx), interval_minutes=interval_minutes, meta=CurveMeta(tz=tz)
    )


def london_curve(data: pd.DataFrame, lclid: str):
    """One household of the shared LCL long table (``lclid, timestamp_utc, kwh``) as a 30-min curve
    in its own time zone (Europe/London, English holidays)."""
    g = data[data["lclid"] == lclid]
    s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"]).tz_convert("Europe/London"))
    return make_load_curve(
        s, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG", meter_id=lclid)
    )


@pytest.fixture
def normal_day():
    return day_curve("2024-06-12")


@pytest.fixture
def spring_day():
    return day_curve("2024-03-31")


@pytest.fixture
def autumn_day():
    return day_curve("2024-10-27")


@pytest.fixture(scope="session")
def demo():
    from advisor.synthetic import demo_household

    return demo_household()
