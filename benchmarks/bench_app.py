"""Household app speed: upload-to-first-chart and each page's render (Streamlit AppTest).

Two households: the synthetic demo household (a 15-min year) and an uploaded German portal CSV
with a year of 15-min data (35,040 rows, written to memory here). For each: the run that reads
the data and draws the first chart (the Start page's daily chart), then every page cold (first
visit, computing and filling the caches) and warm (second visit, from the caches).

AppTest runs the scripts in-process without a browser: the figures are server time, not the
browser's drawing time. Targets (issue 13, on the shared 2-core machine): first load of the demo
<= 3 s and upload of a year of 15-min data to the first chart <= 1.5 s. Each figure is also given
as a ratio to a bare Streamlit page (title + one line) timed in the same process just before, so
a busier machine shows up in the baseline, not as a regression.

Run: ``.venv/bin/python benchmarks/bench_app.py``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app" / "Home.py"
PAGES = ["views/overview.py", "views/forecast.py", "views/solar.py", "views/recommendations.py", "views/report.py"]


def portal_csv_year() -> bytes:
    idx = pd.date_range("2025-01-01", "2026-01-01", freq="15min", tz="Europe/Berlin", inclusive="left")
    rng = np.random.default_rng(1)
    hour = idx.hour.to_numpy()
    kwh = (
        0.03 + 0.05 * ((hour >= 6) & (hour < 22)) + 0.12 * ((hour >= 17) & (hour < 20)) + rng.gamma(1.5, 0.02, len(idx))
    )
    values = [f"{v:.3f}".replace(".", ",") for v in kwh]
    lines = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    lines += [f"{d};{t};{v}" for d, t, v in zip(idx.strftime("%d.%m.%Y"), idx.strftime("%H:%M"), values, strict=True)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(at: AppTest) -> float:
    t0 = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t0
    if at.exception:
        raise SystemExit(f"app raised: {[e.value for e in at.exception]}")
    return elapsed


def state(at: AppTest) -> str:
    """What the page shows instead of figures, if anything."""
    texts = [e.value for e in (*at.info, *at.warning)]
    notes = []
    if any("Noch nicht verfügbar" in x for x in texts):
        notes.append("part not yet available")
    if any("nicht berechnet" in x for x in texts):
        notes.append("part could not be computed")
    return ", ".join(notes)


def pages(at: AppTest, label: str, rows: list[tuple[str, str, float]]) -> None:
    for visit in ("cold", "warm"):
        for page in PAGES:
            at.switch_page(page)
            seconds = timed(at)
            note = state(at)
            rows.append((label, f"{Path(page).stem} ({visit})" + (f" [note: {note}]" if note else ""), seconds))
    at.switch_page("views/start.py")


BARE = "import streamlit as st\nst.title('Leer')\nst.write('Eine leere Seite.')\n"


def bare_seconds(n: int = 5) -> float:
    """Median time of a bare Streamlit page's run (AppTest, same process)."""
    times = []
    for _ in range(n):
        at = AppTest.from_string(BARE, default_timeout=60)
        times.append(timed(at))
    return float(np.median(times))


def main() -> int:
    rows: list[tuple[str, str, float]] = []
    bare = bare_seconds()

    at = AppTest.from_file(str(APP), default_timeout=300)
    rows.append(("demo", "start: demo household + first chart (cold)", timed(at)))
    rows.append(("demo", "start (warm)", timed(at)))
    pages(at, "demo", rows)

    raw = portal_csv_year()
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.run()
    at.file_uploader(key="upload").set_value(("lastgang_2025.csv", raw, "text/csv"))
    t = timed(at)
    hh = at.session_state["hh"]
    if hh.source != "upload":
        raise SystemExit("the upload was refused: " + str([w.value for w in at.warning]))
    rows.append(("upload", f"upload {len(raw) / 1e6:.1f} MB, {hh.curve.n_intervals} intervals -> first chart", t))
    pages(at, "upload", rows)

    width = max(len(r[1]) for r in rows)
    print(f"{'household':<9} {'step':<{width}} {'seconds':>8}")
    for label, step, seconds in rows:
        print(f"{label:<9} {step:<{width}} {seconds:8.2f}")
    first = next(r[2] for r in rows if r[0] == "upload" and r[1].startswith("upload"))
    demo = rows[0][2]
    print(f"\nbare Streamlit page (median of 5): {bare:.3f} s")
    for name, secs, target in (("first load of the demo", demo, 3.0), ("upload-to-first-chart", first, 1.5)):
        verdict = "OK" if secs <= target else "SLOWER THAN TARGET"
        print(f"{name}: {secs:.2f} s = {secs / bare:.1f} x bare page (target <= {target} s): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
