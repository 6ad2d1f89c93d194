"""The control group of a batch run (``--control-share S --seed N``): who gets no letter.

After the first pass every household with an annual consumption is stratified by its
Stromspiegel class and consumption quintile and assigned with
:func:`advisor.evaluate.assignment.assign_groups`. The assignment is kept in
``OUT/.state/assignment.json`` (a resumed run reuses it) and written to ``OUT/assignment.parquet``
with each household's baseline (mean daily consumption of the data its letter was written from),
which ``advisor evaluate`` compares with the later data.

The class used for the strata is the Stromspiegel class of the household's annual consumption
and its META answers (persons, dwelling, hot water, stated heating and EV). It can differ from the
class in the letter, which also takes detected devices out; for balancing the groups only the
first pass's figures are available, and they are the same for both groups.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from advisor.batch.process import STATUS_OK
from advisor.benchmark import stromspiegel_for
from advisor.errors import AdvisorError, SeedError
from advisor.evaluate.assignment import (
    ASSIGNMENT_COLUMNS,
    CONTROL,
    TREATMENT,
    PowerAnalysis,
    assign_groups,
    minimum_detectable_effect,
)
from advisor.household import Household

METHOD = (
    "stratified by Stromspiegel class x consumption quintile; per stratum the first floor(n*S+u) households "
    "in sha256(seed, key) order are control (u from sha256(seed, stratum))"
)


def stratification_class(item, annual_kwh: float, measured: bool, seeds) -> str | None:
    """Stromspiegel class of a household from its first-pass annual consumption and META answers."""
    try:
        household = Household.from_mapping(item.household)
    except AdvisorError:
        return None
    result = stromspiegel_for(annual_kwh, household, seeds=seeds, estimated=not measured)
    return result.efficiency_class


def make_assignment(items, figures: dict, seeds, options) -> dict:
    """The run's assignment document: share, seed, method and per household group and stratum.

    Households without a first-pass annual consumption (failed, skipped, not a household) are
    not assigned: they get no letter anyway.
    """
    rows = []
    for item in items:
        kf = figures.get(item.key)
        if item.skipped_reason or kf is None or kf.status != STATUS_OK:
            continue
        if kf.annual_kwh is None or not np.isfinite(kf.annual_kwh):
            continue
        rows.append(
            {
                "key": item.key,
                "annual_kwh": float(kf.annual_kwh),
                "stromspiegel_class": stratification_class(item, kf.annual_kwh, kf.measured, seeds),
            }
        )
    units = pd.DataFrame(rows, columns=["key", "annual_kwh", "stromspiegel_class"]).set_index("key")
    assigned = assign_groups(units, options.control_share, options.assignment_seed) if len(units) else units
    households = {
        str(k): {
            "group": str(r["group"]),
            "stratum": str(r["stratum"]),
            "stromspiegel_class": r["stromspiegel_class"],
            "consumption_quintile": int(r["consumption_quintile"]),
        }
        for k, r in assigned.iterrows()
    }
    return {
        "control_share": float(options.control_share),
        "seed": int(options.assignment_seed),
        "method": METHOD,
        "households": households,
    }


def with_groups(items, assignment: dict) -> tuple:
    """Work items with their ``group`` and ``stratum`` set."""
    by_key = assignment["households"]
    return tuple(
        replace(i, group=by_key[i.key]["group"], stratum=by_key[i.key]["stratum"]) if i.key in by_key else i
        for i in items
    )


def assignment_frame(assignment: dict, figures: dict) -> pd.DataFrame:
    """``OUT/assignment.parquet``: one row per assigned household with its baseline."""
    recs = []
    for key in sorted(assignment["households"]):
        a = assignment["households"][key]
        kf = figures.get(key)
        base = (kf.baseline if kf is not None else None) or {}
        recs.append(
            {
                "household": key,
                "group": a["group"],
                "stratum": a["stratum"],
                "stromspiegel_class": a["stromspiegel_class"],
                "consumption_quintile": a["consumption_quintile"],
                "annual_kwh": kf.annual_kwh if kf is not None else None,
                "baseline_kwh_per_day": base.get("kwh_per_day"),
                "baseline_days": base.get("days"),
                "baseline_start": base.get("start"),
                "baseline_end": base.get("end"),
                "baseline_estimated": base.get("estimated"),
            }
        )
    df = pd.DataFrame(recs, columns=[n for n, _ in ASSIGNMENT_COLUMNS])
    return df.astype(dict(ASSIGNMENT_COLUMNS))


def _seed_float(seeds, key: str) -> float:
    try:
        return float(seeds.value(key))
    except SeedError as exc:
        raise SeedError(f"the power analysis needs the seed `{key}`: {exc}") from None


def power_of(assignment: dict, seeds) -> PowerAnalysis:
    """Power analysis for the run's group sizes with the seeded residual SD, level and power."""
    groups = [h["group"] for h in assignment["households"].values()]
    return minimum_detectable_effect(
        groups.count(TREATMENT),
        groups.count(CONTROL),
        _seed_float(seeds, "evaluation.residual_sd_log"),
        alpha=1.0 - _seed_float(seeds, "evaluation.interval_level"),
        power=_seed_float(seeds, "evaluation.power"),
    )


def control_group_manifest(assignment: dict | None, power: PowerAnalysis | None) -> dict | None:
    """The manifest's ``control_group`` entry: share, seed, method, counts per stratum, power."""
    if assignment is None:
        return None
    strata: dict[str, dict[str, int]] = {}
    for h in assignment["households"].values():
        cell = strata.setdefault(h["stratum"], {TREATMENT: 0, CONTROL: 0})
        cell[h["group"]] += 1
    groups = [h["group"] for h in assignment["households"].values()]
    return {
        "control_share": assignment["control_share"],
        "seed": assignment["seed"],
        "method": assignment["method"],
        "n_treatment": groups.count(TREATMENT),
        "n_control": groups.count(CONTROL),
        "strata": dict(sorted(strata.items())),
        "power_analysis": power.to_dict() if power is not None else None,
        "assignment_file": "assignment.parquet",
        "note": "control households have a summary row (group = control) and no letter",
    }
