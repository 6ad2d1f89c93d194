"""Forecast features: fast NaN quantiles equal numpy's; ratio features; the target normaliser must be a feature."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from advisor.features import (
    FEATURE_NAMES,
    HOUSEHOLD_FEATURES,
    RATIO_FLOOR,
    _nan_quantiles,
    make_features,
    target_hours,
    wall_clock_matrix,
)
from advisor.forecast import ForecastError, LoadForecaster


@pytest.mark.parametrize("seed", range(5))
def test_nan_quantiles_are_identical_to_numpy(seed):
    # Oracle: numpy's own nanquantile (linear method), compared bit for bit, with ties, NaN
    # patterns of every density, all-NaN columns and single-value columns.
    rng = np.random.default_rng(seed)
    a = rng.gamma(1.0, 0.3, size=(28, 3000))
    a[rng.random(a.shape) < rng.uniform(0.0, 0.9)] = np.nan
    a[:, :40] = np.nan
    a[:27, 40:70] = np.nan
    a = np.round(a, int(rng.integers(1, 4)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanquantile(a, [0.25, 0.5, 0.75], axis=0)
    got = _nan_quantiles(a, (0.25, 0.5, 0.75))
    for e, g in zip(expected, got, strict=True):
        assert np.array_equal(e, g, equal_nan=True)


def _steady_household(days: int = 40, kwh: float = 1.0, last_day_kwh: float | None = None):
    idx = pd.date_range("2024-05-01", periods=days * 24, freq="h", tz="Europe/Berlin")
    s = pd.Series(kwh, index=idx.tz_convert("UTC"))
    if last_day_kwh is not None:
        s.iloc[-24:] = last_day_kwh
    return s


def test_ratio_features_relate_recent_days_to_the_households_usual_hour():
    # Oracle by hand (May, no clock change): 39 days at 1 kWh every hour, the last day at 3 kWh. At the next midnight the
    # 28-day same-hour mean is (27 + 3) / 28, the scale the same, so the scaled mean is 1 and
    # ratio_lag_day = (3 / scale) / 1; the last 24 h are 3 kWh/h, the last 168 h (6 + 3) / 7.
    s = _steady_household(40, 1.0, 3.0)
    matrix = wall_clock_matrix(s, "Europe/Berlin")
    origin = s.index[-1] + pd.Timedelta(hours=1)
    target = target_hours(origin, 24)
    feats, scale = make_features(matrix, pd.DatetimeIndex([origin] * 24), target, holiday_region="DE-NW")
    mean_28 = (27 * 1.0 + 3.0) / 28
    assert scale == pytest.approx(np.full(24, mean_28))
    assert feats["mean_28d_same_hour"].to_numpy() == pytest.approx(np.ones(24))
    assert feats["ratio_lag_day"].to_numpy() == pytest.approx(np.full(24, 3.0 / mean_28))
    assert feats["ratio_lag_week"].to_numpy() == pytest.approx(np.full(24, 1.0 / mean_28))
    assert feats["ratio_level_24h_168h"].to_numpy() == pytest.approx(np.full(24, 3.0 / ((6 + 3) / 7)))
    assert list(feats.columns[: len(FEATURE_NAMES)]) == list(FEATURE_NAMES)


def test_ratio_features_are_floored_where_the_usual_hour_is_near_zero():
    s = _steady_household(40, 0.0, 0.5)
    s.iloc[:-24] = 1e-6
    matrix = wall_clock_matrix(s, "Europe/Berlin")
    origin = s.index[-1] + pd.Timedelta(hours=1)
    feats, _ = make_features(
        matrix, pd.DatetimeIndex([origin] * 24), target_hours(origin, 24), holiday_region="DE-NW"
    )
    assert np.isfinite(feats["ratio_lag_day"]).all()
    assert (feats["ratio_lag_day"] <= feats["lag_day"] / RATIO_FLOOR + 1e-9).all()


def test_a_target_normaliser_that_is_no_feature_is_refused():
    s = {"A": _steady_household(40, 1.0)}
    with pytest.raises(ForecastError, match="`target_normaliser` must be one of the features"):
        LoadForecaster(n_rounds=2, target_normaliser="no_such_feature").fit(
            s, tz="Europe/Berlin", holiday_region="DE-NW", calibration_days=7
        )


def test_household_features_from_a_household_that_doubles_on_wednesdays():
    # Oracle by hand (Europe/Berlin, June-August 2024: no clock change, no NRW public holiday):
    # 1 kWh every hour, every Wednesday 2 kWh every hour. Day ahead from the midnight before
    # Wednesday 2024-08-07: the 28-day scale and same-hour mean are (24 + 4 * 2) / 28 = 8/7, so
    # the usual hour is 1 and the mean day 24 * 8/7 kWh.
    idx = pd.date_range("2024-06-01", "2024-08-07", freq="h", tz="Europe/Berlin", inclusive="left")
    s = pd.Series(np.where(idx.day_of_week == 2, 2.0, 1.0), index=idx.tz_convert("UTC"))
    origin = s.index[-1] + pd.Timedelta(hours=1)
    feats, scale = make_features(
        wall_clock_matrix(s, "Europe/Berlin"),
        pd.DatetimeIndex([origin] * 24),
        target_hours(origin, 24),
        holiday_region="DE-NW",
    )
    noon = feats.iloc[12]
    assert scale[12] == pytest.approx(8 / 7)
    # the last 4 Wednesdays: 48 kWh a day against 24 * 8/7
    assert noon["day_ratio_4w_same_weekday"] == pytest.approx(2 / (8 / 7))
    # the last 4 workdays before Wednesday (Tue, Mon, Fri, Thu): 24 kWh
    assert noon["day_ratio_4_same_daytype"] == pytest.approx(1 / (8 / 7))
    # last 8 workdays at noon: Tue Mon Fri Thu Wed Tue Mon Fri -> (7 + 2) / 8
    assert noon["ratio_mean_8_same_daytype"] == pytest.approx((9 / 8) / (8 / 7))
    assert noon["ratio_mean_8w_same_weekday"] == pytest.approx(2 / (8 / 7))
    assert noon["ratio_lag_week_window_3h"] == pytest.approx(2 / (8 / 7))
    # 56 days back: 8 Wednesdays -> (48 + 16) / 56 = 8/7, i.e. the usual
    assert noon["ratio_mean_56d_same_hour"] == pytest.approx(1.0)
    # the last 6 h / 3 h (Tuesday evening, 1 kWh) against the same hours of the 28 days before (8/7)
    assert noon["ratio_last_6h"] == pytest.approx(7 / 8)
    assert noon["ratio_last_3h"] == pytest.approx(7 / 8)
    # last 7 days at 11-13 h: 18 values of 1, 3 of 2 -> 90th percentile 2, 10th percentile 1
    assert noon["ratio_q90_7d_window_3h"] == pytest.approx(2 / (8 / 7))
    assert noon["ratio_q10_7d_window_3h"] == pytest.approx(1 / (8 / 7))
    # six 1s and one 2: population std sqrt(6) / 7, mean 8/7
    assert noon["cv_7d_same_hour"] == pytest.approx(np.sqrt(6) / 8)
    # placebo: without the Wednesdays every household feature is 1 (cv 0)
    flat = pd.Series(1.0, index=s.index)
    f2, _ = make_features(
        wall_clock_matrix(flat, "Europe/Berlin"),
        pd.DatetimeIndex([origin] * 24),
        target_hours(origin, 24),
        holiday_region="DE-NW",
    )
    for c in HOUSEHOLD_FEATURES:
        assert f2[c].to_numpy() == pytest.approx(np.zeros(24) if c == "cv_7d_same_hour" else np.ones(24)), c
