"""Energy-poverty early warning: which consenting households the social counselling should contact.

Three criteria, each a flag with its reason (a :class:`~advisor.texts.Message` with the figures);
no household is flagged without one. Thresholds come from ``seeds/energy_poverty.toml``.

``electric_heat_rising``
    The household heats or makes hot water with electricity (``heating`` heat pump or night
    storage, or ``hot_water`` electric) and used at least ``rising_share`` more electricity in
    the last ``window_days`` days than in the same days one year earlier (both windows at least
    ``min_window_coverage`` complete). Needs a curve of more than a year; otherwise not judged.
``bill_ahead_of_abschlag``
    The expected bill of the next 12 months (forecast P50 × work price + base and meter fees) exceeds
    12 × the monthly advance payment (``abschlag_eur_per_month`` in META.csv) by at least
    ``bill_gap_share``.
``low_income_high_use``
    The household says it has a low income and its consumption lies in one of the
    ``high_classes`` of the Stromspiegel for its case (per-person use in its class bounds).

The offer for every flagged household is the free Stromspar-Check (measure ``stromspar_check``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.errors import SeedError
from advisor.household import Household
from advisor.loadcurve import LoadCurve, Quality
from advisor.texts import Message

ELECTRIC_HEATING = ("heat_pump", "night_storage")


@dataclass(frozen=True)
class EarlyWarningRules:
    """The thresholds (see the module docstring; units: shares 0..1, days)."""

    rising_share: float = 0.2
    window_days: int = 90
    min_window_coverage: float = 0.8
    bill_gap_share: float = 0.15
    high_classes: tuple[str, ...] = ("F", "G")

    @classmethod
    def from_seeds(cls, seeds) -> EarlyWarningRules:
        """The rules from ``energy_poverty.*`` seeds.

        Raises
        ------
        SeedError
            A seed is missing or not a number.
        """
        try:
            return cls(
                rising_share=float(seeds.value("energy_poverty.rising_share")),
                window_days=int(seeds.value("energy_poverty.window_days")),
                min_window_coverage=float(seeds.value("energy_poverty.min_window_coverage")),
                bill_gap_share=float(seeds.value("energy_poverty.bill_gap_share")),
                high_classes=tuple(
                    c.strip().upper() for c in str(seeds.value("energy_poverty.high_classes")).split(",") if c.strip()
                ),
            )
        except (TypeError, ValueError) as exc:
            raise SeedError(f"`energy_poverty.*` seeds must be numbers (classes: 'F,G'): {exc}") from None


@dataclass(frozen=True)
class WarningFlag:
    """One reason to offer the household counselling.

    Attributes
    ----------
    code
        ``electric_heat_rising``, ``bill_ahead_of_abschlag`` or ``low_income_high_use``.
    reason
        The reason with its figures (catalogue ``energy_poverty.po``).
    """

    code: str
    reason: Message


def year_over_year_change(curve: LoadCurve, days: int, min_coverage: float) -> float | None:
    """Relative change of mean daily consumption: the last ``days`` days of the curve against the
    same days one year earlier; None when the curve is shorter or a window is too incomplete."""
    end = curve.end
    idx = curve.data.index
    e = curve.data["energy_kwh"].to_numpy(dtype=float)
    known = ~np.isnan(e) & (curve.data["quality"].astype(str).to_numpy() != Quality.ESTIMATED.value)
    means = []
    for shift in (pd.DateOffset(years=0), pd.DateOffset(years=1)):
        hi = end - shift
        lo = hi - pd.Timedelta(days=days)
        if lo < curve.start:
            return None
        window = np.asarray((idx >= lo) & (idx < hi))
        n = int(window.sum())
        if n == 0 or (known & window).sum() < min_coverage * n:
            return None
        means.append(float(e[known & window].mean()))
    recent, before = means
    if before <= 0:
        return None
    return recent / before - 1.0


def early_warning(
    curve: LoadCurve,
    household: Household,
    *,
    rules: EarlyWarningRules,
    stromspiegel_class: str | None,
    expected_bill_eur: float | None,
    abschlag_eur_per_month: float | None,
) -> tuple[WarningFlag, ...]:
    """The household's flags (module docstring); empty when no criterion holds.

    ``expected_bill_eur`` is the bill of the next 12 months on the fixed tariff [EUR]
    (forecast P50 × work price + base and meter fees, :meth:`advisor.settings.HouseholdSettings.annual_bill_eur`).
    """
    flags: list[WarningFlag] = []
    electric = household.heating in ELECTRIC_HEATING or household.hot_water == "electric"
    if electric:
        change = year_over_year_change(curve, rules.window_days, rules.min_window_coverage)
        if change is not None and change >= rules.rising_share:
            device = Message(
                "energy_poverty.device.heating"
                if household.heating in ELECTRIC_HEATING
                else "energy_poverty.device.hot_water"
            )
            flags.append(
                WarningFlag(
                    "electric_heat_rising",
                    Message(
                        "energy_poverty.electric_rising", device=device, change=float(change), days=rules.window_days
                    ),
                )
            )
    if abschlag_eur_per_month is not None and abschlag_eur_per_month > 0 and expected_bill_eur is not None:
        if math.isfinite(expected_bill_eur):
            expected = float(expected_bill_eur)
            paid = 12.0 * abschlag_eur_per_month
            gap = expected / paid - 1.0
            if gap >= rules.bill_gap_share:
                flags.append(
                    WarningFlag(
                        "bill_ahead_of_abschlag",
                        Message(
                            "energy_poverty.bill_gap",
                            expected=float(expected),
                            paid=float(paid),
                            due=float(expected - paid),
                        ),
                    )
                )
    if household.low_income and stromspiegel_class in rules.high_classes:
        flags.append(
            WarningFlag("low_income_high_use", Message("energy_poverty.low_income_high", cls=stromspiegel_class))
        )
    return tuple(flags)
