"""EV charging at 3.7 kW (one phase), at 11 kW and at noon behind own PV: rates over ALL real households.

Known truth: sessions injected (``device_injection``) into every London household of
../shared/data with at least 300 days; the same curves without sessions are the placebo. The
rates are printed by ``benchmarks/bench_ev_detection.py`` too.
"""

from __future__ import annotations

import warnings

import device_injection as di
import numpy as np
import pandas as pd
import pytest
from shared_data import shared_path

from advisor.analysis import analyse
from advisor.household import Household


@pytest.fixture(scope="module")
def population():
    from advisor.loadcurve import CurveMeta, make_load_curve

    data = pd.read_parquet(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"))
    out = []
    for lclid in sorted(data["lclid"].unique()):
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"], tz="UTC")).sort_index()
        c = make_load_curve(
            s, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG", meter_id=lclid)
        )
        if c.energy_kwh.notna().sum() * c.interval_hours / 24 >= 300:
            out.append(c)
    assert len(out) >= 50
    return out


def _kwp(c) -> float:
    annual = float(c.energy_kwh.sum()) * 8760 / (c.energy_kwh.notna().sum() * c.interval_hours)
    return float(min(10.0, max(3.0, round(annual / 1000 * 2) / 2)))


def _rate(curves, make) -> float:
    hits = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, c in enumerate(curves):
            hits.append(analyse(make(c, i), Household()).signature("ev_charging").detected)
    return float(np.mean(hits))


CASES = {
    "3.7 kW evening": (lambda c, i: di.with_device(c, di.ev_sessions(c, 3.7, per_week=1.5, seed=i)), 0.9),
    "11 kW": (lambda c, i: di.with_device(c, di.ev_sessions(c, 11.0, seed=i)), 0.95),
    "3.7 kW at noon behind own PV": (
        lambda c, i: di.behind_pv(
            di.with_device(c, di.ev_sessions(c, 3.7, midday=True, seed=i)), di.pv_generation(c, _kwp(c), seed=i)
        ),
        0.9,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_ev_sessions_found_over_the_population(population, case):
    make, need = CASES[case]
    rate = _rate(population, make)
    assert rate >= need, (case, rate)


@pytest.mark.parametrize("with_pv", [False, True])
def test_no_ev_found_without_sessions_over_the_population(population, with_pv):
    if with_pv:
        rate = _rate(population, lambda c, i: di.behind_pv(c, di.pv_generation(c, _kwp(c), seed=i)))
    else:
        rate = _rate(population, lambda c, i: c)
    assert rate <= 0.05, rate
