"""Households behind their own PV: is the Stromspiegel class honest? Known truth on ALL real households.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_own_pv.py [--limit N] [--advice]``.

Each of the London households with (almost) a full year (``../shared/data/lcl_london``, read in
place) gets a PV system put behind its meter: a clear-sky-like generation shape with one random sky
per day, scaled to a known annual yield. Per interval the meter then sees import
``max(load - pv, 0)`` and feed-in ``max(pv - load, 0)``. The true class is the one of the original
load. Printed per case: how often the class is given, how often it equals the true class, and
the error of the compared consumption against the true total (median, max).

* ``feed-in + kWp``: feed-in register and stated size; the system yields what the seed assumes
  (950 kWh/kWp), and then 15 % less / more than that (orientation, shading).
* ``feed-in only``: the register, no size: the class must be withheld.
* ``import only``: neither (what a plain import curve shows): withheld only when the ``own_pv``
  signature finds the PV; otherwise the class rests on grid import and is too good.
* ``placebo``: the original load without PV: nothing may change.

``--advice`` adds the advice for the same households without a stated kWp: how often the kWp
range from the feed-in holds the true size, battery and self-consumption advice, no new PV, and
the placebo (no PV: no own-PV advice).
"""

from __future__ import annotations

import statistics
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SEED_YIELD = 950.0


def london_curves(limit: int | None = None):
    from advisor.loadcurve import CurveMeta, make_load_curve

    base = SHARED / "lcl_london"
    meta = pd.read_csv(base / "lcl_60hh_2013_meta.csv").set_index("lclid")
    data = pd.read_parquet(base / "lcl_60hh_2013_30min.parquet")
    ids = sorted(data["lclid"].unique())[:limit]
    for lclid in ids:
        if meta.loc[lclid, "coverage_2013"] < 0.95:
            continue
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"], tz="UTC")).sort_index()
        yield (
            lclid,
            make_load_curve(
                s, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG", meter_id=lclid)
            ),
        )


def generation_kwh(index: pd.DatetimeIndex, kwp: float, yield_kwh_per_kwp: float, seed: int) -> np.ndarray:
    """Half-hourly PV energy [kWh] with one random sky per day, summing to ``kwp x yield``."""
    loc = index.tz_convert("Europe/London")
    hour = np.asarray(loc.hour + loc.minute / 60) + 0.25
    doy = np.asarray(loc.day_of_year)
    daylen = 12 + 4.5 * np.sin(2 * np.pi * (doy - 80) / 365)
    x = (hour - 12.5) / (daylen / 2)
    season = 0.45 + 0.35 * np.sin(2 * np.pi * (doy - 80) / 365)
    sky = np.random.default_rng(seed).uniform(0.1, 1.0, 367)[doy]
    shape = np.clip(np.cos(np.pi / 2 * x), 0, None) * (np.abs(x) < 1) * season * sky
    return shape / shape.sum() * kwp * yield_kwh_per_kwp


def behind_pv(curve, kwp: float, yield_kwh_per_kwp: float, seed: int):
    """(import curve, feed-in kWh, feed-in days) of ``curve`` with a PV system behind the meter."""
    from advisor.loadcurve import make_load_curve

    e = curve.energy_kwh
    pv = generation_kwh(e.index, kwp, yield_kwh_per_kwp, seed)
    known = e.notna().to_numpy()
    load = e.to_numpy()
    imp = np.where(known, np.clip(load - pv, 0, None), np.nan)
    exp = np.where(known, np.clip(pv - load, 0, None), 0.0)
    days = known.sum() * curve.interval_hours / 24
    c = make_load_curve(pd.Series(imp, index=e.index), interval_minutes=curve.interval_minutes, meta=curve.meta)
    return c, float(exp.sum()), float(days)


