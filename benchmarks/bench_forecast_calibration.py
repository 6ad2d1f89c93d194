"""P10-P90 coverage and pinball loss by household group, every household held out (k-fold by household).

Protocol: the 60 London households (minus the quality exclusions of ``advisor train``) are split into
``--folds`` groups by the sha256 of their id. For each fold a model is fitted on the other folds'
data before 2013-10-01 and scored hourly day-ahead at every local midnight 2013-10-01 ... 12-31 on
the fold's households, which it never saw. So every reported household is held out.
German-shaped test households: synthetic households of :mod:`advisor.synthetic` (BDEW H25 shape,
standby, fridge, appliance events, some with circulation pump, EV, heat pump; Europe/Berlin,
DE-NW), forecast by the fold-0 model, Oct-Dec 2024. Bands with the household-adaptive factors
(shipped) and with the global conformal offsets only (before) are scored on the same points.

Groups: level quartiles (mean hourly kWh before the cut-off), variability quartiles (coefficient
of variation of the hourly energy before the cut-off), standard vs dynamic (ToU trial) tariff,
and the synthetic German-shaped set.

Usage::

    python benchmarks/bench_forecast_calibration.py [--folds 4] [--cache /tmp/fc-folds]

Fold models are cached as model folders (LightGBM text + meta.json) under ``--cache``.
Writes the scored points to ``<cache>/points.parquet`` for bench_forecast_peers.py.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.backtest import backtest, midnight_origins, pinball_loss
from advisor.features import hourly_energy_kwh
from advisor.forecast import LoadForecaster, load_forecaster, read_long_table_hourly, read_qc_flags, select_households
from advisor.registry import save_model, sign_model
from advisor.synthetic import SyntheticSpec, synthetic_household

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lcl_london"
TZ, REGION = "Europe/London", "GB-ENG"
CUT = "2013-10-01"
# The fold models are benchmark scratch in a temp folder, signed with a throwaway key so that
# the registry's trust check (pinned or signed) accepts them; never used for the shipped model.
BENCH_KEY = b"bench-forecast-calibration-scratch-key"


def german_shaped(n: int = 16) -> dict[str, pd.Series]:
    """Synthetic German-shaped households (hourly kWh, Europe/Berlin), varied size and devices."""
    rng = np.random.default_rng(16)
    out = {}
    for i in range(n):
        spec = SyntheticSpec(
            year=2024,
            interval_minutes=60,
            appliance_kwh=float(rng.uniform(900, 4800)),
            standby_w=float(rng.uniform(25, 260)),
            circulation_pump_w=float(rng.choice([0.0, 0.0, 45.0, 80.0])),
            ev_kw=float(rng.choice([0.0, 0.0, 0.0, 11.0])),
            heat_pump_kwh=float(rng.choice([0.0, 0.0, 0.0, 3500.0])),
            seed=1600 + i,
        )
        out[f"SYN{i:02d}"] = hourly_energy_kwh(synthetic_household(spec).curve.energy_kwh, 60)
    return out


def score(points: pd.DataFrame, lo: str, hi: str) -> dict[str, float]:
    y = points["actual_kwh"].to_numpy()
    p10, p50, p90 = points[lo].to_numpy(), points["model_p50"].to_numpy(), points[hi].to_numpy()
    pin = np.mean([pinball_loss(y, q, a).mean() for q, a in ((p10, 0.1), (p50, 0.5), (p90, 0.9))])
    return {
        "coverage": float(((y >= p10) & (y <= p90)).mean()),
        "below_p10": float((y < p10).mean()),
        "above_p90": float((y > p90).mean()),
        "pinball": float(pin),
        "n_hh": int(points["household"].nunique()),
    }


def fold_models(series, sel, folds: int, cache: Path) -> dict[int, tuple[LoadForecaster, list[str]]]:
    before = pd.Timestamp(CUT, tz=TZ)
    usable = sorted(h for h in series if h not in sel.excluded)
    fold_of = {h: int(hashlib.sha256(h.encode()).hexdigest(), 16) % folds for h in usable}
    out = {}
    for f in range(folds):
        test = [h for h in usable if fold_of[h] == f]
        path = cache / f"fold{f}"
        if (path / "meta.json").exists():
            if not (path / "signature.json").exists():
                sign_model(path, BENCH_KEY)
            out[f] = (load_forecaster(path, key=BENCH_KEY), test)
            continue
        train = {h: series[h][series[h].index < before] for h in usable if fold_of[h] != f}
        t = time.perf_counter()
        model = LoadForecaster().fit(train, tz=TZ, holiday_region=REGION, before=before)
        print(f"fold {f}: fit on {len(train)} households in {time.perf_counter() - t:.0f} s", flush=True)
        save_model(model, path, extra={"test_households": test}, key=BENCH_KEY)
        out[f] = (load_forecaster(path, key=BENCH_KEY), test)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/fc-folds"))
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    args.cache.mkdir(parents=True, exist_ok=True)
    series = read_long_table_hourly(DATA / "lcl_60hh_2013_30min.parquet", tz=TZ, holiday_region=REGION)
    qc = read_qc_flags(DATA / "lcl_60hh_2013_meta.csv")
    before = pd.Timestamp(CUT, tz=TZ)
    sel = select_households(series, qc_flags=qc, before=before)
    models = fold_models(series, sel, args.folds, args.cache)
    origins = midnight_origins(CUT, "2014-01-01", TZ)
    frames = []
    t = time.perf_counter()
    for f, (model, test) in models.items():
        res = backtest({h: series[h] for h in test}, origins, model=model, tz=TZ, holiday_region=REGION)
        p = res.points
        p["fold"] = f
        frames.append(p)
    print(f"backtest of {args.folds} folds: {time.perf_counter() - t:.0f} s; load {os.getloadavg()[0]:.1f}")
    pts = pd.concat(frames, ignore_index=True)
    # household descriptors from data before the cut-off only
    desc = {}
    for h in pts["household"].unique():
        s = series[h][series[h].index < before].dropna()
        desc[h] = (s.mean(), s.std() / max(s.mean(), 1e-9))
    lvl = pd.Series({h: d[0] for h, d in desc.items()})
    cv = pd.Series({h: d[1] for h, d in desc.items()})
    lvl_q = pd.qcut(lvl, 4, labels=["level Q1 (low)", "level Q2", "level Q3", "level Q4 (high)"])
    cv_q = pd.qcut(cv, 4, labels=["variability Q1 (steady)", "variability Q2", "variability Q3", "variability Q4"])
    tariff = pts["household"].map(
        lambda h: "dynamic tariff (ToU)" if sel.groups.get(h) == "dynamic_tariff" else "standard tariff"
    )

    syn = german_shaped()
    o_de = midnight_origins("2024-10-01", "2025-01-01", "Europe/Berlin")
    res_de = backtest(syn, o_de, model=models[0][0], tz="Europe/Berlin", holiday_region="DE-NW")
    pts_de = res_de.points

    rows = []

    def add(name, part):
        a = score(part, "model_p10", "model_p90")
        g = score(part, "model_global_p10", "model_global_p90")
        rows.append(
            {
                "group": name,
                **a,
                "coverage_global_only": g["coverage"],
                "below_p10_global": g["below_p10"],
                "pinball_global_only": g["pinball"],
            }
        )

    add("all London (held out)", pts)
    for lab in lvl_q.cat.categories:
        add(lab, pts[pts["household"].map(lvl_q) == lab])
    for lab in cv_q.cat.categories:
        add(lab, pts[pts["household"].map(cv_q) == lab])
    for lab in ("standard tariff", "dynamic tariff (ToU)"):
        add(lab, pts[tariff == lab])
    add("synthetic German-shaped (DE-NW)", pts_de)
    table = pd.DataFrame(rows)
    print(
        f"\n{pts['household'].nunique()} London households held out in {args.folds} folds, {len(origins)} origins;"
        f" {len(syn)} synthetic German-shaped households, {len(o_de)} origins\n"
    )
    print(
        "| group | households | P10-P90 coverage | below P10 | above P90 | pinball [kWh/h] | coverage, global offsets only | below P10, global only | pinball, global only |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in table.itertuples():
        print(
            f"| {r.group} | {r.n_hh} | {100 * r.coverage:.1f} % | {100 * r.below_p10:.1f} % | {100 * r.above_p90:.1f} % | "
            f"{r.pinball:.4f} | {100 * r.coverage_global_only:.1f} % | {100 * r.below_p10_global:.1f} % | {r.pinball_global_only:.4f} |"
        )
    per_hh = pts.groupby("household").apply(
        lambda p: ((p.actual_kwh >= p.model_p10) & (p.actual_kwh <= p.model_p90)).mean(), include_groups=False
    )
    per_g = pts.groupby("household").apply(
        lambda p: ((p.actual_kwh >= p.model_global_p10) & (p.actual_kwh <= p.model_global_p90)).mean(),
        include_groups=False,
    )
    print(
        f"\nper-household coverage (London, held out): adaptive median {per_hh.median():.3f}, "
        f"10th-90th pct {per_hh.quantile(0.1):.3f}-{per_hh.quantile(0.9):.3f}, share in 70-90 %: "
        f"{((per_hh >= 0.7) & (per_hh <= 0.9)).mean():.2f}; global only median {per_g.median():.3f}, "
        f"10th-90th {per_g.quantile(0.1):.3f}-{per_g.quantile(0.9):.3f}, share in 70-90 %: "
        f"{((per_g >= 0.7) & (per_g <= 0.9)).mean():.2f}"
    )
    pts.to_parquet(args.cache / "points.parquet")
    pts_de.to_parquet(args.cache / "points_de.parquet")


if __name__ == "__main__":
    main()
