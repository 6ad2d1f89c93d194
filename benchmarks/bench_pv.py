"""PV speed: one household-year at 15 min with PV and battery; a sizing sweep of 20 configurations.

Targets (issue 6): < 0.5 s per household-year with PV + battery (weather and per-kWp profile
cached, as in batch runs; the first, cold run is printed too), < 3 s for 20 configurations.
Run: ``.venv/bin/python benchmarks/bench_pv.py``.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from advisor import economics as ec
from advisor import pv, weather
from advisor.battery import BatterySpec
from advisor.seeds import load_seeds
from advisor.synthetic import synthetic_household

PRICES = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "prices" / "de_lu_day_ahead_hourly_2023_2024_smard.csv"
)


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
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
    battery = BatterySpec(5.0)
    option = ec.evaluate_pv(year, wx, spec, settings, battery=battery, prices=prices)
    cold = time.perf_counter() - t0
    neg = ec.negative_price_hours(year.energy_kwh.index, prices) if prices is not None else None

    def one_year():
        ec.evaluate_pv(year, wx, spec, settings, battery=battery, prices=neg)

    def dispatch_only():
        pv.self_consumption(year, option.pv, battery)

    def sweep():
        ec.size_pv(
            year,
            wx,
            settings,
            kwp_grid=(2, 3, 4, 5, 6, 7, 8, 10, 12, 15),
            battery_grid=(0.0, 5.0),
            prices=prices,
            top=3,
        )

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
        f"PV 6 kWp + 5 kWh battery, another year (new weather, geometry, prices):    {new_index:.3f} s  (target < 0.5 s)"
    )
    print(f"PV 6 kWp + 5 kWh battery, warm (cached profile, as in batch):               {warm:.3f} s  (target < 0.5 s)")
    print(f"  of which self-consumption + battery dispatch:                            {sc:.3f} s")
    print(f"typical weather on the household index (TRY tables cached):                 {wx_s:.3f} s")
    print(f"sizing sweep, 20 configurations (10 sizes x 2 batteries):                  {sweep_s:.3f} s  (target < 3 s)")
    print(
        f"result: yield {row['specific_yield_kwh_per_kwp']:.0f} kWh/kWp, autarky {row['autarky_share']:.1%}, "
        f"self-consumption {row['self_consumption_share']:.1%}, savings {row['annual_savings_eur']:.0f} EUR/yr, "
        f"payback {row['payback_years']:.1f} yr"
    )


if __name__ == "__main__":
    main()
