"""PV speed and PV figures over all real shared households.

Targets (issue 15): < 0.2 s per household-year with PV + battery warm on one core (weather and
per-kWp profile cached, as in batch runs; cold runs printed too); < 3 s for the full sizing sweep
(roof sizes x battery sizes, through the one orchestration ``advisor.pv_options``). Then the 60
Low Carbon London curves (30 min, 2013; read in place from ../shared) as load shapes in Herne:
distribution of self-consumption, autarky, recommended roof and battery sizes, paybacks, and the
negative-price loss with the real 2024 prices against the seeded default.
Run: ``.venv/bin/python benchmarks/bench_pv.py [--households N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd

from advisor import economics as ec
from advisor import pv, weather
from advisor.battery import BatterySpec
from advisor.pv_options import PVDefaults, pv_options
from advisor.seeds import load_seeds
from advisor.synthetic import synthetic_household

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
PRICES = SHARED / "prices" / "de_lu_day_ahead_hourly_2023_2024_smard.csv"
LCL = SHARED / "lcl_london" / "lcl_60hh_2013_30min.parquet"


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=60, help="real LCL households to check (0: none)")
    args = ap.parse_args()
    seeds = load_seeds()
    settings = ec.EconomicsSettings.from_seeds(seeds, commissioning=dt.date(2026, 3, 1))
    curve = synthetic_household(year=2024, appliance_kwh=3000).curve
    prices = None
    if PRICES.exists():
        from advisor.ingest.prices import read_day_ahead_prices

        prices = read_day_ahead_prices(PRICES)

    t0 = time.perf_counter()
    year = pv.complete_year(curve)
    wx = weather.typical_weather(51.54, 7.22, year.energy_kwh.index, germany_ghi_kwh_per_m2=1102.0)
    spec = pv.PVSystemSpec.single(6.0, 35, 180)
    battery = BatterySpec.from_seeds(5.0, seeds)
    option = ec.evaluate_pv(year, wx, spec, settings, battery=battery, prices=prices)
    cold = time.perf_counter() - t0
    neg = ec.negative_price_hours(year.energy_kwh.index, prices) if prices is not None else None

    def one_year():
        ec.evaluate_pv(year, wx, spec, settings, battery=battery, prices=neg)

    def dispatch_only():
        pv.self_consumption(year, option.pv, battery)

    defaults = PVDefaults.from_seeds(seeds)

    def sweep():
        return pv_options(year, latitude=51.54, longitude=7.22, economics=settings, defaults=defaults,
                          battery_sweep="all", weather=wx, prices=neg)  # fmt: skip

    other = synthetic_household(year=2023, appliance_kwh=3000, seed=7).curve
    t0 = time.perf_counter()
    other_year = pv.complete_year(other)
    other_wx = weather.typical_weather(51.54, 7.22, other_year.energy_kwh.index, germany_ghi_kwh_per_m2=1102.0)
    ec.evaluate_pv(other_year, other_wx, spec, settings, battery=battery, prices=prices)
    new_index = time.perf_counter() - t0
    warm = best_of(one_year)
    sc = best_of(dispatch_only)
    sweep_s = best_of(sweep, repeat=2)
    wx_s = best_of(lambda: weather.typical_weather(51.54, 7.22, year.energy_kwh.index, germany_ghi_kwh_per_m2=1102.0))
    row = option.to_row()
    print(f"household-year 15 min: {len(year.energy_kwh)} intervals, load {year.energy_kwh.sum():.0f} kWh")
    print(f"PV 6 kWp + 5 kWh battery, cold (weather + solar position + profile + prices): {cold:.3f} s")
    print(
        f"PV 6 kWp + 5 kWh battery, another year (new weather, geometry, prices):    {new_index:.3f} s"
    )
    print(f"PV 6 kWp + 5 kWh battery, warm (cached profile, as in batch):               {warm:.3f} s  (target < 0.2 s)")
    print(f"  of which self-consumption + battery dispatch:                            {sc:.3f} s")
    print(f"typical weather on the household index (TRY tables cached):                 {wx_s:.3f} s")
    found = sweep()
    n_cfg = len(found.sweep) + len(found.balcony)
    print(f"full sizing sweep, {n_cfg} configurations ({len(defaults.roof_kwp_grid)} roof sizes x "
          f"{len(defaults.battery_kwh_grid)} batteries + {len(found.balcony)} balcony): {sweep_s:.3f} s  (target < 3 s)")  # fmt: skip
    print(
        f"result: yield {row['specific_yield_kwh_per_kwp']:.0f} kWh/kWp, autarky {row['autarky_share']:.1%}, "
        f"self-consumption {row['self_consumption_share']:.1%}, savings {row['annual_savings_eur']:.0f} EUR/yr, "
        f"payback {row['payback_years']:.1f} yr"
    )
    if args.households and LCL.exists():
        check_households(seeds, settings, defaults, prices, args.households)


def _q(values, unit="", digits=0) -> str:
    v = np.asarray([x for x in values if np.isfinite(x)], dtype=float)
    if not len(v):
        return "-"
    p = np.percentile(v, [0, 10, 50, 90, 100])
    return " / ".join(f"{x:.{digits}f}" for x in p) + unit + " (min / p10 / median / p90 / max)"


def check_households(seeds, settings, defaults, prices, limit: int) -> None:
    """The orchestration on every real LCL curve (30-min load shapes, relabelled to Europe/Berlin)."""
    from advisor.loadcurve import CurveMeta, make_load_curve

    table = pd.read_parquet(LCL)
    id_col = next(c for c in table.columns if "id" in c.lower() or "household" in c.lower())
    t_col = next(c for c in table.columns if pd.api.types.is_datetime64_any_dtype(table[c]))
    v_col = next(c for c in table.columns if c not in (id_col, t_col) and pd.api.types.is_numeric_dtype(table[c]))
    rows = []
    t0 = time.perf_counter()
    for hh, g in list(table.groupby(id_col))[:limit]:
        s = g.set_index(t_col)[v_col].astype(float).sort_index()
        idx = (
            s.index
            if s.index.tz is not None
            else s.index.tz_localize("Europe/London", ambiguous="NaT", nonexistent="NaT")
        )
        s = pd.Series(s.to_numpy(), index=idx)[lambda x: x.index.notna()]
        s.index = s.index.tz_convert("Europe/Berlin")
        s = s[~s.index.duplicated()]
        curve = make_load_curve(s, interval_minutes=30, meta=CurveMeta(tz="Europe/Berlin"))
        found = pv_options(curve, latitude=51.54, longitude=7.22, economics=settings, defaults=defaults, balcony=True)
        b = found.best_roof
        fixed5 = next(o for o in found.sweep if o.peak_kw == 5.0 and o.battery_kwh == 0)
        real = (
            ec.unremunerated_feed_in_kwh(fixed5.flows.flows["feed_in_kwh"], settings, prices)[0]
            if prices is not None
            else np.nan
        )
        seeded = ec.unremunerated_feed_in_kwh(fixed5.flows.flows["feed_in_kwh"], settings, None)[0]
        feed = fixed5.flows.feed_in_kwh
        r = found.row(b)
        rows.append({
            "household": hh, "annual_kwh": found.year.energy_kwh.sum(), "filled": found.year.filled_share,
            "sc5": fixed5.flows.self_consumption_share, "aut5": fixed5.flows.autarky_share,
            "best_kwp": b.peak_kw, "best_npv": b.economics.npv_eur, "best_payback": b.economics.payback_years,
            "battery_kwh": found.battery.recommended_kwh,
            "battery_npv_gain": (found.battery.recommended.economics.npv_eur - b.economics.npv_eur) if found.battery.recommended else 0.0,
            "sc_range_width": r["self_consumption_share_range"][1] - r["self_consumption_share_range"][0],
            "neg_real_share": real / feed if feed > 0 else np.nan, "neg_seed_share": seeded / feed if feed > 0 else np.nan,
            "balcony_payback": found.best_balcony.economics.payback_years if found.best_balcony else np.nan,
        })  # fmt: skip
    took = time.perf_counter() - t0
    df = pd.DataFrame(rows)
    n = len(df)
    print(f"\n{n} real LCL households (30 min, 2013, as load shapes in Herne), {took / n:.2f} s each (orchestration):")
    print(f"  annual load kWh:                     {_q(df.annual_kwh)}")
    print(f"  filled share of the year:            {_q(df.filled * 100, ' %', 1)}")
    print(f"  5 kWp self-consumption share:        {_q(df.sc5 * 100, ' %')}")
    print(f"  5 kWp autarky share:                 {_q(df.aut5 * 100, ' %')}")
    print(f"  recommended roof kWp (best NPV):     {_q(df.best_kwp, ' kWp', 1)}")
    print(f"  payback of that roof:                {_q(df.best_payback, ' yr', 1)}")
    print(f"  roof NPV:                            {_q(df.best_npv, ' EUR')}")
    counts = df.battery_kwh.value_counts().sort_index().to_dict()
    print(f"  recommended battery kWh (count):     {counts}")
    rule = (df.battery_kwh <= df.annual_kwh / 1000.0 * float(seeds.value("pv.battery_rule_kwh_per_mwh")) + 2.5).mean()
    print(f"  battery within HTW 1 kWh/MWh (+1 step): {rule:.0%}")
    print(f"  self-consumption bias range width:   {_q(df.sc_range_width * 100, ' pp', 1)}")
    print(f"  5 kWp feed-in unpaid, real 2024 prices: {_q(df.neg_real_share * 100, ' %', 1)}")
    print(f"  5 kWp feed-in unpaid, seeded default:   {_q(df.neg_seed_share * 100, ' %', 1)}")
    print(f"  best balcony payback:                {_q(df.balcony_payback, ' yr', 1)}")
    absurd = ((df.sc5 > 1) | (df.aut5 > 1) | (df.sc5 < 0) | (df.best_payback < 2)).mean()
    print(f"  share of absurd values (share > 1 or < 0, payback < 2 yr): {absurd:.0%}")


if __name__ == "__main__":
    main()
