"""statsforecast (MSTL) and skforecast (global recursive LightGBM) on the peers' households and origins.

Runs in its own environment (statsforecast 2.1 / skforecast 0.26 pin their own pandas and numba)::

    python -m venv /tmp/fc-sf && /tmp/fc-sf/bin/pip install -r benchmarks/requirements-peers-stats.txt
    /tmp/fc-sf/bin/python benchmarks/bench_forecast_peers_stats.py --cache /tmp/fc-folds
    python benchmarks/bench_forecast_compare.py --cache /tmp/fc-folds

Same folds (each fold's ``meta.json`` from bench_forecast_calibration.py), households and 92 local
midnights 2013-10-01 ... 12-31 as bench_forecast_peers.py, each forecast from the data strictly
before its origin; gaps filled as for mlforecast (value a week earlier, then the previous value),
for the peers only. Writes ``<cache>/peers_stats_points.parquet`` (household, origin_utc,
target_utc, statsforecast_mstl_p50, skforecast_lgbm_p50).

* **statsforecast MSTL**: per household and origin, fitted on the last 28 days (672 h), seasons
  24 h and 168 h, AutoETS trend without seasonality (``ZZN``); the 25 hours after the origin.
* **skforecast ForecasterRecursiveMultiSeries**: one global LightGBM model per fold on the training
  households' hours before 2013-10-01 (lags 1-24, 48, 72, 96, 120, 144, 168 h, no series
  encoding so that unseen households can be forecast), each series divided by its own mean and
  standard deviation first (as mlforecast's LocalStandardScaler does; for a forecast, of the 35
  days before the origin); 300 rounds at 0.05, 63 leaves, leaves of >= 100 rows; recursive over
  the 25 hours.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lcl_london" / "lcl_60hh_2013_30min.parquet"
CUT = pd.Timestamp("2013-10-01", tz="Europe/London").tz_convert("UTC").tz_localize(None)
LAGS = list(range(1, 25)) + [48, 72, 96, 120, 144, 168]


def hourly_table() -> pd.DataFrame:
    df = pd.read_parquet(DATA)
    df["ds"] = pd.to_datetime(df["timestamp_utc"], utc=True).dt.tz_localize(None).dt.floor("h")
    g = df.groupby(["lclid", "ds"])["kwh"].agg(["sum", "count"]).reset_index()
    g["y"] = g["sum"].where(g["count"] == 2)
    out = []
    for hh, part in g.groupby("lclid"):
        s = part.set_index("ds")["y"]
        grid = pd.date_range(s.index.min(), s.index.max(), freq="h")
        s = s.reindex(grid)
        s = s.fillna(s.shift(168)).ffill().bfill()
        out.append(pd.DataFrame({"unique_id": hh, "ds": grid, "y": s.to_numpy()}))
    return pd.concat(out, ignore_index=True)


def standardised(wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    mu, sd = wide.mean(), wide.std().replace(0.0, 1.0)
    return (wide - mu) / sd, mu, sd


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/fc-folds"))
    ap.add_argument("--origins", type=int, default=92, help="first N origins only (a quick check)")
    ap.add_argument("--every", type=int, default=1, help="every k-th origin only (k = 4: 23 of 92)")
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--out", default="peers_stats_points.parquet")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import lightgbm as lgb
    from skforecast.recursive import ForecasterRecursiveMultiSeries
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS

    table = hourly_table()
    origins = pd.date_range("2013-10-01", "2013-12-31", freq="D", tz="Europe/London").tz_convert("UTC")
    origins = origins[: args.origins : args.every]
    rows = []
    for meta_path in sorted(args.cache.glob("fold*/meta.json"))[: args.folds]:
        meta = json.loads(meta_path.read_text())
        train_ids, test_ids = meta["training"]["households"], meta["test_households"]
        train = table[table["unique_id"].isin(train_ids) & (table["ds"] < CUT)]
        wide = train.pivot(index="ds", columns="unique_id", values="y").asfreq("h")
        t = time.perf_counter()
        # each training series on its own (complete) span, standardised by itself
        series = {}
        for h in wide.columns:
            s = wide[h].dropna()
            z, mu, sd = standardised(s.to_frame())
            series[h] = z[h].asfreq("h")
        sk = ForecasterRecursiveMultiSeries(
            estimator=lgb.LGBMRegressor(
                n_estimators=300, learning_rate=0.05, num_leaves=63, min_child_samples=100, n_jobs=1, verbosity=-1,
                random_state=7,
            ),
            lags=LAGS,
            encoding=None,
        )
        sk.fit(series=series, suppress_warnings=True)
        print(f"{meta_path.parent.name}: skforecast fit on {len(series)} households in {time.perf_counter() - t:.0f} s", flush=True)
        test = table[table["unique_id"].isin(test_ids)]
        sf = StatsForecast(models=[MSTL(season_length=[24, 168], trend_forecaster=AutoETS(model="ZZN"))], freq="h", n_jobs=1)
        t = time.perf_counter()
        for o in origins:
            o_naive = o.tz_localize(None)
            hist = test[(test["ds"] < o_naive) & (test["ds"] >= o_naive - pd.Timedelta(days=35))]
            last = hist.groupby("unique_id")["ds"].max()
            ok = last[last == o_naive - pd.Timedelta(hours=1)].index
            hist = hist[hist["unique_id"].isin(ok)]
            if hist.empty:
                continue
            recent = hist[hist["ds"] >= o_naive - pd.Timedelta(days=28)]
            mstl = sf.forecast(df=recent, h=25)
            w = hist.pivot(index="ds", columns="unique_id", values="y").asfreq("h")
            z, mu, sd = standardised(w)
            pred = sk.predict(steps=25, last_window=z.iloc[-max(LAGS):], suppress_warnings=True)
            pred = pred.reset_index().rename(columns={"index": "ds"})
            pred["y"] = pred["pred"] * pred["level"].map(sd) + pred["level"].map(mu)
            m = mstl.rename(columns={"MSTL": "statsforecast_mstl_p50"}).merge(
                pred.rename(columns={"level": "unique_id", "y": "skforecast_lgbm_p50"})[["unique_id", "ds", "skforecast_lgbm_p50"]],
                on=["unique_id", "ds"], how="outer",
            )
            m = m[m["ds"] < o_naive + pd.Timedelta(hours=25)]
            rows.append(
                pd.DataFrame(
                    {
                        "household": m["unique_id"].to_numpy(),
                        "origin_utc": o,
                        "target_utc": pd.DatetimeIndex(m["ds"]).tz_localize("UTC"),
                        "statsforecast_mstl_p50": np.clip(m["statsforecast_mstl_p50"].to_numpy(dtype=float), 0, None),
                        "skforecast_lgbm_p50": np.clip(m["skforecast_lgbm_p50"].to_numpy(dtype=float), 0, None),
                    }
                )
            )
        print(f"  predicted {len(origins)} origins for {len(test_ids)} households in {time.perf_counter() - t:.0f} s", flush=True)
    out = pd.concat(rows, ignore_index=True)
    out.to_parquet(args.cache / args.out)
    print(f"wrote {len(out)} points to {args.cache / args.out}")


if __name__ == "__main__":
    main()
