"""12 months ahead from a measured year: the product against "same as last year" and the H25 fit.

The shared data holds one year per household, so a year-ahead forecast cannot be scored on real
households here. Test households: synthetic German-shaped two-year pairs (advisor.synthetic,
Europe/Berlin, DE-NW; year 1 = 2023, year 2 = 2024 with another random seed, the same devices),
in four kinds: plain; behind its own PV (April-September imports halved in both years); a
level change in year 2 (x0.85 or x1.15: a flatmate leaves or arrives); an EV added in year 2.
Each forecast is made from year 1 only and scored on year 2's monthly and annual totals.

Second table (issue 16, weather of the measured year): 24 synthetic heat-pump households at Herne
(TRY region 5), heat pump 0.02-0.08 kWh per degree-hour below 15 °C; year 1 heated against the TRY
climatology shifted by -3 ... +3 K (a cold or warm year), year 2 against the climatology itself (a
normal year). Forecast from year 1 with the site, with and without year 1's measured temperature.

Usage::

    python benchmarks/bench_forecast_year.py
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

import advisor.forecast as F
from advisor.forecast import load_forecaster, monthly_forecast
from advisor.loadcurve import CurveMeta, make_load_curve
from advisor.synthetic import SyntheticSpec, synthetic_household
from advisor.weather import temperature_climatology, try_region

TZ = "Europe/Berlin"


def pair(kind: str, i: int, rng: np.random.Generator):
    spec = dict(
        interval_minutes=60,
        appliance_kwh=float(rng.uniform(1000, 4500)),
        standby_w=float(rng.uniform(30, 250)),
        circulation_pump_w=float(rng.choice([0.0, 0.0, 60.0])),
        heat_pump_kwh=float(rng.choice([0.0, 0.0, 0.0, 3000.0])),
    )
    y1 = synthetic_household(SyntheticSpec(year=2023, seed=5000 + i, **spec)).curve.energy_kwh
    spec2 = dict(spec)
    if kind == "ev added":
        spec2["ev_kw"] = 11.0
    y2 = synthetic_household(SyntheticSpec(year=2024, seed=6000 + i, **spec2)).curve.energy_kwh
    if kind == "behind PV":
        for e in (y1, y2):
            summer = (e.index.month >= 4) & (e.index.month <= 9)
            e[summer] *= 0.5
    if kind == "level change":
        y2 = y2 * float(rng.choice([0.85, 1.15]))
    return y1, y2


HERNE = (51.54, 7.22)


def weather_table(model) -> None:
    """Year ahead after a cold or warm measured year: with and without its measured temperature."""
    region = try_region(*HERNE)
    rng = np.random.default_rng(16)
    rows = []
    for i, offset in enumerate(np.tile([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0], 4)):
        k = float(rng.uniform(0.02, 0.08))
        spec = dict(interval_minutes=60, appliance_kwh=float(rng.uniform(1000, 4500)), standby_w=float(rng.uniform(30, 250)))
        years, temps = [], []
        for year, off in ((2023, offset), (2024, 0.0)):
            base = synthetic_household(SyntheticSpec(year=year, seed=7000 + 10 * i + year, **spec)).curve.energy_kwh
            t = temperature_climatology(base.index, *HERNE, region=region) + off
            years.append(base + k * np.clip(15.0 - t, 0.0, None))
            temps.append(t)
        y1, y2 = years
        curve = make_load_curve(y1, interval_minutes=60, meta=CurveMeta(tz=TZ, holiday_region="DE-NW"))
        with_t = monthly_forecast(curve, model=model, site=HERNE, temperature_c=temps[0])
        without = monthly_forecast(curve, model=model, site=HERNE)
        a = float(y2.sum())
        rows.append(
            {
                "offset": offset,
                "with": abs(with_t["p50"].sum() - a) / a,
                "without": abs(without["p50"].sum() - a) / a,
                "same": abs(float(y1.sum()) - a) / a,
                "normalised": bool(with_t.attrs["weather_normalised"]),
                "inside_with": with_t["p10"].sum() <= a <= with_t["p90"].sum(),
                "inside_without": without["p10"].sum() <= a <= without["p90"].sum(),
            }
        )
    df = pd.DataFrame(rows)
    print(
        f"\n{len(df)} heat-pump households after a cold/warm year (Herne), weather-normalised "
        f"{int(df.normalised.sum())} of {len(df)}\n"
    )
    print("| year 1 vs normal | annual APE, measured temperature | without | same as last year | inside P10-P90 with / without |")
    print("|---|---|---|---|---|")
    for name, g in [("±1 K", df[df.offset.abs() == 1]), ("±2 K", df[df.offset.abs() == 2]), ("±3 K", df[df.offset.abs() == 3]), ("all", df)]:
        print(
            f"| {name} | {100 * g['with'].median():.1f} % | {100 * g['without'].median():.1f} % | {100 * g['same'].median():.1f} % | "
            f"{100 * g.inside_with.mean():.0f} % / {100 * g.inside_without.mean():.0f} % |"
        )


def main() -> None:
    warnings.simplefilter("ignore")
    model = load_forecaster()
    weather_table(model)
    rng = np.random.default_rng(12)
    rows = []
    for kind in ("plain", "behind PV", "level change", "ev added"):
        for i in range(10):
            y1, y2 = pair(kind, i + 100 * len(rows), rng)
            curve = make_load_curve(y1, interval_minutes=60, meta=CurveMeta(tz=TZ, holiday_region="DE-NW"))
            own = monthly_forecast(curve, model=model)
            saved = F.YEAR_DAYS
            F.YEAR_DAYS = 10**6  # the H25 fit alone (the method before this issue)
            try:
                fit = monthly_forecast(curve, model=model)
            finally:
                F.YEAR_DAYS = saved
            act_m = y2.groupby(y2.index.tz_convert(TZ).month).sum()
            last_m = y1.groupby(y1.index.tz_convert(TZ).month).sum()
            own_m = own["p50"].groupby(own.index.month).sum()
            fit_m = fit["p50"].groupby(fit.index.month).sum()
            a = float(y2.sum())
            rows.append(
                {
                    "kind": kind,
                    "ape_year_product": abs(own["p50"].sum() - a) / a,
                    "ape_year_same_as_last": abs(float(y1.sum()) - a) / a,
                    "ape_year_h25_fit": abs(fit["p50"].sum() - a) / a,
                    "ape_month_product": float((abs(own_m - act_m) / act_m).median()),
                    "ape_month_same_as_last": float((abs(last_m - act_m) / act_m).median()),
                    "ape_month_h25_fit": float((abs(fit_m - act_m) / act_m).median()),
                    "inside_p10_p90": own["p10"].sum() <= a <= own["p90"].sum(),
                    "band_lo": own["p10"].sum() / own["p50"].sum(),
                    "band_hi": own["p90"].sum() / own["p50"].sum(),
                    "method": own.attrs["method"],
                }
            )
    df = pd.DataFrame(rows)
    print(f"{len(df)} synthetic household pairs (year 1 -> year 2), method {df['method'].unique().tolist()}\n")
    print(
        "| kind | annual APE product | same as last year | H25 fit | monthly APE product | same as last year | H25 fit | annual inside P10-P90 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind, g in list(df.groupby("kind", sort=False)) + [("all", df)]:
        print(
            f"| {kind} | {100 * g.ape_year_product.median():.1f} % | {100 * g.ape_year_same_as_last.median():.1f} % | "
            f"{100 * g.ape_year_h25_fit.median():.1f} % | {100 * g.ape_month_product.median():.1f} % | "
            f"{100 * g.ape_month_same_as_last.median():.1f} % | {100 * g.ape_month_h25_fit.median():.1f} % | "
            f"{100 * g.inside_p10_p90.mean():.0f} % |"
        )
    print(f"\nannual band: P10 = {df.band_lo.median():.3f} x P50, P90 = {df.band_hi.median():.3f} x P50 (medians)")


if __name__ == "__main__":
    main()
