"""Savings verification on real households: placebo, known 10 % cut, +50 W; drift calibration.

Protocol: the London households (2013, hourly) are split in two halves by the sha256 of their id.
Placebo runs: change dates 2013-07-01, 08-01, 09-01 and 10-01 where nothing changed; the baseline
is the data before, the reporting period the data after (to 2013-12-31). The level drift
``drift_rel_sd`` is the smallest value for which 80 % of the *calibration half's* placebo P10-P90
bands hold zero; every figure printed is measured on the *other half* (held out). Known truth on
the held-out half: the reporting period scaled by 0.9 (a 10 % cut: the true saving is 10 % of the
original reporting kWh), and 50 W added to every hour (more use: the true saving is negative).

The baselines here are 6-9 months (the shared data has one year), so every verdict is
``indicative``; a 365-day baseline cannot be tested on this data.

Usage::

    python benchmarks/bench_savings.py
    python benchmarks/bench_savings.py --write-temperature /tmp/fc-eem-cache/temperature.csv
    /tmp/fc-eem/bin/python benchmarks/bench_savings_eemeter.py      # eemeter, its own venv
    python benchmarks/bench_savings.py --eemeter /tmp/fc-eem-cache/eemeter.parquet

With ``--eemeter`` the product and eemeter (OpenDSM's CalTRACK daily model) are scored side by
side on the same held-out runs, each with the same temperature input: none (a constant for
eemeter, which then fits its intercept-only model) and the DWD TRY2010 region-1 climatology as a
maritime stand-in (the London data carries no weather; it is a typical year, not 2013).
"""

from __future__ import annotations

import argparse
import hashlib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.forecast import read_long_table_hourly
from advisor.loadcurve import CurveMeta, make_load_curve
from advisor.savings import Z_P90, SavingsSettings, verify_savings
from advisor.weather import temperature_climatology

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lcl_london"
TZ, REGION = "Europe/London", "GB-ENG"
CHANGES = ("2013-07-01", "2013-08-01", "2013-09-01", "2013-10-01")
TARGET = 0.80


def curves():
    series = read_long_table_hourly(DATA / "lcl_60hh_2013_30min.parquet", tz=TZ, holiday_region=REGION)
    out = {}
    for h, s in series.items():
        grid = pd.date_range(s.index[0], s.index[-1], freq="h")
        out[h] = make_load_curve(s.reindex(grid), interval_minutes=60, meta=CurveMeta(tz=TZ, holiday_region=REGION))
    return out


def modified(curve, change, *, factor=1.0, add_w=0.0):
    e = curve.energy_kwh.copy()
    after = e.index >= pd.Timestamp(change, tz=TZ)
    e[after] = e[after] * factor + add_w / 1000.0
    return make_load_curve(e, interval_minutes=60, meta=curve.meta)


LONDON = (51.51, -0.13)


def stand_in_temperature() -> pd.Series:
    """Hourly [°C] 2013 of the TRY2010 region-1 climatology at London's coordinates (a stand-in)."""
    idx = pd.date_range("2013-01-01", "2014-01-01", freq="h", inclusive="left", tz="UTC")
    return temperature_climatology(idx, *LONDON, region=1)


def runs(cs, settings, temperature=None, **mod):
    rows = []
    for h, c in cs.items():
        for ch in CHANGES:
            cc = modified(c, ch, **mod) if mod else c
            r = verify_savings(cc, ch, settings=settings, temperature_c=temperature)
            if np.isnan(r.saved_kwh):
                continue
            orig = verify_savings(c, ch, settings=settings, temperature_c=temperature) if mod else r
            rows.append(
                {
                    "household": h,
                    "change": ch,
                    "saved": r.saved_kwh,
                    "p10": r.saved_kwh_p10,
                    "p90": r.saved_kwh_p90,
                    "cf": r.counterfactual_kwh,
                    "reporting_kwh": r.reporting_kwh,
                    "orig_reporting_kwh": orig.reporting_kwh,
                    "se": (r.saved_kwh_p90 - r.saved_kwh) / Z_P90,
                    "cv_rmse": r.baseline_cv_rmse,
                    "cv_rmse_monthly": r.baseline_cv_rmse_monthly,
                    "g14_pass": r.g14_pass,
                }
            )
    return pd.DataFrame(rows)


