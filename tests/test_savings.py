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


def test_standby_drop_of_100_w_is_recovered(household):
    curve = _with_drop(household.curve, "2024-06-01", 100.0)
    res = verify_savings(curve, "2024-06-01", price_eur_per_kwh=0.37)
    assert res.sufficient
    # 100 W for 24 h = 2.4 kWh a day (known truth)
    assert res.saved_kwh_per_day == pytest.approx(2.4, abs=0.45)
    truth_kwh = 2.4 * res.reporting_days
    assert res.saved_kwh_p10 <= truth_kwh <= res.saved_kwh_p90
    assert res.saved_eur == pytest.approx(res.saved_kwh * 0.37)
    assert res.annualised_saved_kwh == pytest.approx(2.4 * 365, rel=0.2)


def test_no_change_means_no_significant_savings(household):
    res = verify_savings(household.curve, "2024-06-01")
    assert res.sufficient
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
    assert data["sufficient"] is True
    assert data["saved_kwh_per_day"] == pytest.approx(2.4, abs=0.45)
    assert data["price_eur_per_kwh"] > 0
    del out
