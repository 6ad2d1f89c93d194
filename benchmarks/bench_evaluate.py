"""Benchmark: ``advisor evaluate`` on N households (default 10,000) with D days of later data.

The run folder is made directly with the library (what ``advisor batch --control-share`` leaves
behind: ``.state/run.json`` and ``assignment.parquet`` with each household's baseline), so the
benchmark times the evaluation only: reading the later data (a Parquet long table, ``D`` days at
``--minutes`` per interval, written at benchmark time with a known 3 % saving in the treatment
group), the model and the outputs. Target (issue 19): 10,000 households in under a minute on 2 cores.

Printed: rows of later data, seconds to write them (not part of the target), seconds of
``advisor evaluate`` (wall) and its CPU seconds (this process and its threads, e.g. DuckDB's, plus
any worker processes), the load average before and after (on a shared machine the wall time is
only honest next to them), households/s, peak RSS, and the estimate (which should hold 3 %).

Run: ``.venv/bin/python benchmarks/bench_evaluate.py [--n 10000] [--days 90] [--minutes 15] [--workers 2]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

from advisor.batch import EngineSpec
from advisor.evaluate.assignment import ASSIGNMENT_COLUMNS, TREATMENT, assign_groups
from advisor.evaluate.run import EvaluateOptions, run_evaluation
from advisor.ingest import ReadOptions

SAVING = 0.03
START = pd.Timestamp("2026-01-01", tz="Europe/Berlin")


def make_run(run: Path, n: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    keys = [f"H{i:06d}" for i in range(n)]
    level = rng.lognormal(np.log(8.0), 0.45, n)  # kWh/day
    units = pd.DataFrame(
        {"annual_kwh": level * 365, "stromspiegel_class": rng.choice(list("ABCDEFG"), n)}, index=keys
    )
    a = assign_groups(units, 0.2, seed)
    frame = pd.DataFrame(
        {
            "household": a.index,
            "group": a["group"],
            "stratum": a["stratum"],
            "stromspiegel_class": a["stromspiegel_class"],
            "consumption_quintile": a["consumption_quintile"],
            "annual_kwh": a["annual_kwh"],
            "baseline_kwh_per_day": level,
            "baseline_days": 365.0,
            "baseline_start": (START - pd.Timedelta(days=365)).isoformat(),
            "baseline_end": START.isoformat(),
            "baseline_estimated": False,
        }
    ).astype(dict(ASSIGNMENT_COLUMNS))
    (run / ".state").mkdir(parents=True)
    config = {"letter_date": START.date().isoformat(), "assignment_seed": seed, "households": None, "seeds_dir": None}
    (run / ".state" / "run.json").write_text(json.dumps(config))
    frame.to_parquet(run / "assignment.parquet", index=False)
    return frame


def make_after(path: Path, frame: pd.DataFrame, days: int, minutes: int, seed: int = 4) -> int:
    rng = np.random.default_rng(seed)
    per_day = 24 * 60 // minutes
    idx = pd.date_range(START, periods=days * per_day, freq=f"{minutes}min").tz_convert("UTC")
    hours = idx.tz_convert("Europe/Berlin").hour.to_numpy()
    shape = 0.6 + 0.8 * np.exp(-((hours - 19) ** 2) / 8.0) + 0.3 * np.exp(-((hours - 8) ** 2) / 4.0)
    shape = shape / shape.mean()
    ts = pa.array(idx.as_unit("us"))
    writer = None
    rows = 0
    for i, r in enumerate(frame.itertuples()):
        drift = rng.lognormal(0.0, 0.25)  # each household's own change, same law in both groups
        effect = 1 - SAVING if r.group == TREATMENT else 1.0
        kwh = r.baseline_kwh_per_day / per_day * drift * effect * shape * rng.gamma(4.0, 0.25, len(idx))
        table = pa.table({"household_id": pa.array([r.household] * len(idx)), "timestamp_utc": ts, "kwh": kwh})
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
        rows += len(idx)
        if i and i % 2000 == 0:
            print(f"  wrote {i} households", flush=True)
    writer.close()
    return rows


def _cpu_s() -> float:
    """CPU seconds of this process (all threads) and of its waited-for children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--minutes", type=int, default=15)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        frame = make_run(run, args.n)
        t0 = time.perf_counter()
        rows = make_after(Path(tmp) / "after.parquet", frame, args.days, args.minutes)
        print(f"later data: {rows:,} rows ({args.n} households x {args.days} days at {args.minutes} min), written in {time.perf_counter() - t0:.1f} s")
        peak = [0]
        stop = threading.Event()

        def sample():
            me = psutil.Process()
            while not stop.is_set():
                rss = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
                peak[0] = max(peak[0], rss)
                time.sleep(0.5)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        load_before = os.getloadavg()
        cpu0 = _cpu_s()
        t0 = time.perf_counter()
        result = run_evaluation(
            EvaluateOptions(
                run_dir=run,
                after=Path(tmp) / "after.parquet",
                read_options=ReadOptions(tz="Europe/Berlin"),
                engine=EngineSpec(workers=args.workers),
            )
        )
        wall = time.perf_counter() - t0
        cpu = _cpu_s() - cpu0
        load_after = os.getloadavg()
        stop.set()
        th.join()
        print(
            f"CPU: {cpu:.1f} s ({1000 * cpu / args.n:.2f} ms per household); load average (1/5/15 min) before "
            f"{load_before[0]:.1f}/{load_before[1]:.1f}/{load_before[2]:.1f}, after "
            f"{load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f} on {os.cpu_count()} cores"
        )
        e = result.estimate.overall
        print(
            f"advisor evaluate: {wall:.1f} s wall for {args.n} households ({args.n / wall:.0f} households/s), "
            f"peak RSS {peak[0] / 1e6:.0f} MB; target < 60 s: {'met' if wall < 60 else 'NOT met'}"
        )
        print(
            f"estimate: {e.effect_pct:.2f} % saving (90 % interval {e.ci_low_pct:.2f} to {e.ci_high_pct:.2f}; true {100 * SAVING:.1f} %), "
            f"{e.n_treatment} treatment + {e.n_control} control, {len(result.missing)} missing, "
            f"{len(result.estimate.per_stratum)} reporting cells"
        )


if __name__ == "__main__":
    main()
