"""Annualising a short cut of a real year: the one H25 annualisation against a linear x365/days scaling.

Over the real London households in ../shared/data with a (nearly) complete year: cut two or three
months, annualise, compare with the household's own year. Prints median and p90 of the error.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.annual import annual_energy
from advisor.ingest import ReadOptions, read_load_curves
from advisor.loadcurve import make_load_curve

PATH = Path(__file__).resolve().parents[2] / "shared" / "data" / "lcl_london" / "lcl_60hh_2013_30min.parquet"
if not PATH.exists():
    sys.exit(f"skipped: {PATH} not found")
curves = read_load_curves(PATH, ReadOptions(tz="Europe/London", holiday_region="GB-ENG"))
rows = []
for c in curves:
    e = c.energy_kwh
    full = annual_energy(c)
    if full.method not in ("measured_full_year", "full_year_gaps_filled_h25"):
        continue
    truth = full.annual_kwh
    for m0, m1 in ((1, 3), (6, 8), (3, 6)):
        sel = e[(e.index.tz_convert(c.meta.tz).month >= m0) & (e.index.tz_convert(c.meta.tz).month < m1)]
        cut = make_load_curve(sel, interval_minutes=c.interval_minutes, meta=c.meta)
        h25 = annual_energy(cut).annual_kwh
        lin = float(sel.dropna().sum()) * 365 / (sel.notna().sum() * c.interval_hours / 24)
        rows.append(
            dict(id=c.meta.meter_id, cut=f"{m0}-{m1 - 1}", truth=truth, h25=h25 / truth - 1, linear=lin / truth - 1)
        )
d = pd.DataFrame(rows)
print(len(curves), "curves;", d.id.nunique(), "with a measured full year")
print(
    d.groupby("cut")[["h25", "linear"]].agg(
        lambda x: (
            f"median {np.median(x) * 100:+.1f}%  |err| median {np.median(np.abs(x)) * 100:.1f}%  p90 {np.quantile(np.abs(x), 0.9) * 100:.1f}%"
        )
    )
)
