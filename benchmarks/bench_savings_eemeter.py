"""eemeter (OpenDSM's CalTRACK daily model) on the savings placebo and known-cut runs of bench_savings.py.

OpenDSM 1.2.7 requires pandas < 3 while the product runs on pandas 3, so this script does not
import ``advisor`` and runs in its own environment::

    python -m venv /tmp/fc-eem && /tmp/fc-eem/bin/pip install opendsm==1.2.7 pyarrow
    python benchmarks/bench_savings.py --write-temperature /tmp/fc-eem-cache/temperature.csv
    /tmp/fc-eem/bin/python benchmarks/bench_savings_eemeter.py --out /tmp/fc-eem-cache/eemeter.parquet
    python benchmarks/bench_savings.py --eemeter /tmp/fc-eem-cache/eemeter.parquet

Same runs as bench_savings.py: the London households, change dates 2013-07-01 ... 10-01, baseline
= the hours before the change, reporting = the hours after (to 2013-12-31); scenarios placebo
(nothing changed), cut (reporting hours x 0.9) and plus50w (+50 W every reporting hour). The
temperature is the one bench_savings.py writes (hourly [°C], converted here to °F, which eemeter
expects): either a constant (no weather information, as the product's default run) or the DWD
TRY2010 region-1 climatology as a maritime stand-in (the London data carries no weather). Every
baseline is 6-9 months, so the fits run with ``ignore_disqualification=True`` (eemeter
disqualifies baselines under 365 days, as CalTRACK does).

Band: eemeter gives each reporting day a prediction-interval half-width ``predicted_unc`` at
``uncertainty_alpha``; with alpha = 0.2 that is the day's P10-P90 half-width. The period's band is
saved kWh +- sqrt(sum of the days' half-widths squared), i.e. days treated as independent, as a
user summing eemeter's daily output would.
"""

from __future__ import annotations

import argparse
import logging
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lcl_london" / "lcl_60hh_2013_30min.parquet"
TZ = "Europe/London"
CHANGES = ("2013-07-01", "2013-08-01", "2013-09-01", "2013-10-01")
SCENARIOS = {"placebo": (1.0, 0.0), "cut": (0.9, 0.0), "plus50w": (1.0, 50.0)}


def hourly_series() -> dict[str, pd.Series]:
    df = pd.read_parquet(DATA)
    df["timestamp_utc"] = pd.to_datetime(df["timestamp_utc"], utc=True)
    out = {}
    for h, part in df.groupby("lclid"):
        s = part.set_index("timestamp_utc")["kwh"].sort_index()
        s = s[~s.index.duplicated()]
        g = s.resample("h")
        hourly = g.sum(min_count=1).where(g.count() == 2)
        out[str(h)] = hourly.tz_convert(TZ)
    return out


def run_one(model_cls, base_cls, rep_cls, hourly: pd.Series, temp_f: pd.Series, change: str, factor: float, add_w: float):
    change_ts = pd.Timestamp(change, tz=TZ)
    e = hourly.copy()
    after = e.index >= change_ts
    e[after] = e[after] * factor + add_w / 1000.0
    daily = e.resample("D").sum(min_count=1).where(e.resample("D").count() >= e.resample("D").size())
    t_daily = temp_f.tz_convert(TZ).resample("D").mean()
    base = daily[daily.index < change_ts]
    rep = daily[daily.index >= change_ts]
    if base.notna().sum() < 90 or rep.notna().sum() < 30:
        return None
    bd = base_cls.from_series(base, t_daily.reindex(base.index), is_electricity_data=True)
    model = model_cls(settings={"uncertainty_alpha": 0.2}).fit(bd, ignore_disqualification=True)
    rd = rep_cls.from_series(rep, t_daily.reindex(rep.index), is_electricity_data=True)
    pred = model.predict(rd, ignore_disqualification=True)
    ok = pred["observed"].notna() & pred["predicted"].notna()
    p = pred[ok]
    saved = float((p["predicted"] - p["observed"]).sum())
    half = float(np.sqrt((p["predicted_unc"] ** 2).sum()))
    orig = hourly[hourly.index >= change_ts]
    return {
        "saved": saved,
        "p10": saved - half,
        "p90": saved + half,
        "reporting_kwh": float(p["observed"].sum()),
        "orig_reporting_kwh": float(orig.resample("D").sum(min_count=1).reindex(p.index).sum()),
        "days": int(ok.sum()),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--temperature", type=Path, default=Path("/tmp/fc-eem-cache/temperature.csv"))
    ap.add_argument("--out", type=Path, default=Path("/tmp/fc-eem-cache/eemeter.parquet"))
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    logging.getLogger("eemeter").setLevel(logging.ERROR)
    from opendsm.eemeter import DailyBaselineData, DailyModel, DailyReportingData

    temps = pd.read_csv(args.temperature, parse_dates=["timestamp_utc"]).set_index("timestamp_utc")
    temps.index = pd.DatetimeIndex(temps.index, tz="UTC") if temps.index.tz is None else temps.index
    series = hourly_series()
    rows = []
    t0 = time.perf_counter()
    for weather in [c for c in temps.columns]:
        temp_f = temps[weather] * 9.0 / 5.0 + 32.0
        for h, s in series.items():
            for ch in CHANGES:
                for sc, (factor, add_w) in SCENARIOS.items():
                    try:
                        r = run_one(DailyModel, DailyBaselineData, DailyReportingData, s, temp_f, ch, factor, add_w)
                    except Exception as exc:  # a fit eemeter refuses: recorded, not hidden
                        rows.append({"household": h, "change": ch, "scenario": sc, "weather": weather, "error": type(exc).__name__})
                        continue
                    if r is not None:
                        rows.append({"household": h, "change": ch, "scenario": sc, "weather": weather, **r})
        print(f"{weather}: done after {time.perf_counter() - t0:.0f} s", flush=True)
    out = pd.DataFrame(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    out.to_parquet(args.out)
    print(f"wrote {len(out)} runs ({out['error'].notna().sum() if 'error' in out else 0} refused) to {args.out}")


if __name__ == "__main__":
    main()
