"""Speed of the load-curve analysis: one household-year at 15 min (target < 0.2 s).

Run: ``.venv/bin/python benchmarks/bench_analysis.py``. Prints seconds per analysis (best and
median of several runs, after one warm-up that fills caches such as the H25 year), for a complete
year, a year with gaps (H25 gap filling) and a hourly year, and the share spent in the signatures.
"""

from __future__ import annotations

import statistics
import time
import warnings

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
    from advisor.analysis import analyse, curve_arrays
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


if __name__ == "__main__":
    main()
