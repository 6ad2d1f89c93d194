"""Known devices injected into real load curves, for detection tests with a known truth.

Each function returns the extra energy [kWh per interval] a device adds to a curve's intervals
(local wall-clock time of the curve), seeded, so that ``curve + device`` has a known truth:

* :func:`ev_sessions`: home charging at a fixed power (3.7 kW one phase, 11 kW three phases),
  a few sessions a week, evening or midday (a car that follows the PV surplus at noon);
* :func:`heat_pump`: electricity following a daily outdoor-temperature model (heating degrees,
  15 °C base), spread over the day with a little more at night and in the morning;
* :func:`night_storage`: charging blocks in the night window (22-06) of the heating season, their
  length growing with the cold, switched on by the supplier's timer;
* :func:`circulation_pump`: a constant draw through the heating season (Oct-Apr).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.loadcurve import LoadCurve, make_load_curve


def _local(curve: LoadCurve) -> pd.DatetimeIndex:
    return curve.data.index.tz_convert(curve.meta.tz)


def daily_temperature(days: pd.DatetimeIndex, seed: int = 0) -> np.ndarray:
    """A plausible Central-European daily mean temperature [°C]: 10 ± 8 °C seasonal plus noise."""
    rng = np.random.default_rng(seed)
    doy = days.day_of_year.to_numpy()
    return 10.0 - 8.0 * np.cos(2 * np.pi * (doy - 20) / 365.25) + rng.normal(0, 2.5, len(days))


def ev_sessions(
    curve: LoadCurve, kw: float, *, per_week: float = 3.0, midday: bool = False, seed: int = 0
) -> np.ndarray:
    """Charging sessions of ``kw`` [kW]: 8-25 kWh each, starting 17-21 h (or 10-12 h with ``midday``)."""
    rng = np.random.default_rng(seed)
    local = _local(curve)
    hours = curve.interval_minutes / 60.0
    add = np.zeros(len(local))
    day = local.normalize()
    days = day.unique()
    for d in days:
        if rng.random() > per_week / 7.0:
            continue
        start_h = rng.uniform(10, 12) if midday else rng.uniform(17, 21)
        need = rng.uniform(8, 25)
        start = d + pd.Timedelta(hours=start_h)
        i = int(local.searchsorted(start))
        while need > 0 and i < len(local):
            e = min(kw * hours, need)
            add[i] += e
            need -= e
            i += 1
    return add


def heat_pump(curve: LoadCurve, annual_kwh: float = 3500.0, *, seed: int = 0) -> np.ndarray:
    """Heat-pump electricity following heating degrees (15 °C base) of :func:`daily_temperature`."""
    local = _local(curve)
    day = local.normalize().tz_localize(None)
    days = pd.DatetimeIndex(day.unique())
    temp = pd.Series(daily_temperature(days, seed), index=days)
    hdd = np.clip(15.0 - temp.reindex(day).to_numpy(), 0.0, None)
    # a little more at night and early morning (colder), still running through the day
    shape = 1.0 + 0.25 * np.cos(2 * np.pi * (local.hour.to_numpy() - 4) / 24.0)
    raw = hdd * shape
    return raw * annual_kwh / raw.sum() * (len(local) * curve.interval_minutes / 60.0 / 8760.0)


def night_storage(curve: LoadCurve, kw: float = 6.0, *, seed: int = 0) -> np.ndarray:
    """Night-storage charging: from 22:00 for 3-8 h on heating-season nights (longer when colder)."""
    local = _local(curve)
    hours = curve.interval_minutes / 60.0
    day = local.normalize().tz_localize(None)
    days = pd.DatetimeIndex(day.unique())
    temp = pd.Series(daily_temperature(days, seed), index=days)
    add = np.zeros(len(local))
    for d, t in temp.items():
        if t >= 14.0 or d.month in (5, 6, 7, 8, 9):
            continue
        length_h = float(np.clip(3.0 + (14.0 - t) * 0.4, 3.0, 8.0))
        start = (d + pd.Timedelta(hours=22)).tz_localize(curve.meta.tz, nonexistent="shift_forward", ambiguous=False)
        i = int(local.searchsorted(start))
        n = int(round(length_h / hours))
        add[i : i + n] += kw * hours
    return add


def circulation_pump(curve: LoadCurve, watts: float = 70.0) -> np.ndarray:
    """A constant ``watts`` draw from October to April."""
    local = _local(curve)
    on = np.isin(local.month.to_numpy(), (10, 11, 12, 1, 2, 3, 4))
    return np.where(on, watts / 1000.0 * curve.interval_minutes / 60.0, 0.0)


def with_device(curve: LoadCurve, extra_kwh: np.ndarray) -> LoadCurve:
    """``curve`` plus a device's energy (unknown intervals stay unknown)."""
    e = curve.data["energy_kwh"]
    return make_load_curve(e + extra_kwh, interval_minutes=curve.interval_minutes, meta=curve.meta)


def pv_generation(curve: LoadCurve, kwp: float, yield_kwh_per_kwp: float = 950.0, *, seed: int = 0) -> np.ndarray:
    """Energy [kWh per interval] of a south-facing PV system of ``kwp`` with one random sky per day,
    summing to ``kwp x yield_kwh_per_kwp`` over a year of intervals (scaled for shorter curves)."""
    local = _local(curve)
    hour = np.asarray(local.hour + local.minute / 60) + curve.interval_minutes / 120.0
    doy = np.asarray(local.day_of_year)
    daylen = 12 + 4.5 * np.sin(2 * np.pi * (doy - 80) / 365)
    x = (hour - 12.5) / (daylen / 2)
    season = 0.45 + 0.35 * np.sin(2 * np.pi * (doy - 80) / 365)
    sky = np.random.default_rng(seed).uniform(0.1, 1.0, 367)[doy]
    shape = np.clip(np.cos(np.pi / 2 * x), 0, None) * (np.abs(x) < 1) * season * sky
    year_share = len(local) * curve.interval_minutes / 60.0 / 8760.0
    return shape / shape.sum() * kwp * yield_kwh_per_kwp * year_share


def behind_pv(curve: LoadCurve, pv_kwh: np.ndarray, *, feed_in_register: bool = True) -> LoadCurve:
    """The import curve a meter sees with ``pv_kwh`` behind it: ``max(load - pv, 0)`` per interval,
    with the feed-in ``max(pv - load, 0)`` in ``meta.feed_in_kwh`` when the meter counts it (2.8.0)."""
    e = curve.data["energy_kwh"]
    known = e.notna().to_numpy()
    load = e.to_numpy()
    imp = np.where(known, np.clip(load - pv_kwh, 0, None), np.nan)
    exp = np.where(known, np.clip(pv_kwh - load, 0, None), 0.0)
    c = make_load_curve(pd.Series(imp, index=e.index), interval_minutes=curve.interval_minutes, meta=curve.meta)
    if feed_in_register:
        c = c.with_meta(feed_in_kwh=float(exp.sum()), feed_in_days=float(known.sum()) * curve.interval_minutes / 1440.0)
    return c
