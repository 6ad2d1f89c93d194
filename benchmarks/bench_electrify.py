"""Electrification check: speed of one household, and its figures over all real shared households.

Target (issue 18): one household's check (heat pump + electric car, all tariffs incl. dynamic) in
under 1 s on one core. Then the 60 Low Carbon London curves (30 min, 2013; read in place from
../shared through the product's own reader) as households in Herne, each with
(a) a heat pump replacing 18,000 kWh of gas, (b) a car of 12,000 km/yr charged on arrival,
(c) the same car charged smart: distribution of the added kWh, after-peaks, the share of absurd
values (added kWh outside the issue's known-truth ranges, SCOP outside the Fraunhofer ISE field
range, peaks above the house connection, NaN) and the cheapest tariff.
Run: ``.venv/bin/python benchmarks/bench_electrify.py [--households N]``.
"""

from __future__ import annotations

import argparse
import collections
import os
import time
from pathlib import Path

import numpy as np

from advisor import pv
from advisor.electrify import ElectrifyParameters, ElectrifyRequest, EVSpec, HeatSource, electrify
from advisor.ingest import ReadOptions, read_load_curves
from advisor.ingest.prices import read_day_ahead_prices
from advisor.seeds import load_seeds
from advisor.settings import resolve_settings
from advisor.synthetic import synthetic_household
from advisor.tariffs import Tariff

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
PRICES = SHARED / "prices" / "de_lu_day_ahead_hourly_2023_2024_smard.csv"
LCL = SHARED / "lcl_london" / "lcl_60hh_2013_30min.parquet"
SITE = {"latitude": 51.54, "longitude": 7.22}


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _stats(name: str, values, unit: str) -> None:
    v = np.asarray(values, dtype=float)
    ok = v[np.isfinite(v)]
    print(
        f"  {name:<34} min {ok.min():8,.0f}  median {np.median(ok):8,.0f}  p90 {np.percentile(ok, 90):8,.0f}  "
        f"max {ok.max():8,.0f} {unit}   (NaN: {np.isnan(v).sum()})"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=60, help="real LCL households to check (0: none)")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    seeds = load_seeds()
    params = ElectrifyParameters.from_seeds(seeds)
    prices = read_day_ahead_prices(PRICES) if PRICES.exists() else None
    dynamic = Tariff.dynamic(seeds, prices) if prices is not None else None
    hs = resolve_settings(seeds, None, latitude=SITE["latitude"], longitude=SITE["longitude"])
    kw = dict(
        work_price_eur_per_kwh=hs.work_price_eur_per_kwh,
        base_fee_eur_per_year=hs.base_fee_eur_per_year,
        meter_fee_eur_per_year=hs.meter_fee_eur_per_year,
        has_imsys=True,  # a measured curve comes from an iMSys
        **SITE,
    )
    print(
        f"settings: work price {hs.work_price_eur_per_kwh:.3f} EUR/kWh, base fee {hs.base_fee_eur_per_year:.0f} EUR/yr"
    )

    curve = synthetic_household(year=2024, appliance_kwh=3000).curve
    year = pv.complete_year(curve).energy_kwh
    both = ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000), ev=EVSpec(12_000, smart=True, replaces="petrol"))
    t_cold = best_of(lambda: electrify(year, both, params, interval_minutes=15, dynamic_tariff=dynamic, **kw), 1)
    t_warm = best_of(lambda: electrify(year, both, params, interval_minutes=15, dynamic_tariff=dynamic, **kw), 3)
    r = electrify(year, both, params, interval_minutes=15, dynamic_tariff=dynamic, **kw)
    print("one household, 15-min synthetic year 2024, heat pump (18,000 kWh gas) + smart-charged car, all tariffs:")
    print(f"  first call {t_cold:.2f} s (reads the TRY), then {t_warm:.2f} s   target < 1 s on one core")
    print(
        f"  added: heat pump {r.added_kwh['heat_pump']:,.0f} kWh (SCOP {r.heat_pump.scop:.2f}), car "
        f"{r.added_kwh['ev']:,.0f} kWh; after {r.after.annual_kwh:,.0f} kWh, peak {r.after.peak_kw:.1f} kW"
    )
    print(
        "  tariffs: "
        + ", ".join(f"{t.id} {t.annual_cost_eur:,.0f}" for t in sorted(r.tariffs, key=lambda t: t.annual_cost_eur))
    )

    if not (args.households and LCL.exists()):
        return
    t0 = time.perf_counter()
    curves = read_load_curves(LCL, ReadOptions())[: args.households]
    print(
        f"\n{len(curves)} real LCL households read in {time.perf_counter() - t0:.1f} s (30 min, 2013, placed in Herne)"
    )
    rows = collections.defaultdict(list)
    best = collections.Counter()
    took = []
    for c in curves:
        y = pv.complete_year(c).energy_kwh
        t1 = time.perf_counter()
        hp = electrify(
            y,
            ElectrifyRequest(heat_pump=HeatSource(gas_kwh=18_000)),
            params,
            interval_minutes=30,
            dynamic_tariff=dynamic,
            **kw,
        )
        took.append(time.perf_counter() - t1)
        ev = electrify(
            y, ElectrifyRequest(ev=EVSpec(12_000)), params, interval_minutes=30, dynamic_tariff=dynamic, **kw
        )
        evs = electrify(
            y,
            ElectrifyRequest(ev=EVSpec(12_000, smart=True)),
            params,
            interval_minutes=30,
            dynamic_tariff=dynamic,
            **kw,
        )
        rows["before_kwh"].append(hp.before.annual_kwh)
        rows["before_peak"].append(hp.before.peak_kw)
        rows["hp_kwh"].append(hp.added_kwh["heat_pump"])
        rows["hp_winter_share"].append(
            sum(hp.added_monthly_kwh["heat_pump"][m - 1] for m in (1, 2, 3, 10, 11, 12)) / hp.added_kwh["heat_pump"]
        )
        rows["scop"].append(hp.heat_pump.scop)
        rows["hp_after_peak"].append(hp.after.peak_kw)
        rows["hp_peak_gain"].append(hp.after.peak_kw - hp.before.peak_kw)
        rows["ev_kwh"].append(ev.added_kwh["ev"])
        rows["ev_after_peak"].append(ev.after.peak_kw)
        rows["evs_after_peak"].append(evs.after.peak_kw)
        rows["ev_dimmable_h"].append(ev.ev.hours_above_floor)
        rows["evs_dimmable_h"].append(evs.ev.hours_above_floor)
        rows["smart_saving_dyn"].append(
            ev.tariff("dynamic").annual_cost_eur - evs.tariff("dynamic").annual_cost_eur
            if dynamic is not None
            else np.nan
        )
        rows["smart_meter_before"].append(hp.before.smart_meter_required)
        rows["hp_saving_eur"].append(hp.heat_pump.annual_saving_eur)
        rows["hp_best_gain"].append(hp.tariff("fixed").annual_cost_eur - hp.best_tariff.annual_cost_eur)
        best[hp.best_tariff.id] += 1
        rows["after_eq"].append(abs(hp.after.annual_kwh - hp.before.annual_kwh - hp.added_kwh["heat_pump"]))
    n = len(curves)
    print(f"  core per household (heat pump, all tariffs): median {np.median(took):.2f} s, max {max(took):.2f} s")
    _stats("household before [kWh/yr]", rows["before_kwh"], "kWh")
    _stats("peak before [kW]", rows["before_peak"], "kW")
    _stats("heat pump added (18,000 kWh gas) [kWh]", rows["hp_kwh"], "kWh")
    print(
        f"  heat pump winter share Oct-Mar: min {min(rows['hp_winter_share']):.1%}, max {max(rows['hp_winter_share']):.1%}"
    )
    print(f"  SCOP: min {min(rows['scop']):.2f}, max {max(rows['scop']):.2f} (the same heat in every house: TRY 5)")
    _stats("peak after heat pump [kW]", rows["hp_after_peak"], "kW")
    print(
        f"  peak gain by the heat pump: median {np.median(rows['hp_peak_gain']):.2f} kW, max {max(rows['hp_peak_gain']):.2f} kW"
    )
    _stats("car added (12,000 km) [kWh]", rows["ev_kwh"], "kWh")
    _stats("peak after car, on arrival [kW]", rows["ev_after_peak"], "kW")
    _stats("peak after car, smart [kW]", rows["evs_after_peak"], "kW")
    print(
        f"  hours above the 4.2 kW § 14a floor: on arrival median {np.median(rows['ev_dimmable_h']):.0f} h, "
        f"smart median {np.median(rows['evs_dimmable_h']):.0f} h"
    )
    if dynamic is not None:
        _stats("smart charging saves on dynamic [EUR]", rows["smart_saving_dyn"], "EUR")
    _stats("heat pump saving vs gas boiler [EUR]", rows["hp_saving_eur"], "EUR")
    _stats("best tariff vs fixed with heat pump [EUR]", rows["hp_best_gain"], "EUR")
    print(f"  cheapest tariff with a heat pump: {dict(best)}")
    print(
        f"  smart meter required before: {sum(rows['smart_meter_before'])} of {n}; after (a § 14a device): {n} of {n}"
    )
    hp_out = sum(not 3_800 <= v <= 6_500 for v in rows["hp_kwh"])
    ev_out = sum(not 1_400 <= v <= 2_700 for v in rows["ev_kwh"])
    scop_out = sum(not params.field_scop_min <= v <= params.field_scop_max for v in rows["scop"])
    over = sum(v > params.house_connection_kw for v in rows["ev_after_peak"] + rows["hp_after_peak"])
    nan = sum(
        not np.isfinite(v) for k in ("hp_kwh", "ev_kwh", "scop", "hp_after_peak", "ev_after_peak") for v in rows[k]
    )
    print(
        f"  absurd values: heat pump outside 3,800-6,500 kWh {hp_out}/{n}, car outside 1,400-2,700 kWh {ev_out}/{n}, "
        f"SCOP outside {params.field_scop_min}-{params.field_scop_max} {scop_out}/{n}, peaks above the "
        f"{params.house_connection_kw:.0f} kW house connection {over}/{2 * n}, NaN {nan}; "
        f"after - before - added max {max(rows['after_eq']):.2e} kWh"
    )


if __name__ == "__main__":
    main()
