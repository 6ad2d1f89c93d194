"""A second validation season for the day-ahead model choices (never the test period).

``bench_forecast_tune.py`` validates on July-September (fitted on January-June). This checks a
winter season the other way round: per fold (the same 4 folds by the sha256 of the household id)
a P50 model is fitted on the other folds' rows with targets 2013-04-08 ... 09-30 and scored
day-ahead from every local midnight 2013-02-01 ... 03-31 on the fold's households, which it never
saw. The households differ, so the later training months carry no target of a scored household;
October-December (the test period of docs/forecasting.md) is not used. Pooled MASE against the
weekly naive forecast on the same points.

Measured 2026-12-03 evening: ratio_features (before the household features) 0.7134, shipped
(with :data:`advisor.features.HOUSEHOLD_FEATURES`) 0.7060, i.e. 1.0 % lower.

Usage::

    python benchmarks/bench_forecast_tune_winter.py [--cache /tmp/fc-tune-winter.parquet]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from bench_forecast_tune import DATA, REGION, TZ, fold_of

from advisor.features import FEATURE_NAMES, HOUSEHOLD_FEATURES
from advisor.forecast import (
    DEFAULT_PARAMS,
    DEFAULT_ROUNDS,
    TARGET_NORM_FLOOR,
    TARGET_NORMALISER,
    read_long_table_hourly,
    read_qc_flags,
    select_households,
    training_frame,
)

TRAIN_FROM = "2013-04-08"
VAL_FROM, VAL_TO = "2013-02-01", "2013-04-01"


def frame(cache: Path) -> pd.DataFrame:
    if cache.exists():
        return pd.read_parquet(cache)
    series = read_long_table_hourly(DATA / "lcl_60hh_2013_30min.parquet", tz=TZ, holiday_region=REGION)
    qc = read_qc_flags(DATA / "lcl_60hh_2013_meta.csv")
    before = pd.Timestamp("2013-10-01", tz=TZ)
    sel = select_households(series, qc_flags=qc, before=before)
    usable = {h: s for h, s in series.items() if h not in sel.excluded}
    fr = training_frame(usable, tz=TZ, holiday_region=REGION, before=before, horizon_hours=168)
    df = fr.features.copy()
    df["y"], df["scale"], df["hh"] = fr.target, fr.scale_kwh, fr.household.astype(str)
    df["target_utc"], df["origin_utc"] = fr.target_utc, fr.origin_utc
    df.to_parquet(cache)
    return df


def winter_mase(df: pd.DataFrame, feats: list[str]) -> float:
    import lightgbm as lgb

    tr_from = pd.Timestamp(TRAIN_FROM, tz=TZ).tz_convert("UTC")
    v_from, v_to = (pd.Timestamp(d, tz=TZ).tz_convert("UTC") for d in (VAL_FROM, VAL_TO))
    origin_hour = pd.to_datetime(df["origin_utc"], utc=True).dt.tz_convert(TZ).dt.hour
    abs_err = abs_naive = 0.0
    for f in range(4):
        own = df["hh"].map(fold_of) == f
        tr = df[~own & (df["target_utc"] >= tr_from)]
        va = df[
            own
            & (df["origin_utc"] >= v_from)
            & (df["origin_utc"] < v_to)
            & (origin_hour == 0)
            & (df["step_h"] <= 24)
            & df["lag_week"].notna()
        ]
        m_tr, m_va = (
            np.maximum(np.nan_to_num(r[TARGET_NORMALISER].to_numpy(), nan=1.0), TARGET_NORM_FLOOR) for r in (tr, va)
        )
        params = {**DEFAULT_PARAMS, "objective": "quantile", "alpha": 0.5}
        data = lgb.Dataset(tr[feats], label=tr["y"] / m_tr, weight=tr["scale"] * m_tr)
        booster = lgb.train(params, data, num_boost_round=DEFAULT_ROUNDS)
        scale = va["scale"].to_numpy()
        y = va["y"].to_numpy() * scale
        pred = (booster.predict(va[feats].to_numpy(dtype=float)) * m_va).clip(min=0) * scale
        abs_err += np.abs(pred - y).sum()
        abs_naive += np.abs(va["lag_week"].to_numpy() * scale - y).sum()
    return abs_err / abs_naive


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/fc-tune-winter.parquet"))
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    df = frame(args.cache)
    shipped = list(FEATURE_NAMES)
    variants = {"ratio_features": [c for c in shipped if c not in HOUSEHOLD_FEATURES], "shipped": shipped}
    for name, feats in variants.items():
        t = time.perf_counter()
        print(f"{name:16s} Feb-Mar validation MASE {winter_mase(df, feats):.4f} ({time.perf_counter() - t:.0f} s)")


if __name__ == "__main__":
    main()
