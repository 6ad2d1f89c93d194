"""Speed of the load-curve analysis: one household-year at 15 min (target < 0.2 s).

Run: ``.venv/bin/python benchmarks/bench_analysis.py [--accuracy]``. Prints seconds per analysis
(best and median of several runs, after one warm-up that fills caches such as the H25 year), for a
complete year, a year with gaps (H25 gap filling) and a hourly year, and the share spent in the
signatures. ``--accuracy`` also checks the H25 annualisation on the clean London households of
``../shared/data/lcl_london`` (cut to 1, 3 and 6 months): error against the true 2013 total and
how often the stated uncertainty covers it.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np


def _time(fn, repeat: int = 7) -> tuple[float, float]:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return min(runs), statistics.median(runs)


def main() -> None:
    warnings.simplefilter("ignore")
    from advisor.analysis import analyse
    from advisor.curve_arrays import curve_arrays
    from advisor.household import Household
    from advisor.loadcurve import make_load_curve
    from advisor.seeds import load_seeds
    from advisor.signatures import detect_signatures
    from advisor.synthetic import SyntheticSpec, synthetic_household

    seeds = load_seeds()
    hh = Household(persons=3, dwelling="house", hot_water="other")
    full = synthetic_household(SyntheticSpec(ev_kw=11, circulation_pump_w=60, seed=1)).curve
    e = full.energy_kwh
    e.iloc[np.r_[5000:5100, 20000:20400]] = np.nan
    gappy = make_load_curve(e, interval_minutes=15, meta=full.meta)
    hourly = synthetic_household(SyntheticSpec(interval_minutes=60, seed=1)).curve

    print(f"{'case':<38} {'intervals':>9} {'best s':>8} {'median s':>9}")
    for name, curve in (
        ("15-min year, complete", full),
        ("15-min year, 500 intervals missing", gappy),
        ("hourly year", hourly),
    ):
        best, med = _time(lambda c=curve: analyse(c, hh, seeds=seeds))
        flag = "ok" if med < 0.2 else "SLOW (target 0.2 s)"
        print(f"{name:<38} {curve.n_intervals:>9} {best:>8.3f} {med:>9.3f}  {flag}")
    arrays = curve_arrays(full)
    best, med = _time(lambda: detect_signatures(full, hh, arrays=arrays))
    print(f"{'  of which signatures (15-min year)':<38} {full.n_intervals:>9} {best:>8.3f} {med:>9.3f}")


def accuracy() -> None:
    """Annualisation error on cut London years (skips when the shared data is absent)."""
    import pandas as pd

    from advisor.annual import annual_energy
    from advisor.loadcurve import CurveMeta, make_load_curve

    base = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "lcl_london"
    if not base.exists():
        print(f"accuracy: skipped, {base} not found")
        return
    data = pd.read_parquet(base / "lcl_60hh_2013_30min.parquet")
    meta = pd.read_csv(base / "lcl_60hh_2013_meta.csv").drop_duplicates("lclid").set_index("lclid")
    clean = [i for i in meta.index if not isinstance(meta.loc[i, "qc_flags"], str)]
    err: dict[int, list[float]] = {1: [], 3: [], 6: []}
    covered: dict[int, list[bool]] = {1: [], 3: [], 6: []}
    for lclid in clean:
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"]).tz_convert("Europe/London"))
        true_kwh = float(s.sum())
        for months in err:
            for first in range(1, 13 - months + 1, 2):
                part = s[(s.index.month >= first) & (s.index.month < first + months)]
                curve = make_load_curve(
                    part, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG")
                )
                ae = annual_energy(curve)
                e = abs(ae.annual_kwh / true_kwh - 1) * 100
                err[months].append(e)
                covered[months].append(e <= ae.uncertainty_pct)
    print(f"\nH25 annualisation on {len(clean)} clean London households (2013, 30 min), cut windows:")
    print(f"{'months':>6} {'windows':>8} {'median |err| %':>15} {'p90 |err| %':>12} {'within stated':>14}")
    for months, e in err.items():
        print(
            f"{months:>6} {len(e):>8} {statistics.median(e):>15.1f} {sorted(e)[int(0.9 * len(e))]:>12.1f} "
            f"{100 * sum(covered[months]) / len(e):>13.0f}%"
        )


if __name__ == "__main__":
    main()
    if "--accuracy" in sys.argv:
        accuracy()
