"""Benchmark: parse and validate one household-year of 15-min German portal CSV (35,040 rows).

The CSV is made at run time from a synthetic household (``advisor.synthetic``) in the typical
German layout (metadata lines, ``Datum;Uhrzeit;Wert;Status``, decimal comma, end-labelled, naive
local time across both DST changes) and written to a temporary file. Target: under 0.3 s.

Run: ``.venv/bin/python benchmarks/bench_ingest_csv.py [--runs 5] [--profile]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.ingest import read_load_curve
from advisor.synthetic import SyntheticSpec, synthetic_household

TARGET_S = 0.3


def german_csv_text(year: int = 2023) -> tuple[str, float, int]:
    """CSV text, its total [kWh] and its row count."""
    hh = synthetic_household(SyntheticSpec(year=year, interval_minutes=15, seed=1))
    e = hh.curve.energy_kwh.round(3)
    ends = (e.index + pd.Timedelta(minutes=15)).tz_convert("Europe/Berlin")
    naive = ends.tz_localize(None)
    day = naive.strftime("%d.%m.%Y")
    tod = naive.strftime("%H:%M")
    # end of day as 24:00 of the same date, as many portals write it
    midnight = (naive.hour == 0) & (naive.minute == 0)
    prev_day = (naive - pd.Timedelta(days=1)).strftime("%d.%m.%Y")
    day = np.where(midnight, prev_day, day)
    tod = np.where(midnight, "24:00", tod)
    vals = np.char.replace(np.char.mod("%.3f", e.to_numpy()), ".", ",")
    body = "\n".join(f"{d};{t};{v};W" for d, t, v in zip(day, tod, vals, strict=False))
    text = "Zählpunkt;DE0001234567890000000000000000001\nEinheit;kWh\n\nDatum;Uhrzeit;Wert;Status\n" + body + "\n"
    return text, float(e.sum()), len(e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="print the top functions of one run (cProfile)")
    args = ap.parse_args()

    text, total_kwh, n_rows = german_csv_text()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "haushalt_2023.csv"
        path.write_bytes(text.encode("cp1252"))
        curve = read_load_curve(path)  # warm-up (imports, caches)
        assert curve.n_intervals == n_rows, (curve.n_intervals, n_rows)
        assert abs(curve.measured_and_substituted_kwh - total_kwh) < 1e-6
        times, cpu = [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            read_load_curve(path)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            read_load_curve(path)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    med = statistics.median(times)
    print(f"file: {path.name}, {len(text.encode('cp1252')) / 1e6:.2f} MB, {n_rows} rows, {total_kwh:.1f} kWh")
    print(f"parse+validate median of {args.runs}: {med:.3f} s  (min {min(times):.3f} s, max {max(times):.3f} s)")
    print(f"process CPU time median: {statistics.median(cpu):.3f} s (wall time above includes waiting on a shared machine)")
    print(f"throughput: {n_rows / med:,.0f} rows/s")
    try:
        print(f"load average (1 min) during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    except OSError:
        pass
    print(f"target < {TARGET_S} s: {'met' if med < TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
