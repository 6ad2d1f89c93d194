"""Forecast features: local calendar, wall-clock lags and rolling levels known at the origin.

Everything here works on **hourly** energy [kWh per hour] in the curve's own local time. A series
is turned into a *wall-clock matrix*: one row per local calendar date, one column per local hour
(0..23). DST is handled by the wall clock, never by fixed step counts: the hour that does not exist
on the spring day is NaN, the hour that occurs twice on the autumn day holds the mean of both.
"Same time yesterday" is then ``M[date - 1, hour]`` on every day of the year, and "same time last
week" is ``M[date - 7, hour]``.

A feature row describes one (origin, target interval) pair. The origin is the first instant that
is *not* known; every feature uses only cells strictly before it (``date < origin date``, or the
origin date and an hour before the origin hour). Features in energy units are divided by the
household's *scale*: its mean hourly energy over the 28 days before the origin, so one global
model serves households of every size.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from advisor.holidays_de import holiday_dates

HOURS_PER_DAY = 24
SCALE_DAYS = 28
# Padding rows in front of the matrix so that lags before the first date read NaN.
_PAD_DAYS = 35
# Half-life of the exponentially weighted same-hour mean over the last 28 days [days].
EWM_HALF_LIFE_DAYS = 7.0

# No day-of-year terms: trained on January-September, they sent October-December targets to the
# edge of what the trees saw; dropping them lowered the validation MASE (bench_forecast_tune.py).
CALENDAR_FEATURES = ("hour", "weekday", "is_holiday", "days_ahead", "step_h", "origin_hour")
LAG_FEATURES = (
    "lag_day",
    "lag_week",
    "mean_4w_same_weekday",
    "mean_7d_same_hour",
    "std_7d_same_hour",
    "level_24h",
    "level_168h",
    "last_value",
    "lag_day_minus_week",
    # issue 16: robust and longer profiles of the household's own recent weeks
    "lag_2day",
    "lag_day_smooth",
    "median_7d_same_hour",
    "median_7d_window_3h",
    "mean_28d_same_hour",
    "median_28d_same_hour",
    "q25_28d_same_hour",
    "q75_28d_same_hour",
    "ewm_same_hour",
    "median_4w_same_weekday",
    "mean_4w_same_daytype",
    "min_168h",
)
# issue 16: the recent profiles relative to the household's own 28-day mean at the target hour
# (floored at RATIO_FLOOR x scale), and the last day's level relative to the last week's. The
# model's target is relative to the same mean (advisor.forecast.TARGET_NORMALISER), so these say
# directly how far recent days at that hour were from the usual.
RATIO_SOURCES = (
    "lag_day",
    "lag_week",
    "median_7d_same_hour",
    "ewm_same_hour",
    "median_7d_window_3h",
    "mean_4w_same_daytype",
    "lag_day_smooth",
)
RATIO_FEATURES = tuple(f"ratio_{c}" for c in RATIO_SOURCES) + ("ratio_level_24h_168h",)
RATIO_FLOOR = 0.05
# issue 16 (12-03 evening): more of the household's own recent behaviour, relative to its usual
# (the 28-day same-hour mean, floored as above, unless said otherwise): the last 6 h and 3 h
# before the origin against the same wall-clock hours of the 28 days before; the daily energy
# of the last 4 fully known same weekdays and of the last 4 days of the target's day type
# against the 28-day mean day; the 10th/90th percentile of the last 7 days at the hour and its
# two neighbours; the same weekday last week over the hour and its neighbours; the 7-day
# coefficient of variation at the hour (std / mean, mean floored); longer memory: the 56-day
# same-hour mean, the last 8 same weekdays and the last 8 days of the day type at the hour.
# Chosen on the validation split (bench_forecast_tune.py, variant `household_recent`).
HOUSEHOLD_FEATURES = (
    "ratio_last_6h",
    "ratio_last_3h",
    "day_ratio_4w_same_weekday",
    "day_ratio_4_same_daytype",
    "ratio_q90_7d_window_3h",
    "ratio_q10_7d_window_3h",
    "ratio_lag_week_window_3h",
    "cv_7d_same_hour",
    "ratio_mean_56d_same_hour",
    "ratio_mean_8w_same_weekday",
    "ratio_mean_8_same_daytype",
)
# A day counts in the daily-energy features with at least this many known hours (scaled to 24).
MIN_HOURS_OF_A_DAY = 20
FEATURE_NAMES: tuple[str, ...] = CALENDAR_FEATURES + LAG_FEATURES + RATIO_FEATURES + HOUSEHOLD_FEATURES
TEMPERATURE_FEATURE = "temp_air"


@dataclass(frozen=True)
class WallClockMatrix:
    """Hourly energy of one household on the local wall clock.

    Attributes
    ----------
    values
        Array ``(n_days + pad, 24)`` of energy per local hour [kWh]; NaN where unknown. The first
        ``pad`` rows are NaN padding.
    first_date
        Local calendar date of row ``pad`` (naive midnight timestamp).
    tz
        IANA time zone of the wall clock.
    pad
        Number of NaN padding rows in front.
    """

    values: np.ndarray
    first_date: pd.Timestamp
    tz: str
    pad: int = _PAD_DAYS

    @property
    def n_days(self) -> int:
        return self.values.shape[0] - self.pad

    def day_index(self, local: pd.DatetimeIndex) -> np.ndarray:
        """Row of each local timestamp's calendar date (padding included)."""
        naive_dates = local.tz_localize(None).normalize()
        return ((naive_dates - self.first_date) // pd.Timedelta(days=1)).to_numpy().astype(np.int64) + self.pad


def hourly_energy_kwh(energy_kwh: pd.Series, interval_minutes: int) -> pd.Series:
    """Energy per hour [kWh] from a finer regular series; NaN if any sub-interval is missing.

    Parameters
    ----------
    energy_kwh
        Energy per interval [kWh], tz-aware index at interval start, complete grid.
    interval_minutes
        15, 30 or 60.
    """
    if interval_minutes == 60:
        return energy_kwh.astype(float).rename("energy_kwh")
    per_hour = 60 // interval_minutes
    grouped = energy_kwh.astype(float).resample("h")
    total = grouped.sum(min_count=1)
    count = grouped.count()
    return total.where(count == per_hour).rename("energy_kwh")


def wall_clock_matrix(hourly_kwh: pd.Series, tz: str) -> WallClockMatrix:
    """Arrange hourly energy [kWh] on the local wall clock (dates x 24 hours).

    The doubled hour of the autumn change holds the mean of its two hours; the missing spring
    hour is NaN.
    """
    local = hourly_kwh.index.tz_convert(tz)
    naive = local.tz_localize(None)
    first_date = naive[0].normalize()
    day = ((naive.normalize() - first_date) // pd.Timedelta(days=1)).to_numpy().astype(np.int64) + _PAD_DAYS
    hour = local.hour.to_numpy()
    n_days = int(day.max()) + 1 + 1  # one spare row for targets on the day after the data
    vals = hourly_kwh.to_numpy(dtype=float)
    ok = ~np.isnan(vals)
    total = np.zeros((n_days, HOURS_PER_DAY))
    count = np.zeros((n_days, HOURS_PER_DAY))
    np.add.at(total, (day[ok], hour[ok]), vals[ok])
    np.add.at(count, (day[ok], hour[ok]), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        matrix = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return WallClockMatrix(values=matrix, first_date=first_date, tz=tz)


def _window_mean(flat_sum: np.ndarray, flat_cnt: np.ndarray, end: np.ndarray, length: int) -> np.ndarray:
    start = np.clip(end - length, 0, None)
    s = flat_sum[end] - flat_sum[start]
    c = flat_cnt[end] - flat_cnt[start]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c > 0, s / np.maximum(c, 1), np.nan)


def _take(values: np.ndarray, day: np.ndarray, hour: np.ndarray) -> np.ndarray:
    inside = (day >= 0) & (day < values.shape[0])
    out = np.full(day.shape, np.nan)
    out[inside] = values[day[inside], hour[inside]]
    return out


def _take_known(values: np.ndarray, day: np.ndarray, hour: np.ndarray, od: np.ndarray, oh: np.ndarray) -> np.ndarray:
    """Cells ``(day, hour)``, hours outside 0..23 wrapped into the neighbouring day; NaN unless
    strictly before the origin ``(od, oh)``."""
    day = day + np.floor_divide(hour, HOURS_PER_DAY)
    hour = np.mod(hour, HOURS_PER_DAY)
    known = (day < od) | ((day == od) & (hour < oh))
    return np.where(known, _take(values, day, hour), np.nan)


def _day_types(matrix: WallClockMatrix, holiday_region: str) -> np.ndarray:
    """Day type of every matrix row: 0 workday, 1 Saturday, 2 Sunday or public holiday."""
    n_rows = matrix.values.shape[0]
    dates = matrix.first_date + pd.to_timedelta(np.arange(n_rows) - matrix.pad, unit="D")
    hol = set(holiday_dates(holiday_region, sorted(set(dates.year.tolist()))))
    is_hol = np.fromiter((d.date() in hol for d in dates), dtype=bool, count=n_rows)
    weekday = dates.day_of_week.to_numpy()
    return np.where(is_hol | (weekday == 6), 2, np.where(weekday == 5, 1, 0))


def _rolling_min(flat: np.ndarray, length: int) -> np.ndarray:
    """``out[k]`` = min of the known values in ``flat[k - length : k]`` (NaN if none)."""
    s = pd.Series(flat).rolling(length, min_periods=1).min().to_numpy()
    return np.concatenate([[np.nan], s])


def _nan_quantiles(values: np.ndarray, qs: tuple[float, ...]) -> list[np.ndarray]:
    """Quantiles of each column of ``values`` ignoring NaN, as ``np.nanquantile(..., axis=0)``.

    The same linear method (Hyndman & Fan 7) and the same arithmetic as numpy, so the results
    are identical, but one sort for all columns instead of numpy's per-column loop for arrays
    with NaN (which took more than half of ``advisor train``). All-NaN columns give NaN.
    """
    ordered = np.sort(values, axis=0)  # NaN sort last
    n = (~np.isnan(values)).sum(axis=0)
    cols = np.arange(values.shape[1])
    out = []
    for q in qs:
        virtual = n * q + (1.0 + q * -1.0) - 1.0
        prev = np.floor(virtual)
        above = virtual >= n - 1
        below = virtual < 0
        prev = np.where(above, n - 1, np.where(below, 0, prev))
        nxt = np.where(above | below, prev, prev + 1)
        gamma = virtual - prev
        lo = ordered[np.clip(prev, 0, None).astype(np.intp), cols]
        hi = ordered[np.clip(nxt, 0, None).astype(np.intp), cols]
        diff = hi - lo
        res = lo + diff * gamma
        res = np.where(gamma >= 0.5, hi - diff * (1.0 - gamma), res)
        out.append(np.where(n > 0, res, np.nan))
    return out


def household_scale_kwh(matrix: WallClockMatrix, origin_day: np.ndarray, origin_hour: np.ndarray) -> np.ndarray:
    """Mean hourly energy [kWh] over the 28 days before each origin (floor 0.01 kWh).

    Falls back to the mean of everything known before the origin when those 28 days are empty.
    """
    flat = matrix.values.ravel()
    ok = ~np.isnan(flat)
    csum = np.concatenate([[0.0], np.cumsum(np.where(ok, flat, 0.0))])
    ccnt = np.concatenate([[0.0], np.cumsum(ok)])
    end = origin_day * HOURS_PER_DAY + origin_hour
    scale = _window_mean(csum, ccnt, end, SCALE_DAYS * HOURS_PER_DAY)
    longer = _window_mean(csum, ccnt, end, end.max() + 1)
    scale = np.where(np.isnan(scale), longer, scale)
    return np.maximum(np.nan_to_num(scale, nan=0.01), 0.01)


def make_features(
    matrix: WallClockMatrix,
    origin_utc: pd.DatetimeIndex,
    target_utc: pd.DatetimeIndex,
    *,
    holiday_region: str,
    temperature_c: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Feature rows for (origin, target) pairs of one household.

    Parameters
    ----------
    matrix
        The household's :class:`WallClockMatrix`; cells at or after an origin are ignored.
    origin_utc
        Origin of each row: the first instant not known (tz-aware).
    target_utc
        Start of each row's target hour (tz-aware), after its origin.
    holiday_region
        Region of public holidays (``"DE-NW"``, ``"GB-ENG"``).
    temperature_c
        Optional outdoor temperature at each target hour [°C] (measured, or a climatology).

    Returns
    -------
    features : pandas.DataFrame
        Columns :data:`FEATURE_NAMES` (plus ``temp_air`` if given), energy features relative to
        the household scale.
    scale_kwh : numpy.ndarray
        Household scale of each row [kWh per hour].
    """
    tz = matrix.tz
    o_local = origin_utc.tz_convert(tz)
    t_local = target_utc.tz_convert(tz)
    od = matrix.day_index(o_local)
    oh = o_local.hour.to_numpy().astype(np.int64)
    td = matrix.day_index(t_local)
    th = t_local.hour.to_numpy().astype(np.int64)
    needed = int(max(od.max(initial=0), td.max(initial=0))) + 2
    if matrix.values.shape[0] < needed:
        # origins or targets beyond the data: those cells are unknown
        extra = np.full((needed - matrix.values.shape[0], HOURS_PER_DAY), np.nan)
        matrix = replace(matrix, values=np.vstack([matrix.values, extra]))
    values = matrix.values

    # Known cells: (d < od) or (d == od and h < oh).
    # Same wall-clock hour on the last known day.
    dl = np.where(th < oh, od, od - 1)
    lag_day = _take(values, dl, th)
    # Same weekday and hour, the most recent known week.
    diff = td - od
    m = diff // 7 + 1
    m = np.where((diff % 7 == 0) & (th < oh) & (diff >= 7), diff // 7, m)
    dw = td - 7 * m
    lags_w = np.stack([_take(values, dw - 7 * j, th) for j in range(4)])
    lags_28 = np.stack([_take(values, dl - j, th) for j in range(28)])
    lags_d = lags_28[:7]
    # the neighbouring hours of the last seven known days (today's only if before the origin)
    neighbours = np.concatenate(
        [np.stack([_take_known(values, dl - j, th + dh, od, oh) for j in range(7)]) for dh in (-1, 1)]
    )
    # the last four days of the target's day type (workday / Saturday / Sunday or holiday)
    row_type = _day_types(matrix, holiday_region)
    n_rows = values.shape[0]
    target_type = row_type[np.clip(td, 0, n_rows - 1)]
    same_type = row_type[np.clip(dl[None, :] - np.arange(28)[:, None], 0, n_rows - 1)] == target_type
    same_type &= np.cumsum(same_type & ~np.isnan(lags_28), axis=0) <= 4
    ewm_w = 0.5 ** (np.arange(28) / EWM_HALF_LIFE_DAYS)[:, None]
    known_28 = ~np.isnan(lags_28)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean_4w = np.nanmean(lags_w, axis=0)
        mean_7d = np.nanmean(lags_d, axis=0)
        std_7d = np.nanstd(lags_d, axis=0)
        median_7d = np.nanmedian(lags_d, axis=0)
        median_7d_3h = np.nanmedian(np.concatenate([lags_d, neighbours]), axis=0)
        smooth = np.nanmean(np.stack([neighbours[0], lags_d[0], neighbours[7]]), axis=0)
        mean_28 = np.nanmean(lags_28, axis=0)
        q25_28, median_28, q75_28 = _nan_quantiles(lags_28, (0.25, 0.5, 0.75))
        ewm = (np.where(known_28, lags_28, 0.0) * ewm_w).sum(axis=0) / (known_28 * ewm_w).sum(axis=0)
        median_4w = np.nanmedian(lags_w, axis=0)
        mean_type = np.nanmean(np.where(same_type, lags_28, np.nan), axis=0)

    flat = values.ravel()
    ok = ~np.isnan(flat)
    csum = np.concatenate([[0.0], np.cumsum(np.where(ok, flat, 0.0))])
    ccnt = np.concatenate([[0.0], np.cumsum(ok)])
    end = od * HOURS_PER_DAY + oh
    level_24 = _window_mean(csum, ccnt, end, 24)
    level_168 = _window_mean(csum, ccnt, end, 168)
    last_pos = end - 1
    last_value = np.where(last_pos >= 0, flat[np.clip(last_pos, 0, None)], np.nan)
    min_168 = _rolling_min(flat, 168)[np.clip(end, 0, len(flat))]
    scale = household_scale_kwh(matrix, od, oh)

    t_naive = t_local.tz_localize(None)
    years = sorted(set(t_naive.year.tolist()))
    hol = set(holiday_dates(holiday_region, years))
    t_dates = t_naive.normalize()
    is_hol = np.fromiter((d.date() in hol for d in t_dates), dtype=float, count=len(t_dates))
    step_h = ((target_utc - origin_utc) / pd.Timedelta(hours=1)).to_numpy() + 1.0

    cols = {
        "hour": th.astype(float),
        "weekday": t_naive.day_of_week.to_numpy().astype(float),
        "is_holiday": is_hol,
        "days_ahead": diff.astype(float),
        "step_h": step_h,
        "origin_hour": oh.astype(float),
        "lag_day": lag_day / scale,
        "lag_week": lags_w[0] / scale,
        "mean_4w_same_weekday": mean_4w / scale,
        "mean_7d_same_hour": mean_7d / scale,
        "std_7d_same_hour": std_7d / scale,
        "level_24h": level_24 / scale,
        "level_168h": level_168 / scale,
        "last_value": last_value / scale,
        "lag_day_minus_week": (lag_day - lags_w[0]) / scale,
        "lag_2day": lags_d[1] / scale,
        "lag_day_smooth": smooth / scale,
        "median_7d_same_hour": median_7d / scale,
        "median_7d_window_3h": median_7d_3h / scale,
        "mean_28d_same_hour": mean_28 / scale,
        "median_28d_same_hour": median_28 / scale,
        "q25_28d_same_hour": q25_28 / scale,
        "q75_28d_same_hour": q75_28 / scale,
        "ewm_same_hour": ewm / scale,
        "median_4w_same_weekday": median_4w / scale,
        "mean_4w_same_daytype": mean_type / scale,
        "min_168h": min_168 / scale,
    }
    usual = np.maximum(np.nan_to_num(cols["mean_28d_same_hour"], nan=1.0), RATIO_FLOOR)
    for c in RATIO_SOURCES:
        cols[f"ratio_{c}"] = cols[c] / usual
    cols["ratio_level_24h_168h"] = cols["level_24h"] / np.maximum(cols["level_168h"], RATIO_FLOOR)
    extra = _household_features(values, row_type, od, oh, td, th, dw, dl, scale, usual, std_7d, mean_7d)
    for c in HOUSEHOLD_FEATURES:
        cols[c] = extra[c]
    # one DataFrame from all columns (column-by-column inserts cost ~10 ms per 24-h forecast)
    feats = pd.DataFrame(cols)
    if temperature_c is not None:
        feats[TEMPERATURE_FEATURE] = np.asarray(temperature_c, dtype=float)
    return feats, scale


def _household_features(
    values: np.ndarray,
    row_type: np.ndarray,
    od: np.ndarray,
    oh: np.ndarray,
    td: np.ndarray,
    th: np.ndarray,
    dw: np.ndarray,
    dl: np.ndarray,
    scale: np.ndarray,
    usual: np.ndarray,
    std_7d: np.ndarray,
    mean_7d: np.ndarray,
) -> dict[str, np.ndarray]:
    """:data:`HOUSEHOLD_FEATURES` of each row (only cells strictly before the origin).

    ``dw``/``dl`` are the rows of the most recent known same weekday / day at the target hour,
    ``usual`` the floored 28-day same-hour mean relative to ``scale``.
    """
    n = values.shape[0]
    out: dict[str, np.ndarray] = {}
    back_28 = np.arange(1, 29)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # the last 6 known hours and the same wall-clock hours of the 28 days before each
        recent, before = [], []
        for j in range(1, 7):
            hour = oh - j
            day = od + np.floor_divide(hour, HOURS_PER_DAY)
            hour = np.mod(hour, HOURS_PER_DAY)
            recent.append(_take(values, day, hour))
            earlier = _take(values, day[None, :] - back_28, np.broadcast_to(hour, (28, len(hour))))
            before.append(np.nanmean(earlier, axis=0))
        recent_a, before_a = np.stack(recent), np.stack(before)
        for k, name in ((6, "ratio_last_6h"), (3, "ratio_last_3h")):
            usual_k = np.maximum(np.nanmean(before_a[:k], axis=0), RATIO_FLOOR * scale)
            out[name] = np.nanmean(recent_a[:k], axis=0) / usual_k
        # daily energy of fully known days (>= MIN_HOURS_OF_A_DAY hours, scaled to 24)
        known = (~np.isnan(values)).sum(axis=1)
        daily = np.where(
            known >= MIN_HOURS_OF_A_DAY, np.nansum(values, axis=1) * HOURS_PER_DAY / np.maximum(known, 1), np.nan
        )

        def day_energy(d: np.ndarray) -> np.ndarray:
            return np.where((d >= 0) & (d < n), daily[np.clip(d, 0, n - 1)], np.nan)

        week = np.where(dw >= od, dw - 7, dw)  # a same weekday wholly before the origin day
        mean_day = HOURS_PER_DAY * scale
        weeks_4 = day_energy(week[None, :] - 7 * np.arange(4)[:, None])
        out["day_ratio_4w_same_weekday"] = np.nanmean(weeks_4, axis=0) / mean_day
        target_type = row_type[np.clip(td, 0, n - 1)]
        cand = od[None, :] - back_28
        cand_energy = day_energy(cand)
        same = (row_type[np.clip(cand, 0, n - 1)] == target_type) & ~np.isnan(cand_energy)
        same &= np.cumsum(same, axis=0) <= 4
        out["day_ratio_4_same_daytype"] = np.nanmean(np.where(same, cand_energy, np.nan), axis=0) / mean_day
        # 7 days x (hour - 1, hour, hour + 1); the order does not matter for the percentiles
        days_7 = np.repeat(dl[None, :] - np.arange(7)[:, None], 3, axis=0)
        hours_3 = np.tile(np.stack([th - 1, th, th + 1]), (7, 1))
        window = _take_known(values, days_7, hours_3, od, oh)
        q10, q90 = _nan_quantiles(window, (0.1, 0.9))
        out["ratio_q90_7d_window_3h"] = q90 / scale / usual
        out["ratio_q10_7d_window_3h"] = q10 / scale / usual
        lag_week_3h = _take_known(values, np.broadcast_to(week, (3, len(week))), np.stack([th - 1, th, th + 1]), od, oh)
        out["ratio_lag_week_window_3h"] = np.nanmean(lag_week_3h, axis=0) / scale / usual
        out["cv_7d_same_hour"] = (std_7d / scale) / np.maximum(mean_7d / scale, RATIO_FLOOR)
        hours_56 = np.broadcast_to(th, (56, len(th)))
        lags_56 = _take(values, dl[None, :] - np.arange(56)[:, None], hours_56)
        out["ratio_mean_56d_same_hour"] = np.nanmean(lags_56, axis=0) / scale / usual
        weeks_8 = _take(values, week[None, :] - 7 * np.arange(8)[:, None], hours_56[:8])
        out["ratio_mean_8w_same_weekday"] = np.nanmean(weeks_8, axis=0) / scale / usual
        same_8 = (row_type[np.clip(dl[None, :] - np.arange(56)[:, None], 0, n - 1)] == target_type) & ~np.isnan(lags_56)
        same_8 &= np.cumsum(same_8, axis=0) <= 8
        out["ratio_mean_8_same_daytype"] = np.nanmean(np.where(same_8, lags_56, np.nan), axis=0) / scale / usual
    return out


def target_hours(origin_utc: pd.Timestamp, n_hours: int) -> pd.DatetimeIndex:
    """Starts of the ``n_hours`` hours from ``origin_utc`` (real elapsed hours, DST-safe)."""
    return pd.date_range(origin_utc.tz_convert("UTC"), periods=n_hours, freq="h")
