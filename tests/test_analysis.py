"""Load-curve analysis against known truth: synthetic households, DST days, real London households."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.analysis import (
    LoadAnalysis,
    analyse,
    data_quality,
    heatmap_matrix,
)
from advisor.annual import annual_energy
from advisor.curve_arrays import curve_arrays
from advisor.errors import AdvisorError
from advisor.household import Household
from advisor.loadcurve import CurveMeta, Direction, make_load_curve
from advisor.seeds import load_seeds
from advisor.synthetic import SyntheticSpec, synthetic_household
from tests.conftest import london_curve, shared_path


def _curve(values, start="2024-06-03", minutes=15, tz="Europe/Berlin", quality=None, region="DE-NW"):
    idx = pd.date_range(pd.Timestamp(start).tz_localize(tz), periods=len(values), freq=f"{minutes}min")
    q = None if quality is None else pd.Series(quality, index=idx)
    return make_load_curve(
        pd.Series(np.asarray(values, dtype=float), index=idx),
        interval_minutes=minutes,
        quality=q,
        meta=CurveMeta(tz=tz, holiday_region=region),
    )


@pytest.fixture(scope="module")
def plain():
    return synthetic_household(SyntheticSpec(seed=7))


@pytest.fixture(scope="module")
def plain_analysis(plain):
    return analyse(plain.curve)


def _night_truth_w(hh) -> float:
    """10th percentile of night-time hourly means of the always-present components (no events)."""
    c = hh.components_kwh[["standby", "fridge", "appliances"]].sum(axis=1)
    hourly = (c * 4).resample("h").mean()  # kW
    loc = hourly.index.tz_convert("Europe/Berlin")
    return float(np.percentile(hourly[loc.hour < 5], 10) * 1000)


# ------------------------------------------------------------------------------- base load
def test_base_load_of_constant_plus_daytime_events_is_the_constant():
    # 60 days of 150 W plus 2 kW for one hour every afternoon: base load is 150 W exactly
    n = 96 * 60
    p_kw = np.full(n, 0.150)
    day_pos = np.arange(60) * 96
    for pos in day_pos:
        p_kw[pos + 60 : pos + 64] += 2.0
    a = analyse(_curve(p_kw * 0.25))
    assert a.base_load_w == pytest.approx(150.0, rel=1e-9)
    assert a.always_on_w == pytest.approx(150.0, rel=1e-9)
    assert "10th percentile" in a.base_load_method and "00:00-05:00" in a.base_load_method


def test_zero_readings_do_not_pull_base_load_to_zero():
    # 150 W constant with 10 % of readings exactly zero (meter faults): base load stays 150 W
    n = 96 * 30
    e = np.full(n, 0.150 * 0.25)
    e[np.random.default_rng(0).choice(n, n // 10, replace=False)] = 0.0
    a = analyse(_curve(e))
    assert a.base_load_w == pytest.approx(150.0)
    assert a.always_on_w == pytest.approx(150.0)
    assert a.data_quality.zero_share == pytest.approx(0.1)
    assert any("zero readings are treated as missing" in w for w in a.warnings)
    assert a.month_kwh["energy_kwh"].sum() == pytest.approx(e.sum())


@pytest.mark.parametrize("standby_w, appliance_kwh, seed", [(80, 2200, 1), (40, 1200, 2), (200, 4500, 3)])
def test_base_load_matches_always_present_components_within_10_percent(standby_w, appliance_kwh, seed):
    hh = synthetic_household(SyntheticSpec(standby_w=standby_w, appliance_kwh=appliance_kwh, seed=seed, ev_kw=11))
    a = analyse(hh.curve)
    assert a.base_load_w == pytest.approx(_night_truth_w(hh), rel=0.10)


def test_base_load_difference_equals_standby_difference():
    # same seed, only standby differs: the base load must move by the known standby step
    lo = analyse(synthetic_household(SyntheticSpec(standby_w=40, seed=11)).curve)
    hi = analyse(synthetic_household(SyntheticSpec(standby_w=240, seed=11)).curve)
    assert hi.base_load_w - lo.base_load_w == pytest.approx(200.0, rel=0.10)
    assert hi.always_on_w - lo.always_on_w == pytest.approx(200.0, rel=0.10)
    assert hi.base_load_kwh_per_year == pytest.approx(hi.base_load_w * 8.76)


# ------------------------------------------------------------------------------ KPIs
def test_full_year_annual_is_the_sum(plain, plain_analysis):
    a = plain_analysis
    assert a.annual_method == "measured_full_year"
    assert a.annual_kwh == pytest.approx(plain.annual_kwh, rel=1e-9)
    assert a.data_quality.score == pytest.approx(1.0)
    assert a.month_kwh["energy_kwh"].sum() == pytest.approx(plain.annual_kwh)
    assert list(a.month_kwh.index[:2]) == ["2024-01", "2024-02"]


def test_peak_load_factor_and_evening_share_by_hand():
    # one day: 0.1 kWh per quarter-hour, one 17:00 quarter-hour at 1 kWh (4 kW)
    e = np.full(96, 0.1)
    e[68] = 1.0  # 17:00
    e[76] = 0.5  # 19:00
    a = analyse(_curve(e))
    assert a.peak_kw == pytest.approx(4.0)
    assert a.peak_time == pd.Timestamp("2024-06-03 17:00", tz="Europe/Berlin")
    total = e.sum()
    assert a.mean_power_kw == pytest.approx(total / 24)
    assert a.load_factor == pytest.approx((total / 24) / 4.0)
    assert a.evening_peak_share == pytest.approx(e[68:80].sum() / total)


def test_partial_year_is_annualised_with_h25_and_uncertainty_stated():
    # a pure H25 curve for three months must annualise back to its annual energy
    from advisor.profiles import bdew_energy_kwh

    idx = pd.date_range(
        pd.Timestamp("2024-01-01").tz_localize("Europe/Berlin"),
        pd.Timestamp("2025-01-01").tz_localize("Europe/Berlin"),
        freq="15min",
        inclusive="left",
    )
    e = bdew_energy_kwh(idx, 3000.0)
    part = e["2024-03-01":"2024-05-31"]
    curve = make_load_curve(part, interval_minutes=15)
    ae = annual_energy(curve)
    assert ae.method == "annualised_h25"
    assert ae.annual_kwh == pytest.approx(3000.0, rel=1e-6)
    assert 0.2 < ae.h25_share_covered < 0.3
    assert 20 < ae.uncertainty_pct < 30
    a = analyse(curve)
    assert a.annual_method == "annualised_h25"
    assert any("annualised" in w for w in a.warnings)
    assert a.data_quality.year_coverage == pytest.approx(92 / 366, rel=0.01)


def test_full_year_with_small_gap_is_filled_with_h25(plain):
    e = plain.curve.energy_kwh
    e.iloc[1000:1096] = np.nan  # one day missing
    curve = make_load_curve(e, interval_minutes=15, meta=plain.curve.meta)
    ae = annual_energy(curve)
    assert ae.method == "full_year_gaps_filled_h25"
    assert ae.annual_kwh == pytest.approx(plain.annual_kwh, rel=0.01)
    assert ae.annual_kwh > np.nansum(e.to_numpy())


def test_estimated_curve_gets_its_figure_labelled_and_zero_quality():
    from advisor.ingest.estimated import estimate_from_annual

    curve = estimate_from_annual(3200.0, 2024)
    a = analyse(curve)
    assert a.annual_method.startswith("estimated_curve_")
    assert a.annual_kwh == pytest.approx(3200.0, rel=1e-6)
    assert a.data_quality.score == 0.0 and a.data_quality.estimated_share == 1.0
    assert any("estimated" in w for w in a.warnings)


def test_export_curve_refused():
    c = _curve(np.full(96, 0.1))
    from dataclasses import replace

    with pytest.raises(AdvisorError, match="import"):
        analyse(replace(c, direction=Direction.EXPORT))


def test_all_missing_refused():
    with pytest.raises(AdvisorError, match="no values"):
        analyse(_curve(np.full(96, np.nan)))


def test_input_not_mutated(plain):
    before = plain.curve.data.copy()
    analyse(plain.curve)
    pd.testing.assert_frame_equal(plain.curve.data, before)


# ------------------------------------------------------------------------------ DST
@pytest.mark.parametrize("day, n, blank, doubled", [("2024-03-31", 92, True, False), ("2024-10-27", 100, False, True)])
def test_heatmap_on_dst_days(day, n, blank, doubled):
    start = pd.Timestamp(day).tz_localize("Europe/Berlin")
    end = (pd.Timestamp(day) + pd.Timedelta(days=1)).tz_localize("Europe/Berlin")
    idx = pd.date_range(start, end, freq="15min", inclusive="left")
    assert len(idx) == n
    # energy = position so that every interval is distinguishable
    curve = make_load_curve(pd.Series(np.arange(n, dtype=float) * 0.01, index=idx), interval_minutes=15)
    hm = heatmap_matrix(curve_arrays(curve))
    assert hm.shape == (1, 96)
    assert list(hm.columns[:2]) == ["00:00", "00:15"] and hm.columns[-1] == "23:45"
    row = hm.iloc[0]
    two = [f"02:{m:02d}" for m in (0, 15, 30, 45)]
    if blank:
        assert row[two].isna().all()
        assert row.drop(two).notna().all()
        assert row["03:00"] == pytest.approx(8 * 0.01 / 0.25)  # 03:00 CEST is the 9th interval
    if doubled:
        # 02:00 CEST is position 8, 02:00 CET is position 12: the slot shows their mean power
        assert row["02:00"] == pytest.approx((8 + 12) / 2 * 0.01 / 0.25)
        assert row["03:00"] == pytest.approx(16 * 0.01 / 0.25)
        assert row.notna().all()


def test_dst_day_energy_and_profiles(spring_day, autumn_day):
    for c, n in ((spring_day, 92), (autumn_day, 100)):
        a = analyse(c)
        assert a.month_kwh["energy_kwh"].sum() == pytest.approx(0.1 * n)
        assert a.annual_method == "annualised_h25"


def test_daily_profiles_by_day_type_and_season(plain, plain_analysis):
    prof = plain_analysis.daily_profiles
    days = plain_analysis.daily_profile_days
    assert prof.shape == (96, 9)
    assert set(prof.columns.get_level_values("day_type")) == {"weekday", "saturday", "sunday_holiday"}
    # 2024 (starts on a Monday, leap year): 52 Sundays; NRW's 11 public holidays all fall on weekdays
    # (New Year, Good Friday, Easter Monday, 1 May, Ascension, Whit Monday, Corpus Christi, 3 Oct,
    # 1 Nov, 25 and 26 Dec)
    assert int(days.sum()) == 366
    assert days.xs("sunday_holiday", level="day_type").sum() == 52 + 11
    assert days.xs("saturday", level="day_type").sum() == 52
    # a profile value is a mean power: check one by hand
    loc = plain.curve.index.tz_convert("Europe/Berlin")
    p = plain.curve.power_kw.to_numpy()
    from advisor.holidays_de import is_holiday

    dates = loc.tz_localize(None).normalize()
    hol = is_holiday(dates, "DE-NW")
    md = loc.month * 100 + loc.day
    summer = (md >= 515) & (md <= 914)
    sel = summer & (loc.day_of_week < 5) & ~hol & (loc.hour == 8) & (loc.minute == 0)
    assert prof[("summer", "weekday")]["08:00"] == pytest.approx(p[sel].mean())


def test_month_totals_local_time():
    # 2024-01-31 23:00 CET..2024-02-01 01:00: two hours, the first in January locally
    idx = pd.date_range(pd.Timestamp("2024-01-31 23:00", tz="Europe/Berlin"), periods=8, freq="15min")
    c = make_load_curve(pd.Series(np.full(8, 0.5), index=idx), interval_minutes=15)
    a = analyse(c)
    assert a.month_kwh.loc["2024-01", "energy_kwh"] == pytest.approx(2.0)
    assert a.month_kwh.loc["2024-02", "energy_kwh"] == pytest.approx(2.0)


# ---------------------------------------------------------------------------- quality
def test_quality_parts_by_hand():
    n = 96 * 10
    e = np.full(n, 0.1)
    q = np.array(["measured"] * n, dtype=object)
    e[:96] = np.nan
    q[:96] = "missing"
    q[96:192] = "substituted"
    e[192:200] = 0.0
    c = _curve(e, quality=q)
    dq = data_quality(c)
    assert dq.coverage == pytest.approx(0.9)
    assert dq.substituted_share == pytest.approx(96 / 864)
    assert dq.zero_share == pytest.approx(8 / 864)
    assert dq.n_gaps == 1 and dq.longest_gap_hours == pytest.approx(24.0)
    assert dq.year_coverage == pytest.approx(864 / (8760 * 4))
    assert dq.score == pytest.approx(dq.coverage * dq.year_coverage * dq.measured_share * dq.zero_plausibility)
    assert dq.label == "poor"


def test_summary_has_cli_keys(plain_analysis):
    s = plain_analysis.summary()
    for key in ("annual_kwh", "base_load_w", "peak_kw", "stromspiegel_class", "signatures", "data_quality"):
        assert key in s
    assert isinstance(s["data_quality"]["score"], float)
    assert all({"name", "confidence"} <= set(x) for x in s["signatures"])


def test_stromspiegel_through_analyse(plain):
    seeds = load_seeds()
    a = analyse(plain.curve, Household(persons=3, dwelling="house", hot_water="other"), seeds=seeds)
    # 3 persons, house, no el. DHW: bounds 2400|2800|3200|3600|4000|5000
    expected = "ABCDEFG"[sum(plain.annual_kwh > b for b in (2400, 2800, 3200, 3600, 4000, 5000))]
    assert a.stromspiegel_class == expected
    assert analyse(plain.curve, Household(dwelling="house"), seeds=seeds).stromspiegel_class is None
    assert "persons" in analyse(plain.curve, Household(dwelling="house"), seeds=seeds).stromspiegel.reason


def test_ev_taken_out_for_stromspiegel():
    hh = synthetic_household(SyntheticSpec(ev_kw=11, seed=5))
    a = analyse(hh.curve, Household(persons=2, dwelling="house", hot_water="other"), seeds=load_seeds())
    st = a.stromspiegel
    assert st.efficiency_class is not None
    assert st.adjusted_for and "EV" in st.adjusted_for[0]
    truth_without_ev = hh.annual_kwh - hh.components_kwh["ev"].sum()
    assert st.compared_kwh == pytest.approx(truth_without_ev, rel=0.10)


# ------------------------------------------------------------------------ real London data
@pytest.fixture(scope="module")
def lcl():
    data = pd.read_parquet(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"))
    meta = pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv")).drop_duplicates("lclid")
    return data, meta.set_index("lclid")


def test_lcl_flagged_households_get_low_quality(lcl):
    data, meta = lcl
    flags = meta["qc_flags"].fillna("")
    partial = [i for i in meta.index if "partial_year" in flags[i] and meta.loc[i, "coverage_2013"] < 0.8]
    zeros = [i for i in meta.index if "many_zero_readings" in flags[i]]
    clean = [i for i in meta.index if flags[i] == ""][:5]
    assert len(partial) >= 4 and len(zeros) >= 2
    clean_scores = [analyse(london_curve(data, i)).data_quality.score for i in clean]
    assert min(clean_scores) > 0.95
    for i in partial + zeros:
        a = analyse(london_curve(data, i))
        assert a.data_quality.score < 0.8, i
        assert a.data_quality.label != "good"
        assert a.data_quality.notes, i
    for i in partial:
        a = analyse(london_curve(data, i))
        assert a.annual_method == "annualised_h25"
        assert a.annual_uncertainty_pct >= 5
    mostly_zero = analyse(
        london_curve(data, "MAC000004"), Household(persons=2, dwelling="apartment"), seeds=load_seeds()
    )
    assert mostly_zero.data_quality.score < 0.1
    assert any("zero" in n for n in mostly_zero.data_quality.notes)
    assert mostly_zero.stromspiegel_class is None and "data quality" in mostly_zero.stromspiegel.reason


def test_lcl_full_year_annual_matches_meta(lcl):
    data, meta = lcl
    for i in ("MAC000003", "MAC000010", "MAC000057"):
        a = analyse(london_curve(data, i))
        assert a.annual_kwh == pytest.approx(meta.loc[i, "annualised_kwh"], rel=0.005)
        assert math.isfinite(a.base_load_w) and 0 < a.base_load_w < 2000


def test_result_is_frozen(plain_analysis):
    assert isinstance(plain_analysis, LoadAnalysis)
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        plain_analysis.annual_kwh = 1.0  # type: ignore[misc]


# ------------------------------------------------------------------------------------ CLI
@pytest.fixture(scope="module")
def ev_parquet(tmp_path_factory):
    from advisor.ingest.canonical import write_curves_parquet

    hh = synthetic_household(SyntheticSpec(ev_kw=11, seed=3))
    path = tmp_path_factory.mktemp("cli") / "hh.parquet"
    write_curves_parquet([hh.curve], path)
    return path, hh


def test_cli_analyse_json(ev_parquet):
    import json

    from typer.testing import CliRunner

    from advisor.cli import app

    path, hh = ev_parquet
    r = CliRunner().invoke(
        app, ["analyse", str(path), "--json", "--persons", "2", "--dwelling", "house", "--hot-water", "other"]
    )
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["annual_kwh"] == pytest.approx(hh.annual_kwh, abs=0.1)
    assert d["base_load_w"] > 0 and d["peak_kw"] > 11
    assert d["stromspiegel_class"] in tuple("ABCDEFG")
    assert d["data_quality"]["score"] == pytest.approx(1.0)
    sig = {s["name"]: s for s in d["signatures"]}
    assert sig["ev_charging"]["detected"] and sig["ev_charging"]["confidence"] >= 0.5
    assert d["household"]["persons"] == 2


def test_cli_analyse_text_and_bad_household(ev_parquet):
    from typer.testing import CliRunner

    from advisor.cli import app

    path, _ = ev_parquet
    r = CliRunner().invoke(app, ["analyse", str(path)])
    assert r.exit_code == 0, r.output
    assert "base load" in r.output and "Stromspiegel   no class" in r.output and "ev_charging" in r.output
    bad = CliRunner().invoke(app, ["analyse", str(path), "--dwelling", "castle"])
    assert bad.exit_code != 0
    assert isinstance(bad.exception, AdvisorError) or "dwelling" in bad.output


# ------------------------------------------------------------------------------ properties
@settings(max_examples=25, deadline=None)
@given(
    start_hours=st.integers(min_value=0, max_value=24 * 20),
    n_days=st.integers(min_value=1, max_value=6),
    minutes=st.sampled_from([15, 30, 60]),
    seed=st.integers(min_value=0, max_value=10_000),
    holes=st.integers(min_value=0, max_value=20),
)
def test_property_energy_conserved_across_dst(start_hours, n_days, minutes, seed, holes):
    # curves around the October change: months sum to the total, every known interval lands in
    # one heatmap cell, and nothing is lost or invented by the wall-clock grid
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-10-15", tz="Europe/Berlin") + pd.Timedelta(hours=start_hours)
    n = n_days * 1440 // minutes
    idx = pd.date_range(start, periods=n, freq=f"{minutes}min")
    e = rng.uniform(0.01, 0.5, n) * minutes / 15
    e[rng.integers(0, n, holes)] = np.nan
    if np.isnan(e).all():
        e[0] = 0.1
    curve = make_load_curve(pd.Series(e, index=idx), interval_minutes=minutes)
    a = analyse(curve)
    assert a.month_kwh["energy_kwh"].sum() == pytest.approx(np.nansum(e))
    arr = curve_arrays(curve)
    keys = set(zip(arr.day0[arr.known].tolist(), arr.slot[arr.known].tolist(), strict=True))
    assert int(a.heatmap.notna().to_numpy().sum()) == len(keys)
    assert a.heatmap.shape[1] == 1440 // minutes
    assert 0 < a.load_factor <= 1


@pytest.mark.parametrize(
    "parts",
    [
        ("formats", "smgw_ar2418", "IF_Adapter_TRuDI_DatenTAF7_With_Gaps.xml"),
        ("formats", "smgw_ar2418", "result_single_day_dst_oct.xml"),
        ("formats", "mscons", "MSCONS_TL_SAMPLE01.txt"),
    ],
)
def test_cli_analyse_real_short_files(parts):
    # a few hours or days of real meter data: figures that cannot be computed print as a dash
    from typer.testing import CliRunner

    from advisor.cli import app

    path = shared_path(*parts)
    r = CliRunner().invoke(app, ["analyse", str(path), "--persons", "2", "--dwelling", "apartment"])
    assert r.exit_code == 0, r.output
    assert "data quality   0.0" in r.output and "Stromspiegel   no class" in r.output


# ------------------------------------------------------------------ behind own PV (known truth)
def _behind_pv(curve, kwp: float, yield_kwh_per_kwp: float = 950.0):
    """(import curve with its feed-in in the metadata, true total kWh): a PV system put behind the
    meter of ``curve`` with a clear-sky-like shape and one random sky per day (seed 7)."""
    e = curve.energy_kwh
    loc = e.index.tz_convert("Europe/Berlin")
    hour = np.asarray(loc.hour + loc.minute / 60) + curve.interval_minutes / 120
    doy = np.asarray(loc.day_of_year)
    x = (hour - 13.5) / ((12 + 4.5 * np.sin(2 * np.pi * (doy - 80) / 365)) / 2)
    sky = np.random.default_rng(7).uniform(0.1, 1.0, 367)[doy]
    shape = (
        np.clip(np.cos(np.pi / 2 * x), 0, None)
        * (np.abs(x) < 1)
        * (0.45 + 0.35 * np.sin(2 * np.pi * (doy - 80) / 365))
        * sky
    )
    pv = shape / shape.sum() * kwp * yield_kwh_per_kwp
    load = e.to_numpy()
    imp = make_load_curve(
        pd.Series(np.clip(load - pv, 0, None), index=e.index), interval_minutes=curve.interval_minutes, meta=curve.meta
    )
    fed = float(np.clip(pv - load, 0, None).sum())
    return imp.with_meta(feed_in_kwh=fed, feed_in_days=len(e) * curve.interval_hours / 24), float(np.nansum(load))


def test_household_behind_own_pv_gets_an_honest_class():
    seeds = load_seeds()
    hh = synthetic_household(SyntheticSpec(seed=4))
    told = Household(persons=2, dwelling="house", hot_water="other")
    placebo = analyse(hh.curve, told, seeds=seeds)
    assert placebo.stromspiegel_class is not None and "own_generation" not in str(placebo.stromspiegel.reason.to_dict())
    imp, total = _behind_pv(hh.curve, 4.0)
    assert (imp.energy_kwh == 0).mean() > 0.05  # the panels cover the load for hours on sunny days
    a = analyse(imp, told, seeds=seeds)
    # midday zeros behind PV are no meter fault; feed-in proves the PV; no heat pump read into the season
    assert a.data_quality.plausibility == 1.0 and a.data_quality.score > 0.9
    sig = {s.name: s for s in a.signatures}
    assert sig["own_pv"].detected and sig["own_pv"].confirmed and "2.8.0" in sig["own_pv"].text("de")
    assert not sig["heat_pump"].assessable
    # grid import alone would rank the household too well: withheld, asking for the size
    assert a.stromspiegel_class is None and "Leistung Ihrer Anlage (kWp)" in a.stromspiegel.reason.text("de")
    # with the size: total consumption = import + (kWp x 950 - feed-in) = the true total
    b = analyse(imp, Household(persons=2, dwelling="house", hot_water="other", existing_pv_kwp=4.0), seeds=seeds)
    assert b.stromspiegel.compared_kwh == pytest.approx(placebo.stromspiegel.compared_kwh, rel=0.01)
    assert b.stromspiegel.compared_kwh == pytest.approx(total, rel=0.01)
    assert b.stromspiegel_class == placebo.stromspiegel_class
    # the same import curve without the feed-in register: the curve itself shows the PV
    c = analyse(imp.with_meta(feed_in_kwh=None, feed_in_days=None), told, seeds=seeds)
    assert {s.name: s for s in c.signatures}["own_pv"].detected and c.stromspiegel_class is None


def test_curve_estimated_from_an_annual_figure_shows_no_devices():
    """A standard profile has a night floor and a winter excess of its own: no device is read from
    it, no question is put to the household, and nothing claims to be measured."""
    from advisor.ingest.estimated import estimate_from_annual
    from advisor.signatures import device_questions

    c = estimate_from_annual(3500, 2025)
    a = analyse(c, Household(persons=4, dwelling="house"), seeds=load_seeds())
    assert a.stromspiegel_class is not None  # the Stromspiegel is made for an annual figure
    assert not any(s.assessable or s.detected for s in a.signatures)
    assert device_questions(a.signatures, "de") == []
    assert "Standardlastprofil" in a.signatures[0].text("de")
    assert "keine Messwerte" in a.data_quality.length_reason.text("de")
    assert "nicht gemessen" in a.annual_method_text("de") and "gemessenes" not in a.annual_method_text("de")


def test_length_sentence_agrees_with_the_annual_method_on_every_real_household(lcl):
    """'How long' and the annual figure's basis tell the same story on all 60 London years: a year
    whose few gaps are filled is a measured year, not 'extrapolated' (48 of 60 said so before)."""
    data, _ = lcl
    seen = {}
    for lclid in data["lclid"].unique():
        curve = london_curve(data, lclid)
        q, a = data_quality(curve), annual_energy(curve)
        short = any(getattr(n, "code", "") == "quality.note.short" for n in q.notes)
        full = a.method in ("measured_full_year", "full_year_gaps_filled_h25")
        assert (q.length_reason.code == "quality.length_year") == full, (lclid, a.method, q.length_reason.code)
        assert short == (not full), (lclid, a.method)
        seen[a.method] = seen.get(a.method, 0) + 1
    assert seen.get("full_year_gaps_filled_h25", 0) >= 40 and seen.get("annualised_h25", 0) >= 1  # both cases met


def test_length_sentence_of_a_short_curve_still_says_extrapolated(lcl):
    data, _ = lcl
    curve = london_curve(data, data["lclid"].iloc[0])
    short = make_load_curve(
        curve.data["energy_kwh"].iloc[: 48 * 200], interval_minutes=30, meta=curve.meta
    )  # 200 days, complete
    q = data_quality(short)
    assert q.length_reason.code == "quality.length_short" and q.completeness > 0.99
    assert any(getattr(n, "code", "") == "quality.note.short" for n in q.notes)
