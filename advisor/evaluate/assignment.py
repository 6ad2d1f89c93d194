"""Stratified random assignment of a portfolio into ``treatment`` (gets the letter) and ``control``.

Strata
    Stromspiegel class (``A`` … ``G``, or ``unknown`` when the household's answers do not give
    one) × consumption quintile of the portfolio (1 = lowest fifth of annual consumption). The
    quintiles are taken over the households being assigned, ranked by ``(annual_kwh, key)``.

Assignment
    Inside each stratum the households are put in the order of ``sha256(seed, key)`` and the
    first ``floor(n · S + u)`` become control, where ``u`` in [0, 1) comes from
    ``sha256(seed, stratum)``. So the expected control share is exactly ``S`` in every stratum
    (small strata are not rounded the same way every time), and the assignment depends only on
    the seed, the keys and their strata, never on the order in which the input lists them.

Power analysis
    Minimum detectable effect of an ANCOVA on log consumption at the seeded power and the
    two-sided alpha of the reported interval:
    ``MDE_log = (z_{1-alpha/2} + z_power) · sigma · sqrt(1/n_t + 1/n_c)`` with the seeded residual
    standard deviation ``sigma`` (``evaluation.residual_sd_log``), shown as a saving in percent
    ``100 · (1 - exp(-MDE_log))``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from advisor.errors import AdvisorError

TREATMENT = "treatment"
CONTROL = "control"
UNKNOWN_CLASS = "unknown"
N_QUINTILES = 5

#: Columns of the assignment table (``OUT/assignment.parquet``), with their dtypes.
ASSIGNMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("household", "string"),
    ("group", "string"),
    ("stratum", "string"),
    ("stromspiegel_class", "string"),
    ("consumption_quintile", "Int64"),
    ("annual_kwh", "float64"),
    ("baseline_kwh_per_day", "float64"),
    ("baseline_days", "float64"),
    ("baseline_start", "string"),
    ("baseline_end", "string"),
    ("baseline_estimated", "boolean"),
)


class AssignmentError(AdvisorError):
    """The assignment cannot be made as asked (share out of range, no households)."""


def check_control_share(control_share: float) -> float:
    """``control_share`` as a float strictly between 0 and 1.

    Raises
    ------
    AssignmentError
        Not a number in (0, 1).
    """
    try:
        share = float(control_share)
    except (TypeError, ValueError):
        raise AssignmentError(f"`--control-share` must be a number between 0 and 1; got {control_share!r}") from None
    if not (0.0 < share < 1.0) or not math.isfinite(share):
        raise AssignmentError(
            f"`--control-share` must lie strictly between 0 and 1 (e.g. 0.2 for a fifth); got {control_share}"
        )
    return share


def _unit_hash(seed: int, *parts: str) -> int:
    h = hashlib.sha256(("\x1f".join([str(int(seed)), *parts])).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big")


def consumption_quintiles(annual_kwh: pd.Series) -> pd.Series:
    """Quintile 1..5 of each household's annual consumption within the portfolio.

    ``annual_kwh`` is indexed by household key; ties are ranked by key, so the result does not
    depend on the order of the series.
    """
    if len(annual_kwh) == 0:
        return pd.Series([], dtype="Int64", index=annual_kwh.index)
    kwh = annual_kwh.to_numpy(dtype=float)
    keys = np.asarray(annual_kwh.index.astype(str), dtype=object)
    order = sorted(range(len(kwh)), key=lambda i: (kwh[i], keys[i]))
    rank = np.empty(len(kwh), dtype=int)
    rank[order] = np.arange(len(kwh))
    q = np.floor(rank * N_QUINTILES / len(kwh)).astype(int) + 1
    return pd.Series(q, index=annual_kwh.index, dtype="Int64")


def stratum_label(stromspiegel_class: str | None, quintile: int) -> str:
    """``"<class>-q<quintile>"``, e.g. ``C-q3`` or ``unknown-q1``."""
    return f"{stromspiegel_class or UNKNOWN_CLASS}-q{int(quintile)}"


def assign_groups(units: pd.DataFrame, control_share: float, seed: int) -> pd.DataFrame:
    """Stratified random assignment (see the module docstring).

    Parameters
    ----------
    units
        One row per household to assign, indexed by household key, with ``annual_kwh``
        [kWh/yr] and ``stromspiegel_class`` (``A`` … ``G`` or None).
    control_share
        Expected share of control households, in (0, 1).
    seed
        Integer seed; the same seed gives the same assignment for the same keys and strata.

    Returns
    -------
    pandas.DataFrame
        ``units`` sorted by key with ``consumption_quintile``, ``stratum`` and ``group``
        (``treatment`` / ``control``) added.

    Raises
    ------
    AssignmentError
        ``control_share`` outside (0, 1), or non-finite ``annual_kwh``.
    """
    share = check_control_share(control_share)
    if units.index.has_duplicates:
        raise AssignmentError("household keys must be unique for the assignment")
    kwh = pd.to_numeric(units["annual_kwh"], errors="coerce").astype(float)
    if not np.isfinite(kwh.to_numpy()).all():
        bad = list(units.index[~np.isfinite(kwh.to_numpy())][:3])
        raise AssignmentError(f"households {bad} have no finite `annual_kwh`; they cannot be stratified")
    out = units.copy()
    out.index = out.index.astype(str)
    out = out.sort_index(kind="stable")
    out["consumption_quintile"] = consumption_quintiles(pd.to_numeric(out["annual_kwh"]).astype(float))
    classes = out["stromspiegel_class"].where(out["stromspiegel_class"].notna(), None)
    out["stratum"] = [stratum_label(c, q) for c, q in zip(classes, out["consumption_quintile"], strict=True)]
    group = pd.Series(TREATMENT, index=out.index, dtype="string")
    for stratum, keys in out.groupby("stratum", sort=True).groups.items():
        ordered = sorted(keys, key=lambda k: (_unit_hash(seed, "unit", str(k)), str(k)))
        u = _unit_hash(seed, "stratum", str(stratum)) / 2.0**64
        n_control = min(len(ordered), int(math.floor(len(ordered) * share + u)))
        group.loc[ordered[:n_control]] = CONTROL
    out["group"] = group
    return out


@dataclass(frozen=True)
class PowerAnalysis:
    """Minimum detectable effect of the programme for the sizes of both groups.

    Attributes
    ----------
    n_treatment, n_control
        Households in each group.
    residual_sd_log
        Assumed residual standard deviation of log consumption after the ANCOVA [1].
    alpha
        Two-sided significance level (1 - interval level) [1].
    power
        Probability of detecting an effect of the MDE's size [1].
    mde_log
        Minimum detectable effect on log consumption [1].
    mde_pct
        The same as a saving [%]: ``100 · (1 - exp(-mde_log))``.
    """

    n_treatment: int
    n_control: int
    residual_sd_log: float
    alpha: float
    power: float
    mde_log: float
    mde_pct: float

    def to_dict(self) -> dict:
        return {
            "n_treatment": self.n_treatment,
            "n_control": self.n_control,
            "residual_sd_log": self.residual_sd_log,
            "alpha": self.alpha,
            "power": self.power,
            "mde_log": round(self.mde_log, 6) if math.isfinite(self.mde_log) else None,
            "mde_pct": round(self.mde_pct, 3) if math.isfinite(self.mde_pct) else None,
        }


def minimum_detectable_effect(
    n_treatment: int, n_control: int, residual_sd_log: float, *, alpha: float = 0.10, power: float = 0.80
) -> PowerAnalysis:
    """Power analysis of a two-group comparison of log consumption (see the module docstring).

    With fewer than two households in a group the MDE is infinite (nothing can be detected).

    Raises
    ------
    AssignmentError
        ``residual_sd_log`` not positive, ``alpha`` or ``power`` outside (0, 1).
    """
    if not (residual_sd_log > 0 and math.isfinite(residual_sd_log)):
        raise AssignmentError(f"`residual_sd_log` must be a positive number; got {residual_sd_log}")
    if not (0 < alpha < 1) or not (0 < power < 1):
        raise AssignmentError(f"`alpha` and `power` must lie in (0, 1); got {alpha}, {power}")
    if n_treatment < 2 or n_control < 2:
        mde = math.inf
    else:
        z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
        mde = float(z * residual_sd_log * math.sqrt(1 / n_treatment + 1 / n_control))
    pct = 100.0 * (1 - math.exp(-mde)) if math.isfinite(mde) else math.inf
    return PowerAnalysis(int(n_treatment), int(n_control), float(residual_sd_log), float(alpha), float(power), mde, pct)
