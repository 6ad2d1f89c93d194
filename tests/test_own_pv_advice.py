"""Households with their own PV and no stated kWp: battery and self-consumption advice, honest size.

Known truth on real London curves (../shared/data) with a PV system put behind the meter
(``device_injection.pv_generation``): the kWp range from the feed-in register holds the true
size, battery / self-consumption advice is given and no new rooftop PV is pitched; placebo: the
same households without PV get none of it.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from shared_data import shared_path

from advisor.analysis import analyse
from advisor.household import Household
from advisor.measures import advise
from advisor.own_pv import own_pv_size, surplus_days
from advisor.seeds import load_seeds

OWN_PV_MEASURES = {"pv_self_consumption", "ev_pv_surplus", "battery"}
NEW_PV = {"rooftop_pv", "balcony_pv"}


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


@pytest.fixture(scope="module")
def full_years():
    """The first 8 London households with a (nearly) full 2013, as LoadCurves."""
    from advisor.loadcurve import CurveMeta, make_load_curve

    meta = pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv")).set_index("lclid")
    data = pd.read_parquet(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"))
    out = []
    for lclid in sorted(data["lclid"].unique()):
        if meta.loc[lclid, "coverage_2013"] < 0.95 or "many_zero_readings" in str(meta.loc[lclid, "qc_flags"]):
            continue
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"], tz="UTC")).sort_index()
        out.append(
            make_load_curve(
                s, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG", meter_id=lclid)
            )
        )
        if len(out) == 8:
            break
    return out


def _kwp_for(curve) -> float:
    annual = float(curve.energy_kwh.sum()) * 8760 / (curve.energy_kwh.notna().sum() * curve.interval_hours)
    return float(min(10.0, max(3.0, round(annual / 1000 * 2) / 2)))


def _ids(advice):
    return {r.measure_id for r in advice.recommendations}, {n.measure_id for n in advice.not_recommended}


def _assess(curve, household, seeds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = analyse(curve, household, seeds=seeds)
        return a, advise(a, household, seeds=seeds)


OWNER = Household(dwelling="house", tenure="owner", persons=2)


def test_feed_in_register_gives_a_kwp_range_that_holds_the_true_size_and_own_pv_advice(full_years, seeds):
    from device_injection import behind_pv, pv_generation

    held = advised = 0
    for i, c in enumerate(full_years):
        kwp = _kwp_for(c)
        imp = behind_pv(c, pv_generation(c, kwp, 950.0, seed=i))
        a, adv = _assess(imp, OWNER, seeds)
        recs, not_recs = _ids(adv)
        assert not (recs & NEW_PV), (c.meta.meter_id, recs)  # never a new system as if there were none
        assert adv.own_pv is not None and adv.own_pv.method == "feed_in"
        assert adv.own_pv.kwp_low < adv.own_pv.kwp_high < 3 * adv.own_pv.kwp_low
        held += adv.own_pv.kwp_low <= kwp <= adv.own_pv.kwp_high
        advised += "pv_self_consumption" in recs and "battery" in (recs | not_recs)
        for r in adv.recommendations:
            if r.measure_id in OWN_PV_MEASURES:
                assert r.annual_savings_kwh <= a.own_generation.feed_in_kwh_per_year + 1e-6
                assert "kWp" in r.explanation("de") and "kWp" in r.explanation("en")
    assert held >= 0.75 * len(full_years), held
    assert advised >= 0.75 * len(full_years), advised


def test_import_curve_only_gives_conditional_advice_and_asks_for_the_kwp(full_years, seeds):
    from device_injection import behind_pv, pv_generation

    n = conditional = 0
    for i, c in enumerate(full_years):
        imp = behind_pv(c, pv_generation(c, _kwp_for(c), 950.0, seed=i), feed_in_register=False)
        a, adv = _assess(imp, OWNER, seeds)
        if a.own_generation is None:  # the own_pv signature did not find the panels: nothing to say
            continue
        n += 1
        recs, _ = _ids(adv)
        assert not (recs & NEW_PV)
        assert adv.own_pv is None  # the size is not identified from import alone
        for r in adv.recommendations:
            if r.measure_id in OWN_PV_MEASURES:
                assert r.conditional and "pv_surplus" in r.conditions
                assert "kWp" in r.explanation("de")
                conditional += 1
    assert n >= 0.75 * len(full_years), n
    assert conditional >= n


def test_car_on_pv_surplus_only_with_a_car(full_years, seeds):
    from device_injection import behind_pv, ev_sessions, pv_generation, with_device

    got = 0
    for i, c in enumerate(full_years[:4]):
        gen = pv_generation(c, _kwp_for(c), 950.0, seed=i)
        with_car = with_device(c, ev_sessions(c, 3.7, per_week=2.0, seed=i))
        _, adv = _assess(behind_pv(with_car, gen), OWNER, seeds)
        got += "ev_pv_surplus" in _ids(adv)[0]
        _, adv = _assess(behind_pv(c, gen), Household(dwelling="house", tenure="owner", persons=2, ev=False), seeds)
        assert "ev_pv_surplus" not in _ids(adv)[0]
    assert got >= 3, got


def test_placebo_households_without_pv_get_none_of_it(full_years, seeds):
    for c in full_years:
        a, adv = _assess(c, OWNER, seeds)
        recs, not_recs = _ids(adv)
        assert a.own_generation is None and adv.own_pv is None
        assert not ({"pv_self_consumption", "ev_pv_surplus"} & (recs | not_recs))


def test_size_from_feed_in_and_stated():
    from advisor.benchmark import OwnGeneration

    own = OwnGeneration("feed_in", feed_in_kwh=2000.0, feed_in_days=365.0, yield_kwh_per_kwp=1000.0)
    s = own_pv_size(own, self_consumption_low=0.2, self_consumption_high=0.5)
    # 2,000 kWh fed in: 2000 / (1150 x 0.8) = 2.17 .. 2000 / (850 x 0.5) = 4.71 kWp
    assert s.kwp_low == pytest.approx(2000 / (1150 * 0.8)) and s.kwp_high == pytest.approx(2000 / (850 * 0.5))
    assert own_pv_size(OwnGeneration("detected"), self_consumption_low=0.2, self_consumption_high=0.5) is None
    short = OwnGeneration("feed_in", feed_in_kwh=300.0, feed_in_days=30.0)
    assert own_pv_size(short, self_consumption_low=0.2, self_consumption_high=0.5) is None  # a month is no year
    stated = own_pv_size(OwnGeneration("stated", peak_kw=6.0), self_consumption_low=0.2, self_consumption_high=0.5)
    assert (stated.kwp_low, stated.kwp_high, stated.method) == (6.0, 6.0, "stated")


def test_surplus_days_hand_computed():
    cols = [f"{h:02d}:00" for h in range(24)]
    day = [0.3] * 24
    sunny = [0.3] * 10 + [0.0] * 6 + [0.3] + [1.3] * 5 + [0.3] * 2  # covered 10-16, 1 kW extra 17-22 h
    hm = pd.DataFrame([day, sunny, day], index=pd.date_range("2024-06-01", periods=3, freq="D"), columns=cols)
    sd = surplus_days(hm, 300.0, flexible_share=0.25, battery_capacity_kwh=5.0)
    assert (sd.n_days, sd.n_surplus_days) == (3, 1)
    assert sd.evening_flexible_kwh == pytest.approx(0.25 * 5 * 1.0)
    # after the sunny day: 16-24 h = 0.3 + 5 x 1.3 + 2 x 0.3 = 7.4, next morning 0-8 h = 2.4 -> 9.8
    assert sd.after_sun_kwh == pytest.approx(9.8)
    assert sd.battery_kwh == pytest.approx(5.0)
