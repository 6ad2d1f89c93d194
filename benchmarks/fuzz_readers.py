"""The long fuzz run of the readers, and how reading time scales with file size.

1. Reading time of 1, 2 and 4 years of quarter hours in every format (the renderers of
   tests/test_ingest_properties.py), and the ratio time(4 years) / time(1 year): about 4 for a
   linear reader; the quadratic MSCONS split of issue 17 gave ~16 per doubling squared.
2. ``tests/test_ingest_properties.py`` with the ``long`` Hypothesis profile (600 examples per
   property instead of 50; about 10-20 minutes on two shared cores).

    python benchmarks/fuzz_readers.py              # both
    python benchmarks/fuzz_readers.py --scaling    # only the timings
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def scaling() -> None:
    import numpy as np
    import pandas as pd
    import test_ingest_properties as P

    from advisor.ingest import read_load_curves

    print(f"{'format':18s} {'1 year':>16s} {'2 years':>16s} {'4 years':>16s}  ratio 4y/1y")
    for fmt, (render, name, options) in sorted(P._YEAR_FORMATS.items()):
        cells, times = [], []
        for years in (1, 2, 4):
            n = 35_136 * years
            t = P.Truth(pd.Timestamp("2020-12-31 23:00", tz="UTC"), 15, np.random.default_rng(years).integers(0, 1500, n))
            if fmt == "portal-local-wh":  # naive Berlin times: one summer's worth per year, no repeated hour
                t = P.Truth(pd.Timestamp("2021-01-01 23:00", tz="UTC"), 15, t.wh[: 96 * 290 * years])
                if years > 1:
                    cells.append(f"{'n/a':>16s}")
                    continue
            raw = render(t)
            t0 = time.perf_counter()
            read_load_curves(raw, options, name=name)
            secs = time.perf_counter() - t0
            times.append(secs)
            cells.append(f"{len(raw) / 1e6:5.1f} MB {secs:6.2f} s")
        ratio = f"{times[-1] / times[0]:.1f}" if len(times) == 3 else "-"
        print(f"{fmt:18s} {' '.join(cells)}  {ratio}", flush=True)


def long_run() -> int:
    env = {**os.environ, "ADVISOR_FUZZ_PROFILE": "long", "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_ingest_properties.py",
           "--hypothesis-show-statistics"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env)
    print(f"long fuzz run: exit {proc.returncode} after {time.perf_counter() - t0:.0f} s")
    return proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scaling", action="store_true", help="only the timings")
    args = ap.parse_args()
    scaling()
    return 0 if args.scaling else long_run()


if __name__ == "__main__":
    sys.exit(main())
