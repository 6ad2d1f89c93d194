"""The PV sizing sweep gives exactly the figures of the implementation before its speed-up
(issue 19, batch speed): every option's figures and texts, the recommended roof size, battery
and balcony device and their EUR/kWh, over a population of real households.

``tests/data/pv_sweep_expected.json`` was written by this module (``python
tests/test_pv_sweep_identity.py``) with the code of ed0d3dc, before the sweep was made faster,
and is compared bit for bit (a SHA-256 of every option's figures at full float precision, its
assumption texts as codes with their figures, and the best option's interval flows), plus the readable figures of the
recommendation. If a seed or the PV model changes the figures on purpose, write the file again
with the code of that change and say so in the commit.

A second test keeps the slow path: each configuration of the sweep evaluated on its own with
:func:`advisor.economics.evaluate_pv` (its own simulation, self-consumption and economics) must
equal the sweep's option exactly.
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from shared_data import SHARED_DATA, shared_path  # noqa: E402

import advisor.pv as pv_module  # noqa: E402
from advisor.economics import EconomicsSettings, evaluate_pv  # noqa: E402
from advisor.errors import DataQualityWarning  # noqa: E402
from advisor.loadcurve import CurveMeta, make_load_curve  # noqa: E402
from advisor.pv import complete_year  # noqa: E402
from advisor.pv_options import PVDefaults, pv_options  # noqa: E402
from advisor.seeds import load_seeds  # noqa: E402
from advisor.synthetic import SyntheticSpec, synthetic_household  # noqa: E402
from advisor.tariffs import parse_day_ahead_prices  # noqa: E402

EXPECTED = HERE / "data" / "pv_sweep_expected.json"
SITE = (51.54, 7.22)  # Herne
COMMISSIONING = pd.Timestamp("2026-11-24").date()
N_LCL = 24
N_SYNTHETIC = 8
PRICES = ("lcl", 3)  # the first 3 London households also with real day-ahead prices
VARIANTS = {  # settings variants on the first households of the population
    "full_feed_in": {"full_feed_in": True},
    "smart_meter": {"smart_meter_control": True},
    "before_rule": {"negative_price_rule_from": pd.Timestamp("2027-01-01").date()},
}


def population() -> list[tuple[str, object]]:
    """(name, LoadCurve) of the first N_LCL London households and N_SYNTHETIC bench-like ones."""
    data = pd.read_parquet(SHARED_DATA / "lcl_london" / "lcl_60hh_2013_30min.parquet")
    out = []
    for lclid in sorted(data["lclid"].unique())[:N_LCL]:
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"]).tz_convert("Europe/Berlin"))
        meta = CurveMeta(tz="Europe/Berlin", holiday_region="DE-NW", meter_id=lclid)
        out.append((lclid, make_load_curve(s, interval_minutes=30, meta=meta)))
    rng = np.random.default_rng(7)  # the specs of benchmarks/bench_batch.py
    for k in range(N_SYNTHETIC):
        spec = SyntheticSpec(
            year=2024,
            interval_minutes=15,
            appliance_kwh=float(rng.uniform(1200, 4500)),
            standby_w=float(rng.uniform(30, 250)),
            circulation_pump_w=float(rng.choice([0.0, 0.0, 45.0, 80.0])),
            ev_kw=float(rng.choice([0.0, 0.0, 0.0, 11.0])),
            seed=1000 + k,
        )
        out.append((f"synthetic{k}", synthetic_household(spec).curve))
    return out


def _f(x) -> str:
    return "None" if x is None else repr(float(x)) if isinstance(x, (int, float, np.floating)) else repr(x)


def _message(m) -> str:
    """A text as its code and figures (what the PV code decides; the words are the catalogue's)."""
    return repr(m) if hasattr(m, "code") else f"str:{m}"


def option_text(o) -> str:
    """Every figure of an option at full precision and its assumption texts (codes and figures)."""
    row = o.to_row()
    e = o.economics
    parts = [f"{k}={_f(v)}" for k, v in sorted(row.items())]
    parts += [
        f"cash={','.join(repr(float(c)) for c in e.cash_flows_eur)}",
        f"avoided={e.avoided_purchase_eur!r} revenue={e.feed_in_revenue_eur!r} om={e.om_eur!r}",
        f"lost={e.unremunerated_feed_in_kwh!r} cycles={_f(e.battery_cycles_per_year)}",
        f"pv_kwh={o.flows.pv_kwh!r} load={o.flows.load_kwh!r} direct={o.flows.direct_self_consumption_kwh!r}",
        f"charge={o.flows.battery_charge_kwh!r} discharge={o.flows.battery_discharge_kwh!r}",
        f"losses={o.flows.battery_losses_kwh!r} self={o.flows.self_consumed_kwh!r}",
        f"clipped={o.pv.clipped_kwh!r} peak_ac={o.pv.peak_ac_kw!r}",
        "notes=" + "|".join(_message(m) for m in e.assumptions),
        "sc_notes=" + "|".join(_message(m) for m in o.flows.notes),
    ]
    return "\n".join(parts)


def found_figures(found) -> dict:
    """The comparable content of one :class:`~advisor.pv_options.PVOptions`."""
    h = hashlib.sha256()
    for o in (*found.sweep, *found.balcony):
        h.update(option_text(o).encode())
    best = found.best_roof
    flows = hashlib.sha256()
    if best is not None:
        f = best.flows.flows
        flows.update(",".join(f.columns).encode())
        flows.update(np.ascontiguousarray(f.to_numpy()).tobytes())
        flows.update(np.asarray(f.index.asi8).tobytes())
    rec = found.battery.recommended if found.battery is not None else None
    bal = found.best_balcony
    return {
        "options_sha256": h.hexdigest(),
        "best_flows_sha256": flows.hexdigest(),
        "n_options": len(found.sweep) + len(found.balcony),
        "best_roof_kwp": None if best is None else best.peak_kw,
        "best_roof_npv_eur": None if best is None else best.economics.npv_eur,
        "best_roof_lcoe_eur_per_kwh": None if best is None else best.economics.lcoe_eur_per_kwh,
        "best_roof_savings_eur": None if best is None else best.economics.annual_savings_eur,
        "battery_kwh": None if rec is None else rec.battery_kwh,
        "battery_npv_eur": None if rec is None else rec.economics.npv_eur,
        "battery_wear_eur_per_kwh": None if rec is None else rec.economics.battery_wear_cost_eur_per_kwh,
        "balcony_kwp": None if bal is None else bal.peak_kw,
        "balcony_lcoe_eur_per_kwh": None if bal is None else bal.economics.lcoe_eur_per_kwh,
    }


def cases():
    """(case name, curve, EconomicsSettings overrides, with prices, battery_sweep)."""
    pop = population()
    out = []
    for i, (name, curve) in enumerate(pop):
        out.append((name, curve, {}, False, "all"))
        out.append((f"{name}/best", curve, {}, False, "best"))
        if name.startswith("MAC") and i < PRICES[1]:
            out.append((f"{name}/prices", curve, {}, True, "best"))
        if i < 2 or name in ("synthetic0", "synthetic1"):
            for v, changes in VARIANTS.items():
                out.append((f"{name}/{v}", curve, changes, False, "best"))
    return out


def figures_of_case(curve, changes, with_prices, battery_sweep, seeds, prices):
    econ = EconomicsSettings.from_seeds(seeds, commissioning=COMMISSIONING)
    if changes:
        econ = replace(econ, **changes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        found = pv_options(
            curve,
            latitude=SITE[0],
            longitude=SITE[1],
            economics=econ,
            defaults=PVDefaults.from_seeds(seeds),
            battery_sweep=battery_sweep,
            prices=prices if with_prices else None,
        )
    return found_figures(found)


def _prices():
    return parse_day_ahead_prices(pd.read_csv(SHARED_DATA / "prices" / "de_lu_day_ahead_hourly_2023_2024_smard.csv"))


def compute_all() -> dict:
    seeds = load_seeds()
    prices = _prices()
    return {
        name: figures_of_case(curve, changes, wp, sweep, seeds, prices) for name, curve, changes, wp, sweep in cases()
    }


@pytest.fixture(scope="module")
def expected() -> dict:
    shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")
    return json.loads(EXPECTED.read_text())


def test_the_sweep_gives_the_figures_of_before_on_the_population(expected):
    got = compute_all()
    assert set(got) == set(expected) and len(got) >= 60
    differ = [name for name in expected if got[name] != expected[name]]
    assert not differ, {n: (expected[n], got[n]) for n in differ[:3]}
    # the population is not degenerate: sizes and batteries differ between households
    assert len({v["best_roof_kwp"] for v in expected.values()}) >= 3
    assert sum(v["battery_kwh"] is not None for v in expected.values()) >= 5
    assert sum(v["battery_kwh"] is None for v in expected.values()) >= 5


def test_every_option_equals_its_own_evaluation(expected):
    """The slow path: each configuration simulated, dispatched and valued on its own."""
    seeds = load_seeds()
    econ = EconomicsSettings.from_seeds(seeds, commissioning=COMMISSIONING)
    defaults = PVDefaults.from_seeds(seeds)
    pop = population()
    prices = _prices()
    for name, curve in (pop[0], pop[5], pop[N_LCL], pop[N_LCL + 3]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            year = complete_year(curve)
            for p in (None, prices) if name == pop[0][0] else (None,):
                found = pv_options(
                    year, latitude=SITE[0], longitude=SITE[1], economics=econ, defaults=defaults,
                    battery_sweep="all", prices=p, weather=None,
                )  # fmt: skip
                assert len(found.sweep) >= 20
                for o in (*found.sweep, *found.balcony):
                    pv_module._SYSTEMS.clear()  # simulated again, not served from the sweep's cache
                    alone = evaluate_pv(year, found.weather, o.spec, econ, battery=o.battery, prices=p)
                    assert option_text(alone) == option_text(o), (name, o.peak_kw, o.battery_kwh)
                    np.testing.assert_array_equal(alone.flows.flows.to_numpy(), o.flows.flows.to_numpy())


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps(compute_all(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {EXPECTED}")
