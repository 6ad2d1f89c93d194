"""Features: wall-clock lags across DST, no look-ahead, hourly aggregation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from advisor.features import FEATURE_NAMES, hourly_energy_kwh, make_features, wall_clock_matrix

TZ = "Europe/Berlin"


def coded_series(start: str, end: str, tz: str = TZ) -> pd.Series:
    """Hourly series whose value encodes its local wall clock: day-of-month * 100 + hour + 1."""
    idx = pd.date_range(pd.Timestamp(start, tz=tz), pd.Timestamp(end, tz=tz), freq="h", inclusive="left")
    local = idx.tz_convert(tz)
    return pd.Series((local.day * 100 + local.hour + 1).astype(float), index=idx)


def features_at(series, origin_local: str, target_local: str, tz: str = TZ):
    m = wall_clock_matrix(series[series.index < pd.Timestamp(origin_local, tz=tz)], tz)
    o = pd.DatetimeIndex([pd.Timestamp(origin_local, tz=tz)]).tz_convert("UTC")
    t = pd.DatetimeIndex([pd.Timestamp(target_local, tz=tz)]).tz_convert("UTC")
    feats, scale = make_features(m, o, t, holiday_region="DE-NW")
    return feats.iloc[0], scale[0]


def test_same_time_yesterday_is_by_wall_clock_after_autumn_change():
    s = coded_series("2024-10-01", "2024-11-10")
    # the day after the change: 18:00 on 28 Oct; yesterday 18:00 is 25 hours earlier in UTC
    f, scale = features_at(s, "2024-10-28 00:00", "2024-10-28 18:00")
    assert f["lag_day"] * scale == pytest.approx(27 * 100 + 18 + 1)
    assert f["lag_week"] * scale == pytest.approx(21 * 100 + 18 + 1)
    assert f["step_h"] == 19  # 18 hours after midnight on a normal day, step counted from 1


def test_same_time_yesterday_after_spring_change():
    s = coded_series("2024-03-01", "2024-04-10")
    f, scale = features_at(s, "2024-04-01 00:00", "2024-04-01 07:00")
    assert f["lag_day"] * scale == pytest.approx(31 * 100 + 7 + 1)
    # the 02:00 hour did not exist on 31 March: its lag is missing, not a neighbour
    f2, _ = features_at(s, "2024-04-01 00:00", "2024-04-01 02:00")
    assert np.isnan(f2["lag_day"])


def test_step_counts_real_hours_on_the_long_day():
    s = coded_series("2024-10-01", "2024-11-10")
    f, _ = features_at(s, "2024-10-27 00:00", "2024-10-27 23:00")
    assert f["step_h"] == 25  # 25-hour day: 23:00 is the 25th hour


def test_doubled_autumn_hour_holds_the_mean():
    idx = pd.date_range(pd.Timestamp("2024-10-27", tz=TZ), periods=25, freq="h")
    s = pd.Series(np.arange(25, dtype=float), index=idx)
    m = wall_clock_matrix(s, TZ)
    row = m.values[m.pad]
    assert row[2] == pytest.approx((2 + 3) / 2)  # both 02:00 hours
    assert row[3] == 4


def test_four_weeks_mean_of_same_weekday():
    s = coded_series("2024-05-01", "2024-06-10")
    f, scale = features_at(s, "2024-06-03 00:00", "2024-06-05 10:00")  # a Wednesday
    expected = np.mean([d * 100 + 11 for d in (29, 22, 15, 8)])
    assert f["mean_4w_same_weekday"] * scale == pytest.approx(expected)


def test_origin_inside_a_day_uses_todays_known_hours():
    s = coded_series("2024-05-01", "2024-06-10")
    f, scale = features_at(s, "2024-06-03 12:00", "2024-06-04 09:00")
    assert f["lag_day"] * scale == pytest.approx(3 * 100 + 9 + 1)  # today 09:00 is known
    f2, scale2 = features_at(s, "2024-06-03 12:00", "2024-06-03 15:00")
    assert f2["lag_day"] * scale2 == pytest.approx(2 * 100 + 15 + 1)  # today 15:00 is not
    assert f2["last_value"] * scale2 == pytest.approx(3 * 100 + 11 + 1)


def test_features_do_not_look_past_the_origin():
    s = coded_series("2024-05-01", "2024-07-01")
    origin = pd.Timestamp("2024-06-10", tz=TZ)
    m_full = wall_clock_matrix(s, TZ)
    perturbed = s.copy()
    perturbed[perturbed.index >= origin] *= 7.0
    m_pert = wall_clock_matrix(perturbed, TZ)
    o = pd.DatetimeIndex([origin] * 168).tz_convert("UTC")
    t = pd.date_range(origin.tz_convert("UTC"), periods=168, freq="h")
    a, sa = make_features(m_full, o, t, holiday_region="DE-NW")
    b, sb = make_features(m_pert, o, t, holiday_region="DE-NW")
    pd.testing.assert_frame_equal(a, b)
    np.testing.assert_array_equal(sa, sb)
    assert list(a.columns) == list(FEATURE_NAMES)


def test_scale_is_the_mean_of_the_last_28_days():
    idx = pd.date_range(
        pd.Timestamp("2024-01-01", tz=TZ), pd.Timestamp("2024-03-01", tz=TZ), freq="h", inclusive="left"
    )
    s = pd.Series(1.0, index=idx)
    s[s.index >= pd.Timestamp("2024-02-01", tz=TZ)] = 2.0
    _, scale = features_at(s, "2024-03-01 00:00", "2024-03-01 05:00")
    assert scale == pytest.approx(2.0)


def test_holiday_flag_in_the_curves_region():
    s = coded_series("2024-09-01", "2024-10-10")
    f, _ = features_at(s, "2024-10-03 00:00", "2024-10-03 12:00")  # Tag der Deutschen Einheit
    assert f["is_holiday"] == 1.0


def test_hourly_energy_needs_every_sub_interval():
    idx = pd.date_range(pd.Timestamp("2024-06-01", tz=TZ), periods=8, freq="15min")
    e = pd.Series([0.1, 0.2, 0.3, 0.4, 0.1, np.nan, 0.1, 0.1], index=idx)
    h = hourly_energy_kwh(e, 15)
    assert h.iloc[0] == pytest.approx(1.0)
    assert np.isnan(h.iloc[1])


def test_origins_after_the_end_of_the_data_read_unknown_cells():
    s = coded_series("2024-05-01", "2024-06-01")
    m = wall_clock_matrix(s, TZ)
    o = pd.DatetimeIndex([pd.Timestamp("2024-06-20", tz=TZ)]).tz_convert("UTC")
    t = pd.DatetimeIndex([pd.Timestamp("2024-06-20 08:00", tz=TZ)]).tz_convert("UTC")
    f, _ = make_features(m, o, t, holiday_region="DE-NW")
    assert np.isnan(f.loc[0, "lag_day"]) and np.isnan(f.loc[0, "level_24h"])


def test_no_feature_looks_past_an_origin_inside_the_day():
    # Origin 14:00: today's hours from 14:00 on are unknown, including the +1 h neighbour of a
    # 13:00 target (median_7d_window_3h, lag_day_smooth) and the rolling minimum.
    s = coded_series("2024-05-01", "2024-07-01")
    origin = pd.Timestamp("2024-06-10 14:00", tz=TZ)
    perturbed = s.copy()
    perturbed[perturbed.index >= origin] = 0.0
    o = pd.DatetimeIndex([origin] * 48).tz_convert("UTC")
    t = pd.date_range(origin.tz_convert("UTC"), periods=48, freq="h")
    a, sa = make_features(wall_clock_matrix(s, TZ), o, t, holiday_region="DE-NW")
    b, sb = make_features(wall_clock_matrix(perturbed, TZ), o, t, holiday_region="DE-NW")
    pd.testing.assert_frame_equal(a, b)
    np.testing.assert_array_equal(sa, sb)


def test_profile_features_by_hand():
    s = coded_series("2024-04-01", "2024-06-10")
    # Target Saturday 2024-06-08 10:00 from midnight: the last known day is Fri 7 June.
    f, scale = features_at(s, "2024-06-08 00:00", "2024-06-08 10:00")
    assert f["lag_2day"] * scale == pytest.approx(6 * 100 + 11)
    # 28 days back from 7 June at 10:00: days 7 June ... 11 May
    days = [7, 6, 5, 4, 3, 2, 1, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11]
    assert f["mean_28d_same_hour"] * scale == pytest.approx(np.mean([d * 100 + 11 for d in days]))
    assert f["median_7d_same_hour"] * scale == pytest.approx(np.median([d * 100 + 11 for d in days[:7]]))
    # same day type (Saturday): 1 June, 25 May, 18 May, 11 May
    assert f["mean_4w_same_daytype"] * scale == pytest.approx(np.mean([d * 100 + 11 for d in (1, 25, 18, 11)]))
    # neighbours of 7 June at 09:00, 10:00, 11:00
    assert f["lag_day_smooth"] * scale == pytest.approx(7 * 100 + 11)
    # the lowest value of the last 168 h: 1 June 00:00 (day 1, hour 0)
    assert f["min_168h"] * scale == pytest.approx(1 * 100 + 1)


def test_a_holiday_counts_as_a_sunday_for_the_day_type():
    s = coded_series("2024-04-01", "2024-06-10")
    # A target on Sunday 9 June takes the last four Sundays or NRW holidays: 2 June (Sunday),
    # 30 May (Corpus Christi, Thursday), 26 May (Sunday), 20 May (Whit Monday).
    f, scale = features_at(s, "2024-06-09 00:00", "2024-06-09 10:00")
    assert f["mean_4w_same_daytype"] * scale == pytest.approx(np.mean([d * 100 + 11 for d in (2, 30, 26, 20)]))
