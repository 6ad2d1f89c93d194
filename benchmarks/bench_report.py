"""Speed of one household-year: assessment, HTML report/letter (with SVG charts) and PDF.

Prints wall and CPU time per step (median of a few runs). The batch target is >= 3 households/s
with HTML letters on 2 cores, so assess (without PV/forecast) + letter HTML should stay well
under ~0.6 s of CPU per household and core.

    .venv/bin/python benchmarks/bench_report.py [--runs 5] [--full]

``--full`` also times the PV simulation and the forecast (the app's and the report command's path).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from advisor.assessment import AssessmentSettings, assess_household
from advisor.household import Household
from advisor.ingest.prices import read_day_ahead_prices
from advisor.report import Address, Brand, html_to_pdf, render_report
from advisor.seeds import load_seeds
from advisor.synthetic import demo_household

PRICES = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "prices" / "de_lu_day_ahead_hourly_2023_2024_smard.csv"
)


def timed(fn, runs: int):
    walls, cpus, out = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--full", action="store_true", help="also PV simulation and forecast")
    args = ap.parse_args()
    seeds = load_seeds()
    prices = read_day_ahead_prices(PRICES) if PRICES.exists() else None
    curve = demo_household().curve
    hh = Household(persons=3, dwelling="house", tenure="owner")
    light = AssessmentSettings(seeds=seeds, prices=prices, parts=("tariffs", "recommendations"))
    # warm-up: imports, matplotlib fonts (day chart), Jinja templates
    a = assess_household(curve, hh, light)
    render_report(a, "de")
    brand = Brand(name="Stadtwerke Herne AG", sender_lines=("Grenzweg 18", "44623 Herne"))
    addr = Address(lines=("Familie Muster", "Musterstr. 1", "44623 Herne"), key="HH00001")
    rows = []
    rows.append(
        ("assess (analysis + tariffs + recommend)", *timed(lambda: assess_household(curve, hh, light), args.runs)[:2])
    )
    rows.append(("HTML report (2 SVG charts)", *timed(lambda: render_report(a, "de"), args.runs)[:2]))
    rows.append(
        (
            "HTML letter (1 SVG chart)",
            *timed(lambda: render_report(a, "de", variant="letter", brand=brand, address=addr), args.runs)[:2],
        )
    )
    rows.append(
        (
            "HTML letter (no chart)",
            *timed(
                lambda: render_report(a, "de", variant="letter", brand=brand, address=addr, charts=False), args.runs
            )[:2],
        )
    )
    html = render_report(a, "de")
    rows.append(("PDF from report HTML (WeasyPrint)", *timed(lambda: html_to_pdf(html), max(1, args.runs // 2))[:2]))
    if args.full:
        full = AssessmentSettings(seeds=seeds, prices=prices)
        cold = timed(lambda: assess_household(curve, hh, full), 1)
        rows.append(("assess full, cold (model, weather, PV)", *cold[:2]))
        rows.append(("assess full (+ PV + forecast), warm", *timed(lambda: assess_household(curve, hh, full), 3)[:2]))
    print(
        f"one household-year, 15 min ({curve.n_intervals} intervals); prices: {'SMARD 2023-2024' if prices else 'none'}"
    )
    print(f"{'step':<42} {'wall s':>8} {'cpu s':>8}")
    for name, wall, cpu in rows:
        print(f"{name:<42} {wall:8.3f} {cpu:8.3f}")
    letter_cpu = rows[0][2] + rows[2][2]
    print(
        f"assess + HTML letter: {letter_cpu:.3f} s CPU -> {2 / letter_cpu:.1f} households/s on 2 cores (CPU-bound estimate)"
    )
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "r.pdf"
        p.write_bytes(html_to_pdf(html))
        print(f"PDF size {p.stat().st_size / 1024:.0f} KiB, HTML size {len(html) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
