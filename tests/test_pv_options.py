"""The one PV orchestration: sizing sweep, battery recommendation, resolution bias, --out CSV."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from advisor import economics as ec
from advisor.pv_options import PVDefaults, choose_battery, pv_options
from advisor.seeds import load_seeds
from advisor.synthetic import synthetic_household

HERNE = {"latitude": 51.54, "longitude": 7.22}


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


@pytest.fixture(scope="module")
def curve():
    return synthetic_household(year=2023, appliance_kwh=3500).curve


def _econ(seeds, **kw):
    return ec.EconomicsSettings.from_seeds(seeds, commissioning=dt.date(2026, 3, 1), **kw)


def test_defaults_come_from_the_seeds(seeds):
    d = PVDefaults.from_seeds(seeds)
    assert d.battery_kwh_grid == tuple(float(x) for x in seeds.value("pv.battery_kwh_grid"))
    assert d.battery_kwh_grid[0] == 0 and d.battery_kwh_grid[-1] == 15
    assert d.battery_template.round_trip_efficiency == pytest.approx(seeds.value("pv.battery_round_trip_efficiency"))
    assert d.battery_template.capacity_fade_pct_per_year == pytest.approx(
        seeds.value("pv.battery_capacity_fade_pct_per_year")
    )
    assert d.germany_ghi_kwh_per_m2 == pytest.approx(seeds.value("weather.germany_mean_annual_ghi_kwh_per_m2"))


def test_battery_is_recommended_only_when_it_pays(seeds, curve):
    d = PVDefaults.from_seeds(seeds, roof_kwp_grid=(3.0, 5.0))
    found = pv_options(curve, **HERNE, economics=_econ(seeds), defaults=d, balcony=False)
    choice = found.battery
    assert choice is not None and choice.roof_kwp == found.best_roof.peak_kw
    assert [o.battery_kwh for o in choice.options] == list(d.battery_kwh_grid)
    base = choice.options[0].economics.npv_eur
    paying = [o for o in choice.options[1:] if o.economics.npv_eur > base]
    if paying:
        assert choice.recommended.economics.npv_eur == max(o.economics.npv_eur for o in paying)
    else:
        assert choice.recommended is None
    # dear batteries: none pays -> none recommended
    dear = pv_options(curve, **HERNE, economics=_econ(seeds, battery_eur_per_kwh=5000.0), defaults=d, balcony=False)
    assert dear.battery.recommended is None and dear.battery.recommended_kwh == 0
    assert all(o.battery is None for o in dear.for_assessment())
    # free batteries: the largest useful one pays
    cheap = pv_options(curve, **HERNE, economics=_econ(seeds, battery_eur_per_kwh=1.0), defaults=d, balcony=False)
    assert cheap.battery.recommended is not None and cheap.battery.recommended_kwh > 0


def test_choose_battery_picks_the_highest_npv_among_those_that_pay(seeds, curve):
    d = PVDefaults.from_seeds(seeds, roof_kwp_grid=(5.0,))
    found = pv_options(curve, **HERNE, economics=_econ(seeds), defaults=d, balcony=False)
    opts = found.battery.options
    # placebo: make the no-battery option the best -> nothing pays
    fake = [replace(o, economics=replace(o.economics, npv_eur=1e9 if o.battery_kwh == 0 else 0.0)) for o in opts]
    assert choose_battery(5.0, fake).recommended is None
    fake = [replace(o, economics=replace(o.economics, npv_eur=o.battery_kwh * (15 - o.battery_kwh))) for o in opts]
    assert choose_battery(5.0, fake).recommended_kwh == 7.5  # the peak of kWh x (15 - kWh)


@pytest.mark.parametrize("annual_kwh", [1500, 3000, 5000])
def test_recommended_battery_meets_htw_rule_of_thumb(seeds, annual_kwh):
    """HTW: at most about 1 kWh per MWh of consumption (one grid step of tolerance), at the seeded
    battery price (it fails at 200 EUR/kWh for the smallest household: 5 kWh on 2.5 MWh)."""
    curve = synthetic_household(year=2023, appliance_kwh=annual_kwh).curve
    d = PVDefaults.from_seeds(seeds)
    found = pv_options(curve, **HERNE, economics=_econ(seeds), defaults=d, balcony=False)
    mwh = found.year.energy_kwh.sum() / 1000.0
    rule = float(seeds.value("pv.battery_rule_kwh_per_mwh"))
    step = 2.5
    assert found.battery.recommended_kwh <= rule * mwh + step


def test_resolution_bias_is_carried_for_hourly_curves(seeds, curve):
    d = PVDefaults.from_seeds(seeds, roof_kwp_grid=(4.0,), battery_kwh_grid=(0.0, 5.0))
    quarter = pv_options(curve, **HERNE, economics=_econ(seeds), defaults=d, balcony=False)
    from advisor.loadcurve import CurveMeta, make_load_curve

    e = curve.data["energy_kwh"]
    hourly_e = e.tz_convert("UTC").resample("h").sum().tz_convert(e.index.tz)
    hourly_curve = make_load_curve(hourly_e, interval_minutes=60, meta=CurveMeta(tz=str(e.index.tz)))
    hourly = pv_options(hourly_curve, **HERNE, economics=_econ(seeds), defaults=d, balcony=False)
    row_h = hourly.row(hourly.best_roof)
    row_q = quarter.row(quarter.best_roof)
    assert row_h["interval_minutes"] == 60 and row_q["interval_minutes"] == 15
    lo, hi = row_h["self_consumption_share_range"]
    assert lo < hi <= row_h["self_consumption_share"] + 1e-12
    a_lo, a_hi = row_h["autarky_share_range"]
    assert row_h["autarky_share"] - a_lo == pytest.approx(seeds.value("pv.resolution_bias_hourly_pp")[3] / 100)
    # the hourly curve's own figure is higher than the 15-min one (peaks averaged away) ...
    assert hourly.best_roof.flows.self_consumption_share >= quarter.best_roof.flows.self_consumption_share - 1e-9
    # ... and a battery halves the range
    b = hourly.bias_for(hourly.battery.options[-1])
    assert b.autarky_pp[1] == pytest.approx(seeds.value("pv.resolution_bias_hourly_pp")[3] / 2)


def test_cli_out_csv_columns_and_total_equal_the_json(tmp_path, curve):
    from advisor.cli import app

    load = tmp_path / "load.csv"
    curve.data["energy_kwh"].rename("kwh").to_csv(load)
    out = tmp_path / "series.csv"
    res = CliRunner().invoke(app, ["pv", str(load), "--kwp", "5", "--battery-kwh", "5", "--plz", "44623",
                                   "--json", "--out", str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["timestamp", "pv_kwh", "self_consumed_kwh", "feed_in_kwh", "grid_import_kwh",
                             "battery_soc_kwh", "curtailed_kwh"]  # fmt: skip
    assert rows[0]["timestamp"].endswith("+01:00") and rows[0]["timestamp"].startswith("2023-01-01T00:00:00")
    assert sum(float(r["pv_kwh"]) for r in rows) == pytest.approx(data["annual_yield_kwh"], rel=1e-5)
    assert sum(float(r["self_consumed_kwh"]) for r in rows) == pytest.approx(data["self_consumed_kwh"], rel=1e-5)
    assert max(float(r["battery_soc_kwh"]) for r in rows) <= 5.0 + 1e-9
    # yield alone: only timestamp and pv_kwh
    out2 = tmp_path / "yield.csv"
    res = CliRunner().invoke(app, ["pv", "--kwp", "1", "--lat", "51.54", "--lon", "7.22", "--json", "--out", str(out2)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out2.open()))
    assert list(rows[0]) == ["timestamp", "pv_kwh"]
    assert sum(float(r["pv_kwh"]) for r in rows) == pytest.approx(json.loads(res.output)["annual_yield_kwh"], rel=1e-5)


def test_assessment_options_carry_the_resolution_bias(seeds, curve):
    d = PVDefaults.from_seeds(seeds, roof_kwp_grid=(4.0,), battery_kwh_grid=(0.0, 5.0))
    found = pv_options(curve, **HERNE, economics=_econ(seeds), defaults=d)
    for o in found.for_assessment():
        row = o.to_row()
        assert row["interval_minutes"] == 15
        lo, hi = row["self_consumption_share_range"]
        assert lo <= hi <= row["self_consumption_share"] + 1e-12
    assert "self_consumption_share_range" not in found.best_roof.to_row()  # only where assessed
