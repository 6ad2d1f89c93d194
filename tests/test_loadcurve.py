import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import LoadCurveError, Quality, make_load_curve
from advisor.loadcurve import CurveMeta, daily_energy_kwh, fill_short_gaps


def test_dst_days_have_92_96_100_quarter_hours(normal_day, spring_day, autumn_day):
    assert normal_day.n_intervals == 96
    assert spring_day.n_intervals == 92
    assert autumn_day.n_intervals == 100
    assert autumn_day.total_kwh == pytest.approx(10.0)
    assert autumn_day.end - autumn_day.start == pd.Timedelta(hours=25)


def test_gaps_become_missing_not_zero():
    idx = pd.date_range("2024-01-01", periods=8, freq="15min", tz="Europe/Berlin").delete([3, 4])
    c = make_load_curve(pd.Series(0.2, index=idx))
    assert c.n_intervals == 8
    assert c.missing_intervals == 2
    assert np.isnan(c.energy_kwh.iloc[3])
    assert c.total_kwh == pytest.approx(1.2)


def test_naive_index_is_refused():
    idx = pd.date_range("2024-01-01", periods=4, freq="15min")
    with pytest.raises(LoadCurveError, match="tz-aware"):
        make_load_curve(pd.Series(0.1, index=idx))


def test_negative_and_absurd_values_name_the_timestamp():
    idx = pd.date_range("2024-01-01", periods=4, freq="15min", tz="Europe/Berlin")
    with pytest.raises(LoadCurveError, match=re.escape("2024-01-01T00:30:00+01:00")):
        make_load_curve(pd.Series([0.1, 0.1, -0.2, 0.1], index=idx))
    with pytest.raises(LoadCurveError, match="implausible value 100 kWh"):
        make_load_curve(pd.Series([0.1, 100.0, 0.1, 0.1], index=idx))


def test_irregular_grid_and_odd_interval_refused():
    idx = pd.DatetimeIndex(["2024-01-01 00:00", "2024-01-01 00:15", "2024-01-01 00:37"]).tz_localize("Europe/Berlin")
    with pytest.raises(LoadCurveError, match="regular 15-minute grid"):
        make_load_curve(pd.Series(0.1, index=idx))
    idx = pd.date_range("2024-01-01", periods=4, freq="5min", tz="Europe/Berlin")
    with pytest.raises(LoadCurveError, match="interval length must be one of"):
        make_load_curve(pd.Series(0.1, index=idx))


def test_fill_short_gaps_flags_filled_and_leaves_long_gaps():
    idx = pd.date_range("2024-01-01", periods=40, freq="15min", tz="Europe/Berlin")
    e = pd.Series(0.1, index=idx)
    e.iloc[5:7] = np.nan  # 30 min gap: filled
    e.iloc[20:30] = np.nan  # 150 min gap: stays
    c = fill_short_gaps(make_load_curve(e), max_gap_minutes=60)
    assert c.count(Quality.FILLED) == 2
    assert c.missing_intervals == 10
    assert c.energy_kwh.iloc[5] == pytest.approx(0.1)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), min_size=1, max_size=300),
    start_day=st.sampled_from(["2024-03-30", "2024-10-26", "2024-06-01", "2023-10-28"]),
)
def test_daily_sums_equal_total_across_dst(values, start_day):
    idx = pd.date_range(pd.Timestamp(start_day).tz_localize("Europe/Berlin"), periods=len(values), freq="15min")
    c = make_load_curve(pd.Series(values, index=idx), interval_minutes=15, meta=CurveMeta())
    assert daily_energy_kwh(c, min_coverage=0).sum() == pytest.approx(sum(values), abs=1e-9)
    kw = c.power_kw
    assert (kw * 0.25).sum() == pytest.approx(c.total_kwh)
