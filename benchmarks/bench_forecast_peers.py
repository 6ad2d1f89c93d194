"""Open peers on the same households, folds and origins as bench_forecast_calibration.py.

mlforecast 1.x requires pandas < 3 while the product runs on pandas 3, so this script does not
import ``advisor``: it runs in a separate environment with the ``bench`` extra's peers, e.g.::

    python -m venv /tmp/fc-peers
    /tmp/fc-peers/bin/pip install "mlforecast==1.1.0" "lightgbm==4.7.0" "pandas==2.3.3" pyarrow
    /tmp/fc-peers/bin/python benchmarks/bench_forecast_peers.py --cache /tmp/fc-folds

It reads each fold's ``meta.json`` (training households, test households) written by
bench_forecast_calibration.py and the shared London table in place, fits one global mlforecast
LightGBM model per fold on the training households' hours before 2013-10-01, and forecasts the
fold's test households 24 h ahead from every local midnight 2013-10-01 ... 12-31 (92 origins),
each time from the data strictly before the origin. Writes ``<cache>/peers_points.parquet``
(household, origin_utc, target_utc, mlforecast_p50) for ``bench_forecast_compare.py``.

Peer set-up (a fair, common configuration): hourly UTC series; lags 24, 48, 72, 96, 120, 144,
168, 336, 504, 672 h; rolling means of lag 24 over 24 h and 168 h; seasonal rolling mean of
lag 24 (season 24, 7 days) and of lag 168 (season 168, 4 weeks); hour and weekday features;
per-household standard scaling of the target; LightGBM with 500 rounds at learning rate 0.05,
num_leaves 63, min_child_samples 100 (a stronger set-up than the product's 100 rounds at 0.1). Every lag is >= 24 h, so the 24-h forecast needs no
recursion. Gaps are filled with the value one week earlier (then the previous value) for the
peer only; scoring is on the points the product's backtest scores.
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


def make_model():
    import lightgbm as lgb
    from mlforecast import MLForecast
    from mlforecast.lag_transforms import RollingMean, SeasonalRollingMean
    from mlforecast.target_transforms import LocalStandardScaler

    params = dict(
        n_estimators=500,
        learning_rate=0.05,
        num_leaves=63,
        min_child_samples=100,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.9,
        n_jobs=1,
        verbosity=-1,
        random_state=7,
    )
    return MLForecast(
        models={"mlforecast_lgbm": lgb.LGBMRegressor(**params)},
        freq="h",
        lags=[24, 48, 72, 96, 120, 144, 168, 336, 504, 672],
        lag_transforms={
            24: [RollingMean(window_size=24), RollingMean(window_size=168), SeasonalRollingMean(24, 7)],
            168: [SeasonalRollingMean(168, 4)],
        },
        date_features=["hour", "dayofweek"],
        target_transforms=[LocalStandardScaler()],
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/fc-folds"))
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    table = hourly_table()
    origins = pd.date_range("2013-10-01", "2013-12-31", freq="D", tz="Europe/London").tz_convert("UTC")
    rows = []
    for meta_path in sorted(args.cache.glob("fold*/meta.json")):
        meta = json.loads(meta_path.read_text())
        train_ids = meta["training"]["households"]
        test_ids = meta["test_households"]
        train = table[table["unique_id"].isin(train_ids) & (table["ds"] < CUT)]
        t = time.perf_counter()
        fc = make_model()
        fc.fit(train, static_features=[])
        print(
            f"{meta_path.parent.name}: mlforecast fit on {len(train_ids)} households in {time.perf_counter() - t:.0f} s"
        )
        test = table[table["unique_id"].isin(test_ids)]
        t = time.perf_counter()
        for o in origins:
            o_naive = o.tz_localize(None)
            hist = test[(test["ds"] < o_naive) & (test["ds"] >= o_naive - pd.Timedelta(days=35))]
            if hist.empty:
                continue
            # the model forecasts from the end of each series: keep households whose data reach the origin
            last = hist.groupby("unique_id")["ds"].max()
            ok = last[last == o_naive - pd.Timedelta(hours=1)].index
            hist = hist[hist["unique_id"].isin(ok)]
            if hist.empty:
                continue
            pred = fc.predict(h=25, new_df=hist)
            pred = pred[pred["ds"] < o_naive + pd.Timedelta(hours=25)]
            rows.append(
                pd.DataFrame(
                    {
                        "household": pred["unique_id"].to_numpy(),
                        "origin_utc": o,
                        "target_utc": pd.DatetimeIndex(pred["ds"]).tz_localize("UTC"),
                        "mlforecast_p50": np.clip(pred["mlforecast_lgbm"].to_numpy(), 0, None),
                    }
                )
            )
        print(f"  predicted {len(origins)} origins for {len(test_ids)} households in {time.perf_counter() - t:.0f} s")
    out = pd.concat(rows, ignore_index=True)
    out.to_parquet(args.cache / "peers_points.parquet")
    print(f"wrote {len(out)} points to {args.cache / 'peers_points.parquet'}")


if __name__ == "__main__":
    main()
