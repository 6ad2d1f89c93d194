"""Issue 19: energy-poverty early warning (documented criteria, a reason for every flag, consent,
pseudonymised list with the Stromspar-Check offer)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from shared_data import shared_path

from advisor.cli import main
from advisor.energy_poverty import EarlyWarningRules, early_warning, year_over_year_change
from advisor.household import Household
from advisor.loadcurve import CurveMeta, make_load_curve
from advisor.seeds import load_seeds

RULES = EarlyWarningRules.from_seeds(load_seeds())
LONDON = ["--tz", "Europe/London", "--holiday-region", "GB-ENG"]


@pytest.fixture(scope="module")
def two_years():
    """One real London household's 2013 half-hours, repeated as 2012 before it: a two-year curve
    whose second year equals its first (no change), in UTC."""
    t = pq.read_table(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"), filters=[("lclid", "=", "MAC000003")])
    s = t.to_pandas().set_index("timestamp_utc")["kwh"].sort_index()
    s.index = pd.DatetimeIndex(s.index).tz_convert("UTC")
    idx = pd.date_range("2013-01-01", "2014-01-01", freq="30min", tz="UTC", inclusive="left")
    year = s.reindex(idx).interpolate(limit_direction="both").to_numpy()
    full = pd.date_range("2012-01-01", "2014-01-01", freq="30min", tz="UTC", inclusive="left")
    first = np.resize(year, len(full) - len(idx))  # 2012 has one day more: wrap the pattern
    return pd.Series(np.r_[first, year], index=full)


def _curve(series: pd.Series):
    return make_load_curve(series, interval_minutes=30, meta=CurveMeta(tz="UTC", holiday_region="GB-ENG"))


def _flags(curve, household, **kw):
    args = dict(stromspiegel_class="C", expected_bill_eur=None, abschlag_eur_per_month=None)
    args.update(kw)
    return early_warning(curve, household, rules=RULES, **args)


@pytest.mark.parametrize(("rise", "flagged"), [(0.0, False), (0.1, False), (0.3, True)])
def test_rising_consumption_with_electric_heating(two_years, rise, flagged):
    s = two_years.copy()
    s[s.index >= s.index[-1] - pd.Timedelta(days=90)] *= 1 + rise
    curve = _curve(s)
    change = year_over_year_change(curve, 90, 0.8)
    # the same year twice: the change is the injected rise (the wrapped 2012 is one day off)
    assert change == pytest.approx(rise, abs=0.03)
    flags = _flags(curve, Household(persons=2, dwelling="house", heating="night_storage"))
    assert [f.code for f in flags] == (["electric_heat_rising"] if flagged else [])
    if flagged:
        assert "Elektrische Heizung: in den letzten 90 Tagen" in flags[0].reason.text("de")
    # the same rise without electric heating or hot water is no reason
    assert _flags(curve, Household(persons=2, dwelling="house", heating="other")) == ()


def test_one_year_of_data_cannot_show_a_rise(two_years):
    curve = _curve(two_years[two_years.index.year == 2013] * 2)
    assert year_over_year_change(curve, 90, 0.8) is None
    assert _flags(curve, Household(persons=2, dwelling="house", hot_water="electric")) == ()


def test_bill_ahead_of_the_abschlag_by_hand(two_years):
    curve = _curve(two_years)
    hh = Household(persons=2, dwelling="apartment")
    # expected 3000 kWh x 0.40 + 150 = 1350 EUR; 12 x 95 = 1140 EUR paid: 18 % more -> flagged
    flags = _flags(curve, hh, expected_bill_eur=3000 * 0.4 + 150, abschlag_eur_per_month=95.0)
    assert [f.code for f in flags] == ["bill_ahead_of_abschlag"]
    assert "1.350 €" in flags[0].reason.text("de") and "1.140 €" in flags[0].reason.text("de")
    assert "210 €" in flags[0].reason.text("de")
    # 12 x 105 = 1260: 7 % more -> not flagged
    assert _flags(curve, hh, expected_bill_eur=3000 * 0.4 + 150, abschlag_eur_per_month=105.0) == ()


def test_low_income_and_high_class(two_years):
    curve = _curve(two_years)
    poor = Household(persons=1, dwelling="apartment", low_income=True)
    assert [f.code for f in _flags(curve, poor, stromspiegel_class="G")] == ["low_income_high_use"]
    assert _flags(curve, poor, stromspiegel_class="D") == ()
    assert _flags(curve, Household(persons=1, dwelling="apartment"), stromspiegel_class="G") == ()


def test_batch_lists_only_consenting_households_pseudonymised(tmp_path):
    t = pq.read_table(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")).to_pandas()
    ids = sorted(t["lclid"].unique())[:3]
    t[t["lclid"].isin(ids)].to_parquet(tmp_path / "three.parquet", index=False)
    meta = pd.DataFrame(
        {
            "household_id": ids,
            "persons": [1, 1, 1],
            "dwelling": ["apartment"] * 3,
            "consent_energy_poverty": ["ja", "ja", "nein"],
            "abschlag_eur_per_month": ["5", "", "5"],  # far too low for any household
        }
    )
    meta.to_csv(tmp_path / "META.csv", index=False)
    out = tmp_path / "run"
    code = main(
        ["batch", str(tmp_path / "three.parquet"), "--out", str(out), "--households", str(tmp_path / "META.csv")]
        + [*LONDON, "--formats", "html", "--workers", "1", "--no-progress", "--letter-date", "2026-11-24"]
    )
    assert code == 0
    listing = pd.read_csv(out / "energy_poverty.csv")
    keys = pd.read_csv(out / "energy_poverty_keys.csv")
    assert list(keys["household"]) == [ids[0]]  # consent and a reason; the third has no consent
    assert listing["pseudonym"].str.fullmatch(r"EP-[0-9a-f]{12}").all()
    text = (out / "energy_poverty.csv").read_text()
    assert not any(i in text for i in ids)
    assert listing.loc[0, "criteria"] == "bill_ahead_of_abschlag"
    assert "Abschläge 60 €" in listing.loc[0, "reasons"] and "Stromspar-Check" in listing.loc[0, "offer"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["energy_poverty"]["n_flagged"] == 1
    summary = (out / "summary.csv").read_text()
    assert "bill_ahead_of_abschlag" not in summary  # social data stay out of the summary
