"""Forecast features: fast NaN quantiles equal numpy's; ratio features; the target normaliser must be a feature."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from advisor.features import (
    FEATURE_NAMES,
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
