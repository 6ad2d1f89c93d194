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

from advisor.household import Household

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
