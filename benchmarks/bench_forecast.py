"""Forecast accuracy and speed on the real London households; prints the tables of docs/forecasting.md.

Protocol (issue 5): the model in ``models/lgbm-lcl-v1`` was trained on the training households'
data before 2013-10-01; the 12 held-out households (chosen by a hash of their id, never seen in
training) are tested hourly day-ahead at every local midnight from 2013-10-01 to 2013-12-30,
each origin seeing only data strictly before it. Baselines are scored on the same points.

Usage::

    .venv/bin/python benchmarks/bench_forecast.py            # accuracy + latency
    .venv/bin/python benchmarks/bench_forecast.py --train    # also time a fresh fit on all 60 households
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.backtest import backtest, midnight_origins, monthly_backtest
from advisor.forecast import (
    LoadForecaster,
    default_model_dir,
    forecast,
    load_forecaster,
    read_long_table_hourly,
    read_qc_flags,
)
from advisor.loadcurve import CurveMeta, make_load_curve

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lcl_london"
TZ, REGION = "Europe/London", "GB-ENG"


def _md(table: pd.DataFrame) -> str:
    cols = ["mase", "mae_kwh", "rmse_kwh", "pinball_kwh", "coverage_p10_p90", "n_points"]
    lines = ["| method | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for m, r in table[cols].iterrows():
        cells = []
        for c in cols:
            v = r[c]
            cells.append(
                "–"
                if pd.isna(v)
                else (f"{int(v)}" if c == "n_points" else f"{v:.3f}" if c != "mae_kwh" else f"{v:.4f}")
            )
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="store_true", help="time a fresh fit on all 60 households")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    table = DATA / "lcl_60hh_2013_30min.parquet"
    qc = read_qc_flags(DATA / "lcl_60hh_2013_meta.csv")
    series = read_long_table_hourly(table, tz=TZ, holiday_region=REGION)
    model = load_forecaster(default_model_dir())
    meta = model.meta_["training_data"]
    held = meta["held_out"]
    trained = meta["fingerprint"]["households"]
    groups = meta["groups"]
    print(f"model {default_model_dir().name}: {len(trained)} training households, held out: {', '.join(held)}")
    print(f"excluded: {meta['excluded']}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)\n")

    origins = midnight_origins("2013-10-01", "2014-01-01", TZ)
    res = backtest(
        {h: series[h] for h in held},
        origins,
        model=model,
        tz=TZ,
        holiday_region=REGION,
        training_households=trained,
        groups=groups,
    )
    pooled = res.pooled
    print(f"## Held-out households, hourly day-ahead, {len(origins)} local-midnight origins Oct-Dec 2013\n")
    print(_md(pooled))
    best = pooled.drop(index=["model", "naive_weekly"])["mase"].min()
    best_all = pooled.drop(index="model")["mase"].min()
    print(
        f"\nmodel MASE {pooled.loc['model', 'mase']:.3f}; best baseline {best_all:.3f} "
        f"-> {100 * (1 - pooled.loc['model', 'mase'] / best_all):.1f} % lower (target >= 5 %)"
    )
    del best
    for g, t in res.groups.items():
        if g in ("standard", "dynamic_tariff"):
            print(f"\n### group {g} ({int(t.loc['model', 'n_points'])} points)\n")
            print(_md(t))

    dec = midnight_origins("2013-12-01", "2013-12-29", TZ)
    res_dec = backtest({h: series[h] for h in held}, dec, model=model, tz=TZ, holiday_region=REGION)
    print("\n## Same, 28 December origins (the issue's reference period)\n")
    print(_md(res_dec.pooled))

    in_tr = [h for h in trained if h in series]
    res_tr = backtest(
        {h: series[h] for h in in_tr},
        origins,
        model=model,
        tz=TZ,
        holiday_region=REGION,
        training_households=trained,
        groups=groups,
    )
    print(f"\n## Training households, Oct-Dec 2013 (held out in time only; {len(in_tr)} households)\n")
    print(_md(res_tr.pooled))

    mb = monthly_backtest(series, tz=TZ, holiday_region=REGION, split="2013-07-01")
    print("\n## Long horizon: Jul-Dec monthly totals from Jan-Jun (all households with data)\n")
    print(
        f"households {mb['household'].nunique()}, months {len(mb)}; median APE: model "
        f"{mb['model_ape'].median():.3f}, BDEW H25 scaled {mb['bdew_h25_ape'].median():.3f}; mean APE: model "
        f"{mb['model_ape'].mean():.3f}, H25 {mb['bdew_h25_ape'].mean():.3f}"
    )
    q = model.monthly_log_error_
    lo, hi = mb["model_kwh"] * np.exp(q["p10"]), mb["model_kwh"] * np.exp(q["p90"])
    inside = (mb["actual_kwh"] >= lo) & (mb["actual_kwh"] <= hi)
    print(
        f"monthly P10-P90 band (log errors {q['p10']:.3f} .. {q['p90']:.3f} from the training households): "
        f"coverage {inside.mean():.3f} of {len(mb)} household-months"
    )

    # latency: one household's next 24 h after the model is loaded
    s = series[held[0]]
    s = s[s.index < pd.Timestamp("2013-11-01", tz=TZ)]
    curve = make_load_curve(s.dropna().asfreq("h"), interval_minutes=60, meta=CurveMeta(tz=TZ, holiday_region=REGION))
    forecast(curve, "24h", model=model)
    times = []
    for _ in range(20):
        t = time.perf_counter()
        forecast(curve, "24h", model=model)
        times.append(time.perf_counter() - t)
    print(
        f"\n## Speed\n\npredict 24 h for one household (hourly, 10 months of history): median "
        f"{1000 * statistics.median(times):.1f} ms, min {1000 * min(times):.1f} ms over 20 runs"
    )
    size = sum(p.stat().st_size for p in default_model_dir().glob("*.txt"))
    print(f"model files {size / 1e6:.2f} MB; fit of the shipped model: {model.meta_.get('fit_seconds')} s")
    if args.train:
        before = pd.Timestamp("2013-10-01", tz=TZ)
        all60 = {h: x[x.index < before] for h, x in series.items()}
        t = time.perf_counter()
        LoadForecaster().fit(all60, tz=TZ, holiday_region=REGION, before=before)
        print(
            f"fresh fit on all {len(all60)} households (3 quantile models, data before 2013-10-01): "
            f"{time.perf_counter() - t:.1f} s wall, load average {os.getloadavg()[0]:.1f}"
        )
    del qc


if __name__ == "__main__":
    main()
