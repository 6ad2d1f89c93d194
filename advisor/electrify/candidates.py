"""Which households a Stadtwerk should tell about electrification products (batch summary columns).

From what the curve shows (signatures) and what the household says:

* ``night_storage_to_heat_pump``: night-storage heating (detected or stated) — a heat pump would
  use about a third of its electricity;
* ``para14a``: a heat pump or a wallbox (detected or stated) — a § 14a device, so Module 1/2/3
  network-fee reductions apply; ``para14a_module2`` when the tariff comparison finds Module 2
  (second meter) pays more than Module 1;
* ``smart_charging``: an electric car charged at home — smart charging or a dynamic tariff suits.

A household that answered "no" to a device is never marked for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.household import Household
from advisor.texts import Message

CANDIDATE_CODES = ("night_storage_to_heat_pump", "para14a", "para14a_module2", "smart_charging")


@dataclass(frozen=True)
class Candidates:
    """Electrification candidate marks of one household.

    Attributes
    ----------
    codes
        Marks out of :data:`CANDIDATE_CODES`, in that order.
    device_kwh
        Annual energy of the § 14a device(s) the marks rest on [kWh/yr], None if unknown.
    """

    codes: tuple[str, ...]
    device_kwh: float | None = None

    def to_row(self) -> dict:
        """Summary columns ``electrify_candidates`` (``;``-joined codes, "" for none) and
        ``electrify_device_kwh``."""
        return {
            "electrify_candidates": ";".join(self.codes),
            "electrify_device_kwh": None if self.device_kwh is None else round(float(self.device_kwh), 1),
        }


def _has(signatures, name: str) -> bool:
    return any(s.name == name and s.detected and s.household_answer != "no" for s in signatures)


def _kwh(signatures, names: tuple[str, ...]) -> float | None:
    values = [s.annual_kwh for s in signatures if s.name in names and s.detected and s.annual_kwh is not None]
    return float(sum(values)) if values else None


def electrification_candidates(signatures, household: Household | None, tariffs=None) -> Candidates:
    """Marks for one household from its signatures, its answers and its tariff comparison.

    Parameters
    ----------
    signatures
        :class:`~advisor.signatures.Signature` objects of the analysis.
    household
        The household's answers (``heating``, ``ev``), or None.
    tariffs
        :class:`~advisor.tariffs.TariffComparison` (its ``para14a`` result), or None.
    """
    h = household or Household()
    night = (h.heating == "night_storage") or (h.heating is None and _has(signatures, "night_storage_heating"))
    heat_pump = (h.heating == "heat_pump") or (h.heating is None and _has(signatures, "heat_pump"))
    ev = bool(h.ev) or (h.ev is None and _has(signatures, "ev_charging"))
    codes = []
    if night:
        codes.append("night_storage_to_heat_pump")
    if heat_pump or ev:
        codes.append("para14a")
        p14 = getattr(tariffs, "para14a", None)
        if p14 is not None and p14.best_module == 2:
            codes.append("para14a_module2")
    if ev:
        codes.append("smart_charging")
    names = tuple(n for n, on in (("heat_pump", heat_pump), ("ev_charging", ev)) if on)
    return Candidates(tuple(codes), _kwh(signatures, names) if names else None)


# ---------------------------------------------------------------------- the household's own figures
#: Months of the winter profile used for the coincident peak (the heating season's core).
WINTER_MONTHS = (12, 1, 2)
#: A winter profile needs at least this many weekdays with data in :data:`WINTER_MONTHS`.
MIN_WINTER_WEEKDAYS = 10
SLOTS_PER_DAY = 96  # quarter-hours: the common grid of every household's profile


@dataclass(frozen=True)
class CandidateFigure:
    """What one electrification step would mean for the household, on its own curve.

    Attributes
    ----------
    code
        The candidate mark (:data:`CANDIDATE_CODES`) the figure belongs to.
    kwh_before, kwh_after
        Annual electricity [kWh/yr] today and after the step.
    eur_before, eur_after
        Annual electricity cost [EUR/yr] today and after the step.
    basis
        How the figure was made (a catalogue :class:`~advisor.texts.Message`).
    sources
        The documented sources of the numbers it rests on.
    """

    code: str
    kwh_before: float
    kwh_after: float
    eur_before: float
    eur_after: float
    basis: Message
    sources: tuple[str, ...]

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "kwh_before": round(self.kwh_before, 1),
            "kwh_after": round(self.kwh_after, 1),
            "eur_before": round(self.eur_before, 2),
            "eur_after": round(self.eur_after, 2),
            "basis_de": self.basis.text("de"),
            "basis_en": self.basis.text("en"),
            "sources": list(self.sources),
        }


def _signature(signatures, name: str):
    return next((s for s in signatures if s.name == name and s.detected and s.household_answer != "no"), None)


def night_storage_series(year_kwh: pd.Series, tz: str, window_hours: tuple[int, int] = (22, 6)) -> pd.Series | None:
    """The night-storage heating's part of a complete year [kWh per interval] (an estimate).

    Storage heaters charge in the supplier's night window (``window_hours``: start and end hour,
    local time; seed ``electrify.night_storage_window_hours``). Their part is the curve's energy in
    that window above the household's own summer profile (the median of the same local
    quarter-hour over June to August), outside May to September. None when the curve has fewer
    than 14 summer days or shows nothing above them.
    """
    local = year_kwh.index.tz_convert(tz)
    minutes = (local.hour * 60 + local.minute).to_numpy()
    summer = np.isin(local.month, (6, 7, 8))
    values = year_kwh.to_numpy(dtype=float)
    if summer.sum() < 14 * 24:
        return None
    base = pd.Series(values[summer]).groupby(minutes[summer]).median().reindex(minutes).to_numpy(dtype=float)
    excess = np.clip(values - np.nan_to_num(base, nan=0.0), 0.0, None)
    start, end = (int(h) * 60 for h in window_hours)
    in_window = (minutes >= start) | (minutes < end) if start > end else (minutes >= start) & (minutes < end)
    excess[~in_window | np.isin(local.month, (5, 6, 7, 8, 9))] = 0.0
    if not float(excess.sum()) > 0:
        return None
    return pd.Series(excess, index=year_kwh.index, name="night_storage_kwh")


def winter_profile_kw(energy_kwh: pd.Series, interval_minutes: int, tz: str) -> np.ndarray | None:
    """Mean power [kW] per local quarter-hour of the winter weekdays (Dec–Feb, Mon–Fri), 96 values.

    Coarser curves give each of their quarter-hours the interval's mean power. None with fewer
    than :data:`MIN_WINTER_WEEKDAYS` winter weekdays of data.
    """
    e = energy_kwh.dropna()
    if e.empty:
        return None
    local = e.index.tz_convert(tz)
    keep = np.isin(local.month, WINTER_MONTHS) & (local.day_of_week < 5)
    if not keep.any():
        return None
    days = local[keep].normalize()
    if days.nunique() < MIN_WINTER_WEEKDAYS:
        return None
    kw = e.to_numpy(dtype=float)[keep] / (interval_minutes / 60.0)
    start = (local.hour * 60 + local.minute).to_numpy()[keep] // 15
    per = max(1, interval_minutes // 15)
    sums = np.zeros(SLOTS_PER_DAY)
    counts = np.zeros(SLOTS_PER_DAY)
    for j in range(per):  # an hourly value fills its four quarter-hours
        s = (start + j) % SLOTS_PER_DAY
        sums += np.bincount(s, weights=kw, minlength=SLOTS_PER_DAY)
        counts += np.bincount(s, minlength=SLOTS_PER_DAY)
    with np.errstate(invalid="ignore", divide="ignore"):
        profile = sums / counts
    return np.nan_to_num(profile, nan=0.0)


@dataclass(frozen=True)
class HeatPumpReplacement:
    """Night-storage heating replaced by an air-source heat pump, on the household's year.

    Attributes
    ----------
    figure
        The letter's figure (:class:`CandidateFigure`).
    change_kwh
        The change of the curve [kWh per interval]: heat pump minus night storage.
    """

    figure: CandidateFigure
    change_kwh: pd.Series


def night_storage_replacement(
    year_kwh: pd.Series,
    params,
    *,
    interval_minutes: int,
    tz: str,
    settings,
    bill_eur,
    window_hours: tuple[int, int] = (22, 6),
) -> HeatPumpReplacement | None:
    """Replace the night-storage heating by a heat pump that delivers the same heat.

    A storage heater turns its electricity into heat in the dwelling one to one (resistance
    heating, its standing losses stay in the heated rooms), so the heat the heat pump must deliver
    is the night-storage electricity (:func:`night_storage_series`; space heating only, the hot
    water stays as it is). The heat
    pump runs on the electrification model (BDEW heat profile, DWD TRY or measured temperature,
    COP by outdoor and flow temperature) at the household's site. ``settings`` are the household's
    (:class:`~advisor.settings.HouseholdSettings`); ``bill_eur(kwh)`` its fixed-tariff bill.
    """
    from advisor.electrify.comparison import ElectrifyRequest, electrify, settings_arguments
    from advisor.electrify.heat_demand import ElectrifyError, HeatSource

    storage = night_storage_series(year_kwh, tz, window_hours)
    if storage is None:
        return None
    night_storage_kwh = float(storage.sum())
    try:
        result = electrify(
            year_kwh,
            ElectrifyRequest(heat_pump=HeatSource(heat_demand_kwh=float(night_storage_kwh), hot_water=False)),
            params,
            interval_minutes=interval_minutes,
            **settings_arguments(settings),
            tz=tz,
        )
    except ElectrifyError:  # a heat figure outside the plausible range: no figure rather than a guess
        return None
    hp = result.heat_pump
    added = (result.energy_after_kwh - year_kwh).rename("heat_pump_kwh")
    before = float(year_kwh.sum())
    after = before - float(storage.sum()) + float(added.sum())
    cop_sources = [params.citations[k]["source"] for k in ("cop_a", "cop_field_factor") if k in params.citations]
    figure = CandidateFigure(
        code="night_storage_to_heat_pump",
        kwh_before=before,
        kwh_after=after,
        eur_before=float(bill_eur(before)),
        eur_after=float(bill_eur(after)),
        basis=Message(
            "candidate.basis.night_storage_to_heat_pump",
            storage_kwh=night_storage_kwh,
            window=f"{int(window_hours[0]):02d}–{int(window_hours[1]):02d}",
            heat_pump_kwh=float(hp.electricity_kwh),
            scop=float(hp.scop),
            price=float(settings.work_price_eur_per_kwh),
            temperature=hp.temperature_source,
        ),
        sources=tuple(
            s
            for s in (
                Message("candidate.source.night_storage_curve"),
                *cop_sources,
            )
            if s
        ),
    )
    return HeatPumpReplacement(figure, (added - storage).rename("change_kwh"))


def candidate_figures(marks: Candidates, assessment, *, seeds=None) -> tuple[CandidateFigure, ...]:
    """The letter's figures of the § 14a and smart-charging marks (from the tariff comparison).

    ``para14a``: the better § 14a module's network-fee saving on today's consumption;
    ``smart_charging``: the dynamic tariff with the flexible load (the car) in the cheapest hours,
    when the run has day-ahead prices. The night-storage figure needs the curve's year
    (:func:`night_storage_replacement`).
    """
    tc = getattr(assessment, "tariffs", None)
    if tc is None or tc.fixed is None:
        return ()
    annual = float(tc.fixed.energy_kwh) if getattr(tc.fixed, "energy_kwh", None) is not None else None
    if annual is None:
        annual = float(assessment.analysis.annual_kwh)
    before = float(tc.fixed.total_eur)
    out = []
    p14 = tc.para14a
    if "para14a" in marks.codes and p14 is not None and p14.best_eur > 0:
        src = []
        if seeds is not None:
            key = "tariff_components.para14a_module1_eur_per_year" if p14.best_module == 1 else (
                "tariff_components.para14a_module2_network_share")  # fmt: skip
            src.append(seeds.entry(key).source)
        out.append(
            CandidateFigure(
                code="para14a",
                kwh_before=annual,
                kwh_after=annual,
                eur_before=before,
                eur_after=before - float(p14.best_eur),
                basis=Message(
                    "candidate.basis.para14a",
                    module=int(p14.best_module),
                    saving_eur=float(p14.best_eur),
                    device_kwh=float(p14.device_kwh) if p14.device_kwh is not None else float("nan"),
                ),
                sources=tuple(src),
            )
        )
    shifted = tc.dynamic_shifted
    if "smart_charging" in marks.codes and shifted is not None and shifted.total_eur < before:
        out.append(
            CandidateFigure(
                code="smart_charging",
                kwh_before=annual,
                kwh_after=annual,
                eur_before=before,
                eur_after=float(shifted.total_eur),
                basis=Message("candidate.basis.smart_charging", shifted_kwh=float(tc.shifted_kwh)),
                sources=(str(tc.price_source),) if tc.price_source else (),
            )
        )
    return tuple(out)
