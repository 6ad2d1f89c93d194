"""Figures per year from a short period: how far they can be off, and when not to give them.

An annual figure from a few days of measured values is an extrapolation (the BDEW H25 shape of
:mod:`advisor.annual`). How far off it can be was measured, not assumed: the seed table
``annualisation_error`` (``benchmarks/bench_annualisation.py``: windows of 1 to 182 days cut from
real full years, annualised, compared with each household's own year) gives per period length the
10th and 90th percentile of ``annualised / true - 1``. :func:`extrapolation_of` turns them into an
80 % range for the true figure, ``annualised / (1 + p90) .. annualised / (1 + p10)``, interpolated on
the logarithm of the days. Every figure scaled to a year from the same days (annual kWh, the bill,
a saving in EUR/yr) carries the same relative range (:meth:`Extrapolation.range`).

Below ``min_days`` (seed ``benchmarks.min_days_for_annual_savings``) savings per year and the
Stromspiegel class are withheld, with :attr:`Extrapolation.reason`; the annual kWh is still shown
with its range (it is what the household's bill is compared with).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.texts import Message

#: From this many days of values an annual figure counts as measured, not extrapolated.
MEASURED_YEAR_DAYS = 330.0


@dataclass(frozen=True)
class Extrapolation:
    """How an annual figure from ``days`` of measured values can be off (an 80 % range).

    Attributes
    ----------
    days
        Days of measured values behind the annual figures [d].
    low_factor, high_factor
        The true annual figure lies between ``low_factor x`` and ``high_factor x`` the
        extrapolated one in 80 % of the measured cases [1].
    withheld
        True below ``min_days``: savings per year and the class are not given.
    min_days
        Days needed before savings per year are given [d].
    source, date
        Where the range comes from: the seed table's source and date.
    """

    days: float
    low_factor: float
    high_factor: float
    withheld: bool
    min_days: float
    source: str = ""
    date: str = ""

    def range(self, value: float | None) -> tuple[float, float] | None:
        """The 80 % range of a figure extrapolated from the same days (None for None/NaN)."""
        if value is None or not math.isfinite(value):
            return None
        lo, hi = value * self.low_factor, value * self.high_factor
        return (min(lo, hi), max(lo, hi))

    @property
    def note(self) -> Message:
        """ "Extrapolated from N days; the true value lies between … in 8 of 10 cases" (report.po)."""
        return Message(
            "extrapolation.note", n=int(round(self.days)), low=self.low_factor, high=self.high_factor, date=self.date
        )

    @property
    def reason(self) -> Message | None:
        """Why savings per year (and the class) are withheld, or None when they are given."""
        if not self.withheld:
            return None
        return Message("extrapolation.withheld", n=int(round(self.days)), min_days=int(round(self.min_days)))

    def to_dict(self) -> dict[str, object]:
        return {
            "days": round(float(self.days), 2),
            "low_factor": round(float(self.low_factor), 3),
            "high_factor": round(float(self.high_factor), 3),
            "withheld": self.withheld,
            "min_days": self.min_days,
            "note": str(self.note),
            "reason": None if self.reason is None else str(self.reason),
            "source": self.source,
            "date": self.date,
        }


def extrapolation_of(days: float, table: pd.DataFrame, *, min_days: float) -> Extrapolation | None:
    """The range of annual figures from ``days`` of values (None from :data:`MEASURED_YEAR_DAYS` on).

    Parameters
    ----------
    days
        Days with measured values [d].
    table
        Seed table ``annualisation_error``: ``days``, ``p10_error_pct``, ``p90_error_pct`` (signed
        error of the annualised figure in %), ``source``, ``date``.
    min_days
        Below this, savings per year are withheld [d].
    """
    if days is None or not math.isfinite(days) or days >= MEASURED_YEAR_DAYS:
        return None
    t = table.sort_values("days")
    x = np.log(t["days"].astype(float).to_numpy())
    at = math.log(max(float(days), float(t["days"].min())))
    p10 = float(np.interp(at, x, t["p10_error_pct"].astype(float).to_numpy())) / 100.0
    p90 = float(np.interp(at, x, t["p90_error_pct"].astype(float).to_numpy())) / 100.0
    if days > float(t["days"].max()):
        # between the longest window and a year: shrink linearly to the full-year case
        w = (days - float(t["days"].max())) / (MEASURED_YEAR_DAYS - float(t["days"].max()))
        p10, p90 = p10 * (1 - w), p90 * (1 - w)
    source = str(t["source"].iloc[0]) if "source" in t.columns else ""
    date = str(t["date"].iloc[0]) if "date" in t.columns else ""
    return Extrapolation(
        days=float(days),
        low_factor=1.0 / (1.0 + max(p90, -0.9)),
        high_factor=1.0 / (1.0 + max(p10, -0.9)),
        withheld=float(days) < float(min_days),
        min_days=float(min_days),
        source=source,
        date=date,
    )
