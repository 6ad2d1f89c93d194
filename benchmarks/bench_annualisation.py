"""Annualising a short cut of a real year: errors by period length (the seed of the stated ranges).

Over the real London households in ../shared/data with a (nearly) complete year: cut windows of
1, 3, 7, 14, 28, 56, 91 and 182 days starting on every 7th day of the year (windows that fit in
the year), annualise each with :func:`advisor.annual.annual_energy` (BDEW H25), compare with the
household's own year. Prints, per length, the median and the 10th/90th percentile of the signed
relative error ``annualised / true - 1`` and the median and 80th percentile of its absolute value,
and with ``--seed`` writes them as ``seeds/annualisation_error.csv`` (source: this measurement).
"""

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.annual import annual_energy
from advisor.ingest import ReadOptions, read_load_curves
from advisor.loadcurve import make_load_curve

LENGTHS_DAYS = (1, 3, 7, 14, 28, 56, 91, 182)
ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT.parent / "shared" / "data" / "lcl_london" / "lcl_60hh_2013_30min.parquet"


def windows(curves):
    rows = []
    for c in curves:
        full = annual_energy(c)
        if full.method not in ("measured_full_year", "full_year_gaps_filled_h25"):
            continue
        truth = full.annual_kwh
        e = c.energy_kwh
        local = e.index.tz_convert(c.meta.tz)
        day0 = local.normalize()
        first = day0[0]
        for n in LENGTHS_DAYS:
            for start_day in range(0, 365 - n, 7):
                s = first + pd.Timedelta(days=start_day)
                sel = e[(day0 >= s) & (day0 < s + pd.Timedelta(days=n))]
                if sel.notna().sum() < 0.9 * len(sel) or len(sel) == 0:
                    continue
                cut = make_load_curve(sel, interval_minutes=c.interval_minutes, meta=c.meta)
                a = annual_energy(cut)
                rows.append(dict(id=c.meta.meter_id, days=n, err=a.annual_kwh / truth - 1, stated=a.uncertainty_pct))
    return pd.DataFrame(rows)


def main(argv):
    if not PATH.exists():
        sys.exit(f"skipped: {PATH} not found")
    curves = read_load_curves(PATH, ReadOptions(tz="Europe/London", holiday_region="GB-ENG"))
    d = windows(curves)
    q = (
        d.groupby("days")
        .agg(
            n_windows=("err", "size"),
            n_households=("id", "nunique"),
            median_error_pct=("err", lambda x: 100 * np.median(x)),
            p10_error_pct=("err", lambda x: 100 * np.quantile(x, 0.1)),
            p90_error_pct=("err", lambda x: 100 * np.quantile(x, 0.9)),
            median_abs_error_pct=("err", lambda x: 100 * np.median(np.abs(x))),
            p80_abs_error_pct=("err", lambda x: 100 * np.quantile(np.abs(x), 0.8)),
            heuristic_stated_pct=("stated", "median"),
        )
        .round(1)
        .reset_index()
    )
    print(f"{len(curves)} curves; {d.id.nunique()} with a measured full year; windows every 7th day")
    print(q.to_string(index=False))
    # out of sample: the 80 % range from one half of the households, checked on the other half
    ids = sorted(d.id.unique())
    half = d.id.isin(ids[::2])
    rows = []
    for days, g in d.groupby("days"):
        cover = []
        for fit, test in ((half, ~half), (~half, half)):
            f = g[fit.loc[g.index]]
            t = g[test.loc[g.index]]
            lo, hi = np.quantile(f.err, 0.1), np.quantile(f.err, 0.9)
            cover.append(((t.err >= lo) & (t.err <= hi)).mean())
        rows.append(dict(days=days, held_out_coverage_pct=round(100 * float(np.mean(cover)), 1)))
    print("true year inside the 80 % range fitted on the other half of the households:")
    print(pd.DataFrame(rows).to_string(index=False))
    if "--seed" in argv:
        out = ROOT / "seeds" / "annualisation_error.csv"
        q = q.assign(
            source=(
                "Own measurement: benchmarks/bench_annualisation.py, H25 annualisation of windows cut from "
                f"{d.id.nunique()} full 2013 years of the Low Carbon London smart-meter households (UK Power Networks, "
                "London Datastore), signed error against each household's own year"
            ),
            date=date.today().isoformat(),
        )
        header = (
            "# Error of annualising a short period with the BDEW H25 shape, by period length (days of measured values).\n"
            "# p10/p90 of annualised/true - 1 give the stated 80 % range of an annual figure from so few days.\n"
        )
        out.write_text(header + q.to_csv(index=False), encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
