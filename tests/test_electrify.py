"""Electrification check: known-truth ranges from issue 18, hand-computed pieces, symmetry and
placebo cases, bad input refused with exit 2, and the CLI's JSON contract."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from shared_data import shared_path

from advisor.cli import main
from advisor.electrify import (
    ElectrifyError,
    ElectrifyParameters,
    ElectrifyRequest,
    EVSpec,
    HeatPumpSpec,
    HeatSource,
    annual_heat,
    cop,
    electrify,
    flow_temperature_c,
)
from advisor.electrify.ev_charging import charge, draw_sessions
from advisor.ingest.prices import read_day_ahead_prices
from advisor.seeds import load_seeds
from advisor.tariffs import Tariff

TZ = "Europe/Berlin"
WINTER = (1, 2, 3, 10, 11, 12)


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


@pytest.fixture(scope="module")
def params(seeds):
    return ElectrifyParameters.from_seeds(seeds)


def _year(kw: float = 0.35, minutes: int = 15, year: int = 2024) -> pd.Series:
    start = pd.Timestamp(f"{year}-01-01").tz_localize(TZ)
    end = pd.Timestamp(f"{year + 1}-01-01").tz_localize(TZ)
    idx = pd.date_range(start, end, freq=f"{minutes}min", inclusive="left")
    return pd.Series(kw * minutes / 60.0, index=idx, name="energy_kwh")


def _run(params, request, year=None, minutes=15, **kw):
    year = _year(minutes=minutes) if year is None else year
    args = dict(
        interval_minutes=minutes,
        work_price_eur_per_kwh=0.33,
        base_fee_eur_per_year=150.0,
        latitude=51.54,
        longitude=7.22,
    )
    args.update(kw)
    return electrify(year, request, params, **args)


@pytest.fixture(scope="module")
def real_year():
    """One real household (LCL London, 30-min, 2013) completed to a year, as the CLI does."""
    from advisor import pv as pvm
    from advisor.ingest import ReadOptions, read_load_curves

    path = shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")
    curve = read_load_curves(path, ReadOptions(meter_id="MAC000003"))[0]
    return pvm.complete_year(curve).energy_kwh


# ------------------------------------------------------------------ known truth (issue 18)
def test_ev_of_12000_km_adds_1400_to_2700_kwh(params, real_year):
    r = _run(params, ElectrifyRequest(ev=EVSpec(12_000)), year=real_year, minutes=30)
    assert 1_400 <= r.added_kwh["ev"] <= 2_700
    # and exactly km x consumption x home share (a full non-leap year)
    assert r.added_kwh["ev"] == pytest.approx(12_000 * 0.19 * 0.8, rel=1e-6)


def test_heat_pump_replacing_18000_kwh_gas_adds_3800_to_6500_mostly_in_winter(params):
    r = _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000)))
    assert 3_800 <= r.added_kwh["heat_pump"] <= 6_500
    monthly = r.added_monthly_kwh["heat_pump"]
    winter = sum(monthly[m - 1] for m in WINTER)
    assert winter / sum(monthly) > 0.7
    assert monthly[0] > 4 * monthly[6]  # January far above July


def test_after_equals_before_plus_added(params, real_year):
    r = _run(
        params,
        ElectrifyRequest(heat_pump=HeatSource(gas_kwh=15_000), ev=EVSpec(15_000, smart=True)),
        year=real_year,
        minutes=30,
    )
    assert r.after.annual_kwh == pytest.approx(r.before.annual_kwh + r.added_kwh["heat_pump"] + r.added_kwh["ev"])
    assert r.before.annual_kwh == pytest.approx(real_year.sum())
    for k in ("heat_pump", "ev"):
        assert len(r.added_monthly_kwh[k]) == 12
        assert sum(r.added_monthly_kwh[k]) == pytest.approx(r.added_kwh[k])
    assert float(r.energy_after_kwh.sum()) == pytest.approx(r.after.annual_kwh)
    assert (r.energy_after_kwh.to_numpy() >= real_year.to_numpy() - 1e-12).all()


def test_para14a_and_heat_pump_tariffs_beat_the_fixed_tariff_with_a_heat_pump(params):
    r = _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000)))
    fixed = r.tariff("fixed").annual_cost_eur
    assert r.tariff("para14a_module1").annual_cost_eur < fixed
    assert r.tariff("heat_pump_tariff").annual_cost_eur < fixed
    # Module 2 beats Module 1 once the device draws enough: 60 % off 9.3 ct/kWh net on ~5,000 kWh
    assert r.tariff("para14a_module2").annual_cost_eur < r.tariff("para14a_module1").annual_cost_eur


def test_heat_pump_tariff_loses_when_it_is_not_cheaper_per_kwh(params):
    # placebo: at the household's own work price the second meter and base fee only add cost
    p = params.replace(hp_work_price_eur_per_kwh=0.33)
    r = _run(p, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000)))
    extra = r.tariff("heat_pump_tariff").annual_cost_eur - r.tariff("fixed").annual_cost_eur
    assert extra > 0
    # heat-pump meter (iMSys) + base fee, while the household meter drops back to an mME (3,074 kWh)
    assert extra == pytest.approx(p.hp_base_fee_eur_per_year + p.meter_mme_eur, abs=1e-6)


def test_fixed_tariff_and_meters_hand_computed(params):
    r = _run(params, ElectrifyRequest(ev=EVSpec(12_000)))
    before_kwh = 0.35 * 24 * 366
    assert r.before.annual_kwh == pytest.approx(before_kwh)
    assert not r.before.smart_meter_required  # 3,074 kWh, no § 14a device
    assert r.before.annual_bill_eur == pytest.approx(before_kwh * 0.33 + 150 + params.meter_mme_eur)
    assert r.smart_meter_required  # a wallbox is a § 14a device
    assert r.after.annual_bill_eur == pytest.approx(r.after.annual_kwh * 0.33 + 150 + params.meter_imsys_eur)


def test_co2_before_includes_the_gas_burnt_and_the_replaced_car(params):
    r = _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000), ev=EVSpec(10_000, replaces="diesel")))
    grid = params.electricity_co2_g_per_kwh / 1000
    gas = 18_000 * params.gas_hi_per_hs * params.co2_kg_per_kwh_gas_hi  # ≈ 3,267 kg
    diesel = 10_000 * params.diesel_litres_per_100km / 100 * params.co2_kg_per_litre_diesel  # ≈ 1,855 kg
    assert r.co2_kg_per_year["before"] == pytest.approx(r.before.annual_kwh * grid + gas + diesel)
    elsewhere = 10_000 * 0.19 * 0.2
    assert r.co2_kg_per_year["after"] == pytest.approx((r.after.annual_kwh + elsewhere) * grid)
    assert r.co2_kg_per_year["after"] < r.co2_kg_per_year["before"]


def test_an_extra_car_without_replacing_one_raises_co2(params):
    r = _run(params, ElectrifyRequest(ev=EVSpec(12_000)))
    assert r.co2_kg_per_year["after"] > r.co2_kg_per_year["before"]
    assert any(n.code == "electrify.note.ev_adds_co2" for n in r.notes)


# ------------------------------------------------------------------ pieces, hand-computed
def test_heat_from_gas_and_oil_hand_computed(params):
    gas = annual_heat(HeatSource(gas_kwh=18_000), params)
    assert gas.total_kwh == pytest.approx(18_000 * 0.85)
    assert gas.hot_water_kwh == pytest.approx(0.15 * 15_300)
    oil = annual_heat(HeatSource(oil_litres=2_000, hot_water=False), params)
    assert oil.total_kwh == pytest.approx(2_000 * 9.97 * 0.85)
    assert oil.hot_water_kwh == 0.0
    typ = annual_heat(HeatSource(heated_area_m2=150, building_year=1975), params)
    assert typ.space_heat_kwh == pytest.approx(150 * 140)
    assert typ.hot_water_kwh == pytest.approx(150 * 12.5)
    assert typ.fuel_assumed


def test_cop_hand_computed_and_monotonic(params):
    spec = HeatPumpSpec.from_parameters(params)
    # lift 35 K, when2heat air regression (Ruhnau et al. 2019) x 0.85: 0.85 * (6.0801 - 0.0941*35 + 0.0005*35^2)
    assert cop(np.array([0.0]), 35.0, spec)[0] == pytest.approx(0.85 * (6.0801 - 0.0941 * 35 + 0.0005 * 35**2))
    assert cop(np.array([10.0]), 20.0, spec)[0] == pytest.approx(0.85 * (6.0801 - 0.0941 * 15 + 0.0005 * 15**2))
    t = np.linspace(-15, 15, 31)
    c = cop(t, flow_temperature_c(t, spec), spec)
    assert (np.diff(c) >= -1e-12).all()  # warmer outside -> better COP
    assert flow_temperature_c(np.array([-12.0]), spec)[0] == pytest.approx(50.0)
    assert flow_temperature_c(np.array([20.0]), spec)[0] == pytest.approx(30.0)


@pytest.mark.parametrize("flow", [35.0, 45.0, 55.0])
def test_scop_lies_in_the_fraunhofer_ise_field_range(params, flow):
    r = _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000), design_flow_temp_c=flow))
    assert params.field_scop_min <= r.heat_pump.scop <= params.field_scop_max
    assert r.heat_pump.scop_in_field_range


def test_scop_falls_with_the_flow_temperature(params):
    scops = [
        _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000), design_flow_temp_c=f)).heat_pump.scop
        for f in (35.0, 50.0, 65.0)
    ]
    assert scops[0] > scops[1] > scops[2]


def test_colder_measured_weather_needs_more_heat_pump_electricity(params):
    # symmetry: the same heat at a colder outdoor temperature costs more electricity (lower COP)
    year = _year()
    hours = pd.date_range(year.index[0].tz_convert("UTC"), periods=8784, freq="h")
    warm = pd.Series(8.0, index=hours)
    cold = pd.Series(2.0, index=hours)
    req = ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000))
    e_warm = _run(params, req, temperature_c=warm).added_kwh["heat_pump"]
    e_cold = _run(params, req, temperature_c=cold).added_kwh["heat_pump"]
    assert e_cold > e_warm


def test_energy_is_kept_on_15_30_and_60_minute_curves_across_dst(params):
    req = ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000))
    added = [_run(params, req, year=_year(minutes=m), minutes=m).added_kwh["heat_pump"] for m in (15, 30, 60)]
    assert added[0] == pytest.approx(added[1], rel=1e-9)
    assert added[0] == pytest.approx(added[2], rel=1e-9)


def test_uncontrolled_charging_runs_at_wallbox_power_and_smart_charging_lowers_the_peak(params, real_year):
    dumb = _run(params, ElectrifyRequest(ev=EVSpec(15_000, wallbox_kw=11.0)), year=real_year, minutes=30)
    smart = _run(params, ElectrifyRequest(ev=EVSpec(15_000, wallbox_kw=11.0, smart=True)), year=real_year, minutes=30)
    assert dumb.ev.peak_kw == pytest.approx(11.0)
    assert smart.ev.home_kwh == pytest.approx(dumb.ev.home_kwh)
    assert smart.after.peak_kw < dumb.after.peak_kw
    assert smart.ev.hours_above_floor < dumb.ev.hours_above_floor


def test_smart_charging_pays_less_on_the_dynamic_tariff(params, seeds):
    prices = read_day_ahead_prices(shared_path("prices", "de_lu_day_ahead_hourly_2023_2024_smard.csv"))
    dyn = Tariff.dynamic(seeds, prices)
    dumb = _run(params, ElectrifyRequest(ev=EVSpec(15_000)), dynamic_tariff=dyn)
    smart = _run(params, ElectrifyRequest(ev=EVSpec(15_000, smart=True)), dynamic_tariff=dyn)
    assert smart.tariff("dynamic").annual_cost_eur < dumb.tariff("dynamic").annual_cost_eur
    # the fixed tariff does not care when the car charges
    assert smart.tariff("fixed").annual_cost_eur == pytest.approx(dumb.tariff("fixed").annual_cost_eur)


def test_sessions_are_reproducible_and_share_the_energy(params):
    idx = _year().index
    a = draw_sessions(idx, TZ, 2_000.0, 11.0, params, 15)
    b = draw_sessions(idx, TZ, 2_000.0, 11.0, params, 15)
    assert np.array_equal(a.arrival, b.arrival) and np.array_equal(a.energy_kwh, b.energy_kwh)
    assert a.energy_kwh.sum() == pytest.approx(2_000.0 * 366 / 365)
    assert 120 <= a.n <= 190  # about 3 a week
    e = charge(a, len(idx), 11.0, 15, smart=False)
    assert e.sum() == pytest.approx(a.energy_kwh.sum())
    assert e.max() <= 11.0 * 0.25 + 1e-9


def test_beg_subsidy_shares(params):
    gas = _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000))).heat_pump
    assert gas.subsidy_share == pytest.approx(0.5)  # base 30 % + speed bonus 20 %
    tenant = _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000), owner_occupier=False)).heat_pump
    assert tenant.subsidy_share == pytest.approx(0.3)
    poor = _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000), low_income=True)).heat_pump
    assert poor.subsidy_share == pytest.approx(0.7)  # 80 % capped at 70 %
    assert poor.subsidy_eur == pytest.approx(0.7 * 30_000)


def test_every_assumption_has_a_source_and_date(params):
    r = _run(params, ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000), ev=EVSpec(12_000, replaces="petrol")))
    assert len(r.assumptions) > 20
    for a in r.assumptions:
        assert a.source and a.date, a.key


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: EVSpec(-5), ["ev_km_per_year", "500..100000", "-5"]),
        (lambda: EVSpec(12_000, kwh_per_100km=90), ["ev_kwh_per_100km", "10..40", "90"]),
        (lambda: EVSpec(12_000, home_charging_share=1.5), ["home_charging_share", "0..1"]),
        (lambda: HeatSource(gas_kwh=2_000_000), ["gas_kwh", "1000..150000", "2,000,000"]),
        (lambda: HeatSource(oil_litres=0), ["oil_litres", "100..15000"]),
        (lambda: HeatSource(heated_area_m2=5, building_year=1990), ["heated_area_m2", "20..1000", "5"]),
        (lambda: HeatSource(heated_area_m2=120, building_year=1700), ["building_year", "1800.."]),
        (lambda: HeatSource(gas_kwh=10_000, oil_litres=1_000), ["one of gas, oil"]),
        (lambda: HeatSource(), ["--gas-kwh"]),
        (lambda: ElectrifyRequest(), ["nothing to add"]),
    ],
)
def test_bad_figures_are_refused_naming_value_and_range(make, words):
    with pytest.raises(ElectrifyError) as info:
        make()
    for w in words:
        assert w in str(info.value)


def _csv(tmp_path) -> str:
    idx = pd.date_range(
        pd.Timestamp("2024-01-01").tz_localize(TZ),
        pd.Timestamp("2025-01-01").tz_localize(TZ),
        freq="h",
        inclusive="left",
    )
    kwh = 0.25 + 0.2 * np.sin(np.arange(len(idx)) * 2 * np.pi / 24) ** 2
    path = tmp_path / "household.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "energy_kwh": kwh.round(4)}).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    "args, pattern",
    [
        (["--add-ev", "--ev-km-per-year", "-100"], r"`ev_km_per_year` must lie in 500\.\.100000 km/yr .*got -100"),
        (["--add-ev"], r"`--add-ev` needs `--ev-km-per-year`"),
        (["--add-heat-pump", "--gas-kwh", "99"], r"`gas_kwh` must lie in 1000\.\.150000 kWh/yr .*got 99"),
        (["--gas-kwh", "18000"], r"without `--add-heat-pump`"),
        (["--add-ev", "--ev-km-per-year", "12000", "--ev-replaces", "bike"], r"`ev_replaces` must be one of"),
        (
            ["--add-heat-pump", "--gas-kwh", "18000", "--flow-temp-c", "95"],
            r"`design_flow_temp_c` must lie in 30\.\.70",
        ),
        (["--add-heat-pump", "--gas-kwh", "18000", "--heating", "heat_pump"], r"has a heat pump already"),
        (["--add-heat-pump", "--gas-kwh", "18000", "--heating", "night_storage"], r"night-storage heating is not"),
    ],
)
def test_cli_refuses_bad_input_with_exit_2(tmp_path, capsys, args, pattern):
    rc = main(["electrify", _csv(tmp_path), *args])
    assert rc == 2
    err = capsys.readouterr().err
    assert re.search(pattern, err), err
    assert "Traceback" not in err


def test_cli_refuses_a_curve_of_a_few_days(tmp_path, capsys):
    idx = pd.date_range(pd.Timestamp("2024-03-01").tz_localize(TZ), periods=5 * 24, freq="h")
    path = tmp_path / "short.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "energy_kwh": 0.3}).to_csv(path, index=False)
    rc = main(["electrify", str(path), "--add-ev", "--ev-km-per-year", "12000"])
    assert rc == 2
    assert "holds 5.0 days of readings" in capsys.readouterr().err


def test_cli_json_contract(tmp_path, capsys):
    rc = main(
        ["electrify", _csv(tmp_path), "--add-heat-pump", "--gas-kwh", "18000", "--add-ev", "--ev-km-per-year", "12000",
         "--ev-replaces", "petrol", "--smart-charging", "--persons", "2", "--dwelling", "house", "--json"]
    )  # fmt: skip
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    for key in (
        "before",
        "after",
        "added_kwh",
        "added_monthly_kwh",
        "tariffs",
        "co2_kg_per_year",
        "smart_meter_required",
        "assumptions",
    ):
        assert key in data, key
    for part in ("before", "after"):
        assert set(data[part]) == {"annual_kwh", "annual_bill_eur", "peak_kw", "smart_meter_required"}
    assert set(data["added_kwh"]) == {"heat_pump", "ev"}
    assert all(len(v) == 12 for v in data["added_monthly_kwh"].values())
    ids = [t["id"] for t in data["tariffs"]]
    assert {"fixed", "heat_pump_tariff", "para14a_module1", "para14a_module2", "para14a_module3"} <= set(ids)
    assert all({"id", "annual_cost_eur"} <= set(t) for t in data["tariffs"])
    assert data["smart_meter_required"] is True
    assert all(a["source"] for a in data["assumptions"])
    assert data["after"]["annual_kwh"] == pytest.approx(
        data["before"]["annual_kwh"] + data["added_kwh"]["heat_pump"] + data["added_kwh"]["ev"]
    )


# ------------------------------------------------------------------ report section
@pytest.fixture(scope="module")
def demo_assessment(seeds):
    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.household import Household
    from advisor.synthetic import SyntheticSpec, synthetic_household

    demo = synthetic_household(SyntheticSpec(seed=1))
    s = AssessmentSettings(seeds=seeds, parts=("tariffs", "recommendations"))
    h = Household(persons=3, dwelling="house", tenure="owner")
    return demo, assess_household(demo.curve, h, s)


def test_german_report_carries_the_electrification_section_without_fallback_or_raw_keys(params, demo_assessment):
    import html as h

    from advisor import pv as pvm
    from advisor import texts
    from advisor.report import render_report

    demo, a = demo_assessment
    year = pvm.complete_year(demo.curve).energy_kwh
    r = _run(
        params,
        ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000), ev=EVSpec(12_000, replaces="petrol")),
        year=year,
        minutes=demo.curve.interval_minutes,
    )
    with texts.record_fallbacks() as seen:
        html = render_report(a, "de", charts=False, electrification=r)
    assert seen == [], seen
    assert "Elektrifizieren: Wärmepumpe und E-Auto" in html
    assert "Wärmepumpentarif (zweiter Zähler)" in html and "§ 14a Modul 3" in html
    body = re.sub(r'<(span|td) class="src">.*?</\1>', " ", html, flags=re.S)
    visible = h.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style[^>]*>.*?</style>", " ", body, flags=re.S)))
    for raw in ("electrify.", "tariff_components.", "EUR/yr", "{"):
        assert raw not in visible, raw
    plain = render_report(a, "de", charts=False)
    assert "Elektrifizieren: Wärmepumpe und E-Auto" not in plain  # placebo: no section without a check


def test_meter_fees_follow_the_settings_and_the_msbg_bands(params):
    # a measured curve comes from an iMSys (settings: meter fee 30): it stays, above 10,000 kWh the cap rises
    r = _run(
        params,
        ElectrifyRequest(heat_pump=HeatSource(gas_kwh=30_000), ev=EVSpec(20_000)),
        meter_fee_eur_per_year=30.0,
        has_imsys=True,
    )
    assert r.before.annual_bill_eur == pytest.approx(r.before.annual_kwh * 0.33 + 150 + 30.0)
    assert r.after.annual_kwh > 10_000
    assert r.after.annual_bill_eur == pytest.approx(r.after.annual_kwh * 0.33 + 150 + params.imsys_fee_above_10000_eur)
