"""Benchmark: stream a Parquet long table of 1,000 household-years at 15 min through
``advisor.ingest.tabular.iter_long_table`` on one core. Target: under 30 s.

The table is made at benchmark time (never stored): a few households from
``advisor.synthetic.synthetic_household`` are shifted by whole days, rescaled and perturbed with
numpy to give ``N`` different households (~0.7 s per generated household would be too slow for
1,000), written with pyarrow in row groups. The table is made in a child process so that the
peak memory printed is the reader's own.

Usage::

    .venv/bin/python benchmarks/bench_ingest_table.py [--households 1000] [--keep PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_table(path: Path, n_households: int, *, year: int = 2024, seed: int = 0, n_base: int = 4) -> int:
    """Write a synthetic long table ``household_id, timestamp_utc, kwh``; return its row count."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from advisor.synthetic import SyntheticSpec, synthetic_household

    rng = np.random.default_rng(seed)
    bases = []
    for k in range(n_base):
        hh = synthetic_household(
            SyntheticSpec(year=year, interval_minutes=15, seed=seed + k, ev_kw=11.0 if k == 3 else 0.0)
        )
        bases.append(hh.curve.data["energy_kwh"].to_numpy())
        t_ns = hh.curve.data.index.tz_convert("UTC").as_unit("ns").asi8
    n_rows = len(t_ns)
    ts = pa.array(t_ns, type=pa.timestamp("ns", tz="UTC"))
    schema = pa.schema(
        [("household_id", pa.string()), ("timestamp_utc", pa.timestamp("ns", tz="UTC")), ("kwh", pa.float64())]
    )
    total = 0
    per_group = 25
    with pq.ParquetWriter(path, schema, compression="snappy") as writer:
        for g in range(0, n_households, per_group):
            ids, times, values = [], [], []
            for i in range(g, min(g + per_group, n_households)):
                base = bases[i % n_base]
                e = np.roll(base, 96 * int(rng.integers(0, 28))) * rng.uniform(0.5, 2.0)
                e = np.clip(e * rng.normal(1.0, 0.05, n_rows), 0.0, None).round(4)
                keep = np.ones(n_rows, bool)
                if i % 10 == 0:  # every tenth household has a few gaps (absent rows)
                    keep[rng.integers(1, n_rows - 1, 20)] = False
                n_keep = int(keep.sum())
                ids.append(
                    pa.DictionaryArray.from_arrays(np.zeros(n_keep, np.int32), pa.array([f"HH{i:05d}"])).cast(
                        pa.string()
                    )
                )
                times.append(ts.filter(pa.array(keep)))
                values.append(pa.array(e[keep]))
                total += int(keep.sum())
            writer.write_table(
                pa.table(
                    {
                        "household_id": pa.concat_arrays(ids),
                        "timestamp_utc": pa.concat_arrays(times),
                        "kwh": pa.concat_arrays(values),
                    },
                    schema=schema,
                )
            )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated table at this path")
    parser.add_argument("--make", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make is not None:  # child process: only make the table
        rows = make_table(args.make, args.households)
        print(rows)
        return

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "long_table.parquet"
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--make", str(path), "--households", str(args.households)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows = int(out.stdout.strip().splitlines()[-1])
        make_s = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6

        import pyarrow as pa

        pa.set_cpu_count(1)
        pa.set_io_thread_count(1)
        from advisor.ingest import ReadOptions
        from advisor.ingest.tabular import iter_long_table

        rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        c0 = time.process_time()
        n_ok = n_err = 0
        energy = 0.0
        for _, res in iter_long_table(path, ReadOptions()):
            if isinstance(res, Exception):
                n_err += 1
            else:
                n_ok += 1
                energy += res.measured_and_substituted_kwh
        read_s = time.perf_counter() - t0
        cpu_s = time.process_time() - c0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"table: {args.households} household-years x 15 min = {rows:,} rows, {size_mb:.0f} MB Parquet (made in {make_s:.1f} s)"
    )
    print(
        f"iter_long_table: {read_s:.2f} s for {n_ok} curves ({n_err} errors), {rows / read_s:,.0f} rows/s, "
        f"{read_s / max(n_ok, 1) * 1000:.1f} ms per household"
    )
    print(f"CPU time of the reading process: {cpu_s:.2f} s (wall time includes waiting for a shared core)")
    print(f"peak RSS of the reading process: {peak_mb:.0f} MB (before reading: {rss_before_mb:.0f} MB)")
    print(f"total energy read: {energy:,.0f} kWh")
    load1 = os.getloadavg()[0]
    print(f"load average {load1:.1f} on {os.cpu_count()} cores during the run")
    print(
        f"target < 30 s on one core: wall {'met' if read_s < 30 else 'NOT met'} ({read_s:.1f} s), "
        f"CPU {'met' if cpu_s < 30 else 'NOT met'} ({cpu_s:.1f} s)"
    )


if __name__ == "__main__":
    main()
