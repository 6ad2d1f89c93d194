"""Savings verification: a known standby drop is recovered; no change gives no savings."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from advisor.loadcurve import make_load_curve
from advisor.savings import verify_savings
from advisor.synthetic import SyntheticSpec, synthetic_household
from advisor.units import kw_to_kwh


@pytest.fixture(scope="module")
def household():
    return synthetic_household(SyntheticSpec(year=2024, interval_minutes=60, standby_w=160.0, seed=11))


def _with_drop(curve, change: str, drop_w: float):
    e = curve.energy_kwh
    after = e.index >= pd.Timestamp(change).tz_localize(curve.meta.tz)
    e[after] = e[after] - kw_to_kwh(drop_w / 1000.0, curve.interval_minutes)
    return make_load_curve(e, interval_minutes=curve.interval_minutes, meta=curve.meta)


@pytest.fixture(scope="module")
def two_years():
    """Two synthetic years (2023, 2024) of one household: a 365-day baseline before 2024-01-01."""
    parts = [
        synthetic_household(SyntheticSpec(year=y, interval_minutes=60, standby_w=160.0, seed=11 + y)).curve
        for y in (2023, 2024)
    ]
    e = pd.concat([c.energy_kwh for c in parts])
    return make_load_curve(e, interval_minutes=60, meta=parts[0].meta)


def test_a_year_of_complete_baseline_is_sufficient_with_fit_metrics(two_years):
    res = verify_savings(two_years, "2024-01-01", price_eur_per_kwh=0.37)
    assert res.sufficient and not res.indicative and res.reason == ""
    assert res.baseline_days == 365 and res.baseline_complete_share == pytest.approx(1.0)
    assert 0 < res.baseline_cv_rmse < 1 and abs(res.baseline_nmbe) < 1e-9  # OLS with intercept: zero in-sample bias
    assert res.baseline_cv_rmse_monthly < res.baseline_cv_rmse
    assert res.g14_cv_rmse_max_monthly == 0.15 and res.g14_nmbe_max_monthly == 0.05
    assert isinstance(res.g14_pass, bool)
    # no change: the band holds zero
    assert res.saved_kwh_p10 <= 0.0 <= res.saved_kwh_p90


def test_gaps_in_the_baseline_make_it_indicative_with_the_reason(two_years):
    e = two_years.energy_kwh
    days = pd.date_range("2023-02-01", periods=60, freq="2D", tz=two_years.meta.tz)
    for d in days:
        e[d : d + pd.Timedelta(hours=3)] = np.nan
    gappy = make_load_curve(e, interval_minutes=60, meta=two_years.meta)
    res = verify_savings(gappy, "2024-01-01")
    assert not res.sufficient and res.indicative
    assert "84% of the baseline days are complete (need 90%)" in res.reason
    assert "84 % der Tage" in res.reason.text("de")
    assert not np.isnan(res.saved_kwh)


def test_50_w_more_is_never_reported_as_a_saving(two_years):
    e = two_years.energy_kwh
    e[e.index >= pd.Timestamp("2024-01-01", tz=two_years.meta.tz)] += 0.05
    res = verify_savings(make_load_curve(e, interval_minutes=60, meta=two_years.meta), "2024-01-01")
    truth = -0.05 * 24 * res.reporting_days
    assert res.saved_kwh < 0 and res.saved_kwh_p10 < 0
    assert res.saved_kwh_p10 <= truth <= res.saved_kwh_p90


def test_known_10_pct_cut_on_a_sufficient_baseline(two_years):
    e = two_years.energy_kwh
    after = e.index >= pd.Timestamp("2024-01-01", tz=two_years.meta.tz)
    truth = 0.1 * float(e[after].sum())
    e[after] *= 0.9
    res = verify_savings(make_load_curve(e, interval_minutes=60, meta=two_years.meta), "2024-01-01")
    assert res.sufficient
    assert res.saved_kwh_p10 <= truth <= res.saved_kwh_p90
    assert res.saved_kwh == pytest.approx(truth, rel=0.5)


def test_half_a_year_of_baseline_is_indicative(household):
    res = verify_savings(household.curve, "2024-06-01")
    assert not res.sufficient and res.indicative
    assert "covers 152 days" in res.reason and "365" in res.reason


def test_standby_drop_of_100_w_is_recovered(household):
    curve = _with_drop(household.curve, "2024-06-01", 100.0)
    res = verify_savings(curve, "2024-06-01", price_eur_per_kwh=0.37)
    assert res.indicative
    # 100 W for 24 h = 2.4 kWh a day (known truth)
    assert res.saved_kwh_per_day == pytest.approx(2.4, abs=0.45)
    truth_kwh = 2.4 * res.reporting_days
    assert res.saved_kwh_p10 <= truth_kwh <= res.saved_kwh_p90
    assert res.saved_eur == pytest.approx(res.saved_kwh * 0.37)
    assert res.annualised_saved_kwh == pytest.approx(2.4 * 365, rel=0.2)


def test_no_change_means_no_significant_savings(household):
    res = verify_savings(household.curve, "2024-06-01")
    assert res.indicative
    assert res.saved_kwh_p10 <= 0.0 <= res.saved_kwh_p90
    assert abs(res.saved_kwh_per_day) < 0.45
    assert np.isnan(res.saved_eur)


def test_insufficient_data_is_said_plainly(household):
    short = make_load_curve(
        household.curve.energy_kwh["2024-01-01":"2024-03-15"], interval_minutes=60, meta=household.curve.meta
    )
    res = verify_savings(short, "2024-03-01")
    assert not res.sufficient
    assert "insufficient data" in res.reason and "need 90" in res.reason
    assert np.isnan(res.saved_kwh)


def test_cli_savings_json(tmp_path, household):
    from advisor.cli import main
    from advisor.ingest.canonical import write_curves_parquet

    curve = _with_drop(household.curve, "2024-06-01", 100.0)
    path = tmp_path / "hh.parquet"
    write_curves_parquet([curve], path)
    out = tmp_path / "out.json"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["savings", str(path), "--change-date", "2024-06-01", "--json"])
    assert code == 0
    data = json.loads(buf.getvalue())
    assert data["sufficient"] is False and data["indicative"] is True
    for key in (
        "saved_kwh",
        "saved_kwh_p10",
        "saved_kwh_p90",
        "baseline_cv_rmse",
        "baseline_nmbe",
        "g14_cv_rmse_max_monthly",
        "g14_nmbe_max_monthly",
        "g14_pass",
        "reason",
    ):
        assert key in data
    assert data["saved_kwh_per_day"] == pytest.approx(2.4, abs=0.45)
    assert data["price_eur_per_kwh"] > 0
    del out


def test_dst_change_days_count_as_complete():
    hh = synthetic_household(SyntheticSpec(year=2024, interval_minutes=15, seed=3))
    from advisor.savings import _daily

    d = _daily(hh.curve)
    for day in ("2024-03-31", "2024-10-27"):
        assert not np.isnan(d[pd.Timestamp(day, tz=hh.curve.meta.tz)])


def test_temperature_adds_heating_degree_days_when_it_covers_every_day(two_years):
    idx = pd.date_range("2023-01-01", "2025-01-01", freq="h", tz="UTC", inclusive="left")
    doy = idx.day_of_year.to_numpy()
    temp = pd.Series(10.5 - 8.0 * np.cos(2 * np.pi * (doy - 20) / 365.25), index=idx)
    res = verify_savings(two_years, "2024-01-01", temperature_c=temp)
    assert res.temperature_used and "heating degree days" in res.method
    part = verify_savings(two_years, "2024-01-01", temperature_c=temp["2023-06-01":])
    assert not part.temperature_used and "not used" in part.method


PLACEBO_DATES = ("2013-08-01", "2013-10-01")


@pytest.mark.shared_data
def test_placebo_on_real_households_holds_zero_about_80_pct():
    from pathlib import Path

    from advisor.forecast import read_long_table_hourly
    from advisor.loadcurve import CurveMeta

    path = Path(__file__).resolve().parents[2] / "shared" / "data" / "lcl_london" / "lcl_60hh_2013_30min.parquet"
    if not path.exists():
        pytest.skip("shared London data not present")
    series = read_long_table_hourly(path, tz="Europe/London", holiday_region="GB-ENG")
    hold, rel_half = [], []
    for s in list(series.values())[::2]:  # 30 households
        grid = pd.date_range(s.index[0], s.index[-1], freq="h")
        c = make_load_curve(
            s.reindex(grid), interval_minutes=60, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG")
        )
        for ch in PLACEBO_DATES:
            r = verify_savings(c, ch)
            if np.isnan(r.saved_kwh):
                continue
            hold.append(r.saved_kwh_p10 <= 0 <= r.saved_kwh_p90)
            rel_half.append((r.saved_kwh_p90 - r.saved_kwh_p10) / 2 / r.reporting_kwh)
    assert len(hold) >= 40
    assert 0.65 <= np.mean(hold) <= 0.95
    assert np.median(rel_half) <= 0.25