def main(argv: list[str]) -> None:
    from advisor.analysis import analyse
    from advisor.benchmark import stromspiegel_for
    from advisor.household import Household
    from advisor.seeds import load_seeds

    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    seeds = load_seeds()
    cases: dict[str, list[tuple[bool, bool, float, str]]] = {}

    def record(name, res, truth_cls, truth_kwh):
        ss = res.stromspiegel
        given = ss.efficiency_class is not None
        err = (ss.compared_kwh / truth_kwh - 1) if given and ss.compared_kwh else float("nan")
        cases.setdefault(name, []).append((given, given and ss.efficiency_class == truth_cls, err, str(ss.reason)))

    n = n_device = 0
    ranges = 0
    for i, (_lclid, curve) in enumerate(london_curves(limit)):
        annual = float(curve.energy_kwh.sum()) * 8760 / (curve.energy_kwh.notna().sum() * curve.interval_hours)
        kwp = float(min(10.0, max(3.0, round(annual / 1000 * 2) / 2)))
        for dwelling in ("apartment", "house"):
            hh = Household(persons=2, dwelling=dwelling)
            truth = analyse(curve, hh, seeds=seeds)
            if truth.stromspiegel.efficiency_class is None:
                continue
            # the truth: the class of the household's total consumption (behind PV a heat pump cannot
            # be told from the panels' seasonal swing, so no device is taken out there)
            t_kwh = truth.annual_kwh
            t_cls = stromspiegel_for(t_kwh, hh, seeds=seeds).efficiency_class
            n += 1
            n_device += bool(truth.stromspiegel.adjusted_for)
            record("placebo", truth, truth.stromspiegel.efficiency_class, truth.stromspiegel.compared_kwh)
            for label, true_yield in (("feed-in + kWp (yield as seeded)", SEED_YIELD),
                                      ("feed-in + kWp (yield -15 %)", 0.85 * SEED_YIELD),
                                      ("feed-in + kWp (yield +15 %)", 1.15 * SEED_YIELD)):  # fmt: skip
                imp, fed, days = behind_pv(curve, kwp, true_yield, seed=i)
                imp = imp.with_meta(feed_in_kwh=fed, feed_in_days=days)
                hk = Household(persons=2, dwelling=dwelling, existing_pv_kwp=kwp)
                res = analyse(imp, hk, seeds=seeds)
                record(label, res, t_cls, t_kwh)
                ranges += "own_generation_range" in str(getattr(res.stromspiegel.reason, "to_dict", lambda: {})())
            imp, fed, days = behind_pv(curve, kwp, SEED_YIELD, seed=i)
            record(
                "feed-in only",
                analyse(imp.with_meta(feed_in_kwh=fed, feed_in_days=days), hh, seeds=seeds),
                t_cls,
                t_kwh,
            )
            record("import only", analyse(imp, hh, seeds=seeds), t_cls, t_kwh)
    print(
        f"{n} household x dwelling cases with a true class (persons=2); {n_device} of them have a device taken out "
        "without PV (placebo compares with that class, the PV cases with the class of the total)"
    )
    print(f"feed-in + kWp cases whose class comes with a range (yield ±15 % spans two classes): {ranges}")
    print(f"{'case':34} {'class given':>11} {'= true class':>12} {'median |err|':>12} {'max |err|':>9}")
    for name, rows in cases.items():
        given = sum(r[0] for r in rows)
        same = sum(r[1] for r in rows)
        errs = [abs(r[2]) for r in rows if r[0] and np.isfinite(r[2])]
        med = f"{100 * statistics.median(errs):.1f} %" if errs else "-"
        mx = f"{100 * max(errs):.1f} %" if errs else "-"
        print(f"{name:34} {given:>5}/{len(rows):<5} {same:>6}/{len(rows):<5} {med:>12} {mx:>9}")
    withheld = [r[3] for r in cases.get("import only", []) if not r[0]]
    print(
        f"import only: withheld {len(withheld)}; given on grid import (too good) {len(cases.get('import only', [])) - len(withheld)}"
    )
    if "--advice" in argv:
        advice_figures(limit, seeds)


