"""Signatures against synthetic households with a known truth (found where injected, absent where not)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from advisor.household import Household
from advisor.loadcurve import make_load_curve
from advisor.signatures import Signature, detect_signatures
from advisor.synthetic import SyntheticSpec, synthetic_household


def _sigs(curve, **kw):
    return {s.name: s for s in detect_signatures(curve, **kw)}


@pytest.fixture(scope="module")
def plain():
    return synthetic_household(SyntheticSpec(seed=21))


@pytest.fixture(scope="module")
def plain_sigs(plain):
    return _sigs(plain.curve)


def test_every_detector_reports(plain_sigs):
    assert set(plain_sigs) == {
        "standby_floor",
        "ev_charging",
        "night_storage_heating",
        "heat_pump",
        "circulation_pump",
        "own_pv",
        "instantaneous_water_heater",
        "dynamic_tariff",
    }
    for s in plain_sigs.values():
        assert 0.0 <= s.confidence <= 1.0 and s.evidence


@pytest.mark.parametrize("minutes", [15, 30, 60])
@pytest.mark.parametrize("ev_kw", [11.0, 3.7])
def test_ev_found_when_injected(minutes, ev_kw):
    hh = synthetic_household(SyntheticSpec(ev_kw=ev_kw, interval_minutes=minutes, seed=3))
    ev = _sigs(hh.curve)["ev_charging"]
    assert ev.detected, ev.evidence
    truth_kwh = hh.components_kwh["ev"].sum()
    assert ev.annual_kwh == pytest.approx(truth_kwh, rel=0.25)
    assert ev.power_w == pytest.approx(ev_kw * 1000, rel=0.2)


@pytest.mark.parametrize("seed", [1, 2])
def test_ev_is_no_heat_pump(seed):
    s = _sigs(synthetic_household(SyntheticSpec(ev_kw=11, circulation_pump_w=80, seed=seed)).curve)
    assert s["ev_charging"].detected
    assert not s["heat_pump"].detected and "EV charging was taken out" in s["heat_pump"].evidence


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ev_absent_when_not_injected(seed):
    for spec in (
        SyntheticSpec(seed=seed),
        SyntheticSpec(seed=seed, appliance_kwh=4500, standby_w=250),
        SyntheticSpec(seed=seed, heat_pump_kwh=3000),
        SyntheticSpec(seed=seed, instantaneous_water_heater_kw=21),
    ):
        ev = _sigs(synthetic_household(spec).curve)["ev_charging"]
        assert not ev.detected, (spec, ev.evidence)


def test_ev_like_blocks_only_in_winter_nights_are_not_an_ev(plain):
    # 4 kW for 4 h every winter night (a night-storage heater): not a car
    e = plain.curve.energy_kwh
    loc = e.index.tz_convert("Europe/Berlin")
    winter = loc.month.isin([11, 12, 1, 2]) & (loc.hour < 4)
    e[winter] += 4.0 * 0.25
    curve = make_load_curve(e, interval_minutes=15, meta=plain.curve.meta)
    s = _sigs(curve)
    assert not s["ev_charging"].detected, s["ev_charging"].evidence
    assert s["night_storage_heating"].detected, s["night_storage_heating"].evidence


@pytest.mark.parametrize("pump_w", [45.0, 80.0])
def test_circulation_pump_found(pump_w):
    hh = synthetic_household(SyntheticSpec(circulation_pump_w=pump_w, seed=8))
    s = _sigs(hh.curve)["circulation_pump"]
    assert s.detected, s.evidence
    assert s.power_w == pytest.approx(pump_w, abs=25)


@pytest.mark.parametrize("appliance_kwh", [1500.0, 2200.0, 3500.0])
def test_circulation_pump_absent(appliance_kwh):
    hh = synthetic_household(SyntheticSpec(appliance_kwh=appliance_kwh, seed=9))
    s = _sigs(hh.curve)["circulation_pump"]
    assert not s.detected, s.evidence


def test_circulation_pump_needs_both_seasons(plain):
    e = plain.curve.energy_kwh["2024-01-01":"2024-03-31"]
    s = _sigs(make_load_curve(e, interval_minutes=15))["circulation_pump"]
    assert not s.assessable and "summer" in s.evidence


def test_heat_pump_seasonal_and_with_temperature():
    hh = synthetic_household(SyntheticSpec(heat_pump_kwh=3500, seed=4))
    s = _sigs(hh.curve)["heat_pump"]
    assert s.detected and "seasonal evidence only" in s.evidence
    assert s.confidence <= 0.7  # seasonal evidence is capped below measured temperature evidence
    # the synthetic heat pump follows this climatology, used here as a "measured" series
    from advisor.synthetic import _climatological_temp

    idx = hh.curve.index.tz_convert("Europe/Berlin")
    temp = pd.Series(_climatological_temp(idx), index=hh.curve.index)
    t = _sigs(hh.curve, temperature=temp)["heat_pump"]
    assert t.detected and "measured temperature" in t.evidence
    assert t.confidence > s.confidence
    no = _sigs(synthetic_household(SyntheticSpec(seed=4)).curve, temperature=temp)["heat_pump"]
    assert not no.detected, no.evidence
    # a circulation pump alone is no heat pump
    pump = _sigs(synthetic_household(SyntheticSpec(seed=4, circulation_pump_w=80)).curve, temperature=temp)["heat_pump"]
    assert not pump.detected


def test_instantaneous_water_heater_by_resolution():
    s15 = _sigs(synthetic_household(SyntheticSpec(instantaneous_water_heater_kw=21, seed=6)).curve)
    assert s15["instantaneous_water_heater"].detected
    assert "diluted" in s15["instantaneous_water_heater"].evidence
    assert not _sigs(synthetic_household(SyntheticSpec(seed=6)).curve)["instantaneous_water_heater"].detected
    s60 = _sigs(synthetic_household(SyntheticSpec(instantaneous_water_heater_kw=21, seed=6, interval_minutes=60)).curve)
    w = s60["instantaneous_water_heater"]
    assert not w.assessable and "too coarse" in w.evidence
    # the EV's long blocks are no water-heater spikes
    ev = _sigs(synthetic_household(SyntheticSpec(ev_kw=11, seed=6)).curve)
    assert not ev["instantaneous_water_heater"].detected


def _with_pv(hh, kwp):
    """Import behind a PV system: load minus a simple clear-sky-like generation, floored at 0."""
    e = hh.curve.energy_kwh
    loc = e.index.tz_convert("Europe/Berlin")
    hour = loc.hour + loc.minute / 60
    doy = loc.day_of_year
    daylen = 12 + 4 * np.sin(2 * np.pi * (doy - 80) / 365)
    x = (hour - 13.5) / (daylen / 2)
    peak = 0.4 + 0.3 * np.sin(2 * np.pi * (doy - 80) / 365)  # kW per kWp at noon, summer higher
    cloud = np.random.default_rng(1).uniform(0.15, 1.0, 400)[doy.to_numpy()]  # one sky per day
    pv_kw = kwp * np.clip(np.cos(np.pi / 2 * x), 0, None) * peak * cloud * (np.abs(x) < 1)
    return make_load_curve((e - pv_kw * 0.25).clip(lower=0), interval_minutes=15, meta=hh.curve.meta)


def test_own_pv_found_and_not(plain, plain_sigs):
    assert not plain_sigs["own_pv"].detected
    s = _sigs(_with_pv(plain, 5.0), household=Household(existing_pv_kwp=5.0))["own_pv"]
    assert s.detected, s.evidence
    assert "5 kWp" in s.evidence


def test_standby_floor(plain, plain_sigs):
    s = plain_sigs["standby_floor"]
    assert s.detected
    assert s.power_w >= plain.spec.standby_w  # the floor holds standby plus whatever never stops


def test_dynamic_tariff_needs_prices_and_sees_shifting(plain, plain_sigs):
    assert not plain_sigs["dynamic_tariff"].assessable
    idx = plain.curve.index
    hourly = pd.date_range(idx[0], idx[-1], freq="h")
    loc = hourly.tz_convert("Europe/Berlin")
    rng = np.random.default_rng(0)
    price = pd.Series(80 + 40 * np.sin(2 * np.pi * (loc.hour - 13) / 24) + rng.normal(0, 25, len(hourly)), index=hourly)
    normal = _sigs(plain.curve, prices=price)["dynamic_tariff"]
    assert normal.assessable and not normal.detected, normal.evidence
    # a household that moves 1 kWh into the cheapest hour of each day and out of the dearest
    e = plain.curve.energy_kwh
    p15 = price.reindex(idx, method="ffill")
    day = idx.tz_convert("Europe/Berlin").tz_localize(None).floor("D")
    cheap = p15.groupby(day).transform("min") == p15
    dear = p15.groupby(day).transform("max") == p15
    shifted = e + cheap * 0.4 - dear * np.minimum(e, 0.4)
    s = _sigs(make_load_curve(shifted, interval_minutes=15, meta=plain.curve.meta), prices=price)["dynamic_tariff"]
    assert s.detected, s.evidence


def test_signature_validation():
    with pytest.raises(ValueError):
        Signature("x", 1.5, "bad")
    s = Signature("x", 0.7, "why")
    assert s.detected and s.to_dict()["confidence"] == 0.7
    assert not Signature("x", 0.0, "why", assessable=False).detected


def test_dynamic_tariff_with_real_day_ahead_prices(plain):
    from tests.conftest import shared_path

    raw = pd.read_csv(shared_path("prices", "de_lu_day_ahead_hourly_2023_2024_smard.csv"))
    price = pd.Series(
        raw["price_eur_mwh"].to_numpy(), index=pd.DatetimeIndex(pd.to_datetime(raw["timestamp_utc"], utc=True))
    )
    normal = _sigs(plain.curve, prices=price)["dynamic_tariff"]
    assert normal.assessable and not normal.detected, normal.evidence
    # the same household with a 7.4 kW car charged 3 h in the cheapest hours of each day
    e = plain.curve.energy_kwh
    p15 = price.reindex(e.index, method="ffill")
    day = e.index.tz_convert("Europe/Berlin").tz_localize(None).floor("D")
    rank = p15.groupby(day).rank(method="first")
    shifted = e + (rank <= 12) * 7.4 * 0.25  # 12 cheapest quarter-hours = 3 h
    s = _sigs(make_load_curve(shifted, interval_minutes=15, meta=plain.curve.meta), prices=price)["dynamic_tariff"]
    assert s.detected, s.evidence


# ------------------------------------------------- issue 14: known devices injected into real curves
DEVICES = ("ev_charging", "heat_pump", "night_storage_heating", "circulation_pump")


@pytest.fixture(scope="module")
def clean_real_curves():
    """Real London households (30 min, 2013) in which no device is detected: the bases to inject into."""
    import pandas as pd
    from shared_data import shared_path

    from advisor.analysis import analyse as _analyse
    from advisor.loadcurve import CurveMeta, make_load_curve

    data = pd.read_parquet(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"))
    out = []
    for lclid in sorted(data["lclid"].unique()):
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"], tz="UTC")).sort_index()
        c = make_load_curve(
            s, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG", meter_id=lclid)
        )
        a = _analyse(c)
        if a.data_quality.score > 0.9 and not any(x.detected for x in a.signatures if x.name in DEVICES):
            out.append(c)
        if len(out) == 12:
            break
    assert len(out) >= 10
    return out


def _found(curves, make, want):
    from device_injection import with_device

    from advisor.analysis import analyse as _analyse

    hits, others = 0, {}
    for i, c in enumerate(curves):
        a = _analyse(with_device(c, make(c, i)))
        hits += a.signature(want).detected
        for s in a.signatures:
            if s.name in DEVICES and s.name != want and s.detected:
                others[s.name] = others.get(s.name, 0) + 1
    return hits, others


@pytest.mark.parametrize(
    "case",
    ["ev_3.0kw", "ev_3.7kw", "ev_3.7kw_midday", "ev_11kw", "heat_pump", "night_storage", "circulation_pump_100w"],
)
def test_device_injected_into_real_curves_is_found_and_nothing_else(clean_real_curves, case):
    import device_injection as di

    make, want, need = {
        "ev_3.0kw": (lambda c, i: di.ev_sessions(c, 3.0, per_week=1.5, seed=i), "ev_charging", 0.9),
        "ev_3.7kw": (lambda c, i: di.ev_sessions(c, 3.7, per_week=1.5, seed=i), "ev_charging", 0.9),
        "ev_3.7kw_midday": (lambda c, i: di.ev_sessions(c, 3.7, midday=True, seed=i), "ev_charging", 0.9),
        "ev_11kw": (lambda c, i: di.ev_sessions(c, 11.0, seed=i), "ev_charging", 0.9),
        "heat_pump": (lambda c, i: di.heat_pump(c, 3500.0, seed=i), "heat_pump", 0.8),
        "night_storage": (lambda c, i: di.night_storage(c, 6.0, seed=i), "night_storage_heating", 0.9),
        "circulation_pump_100w": (lambda c, i: di.circulation_pump(c, 100.0), "circulation_pump", 0.6),
    }[case]
    hits, others = _found(clean_real_curves, make, want)
    assert hits >= need * len(clean_real_curves), (case, hits)
    # night storage is not a heat pump and a heat pump is not night storage; a car is neither
    assert not others, (case, others)


def test_heat_pump_and_3kw_car_together_both_found(clean_real_curves):
    import device_injection as di

    from advisor.analysis import analyse as _analyse

    both = 0
    for i, c in enumerate(clean_real_curves):
        extra = di.heat_pump(c, 3500.0, seed=i) + di.ev_sessions(c, 3.0, per_week=2.0, seed=100 + i)
        a = _analyse(di.with_device(c, extra))
        both += a.signature("heat_pump").detected and a.signature("ev_charging").detected
        assert a.signature("night_storage_heating").confidence < 0.5
    assert both >= 0.8 * len(clean_real_curves)


def test_no_device_found_on_the_clean_bases_and_none_confirmed(clean_real_curves):
    from advisor.analysis import analyse as _analyse

    for c in clean_real_curves:
        a = _analyse(c, Household(ev=False))
        for s in a.signatures:
            assert not s.confirmed
            if s.name == "ev_charging":
                assert s.household_answer == "no"