def calibrate(df0: pd.DataFrame) -> float:
    """Smallest drift sd so that TARGET of placebo bands hold zero (se0: band without drift)."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        se = np.sqrt(df0["se"] ** 2 + (mid * df0["cf"].clip(lower=0)) ** 2)
        cover = (np.abs(df0["saved"]) <= Z_P90 * se).mean()
        lo, hi = (lo, mid) if cover >= TARGET else (mid, hi)
    return hi


def rates(pl: pd.DataFrame, cut: pd.DataFrame, more: pd.DataFrame) -> dict[str, float]:
    """The placebo / known-cut / +50 W figures of one method on its runs."""
    truth_cut = 0.1 * cut["orig_reporting_kwh"]
    half_w = (pl["p90"] - pl["p10"]) / 2
    return {
        "runs (placebo)": len(pl),
        "placebo: P10-P90 holds 0": ((pl["p10"] <= 0) & (pl["p90"] >= 0)).mean(),
        "placebo: reported as a saving (P10 > 0)": (pl["p10"] > 0).mean(),
        "placebo: reported as more use (P90 < 0)": (pl["p90"] < 0).mean(),
        "placebo: median half-width / reporting kWh": (half_w / pl["reporting_kwh"]).median(),
        "cut 10 %: band holds the true saving": ((cut["p10"] <= truth_cut) & (truth_cut <= cut["p90"])).mean(),
        "cut 10 %: saving detected (P10 > 0)": (cut["p10"] > 0).mean(),
        "cut 10 %: median estimate / truth": (cut["saved"] / truth_cut).median(),
        "+50 W: point estimate a saving": (more["saved"] > 0).mean(),
        "+50 W: band claims a saving (P10 > 0)": (more["p10"] > 0).mean(),
        "+50 W: more use detected (P90 < 0)": (more["p90"] < 0).mean(),
    }


def side_by_side(test: dict, eemeter_path: Path) -> None:
    """Product vs eemeter on the held-out half, same runs, same temperature input."""
    eem = pd.read_parquet(eemeter_path)
    refused = eem.groupby("weather")["error"].apply(lambda x: int(x.notna().sum())).to_dict() if "error" in eem else {}
    eem = eem[eem["error"].isna()] if "error" in eem else eem
    eem = eem[eem["household"].isin(list(test))]
    seeded = SavingsSettings.from_seeds()
    temps = {"constant": None, "try_region1": stand_in_temperature()}
    table = {}
    for weather, temp in temps.items():
        ours = {sc: runs(test, seeded, temperature=temp, **mod) for sc, mod in
                (("placebo", {}), ("cut", {"factor": 0.9}), ("plus50w", {"add_w": 50.0}))}
        e = {sc: eem[(eem["weather"] == weather) & (eem["scenario"] == sc)] for sc in ("placebo", "cut", "plus50w")}
        if e["placebo"].empty:
            # eemeter fitted none of these (a constant temperature: its optimiser refuses every fit)
            table[f"product, {weather} (eemeter refused every run)"] = rates(*ours.values())
            continue
        # score both on the runs both have
        keys = set(zip(ours["placebo"]["household"], ours["placebo"]["change"], strict=True))
        keys &= set(zip(e["placebo"]["household"], e["placebo"]["change"], strict=True))

        def keep(df):
            return df[[k in keys for k in zip(df["household"], df["change"], strict=True)]]

        table[f"product, {weather}"] = rates(*(keep(ours[k]) for k in ("placebo", "cut", "plus50w")))
        table[f"eemeter, {weather}"] = rates(*(keep(e[k]) for k in ("placebo", "cut", "plus50w")))
    out = pd.DataFrame(table)
    print(f"eemeter runs refused by eemeter (all households, all scenarios): {refused}")
    print(out.to_string(float_format=lambda v: f"{v:.3f}"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-temperature", type=Path, default=None)
    ap.add_argument("--eemeter", type=Path, default=None)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    if args.write_temperature is not None:
        t = stand_in_temperature()
        frame = pd.DataFrame({"timestamp_utc": t.index, "constant": 15.0, "try_region1": t.to_numpy()})
        args.write_temperature.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.write_temperature, index=False)
        print(f"wrote {args.write_temperature}")
        return
    cs = curves()
    half = {h: int(hashlib.sha256(h.encode()).hexdigest(), 16) % 2 for h in cs}
    cal = {h: c for h, c in cs.items() if half[h] == 0}
    test = {h: c for h, c in cs.items() if half[h] == 1}
    if args.eemeter is not None:
        side_by_side(test, args.eemeter)
        return
    zero = SavingsSettings(drift_rel_sd=0.0)
    d_cal = runs(cal, zero)
    delta = calibrate(d_cal)
    print(
        f"calibration half: {d_cal['household'].nunique()} households, {len(d_cal)} placebo runs; "
        f"no-drift band holds zero in {(np.abs(d_cal['saved']) <= Z_P90 * d_cal['se']).mean():.1%}"
    )
    print(f"drift_rel_sd calibrated to {delta:.4f} (80 % of calibration placebo bands hold zero)\n")
    seeded = SavingsSettings.from_seeds()
    for label, st in (
        ("no drift (before)", zero),
        (f"calibrated drift {delta:.3f}", SavingsSettings(drift_rel_sd=delta)),
        (f"seeds drift {seeded.drift_rel_sd:.3f} (shipped)", seeded),
    ):
        pl = runs(test, st)
        cut = runs(test, st, factor=0.9)
        more = runs(test, st, add_w=50.0)
        half_w = (pl["p90"] - pl["p10"]) / 2
        truth_cut = 0.1 * cut["orig_reporting_kwh"]
        print(f"### held-out half ({pl['household'].nunique()} households, {len(pl)} runs), {label}")
        print(
            f"- placebo: band holds 0 in {(pl['p10'] <= 0).mul(pl['p90'] >= 0).mean():.1%}; "
            f"reported as a saving (P10 > 0) {(pl['p10'] > 0).mean():.1%}, as more use (P90 < 0) {(pl['p90'] < 0).mean():.1%}"
        )
        print(
            f"- median half-width / reporting kWh: {(half_w / pl['reporting_kwh']).median():.3f} "
            f"(max {(half_w / pl['reporting_kwh']).max():.3f}); median |placebo saving| / reporting kWh "
            f"{(pl['saved'].abs() / pl['reporting_kwh']).median():.3f}"
        )
        print(
            f"- known 10 % cut: band holds the true saving in {((cut['p10'] <= truth_cut) & (truth_cut <= cut['p90'])).mean():.1%}; "
            f"P10 > 0 (saving detected) in {(cut['p10'] > 0).mean():.1%}; median estimate / truth "
            f"{(cut['saved'] / truth_cut).median():.2f}"
        )
        print(
            f"- +50 W: reported as a saving (saved_kwh > 0) in {(more['saved'] > 0).mean():.1%}, "
            f"P10 > 0 in {(more['p10'] > 0).mean():.1%}; more use detected (P90 < 0) in {(more['p90'] < 0).mean():.1%}"
        )
        print(
            f"- daily CV(RMSE) median {pl['cv_rmse'].median():.2f}; monthly CV(RMSE) median "
            f"{pl['cv_rmse_monthly'].median():.3f}; G14 monthly criteria met in {pl['g14_pass'].mean():.1%}\n"
        )


if __name__ == "__main__":
    main()
