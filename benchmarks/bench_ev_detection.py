"""EV charging found at 3-4 kW (one phase), at 11 kW and on PV households? Rates over ALL real households.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_ev_detection.py [--limit N]``.

Every London household of ``../shared/data/lcl_london`` (read in place) with at least 300 days of
data gets known charging sessions injected (``tests/device_injection.py``, seeded per household):

* ``3.7 kW evening``: one-phase 16 A charging starting 17-21 h, 1.5 sessions a week;
* ``3.0 kW evening``: one-phase 13 A;
* ``11 kW``: a three-phase wallbox, 3 a week;
* ``3.7 kW midday``: sessions starting 10-12 h, no PV;
* ``PV: 3.7 kW midday``: a PV household (annual/1000 kWp behind the meter, feed-in counted) whose car
  charges at noon at 3.7 kW while the sun shines; the meter sees ``max(load + car - pv, 0)``;
* ``PV: surplus-following``: the car takes only the surplus (1.4-3.7 kW, paused below 1.4 kW): the
  import meter sees almost nothing of it; printed to show the limit, not a target.

The same curves without a car are the placebo: ``none`` (the household as measured) and ``PV: none``
(with the PV only). Printed: detection rate with sessions, false-positive rate without.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
SHARED = ROOT.parent / "shared" / "data"


def curves(limit=None):
    from advisor.loadcurve import CurveMeta, make_load_curve

    data = pd.read_parquet(SHARED / "lcl_london" / "lcl_60hh_2013_30min.parquet")
    for lclid in sorted(data["lclid"].unique())[:limit]:
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"], tz="UTC")).sort_index()
        c = make_load_curve(
            s, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG", meter_id=lclid)
        )
        if c.energy_kwh.notna().sum() * c.interval_hours / 24 >= 300:
            yield lclid, c


def surplus_following(curve, pv_kwh, *, seed: int, per_week: float = 3.0) -> np.ndarray:
    """Car energy [kWh/interval] that follows the PV surplus (1.4-3.7 kW, paused below) on session days."""
    rng = np.random.default_rng(seed)
    h = curve.interval_hours
    load = np.nan_to_num(curve.energy_kwh.to_numpy())
    surplus_kw = np.clip(pv_kwh - load, 0.0, None) / h
    local = curve.energy_kwh.index.tz_convert(curve.meta.tz)
    day = np.asarray(local.normalize().asi8)
    on_day = {d: rng.random() < per_week / 7.0 for d in np.unique(day)}
    on = np.array([on_day[d] for d in day]) & (local.hour >= 9) & (local.hour < 17)
    kw = np.where(on & (surplus_kw >= 1.4), np.minimum(surplus_kw, 3.7), 0.0)
    return kw * h


def main(argv):
    import device_injection as di

    from advisor.analysis import analyse
    from advisor.household import Household
    from advisor.seeds import load_seeds

    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    seeds = load_seeds()
    hh = Household()
    found: dict[str, list[bool]] = {}

    def record(case, c):
        a = analyse(c, hh, seeds=seeds)
        found.setdefault(case, []).append(a.signature("ev_charging").detected)

    for i, (_lclid, c) in enumerate(curves(limit)):
        annual = float(c.energy_kwh.sum()) * 8760 / (c.energy_kwh.notna().sum() * c.interval_hours)
        kwp = float(min(10.0, max(3.0, round(annual / 1000 * 2) / 2)))
        pv = di.pv_generation(c, kwp, 950.0, seed=i)
        record("none", c)
        record("3.7 kW evening", di.with_device(c, di.ev_sessions(c, 3.7, per_week=1.5, seed=i)))
        record("3.0 kW evening", di.with_device(c, di.ev_sessions(c, 3.0, per_week=1.5, seed=i)))
        record("11 kW", di.with_device(c, di.ev_sessions(c, 11.0, seed=i)))
        record("3.7 kW midday", di.with_device(c, di.ev_sessions(c, 3.7, midday=True, seed=i)))
        record("PV: none", di.behind_pv(c, pv))
        record("PV: 3.7 kW midday", di.behind_pv(di.with_device(c, di.ev_sessions(c, 3.7, midday=True, seed=i)), pv))
        record("PV: surplus-following", di.behind_pv(di.with_device(c, surplus_following(c, pv, seed=i)), pv))
    print(f"{'case':24} {'households':>10} {'EV found':>9} {'rate':>7}")
    for case, hits in found.items():
        kind = "false positives" if case in ("none", "PV: none") else ""
        print(f"{case:24} {len(hits):>10} {sum(hits):>9} {100 * sum(hits) / len(hits):>6.1f} %  {kind}")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    main(sys.argv[1:])
