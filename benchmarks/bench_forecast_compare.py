"""Pooled MASE of the product against open peers on the same points (k-fold held-out households).

Reads ``<cache>/points.parquet`` (bench_forecast_calibration.py: the product and the naive
baselines) and ``<cache>/peers_points.parquet`` (bench_forecast_peers.py: mlforecast), keeps the
points every method has, and prints pooled MASE against weekly naive, MAE, pinball loss and
coverage. When ``<cache>/peers_stats_points.parquet`` (bench_forecast_peers_stats.py:
statsforecast MSTL, skforecast) is there, a second table compares every method on the points
those peers have too (they may cover every k-th origin only). Usage::

    python benchmarks/bench_forecast_compare.py [--cache /tmp/fc-folds]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.backtest import pinball_loss

BASELINES = ("naive_daily", "naive_weekly", "mean_4_weekdays", "bdew_h25")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/fc-folds"))
    args = ap.parse_args()
    pts = pd.read_parquet(args.cache / "points.parquet")
    peers = pd.read_parquet(args.cache / "peers_points.parquet")
    for c in ("origin_utc", "target_utc"):
        pts[c] = pd.to_datetime(pts[c], utc=True)
        peers[c] = pd.to_datetime(peers[c], utc=True)
    m = pts.merge(peers, on=["household", "origin_utc", "target_utc"], how="inner")
    m = m.dropna(subset=["mlforecast_p50"])
    cols = {"LightGBM global (product, P50)": "model_p50", "mlforecast + LightGBM": "mlforecast_p50"}
    cols.update({b: b for b in BASELINES})
    rows = table(m, cols, len(pts))
    ours = rows["LightGBM global (product, P50)"]
    peer = rows["mlforecast + LightGBM"]
    print(f"\nproduct vs mlforecast: {100 * (1 - ours / peer):.1f} % lower pooled MASE (target >= 11 %)")
    stats_path = args.cache / "peers_stats_points.parquet"
    if stats_path.exists():
        st = pd.read_parquet(stats_path)
        for c in ("origin_utc", "target_utc"):
            st[c] = pd.to_datetime(st[c], utc=True)
        m2 = m.merge(st, on=["household", "origin_utc", "target_utc"], how="inner")
        m2 = m2.dropna(subset=["statsforecast_mstl_p50", "skforecast_lgbm_p50"])
        cols2 = dict(cols)
        cols2["skforecast recursive LightGBM"] = "skforecast_lgbm_p50"
        cols2["statsforecast MSTL"] = "statsforecast_mstl_p50"
        print("\nThe points the statsforecast/skforecast run has:")
        rows2 = table(m2, cols2, len(pts))
        best = min(v for k, v in rows2.items() if k != "LightGBM global (product, P50)")
        print(f"\nproduct vs the best peer here: {100 * (1 - rows2['LightGBM global (product, P50)'] / best):.1f} % lower")


def table(m: pd.DataFrame, cols: dict[str, str], n_product: int) -> dict[str, float]:
    y = m["actual_kwh"].to_numpy()
    ref = np.abs(m["naive_weekly"].to_numpy() - y).sum()
    print(
        f"{m['household'].nunique()} held-out households, {m['origin_utc'].nunique()} origins, {len(m)} common points "
        f"(of {n_product} product points)\n"
    )
    print("| method | pooled MASE | MAE [kWh/h] | pinball [kWh/h] | P10-P90 coverage |")
    print("|---|---|---|---|---|")
    rows = {}
    for name, c in cols.items():
        p = m[c].to_numpy()
        mase = np.abs(p - y).sum() / ref
        rows[name] = mase
        if c == "model_p50":
            pin = np.mean(
                [
                    pinball_loss(y, m[f"model_{q}"].to_numpy(), a).mean()
                    for q, a in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))
                ]
            )
            cov = f"{100 * ((y >= m['model_p10']) & (y <= m['model_p90'])).mean():.1f} %"
        else:
            # a point forecast counts as all three quantiles
            pin = np.mean([pinball_loss(y, p, a).mean() for a in (0.1, 0.5, 0.9)])
            cov = "–"
        print(f"| {name} | {mase:.3f} | {np.abs(p - y).mean():.4f} | {pin:.4f} | {cov} |")
    return rows

if __name__ == "__main__":
    main()
