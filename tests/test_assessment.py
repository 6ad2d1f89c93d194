"""The one household assessment: parts, assumptions with sources, unavailable parts, CLI recommend."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from advisor.assessment import AssessmentSettings, assess_household
from advisor.errors import AdvisorError
from advisor.household import Household
from advisor.ingest.prices import read_day_ahead_prices
from advisor.seeds import load_seeds
from advisor.tariffs import parse_day_ahead_prices
from tests.conftest import SHARED_DATA


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


@pytest.fixture(scope="module")
def prices():
    path = SHARED_DATA / "prices" / "de_lu_day_ahead_hourly_2023_2024_smard.csv"
    if path.exists():
        return read_day_ahead_prices(path)
    idx = pd.date_range(pd.Timestamp("2023-12-31T23:00", tz="UTC"), periods=24 * 366, freq="h")
    return parse_day_ahead_prices(
        pd.DataFrame({"timestamp_utc": idx, "price_eur_mwh": 80 + 40 * np.sin(idx.hour / 24 * 6.28)})
    )


@pytest.fixture(scope="module")
def light(demo, seeds, prices):
    s = AssessmentSettings(seeds=seeds, prices=prices, parts=("tariffs", "recommendations"))
    return assess_household(demo.curve, Household(persons=3, dwelling="house", tenure="owner"), s)


def test_assessment_has_every_part_it_ran(light, demo):
    a = light
    assert a.is_synthetic and not a.is_estimated
    assert a.ingest["n_intervals"] == demo.curve.n_intervals
    assert a.analysis.annual_kwh == pytest.approx(demo.annual_kwh, rel=0.01)
    assert a.tariffs is not None and a.tariffs.dynamic is not None
    assert a.recommendations and a.recommendations[0].rank == 1
    assert a.unavailable["forecast"] == "not requested"
    assert "catalog estimates" in a.unavailable["pv"]
    # ranked list is the recommender's: measured standby and pump from the demo's curve
    ids = [r.measure_id for r in a.recommendations]
    assert "standby" in ids and "circulation_pump" in ids


def test_every_assumption_has_source_and_date(light):
    names = {x.name for x in light.assumptions}
    assert {
        "tariffs.work_price_eur_per_kwh",
        "tariffs.base_fee_eur_per_year",
        "weather.germany_mean_annual_ghi_kwh_per_m2",
        "emissions.co2_g_per_kwh",
        "tariff_components.meter_imsys_eur_per_year",
    } <= names
    for x in light.assumptions:
        assert x.source and x.date, x.name
    # one row per recommended measure, with the catalog's source
    for r in light.recommendations:
        assert f"measures.{r.measure_id}" in names


def test_total_savings_are_the_sequential_potential_not_a_sum(light):
    p = light.potential
    assert light.total_savings_eur == pytest.approx(p.annual_savings_eur)
    # measures applied one after another never add up to more than the list's sum, nor the consumption
    assert p.with_conditional_eur <= sum(r.annual_savings_eur for r in light.recommendations) + 1e-6
    assert p.annual_savings_eur <= p.with_conditional_eur + 1e-9
    assert light.total_savings_kwh <= light.analysis.annual_kwh
    d = light.to_dict()
    assert d["potential"]["annual_savings_eur"] == pytest.approx(p.annual_savings_eur, abs=1e-3)
    assert isinstance(d["not_recommended"], list)
    d = light.to_dict()
    json.dumps(d, default=str)  # JSON-ready
    assert d["recommendations"][0]["measure_id"] == light.recommendations[0].measure_id


def test_without_prices_the_dynamic_tariff_is_unavailable_not_invented(demo, seeds):
    a = assess_household(demo.curve, Household(), AssessmentSettings(seeds=seeds, parts=("tariffs", "recommendations")))
    assert a.tariffs.dynamic is None
    assert "dynamic_tariff" in a.unavailable
    assert "dynamic_tariff" not in [r.measure_id for r in a.recommendations]


def test_missing_forecast_model_is_reported(demo, seeds, tmp_path):
    s = AssessmentSettings(seeds=seeds, model_dir=tmp_path, parts=("forecast",))
    a = assess_household(demo.curve, Household(), s)
    assert a.projection is None
    assert a.unavailable["forecast"].startswith("forecast not available")


def test_bad_settings_raise(seeds):
    with pytest.raises(AdvisorError, match="parts"):
        AssessmentSettings(seeds=seeds, parts=("everything",))
    with pytest.raises(AdvisorError, match="language"):
        AssessmentSettings(seeds=seeds, language="fr")


@pytest.mark.slow
def test_pv_simulation_feeds_the_recommendations(demo, seeds):
    pytest.importorskip("pvlib")
    s = AssessmentSettings(seeds=seeds, parts=("pv", "recommendations"), pv_kwp_grid=(3.0, 5.0))
    owner = assess_household(demo.curve, Household(dwelling="house", tenure="owner"), s)
    assert "pv" not in owner.unavailable, owner.unavailable.get("pv")  # a broken PV part fails, never skips
    kinds = [o.to_row()["kind"] for o in owner.pv_options]
    assert "balcony" in kinds and "rooftop" in kinds
    roof = [r for r in owner.recommendations if r.measure_id == "rooftop_pv"]
    assert roof and roof[0].basis == "simulated"
    best = next(o for o in owner.pv_options if o.to_row()["kind"] == "rooftop" and o.battery_kwh == 0)
    assert roof[0].annual_savings_kwh == pytest.approx(best.flows.self_consumed_kwh)
    assert "balcony_pv" not in [r.measure_id for r in owner.recommendations]
    tenant = assess_household(demo.curve, Household(dwelling="apartment", tenure="tenant"), s)
    ids = [r.measure_id for r in tenant.recommendations]
    assert "rooftop_pv" not in ids and "battery" not in ids
    bal = [r for r in tenant.recommendations if r.measure_id == "balcony_pv"]
    assert bal and bal[0].basis == "simulated"


def _demo_csv(demo, path):
    e = demo.curve.energy_kwh
    pd.DataFrame(
        {"timestamp_utc": e.index.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"), "kwh": e.to_numpy()}
    ).to_csv(path, index=False)
    return path


def test_cli_recommend_json(demo, tmp_path, monkeypatch):
    from advisor.cli import app

    f = _demo_csv(demo, tmp_path / "demo.csv")
    monkeypatch.setenv("ADVISOR_PRICES", str(tmp_path / "none.csv"))  # a missing price file is a user error
    r = CliRunner().invoke(app, ["recommend", str(f), "--skip", "pv", "--json"])
    assert r.exit_code != 0
    monkeypatch.delenv("ADVISOR_PRICES")
    r = CliRunner().invoke(
        app, ["recommend", str(f), "--skip", "pv,tariffs", "--dwelling", "apartment", "--tenure", "tenant", "--json"]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    recs = out["recommendations"]
    assert recs and [x["rank"] for x in recs] == list(range(1, len(recs) + 1))
    for key in (
        "annual_savings_kwh",
        "annual_savings_eur",
        "annual_co2_kg",
        "investment_eur",
        "payback_years",
        "confidence",
        "basis",
        "sources",
        "explanation_de",
        "explanation_en",
        "title_de",
        "title_en",
    ):
        assert key in recs[0]
    assert "rooftop_pv" not in [x["measure_id"] for x in recs]
    for part in (False, True):  # unconditional ones first, each part by EUR/yr
        eur = [x["annual_savings_eur"] for x in recs if x["conditional"] == part]
        assert eur == sorted(eur, reverse=True)
    assert [x["conditional"] for x in recs] == sorted(x["conditional"] for x in recs)
    assert out["potential"]["annual_savings_kwh"] <= out["annual_kwh"]
    assert "not_recommended" in out


def test_forecast_part_uses_the_default_model(demo, seeds):
    from advisor.forecast import default_model_dir

    assert (default_model_dir() / "meta.json").exists()  # the default model ships with the package
    a = assess_household(demo.curve, Household(), AssessmentSettings(seeds=seeds, parts=("forecast",)))
    assert "forecast" not in a.unavailable
    p = a.projection
    assert p.annual_kwh_p10 <= p.annual_kwh_p50 <= p.annual_kwh_p90
    assert p.annual_kwh_p50 == pytest.approx(a.analysis.annual_kwh, rel=0.2)
    assert len(a.forecast_months) in (12, 13)


def test_same_settings_on_another_day_give_the_same_assessment(demo, seeds, prices, monkeypatch):
    """No clock inside the core: the day comes from ``AssessmentSettings.as_of`` (issue 9)."""
    import datetime as dt
    import sys
    import types

    from advisor.report import render_report

    class FakeDate(dt.date):
        fake_today = dt.date(2026, 11, 24)

        @classmethod
        def today(cls):
            return cls.fake_today

    fake_dt = types.ModuleType("datetime")
    fake_dt.__dict__.update({k: v for k, v in vars(dt).items() if not k.startswith("__")})
    fake_dt.date = FakeDate
    # every advisor module's `dt` sees the fake clock (pandas keeps the real one)
    ours = [m for name, m in list(sys.modules.items()) if name.startswith("advisor") and getattr(m, "dt", None) is dt]
    assert any(m.__name__ == "advisor.economics" for m in ours)

    hh = Household(persons=2, dwelling="house", tenure="owner", price_eur_per_kwh=0.31)
    s = AssessmentSettings(seeds=seeds, prices=prices, parts=("pv", "tariffs", "recommendations"), as_of="2026-11-24")
    assert s.as_of == dt.date(2026, 11, 24)
    out = []
    for today in (dt.date(2026, 11, 24), dt.date(2027, 3, 2)):  # across midnight, or months later
        FakeDate.fake_today = today
        for m in ours:
            monkeypatch.setattr(m, "dt", fake_dt)
        a = assess_household(demo.curve, hh, s)
        monkeypatch.undo()
        out.append((json.dumps(a.to_dict(), default=str, sort_keys=True), render_report(a, "de", variant="letter")))
    assert out[0] == out[1]
    a_price = json.loads(out[0][0])["assumptions"][0]
    assert a_price["name"] == "household price" and a_price["date"] == "2026-11-24"
    assert json.loads(out[0][0])["created"] == "2026-11-24"
    assert "24.11.2026" in out[0][1]


def test_as_of_dates_the_new_pv_system(demo, seeds):
    """The EEG rate of a new system is the one for the assessment's day, not the clock's."""
    pytest.importorskip("pvlib")
    hh = Household(dwelling="house", tenure="owner")
    rates = {}
    for day in ("2025-01-15", "2025-09-15"):  # half-years of different EEG rates
        s = AssessmentSettings(seeds=seeds, parts=("pv",), pv_kwp_grid=(5.0,), as_of=day)
        a = assess_household(demo.curve, hh, s)
        roof = next(o for o in a.pv_options if o.spec.kind != "balcony" and o.battery is None)
        rates[day] = roof.economics.feed_in_rate_eur_per_kwh
    assert rates["2025-01-15"] > rates["2025-09-15"] > 0


def test_bad_as_of_is_refused(seeds):
    with pytest.raises(AdvisorError, match="as_of"):
        AssessmentSettings(seeds=seeds, as_of="24.11.2026")


def test_default_site_comes_from_the_site_seeds(seeds):
    from advisor.settings import resolve_site

    assert (seeds.value("site.default_latitude_deg"), seeds.value("site.default_longitude_deg")) == (51.54, 7.22)
    assert seeds.entry("site.default_latitude_deg").source and seeds.entry("site.default_latitude_deg").date
    default = resolve_site(seeds, Household())
    assert (default.latitude, default.longitude, default.source, default.place) == (51.54, 7.22, "stadtwerk_default", "Herne")
    given = resolve_site(seeds, Household(latitude=52.5, longitude=13.4, postal_code="80331"))
    assert (given.latitude, given.longitude, given.source) == (52.5, 13.4, "coordinates")  # coordinates beat the code
    munich = resolve_site(seeds, Household(postal_code="80331"))
    assert (munich.source, munich.state, munich.place) == ("postal_code", "DE-BY", "München")


def test_forecast_model_is_loaded_once_per_process(demo, seeds, monkeypatch):
    import advisor.forecast
    from advisor.forecast import default_model_dir

    assert (default_model_dir() / "meta.json").exists()
    calls = []
    real = advisor.forecast.load_forecaster
    import advisor.assessment

    monkeypatch.setattr(advisor.assessment, "load_forecaster", lambda p=None: calls.append(p) or real(p))

    advisor.assessment._FORECASTERS.clear()
    s = AssessmentSettings(seeds=seeds, parts=("forecast",))
    first = assess_household(demo.curve, Household(), s)
    second = assess_household(demo.curve, Household(), s)
    assert len(calls) == 1
    assert first.projection.to_dict() == second.projection.to_dict()


@pytest.mark.parametrize(
    "language, expected, foreign",
    [("de", "note: Prognose: nicht angefordert", "not requested"), ("en", "note: Forecast: not requested", "angefordert")],
)
def test_cli_recommend_text_names_skipped_parts_in_the_households_language(
    demo, tmp_path, monkeypatch, language, expected, foreign
):
    from advisor.cli import app

    f = _demo_csv(demo, tmp_path / "demo.csv")
    monkeypatch.delenv("ADVISOR_PRICES", raising=False)
    monkeypatch.delenv("ADVISOR_PRICES_FILE", raising=False)
    r = CliRunner().invoke(app, ["recommend", str(f), "--skip", "pv", "--language", language])
    assert r.exit_code == 0, r.output
    notes = [line for line in r.output.splitlines() if line.startswith("note:")]
    assert expected in notes
    assert not any(foreign in line or "dynamic_tariff" in line for line in notes), notes
    assert not any("auf dieser Seite" in line for line in notes), notes  # the CLI has no page to upload on
