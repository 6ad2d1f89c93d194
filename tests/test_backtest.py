"""Backtest: baselines by wall clock, metrics by hand, same points for every method, CLI."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pandas as pd
import pytest

from advisor.backtest import backtest, midnight_origins, pinball_loss

TZ = "Europe/London"


def coded(start="2013-09-01", end="2013-11-15"):
    idx = pd.date_range(pd.Timestamp(start, tz=TZ), pd.Timestamp(end, tz=TZ), freq="h", inclusive="left")
    local = idx.tz_convert(TZ)
    return pd.Series((local.day * 0.01 + local.hour * 0.001 + 0.1).astype(float), index=idx)


def test_pinball_loss_by_hand():
    actual = np.array([1.0, 1.0])
    pred = np.array([0.0, 3.0])
    # alpha 0.9: under-forecast by 1 costs 0.9, over-forecast by 2 costs 0.2
    np.testing.assert_allclose(pinball_loss(actual, pred, 0.9), [0.9, 0.2])


def test_midnight_origins_are_local_midnights():
    o = midnight_origins("2013-10-25", "2013-10-30", TZ)
    assert [t.hour for t in o] == [0] * len(o)
    assert o[0] == pd.Timestamp("2013-10-25", tz=TZ) and o[-1] == pd.Timestamp("2013-10-29", tz=TZ)
    assert len(midnight_origins("2013-10-01", "2014-01-01", TZ, n=10)) == 10


def test_baselines_by_wall_clock_across_the_autumn_change():
    s = coded()
    origins = pd.DatetimeIndex([pd.Timestamp("2013-10-28", tz=TZ)])
    res = backtest({"A": s}, origins, tz=TZ, holiday_region="GB-ENG")
    p = res.points.set_index("target_utc")
    t = pd.Timestamp("2013-10-28 18:00", tz=TZ).tz_convert("UTC")
    assert p.loc[t, "naive_daily"] == pytest.approx(0.27 + 0.018 + 0.1)
    assert p.loc[t, "naive_weekly"] == pytest.approx(0.21 + 0.018 + 0.1)
    assert p.loc[t, "mean_4_weekdays"] == pytest.approx(np.mean([d * 0.01 for d in (21, 14, 7, 30)]) + 0.118)
    assert len(res.points) == 24


def test_25_hour_day_is_forecast_in_full():
    s = coded()
    res = backtest({"A": s}, pd.DatetimeIndex([pd.Timestamp("2013-10-27", tz=TZ)]), tz=TZ, holiday_region="GB-ENG")
    assert len(res.points) == 25


def test_weekly_naive_has_mase_one_and_pooled_mase_is_a_ratio_of_sums():
    rng = np.random.default_rng(0)
    series = {}
    for k in ("A", "B"):
        s = coded()
        series[k] = s * (1 + 0.3 * rng.random(len(s)))
    origins = midnight_origins("2013-10-10", "2013-11-10", TZ, n=5)
    res = backtest(series, origins, tz=TZ, holiday_region="GB-ENG")
    assert res.pooled.loc["naive_weekly", "mase"] == pytest.approx(1.0)
    pts = res.points
    by_hand = (
        np.abs(pts["naive_daily"] - pts["actual_kwh"]).sum() / np.abs(pts["naive_weekly"] - pts["actual_kwh"]).sum()
    )
    assert res.pooled.loc["naive_daily", "mase"] == pytest.approx(by_hand)
    assert res.pooled["n_points"].nunique() == 1  # every method on the same points
    assert np.isnan(res.pooled.loc["naive_daily", "coverage_p10_p90"])


def test_h25_baseline_is_scaled_to_the_households_energy():
    from advisor.profiles import bdew_energy_kwh

    idx = pd.date_range(
        pd.Timestamp("2013-01-01", tz=TZ), pd.Timestamp("2014-01-01", tz=TZ), freq="h", inclusive="left"
    )
    s = bdew_energy_kwh(idx, 2500.0, holiday_region="GB-ENG")
    res = backtest({"H": s}, midnight_origins("2013-11-01", "2013-11-05", TZ), tz=TZ, holiday_region="GB-ENG")
    np.testing.assert_allclose(res.points["bdew_h25"], res.points["actual_kwh"], rtol=1e-6)
    assert res.pooled.loc["bdew_h25", "mae_kwh"] == pytest.approx(0.0, abs=1e-9)


def test_households_and_groups_are_reported_apart():
    series = {"A": coded(), "B": coded() * 2}
    res = backtest(
        series,
        midnight_origins("2013-10-10", "2013-10-20", TZ),
        tz=TZ,
        holiday_region="GB-ENG",
        training_households=["A"],
        groups={"B": "dynamic_tariff"},
    )
    per = res.per_household.reset_index()
    assert per.loc[per.household == "A", "in_training"].all()
    assert not per.loc[per.household == "B", "in_training"].any()
    assert set(res.groups) == {"standard", "dynamic_tariff", "in_training", "held_out"}


def test_model_rows_see_only_data_before_each_origin():
    from advisor.forecast import LoadForecaster

    s = coded("2013-06-01", "2013-11-15")
    s = s * (1 + 0.2 * np.random.default_rng(1).random(len(s)))
    model = LoadForecaster(n_rounds=5, num_leaves=7, min_data_in_leaf=20).fit(
        {"A": s}, tz=TZ, holiday_region="GB-ENG", before=pd.Timestamp("2013-10-01", tz=TZ), calibration_days=14
    )
    origins = midnight_origins("2013-10-05", "2013-10-12", TZ)
    a = backtest({"A": s}, origins[:1], model=model, tz=TZ, holiday_region="GB-ENG").points
    later = s.copy()
    later[later.index >= origins[0]] *= 3.0
    b = backtest({"A": later}, origins[:1], model=model, tz=TZ, holiday_region="GB-ENG").points
    np.testing.assert_allclose(a["model_p50"], b["model_p50"])
    assert (a["model_p10"] <= a["model_p50"]).all() and (a["model_p50"] <= a["model_p90"]).all()


@pytest.mark.shared_data
def test_cli_backtest_on_real_households_json():
    from shared_data import shared_path

    from advisor.cli import main
    from advisor.forecast import default_model_dir

    data = shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")
    if not (default_model_dir() / "meta.json").exists():
        pytest.skip("default model not built yet")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        code = main(
            [
                "backtest",
                "--data",
                str(data),
                "--horizon",
                "24h",
                "--origins",
                "3",
                "--households",
                "MAC000003,MAC000057",
                "--json",
            ]
        )
    assert code == 0, buf.getvalue()
    out = json.loads(buf.getvalue())
    methods = {r["method"] for r in out["pooled"]}
    assert methods == {"model", "naive_daily", "naive_weekly", "mean_4_weekdays", "bdew_h25"}
    flags = {r["household"]: r["in_training"] for r in out["per_household"]}
    assert flags["MAC000003"] is True and flags["MAC000057"] is False
