"""How believable are the recommendations? Distributions over ALL real households, nothing declared.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_measures.py [--pv] [--limit N]``.

Reads the 60 London households (``../shared/data/lcl_london``) and the real meter files in
``../shared/data/formats`` in place, assesses each with nothing declared about the home (default
seeds, SMARD prices, no forecast; ``--pv`` adds the PV simulation) and prints, per figure, the
maximum, the median and the share of absurd values:

* efficiency measures (everything except PV, battery and tariffs) as a share of annual kWh (absurd > 40 %),
* the one sequential ``potential`` as a share of kWh (absurd > 70 %) and of the bill,
* standby EUR/yr (absurd > 200 EUR),
* recommendations whose payback exceeds their lifetime (absurd: any),
* undeclared devices stated as fact (a recommendation text that says "Sie haben"/"You have"),
* how many households get a letter (the batch's ``insufficient_data_reason``: at least 28 days of
  measured values) and which signatures are detected.
"""

from __future__ import annotations

import statistics
import sys
import warnings
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
EFFICIENCY_EXCLUDED = {
    "rooftop_pv",
    "balcony_pv",
    "battery",
    "dynamic_tariff",
    "load_shifting",
    "para14a_module",
    "grundversorgung_switch",
}


def real_curves(limit: int | None = None):
    """(name, LoadCurve) of every real household in the shared data."""
    import pandas as pd

    from advisor.errors import AdvisorError
    from advisor.ingest import read_load_curves
    from advisor.loadcurve import CurveMeta, Direction, make_load_curve

    base = SHARED / "lcl_london"
    data = pd.read_parquet(base / "lcl_60hh_2013_30min.parquet")
    ids = sorted(data["lclid"].unique())[:limit]
    for lclid in ids:
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"], tz="UTC")).sort_index()
        yield (
            lclid,
            make_load_curve(
                s, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG", meter_id=lclid)
            ),
        )
    for f in sorted((SHARED / "formats").rglob("*")):
        if not f.is_file() or f.suffix.lower() not in (".txt", ".xml", ".json"):
            continue
        try:
            curves = read_load_curves(f)
        except (AdvisorError, ValueError):
            continue
        for c in curves:
            if c.direction == Direction.IMPORT:
                yield f"{f.parent.name}/{f.name}:{c.meta.meter_id}", c


def _stats(name: str, values: list[float], absurd) -> None:
    if not values:
        print(f"{name:<44} n=0")
        return
    bad = sum(1 for v in values if absurd(v))
    print(
        f"{name:<44} n={len(values):>3}  max {max(values):>8.1f}  median {statistics.median(values):>8.1f}  "
        f"absurd {bad:>3} ({100 * bad / len(values):.0f} %)"
    )


def main(argv: list[str]) -> None:
    warnings.simplefilter("ignore")
    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.batch.process import MIN_LETTER_DAYS, insufficient_data_reason
    from advisor.errors import AdvisorError
    from advisor.household import Household
    from advisor.seeds import load_seeds
    from advisor.tariffs import read_day_ahead_prices

    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    parts = ("tariffs", "recommendations") + (("pv",) if "--pv" in argv else ())
    seeds = load_seeds()
    prices_file = SHARED / "prices" / "de_lu_day_ahead_hourly_2023_2024_smard.csv"
    prices = read_day_ahead_prices(prices_file) if prices_file.is_file() else None
    settings = AssessmentSettings(seeds=seeds, prices=prices, parts=parts, as_of="2026-06-01")
    eff_share, pot_share, pot_bill, standby, payback_bad, stated, letters = [], [], [], [], [], [], []
    detected: dict[str, int] = {}
    top: dict[str, int] = {}
    n = own_pv_advised = 0
    for name, curve in real_curves(limit):
        try:
            a = assess_household(curve, Household(), settings)
        except AdvisorError as exc:
            print(f"{name}: not assessed ({exc})")
            continue
        n += 1
        annual = a.analysis.annual_kwh
        recs = a.recommendations
        eff = sum(r.annual_savings_kwh for r in recs if r.measure_id not in EFFICIENCY_EXCLUDED)
        eff_share.append(100 * eff / annual)
        pot = getattr(a, "potential", None)
        pot_kwh = pot.annual_savings_kwh if pot is not None else sum(r.annual_savings_kwh for r in recs)
        pot_eur = pot.annual_savings_eur if pot is not None else sum(r.annual_savings_eur for r in recs)
        pot_share.append(100 * pot_kwh / annual)
        bill = a.tariffs.fixed.total_eur if a.tariffs is not None else float("nan")
        pot_bill.append(100 * pot_eur / bill)
        standby.append(next((r.annual_savings_eur for r in recs if r.measure_id == "standby"), 0.0))
        payback_bad.append(
            sum(1 for r in recs if r.payback_years and r.lifetime_years and r.payback_years > r.lifetime_years)
        )
        fact = sum(
            1
            for r in recs
            for t in (r.explanation("de"), r.explanation("en"))
            if "Sie haben eine" in t or "You have a" in t or "Ihre Wärmepumpe" in t or "your heat pump" in t
        )
        stated.append(fact)
        short = insufficient_data_reason(curve)  # the batch's rule: no letter from < 28 days of values
        letters.append(not short)
        if short:
            print(f"{name}: no letter ({short})")
        for s in a.analysis.signatures:
            if s.detected:
                detected[s.name] = detected.get(s.name, 0) + 1
        if recs:
            top[recs[0].measure_id] = top.get(recs[0].measure_id, 0) + 1
        own = {r.measure_id for r in recs} & {"pv_self_consumption", "ev_pv_surplus"}
        if own or a.analysis.own_generation is not None:
            own_pv_advised += 1
    print(f"households assessed: {n} (parts {parts}, nothing declared)")
    _stats("efficiency measures, % of annual kWh", eff_share, lambda v: v > 40)
    _stats("potential, % of annual kWh", pot_share, lambda v: v > 70)
    _stats("potential, % of the bill", pot_bill, lambda v: v > 70)
    _stats("standby EUR/yr", standby, lambda v: v > 200)
    _stats("recommendations paying back after lifetime", payback_bad, lambda v: v > 0)
    _stats("undeclared device stated as fact", stated, lambda v: v > 0)
    print(f"letters allowed (>= {MIN_LETTER_DAYS:.0f} days of plausible values): {sum(letters)} of {len(letters)}")
    print("detected signatures:", dict(sorted(detected.items())))
    print("top measure:", dict(sorted(top.items(), key=lambda kv: -kv[1])))
    print(f"own PV seen or own-PV advice (none of these households has PV): {own_pv_advised} of {n}")


if __name__ == "__main__":
    main(sys.argv[1:])