def advice_figures(limit, seeds) -> None:
    """Own-PV advice without a stated kWp (issue 14): kWp range from feed-in, battery and
    self-consumption, no new PV; the same households without PV as the placebo."""
    from advisor.analysis import analyse
    from advisor.household import Household
    from advisor.measures import advise

    own_ids = {"pv_self_consumption", "ev_pv_surplus", "battery"}
    hh = Household(persons=2, dwelling="house", tenure="owner")
    rows = []
    for i, (lclid, curve) in enumerate(london_curves(limit)):
        annual = float(curve.energy_kwh.sum()) * 8760 / (curve.energy_kwh.notna().sum() * curve.interval_hours)
        kwp = float(min(10.0, max(3.0, round(annual / 1000 * 2) / 2)))
        for case in ("placebo", "feed-in", "import only"):
            if case == "placebo":
                c = curve
            else:
                imp, fed, days = behind_pv(curve, kwp, SEED_YIELD, seed=i)
                c = imp.with_meta(feed_in_kwh=fed, feed_in_days=days) if case == "feed-in" else imp
            a = analyse(c, hh, seeds=seeds)
            adv = advise(a, hh, seeds=seeds)
            recs = {r.measure_id: r for r in adv.recommendations}
            nots = {n.measure_id: n for n in adv.not_recommended}
            size = adv.own_pv
            rows.append(
                dict(
                    id=lclid,
                    case=case,
                    kwp=kwp,
                    detected=a.own_generation is not None,
                    low=size.kwp_low if size else np.nan,
                    high=size.kwp_high if size else np.nan,
                    new_pv=bool({"rooftop_pv", "balcony_pv"} & set(recs)),
                    # the battery counts as own-PV advice only where no new PV system comes with it
                    any_own=bool({"pv_self_consumption", "ev_pv_surplus"} & (set(recs) | set(nots)))
                    or (not {"rooftop_pv", "balcony_pv"} & set(recs) and "battery" in (set(recs) | set(nots))),
                    sc_eur=recs["pv_self_consumption"].annual_savings_eur if "pv_self_consumption" in recs else 0.0,
                    bat=("recommended" if "battery" in recs else "not (payback)" if "battery" in nots else "none"),
                    bat_eur=(recs.get("battery") or nots.get("battery")).annual_savings_eur
                    if ("battery" in recs or "battery" in nots)
                    else np.nan,
                    bat_payback=(recs.get("battery") or nots.get("battery")).payback_years
                    if ("battery" in recs or "battery" in nots)
                    else np.nan,
                    conditional=all(r.conditional for k, r in recs.items() if k in own_ids),
                )
            )
    d = pd.DataFrame(rows)
    print("\nown-PV advice, no kWp stated (house, owner, 2 persons):")
    for case, g in d.groupby("case", sort=False):
        within = ((g.low <= g.kwp) & (g.kwp <= g.high)).sum()
        sized = g.low.notna().sum()
        width = (g.high / g.low).median() if sized else float("nan")
        print(
            f"  {case:12} n={len(g):>3}  PV seen {g.detected.sum():>3}  new PV pitched {g.new_pv.sum():>3}  "
            f"own-PV advice {g.any_own.sum():>3}  kWp range given {sized:>3}, holds the true kWp {within:>3} "
            f"(median high/low {width:.2f})  all conditional {g[g.any_own].conditional.sum():>3}"
        )
        if g.any_own.any():
            sc = g.sc_eur[g.sc_eur > 0]
            bp = g.bat_payback.dropna()
            print(
                f"  {'':12} self-consumption EUR/yr median {sc.median():.0f} max {sc.max():.0f}; battery "
                f"{dict(g.bat.value_counts())}, EUR/yr median {g.bat_eur.median():.0f}, payback median {bp.median():.1f} yr"
            )


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    main(sys.argv[1:])
