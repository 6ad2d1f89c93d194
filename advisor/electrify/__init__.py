"""Electrification check: a heat pump and/or an electric car added to the household's own curve.

One module per concept: :mod:`~advisor.electrify.heat_demand` (the heat a house needs and its
hours), :mod:`~advisor.electrify.heat_pump` (COP and electricity by hour),
:mod:`~advisor.electrify.ev_charging` (home charging sessions, uncontrolled or smart) and
:mod:`~advisor.electrify.comparison` (before/after, tariffs, CO₂, money). Reference numbers come
in through :class:`~advisor.electrify.parameters.ElectrifyParameters` (from ``seeds/``).
"""

from advisor.electrify.comparison import (
    TARIFF_IDS,
    ElectrificationResult,
    ElectrifyRequest,
    Snapshot,
    TariffOption,
    electrify,
    settings_arguments,
)
from advisor.electrify.ev_charging import EVSpec
from advisor.electrify.heat_demand import ElectrifyError, HeatSource, annual_heat
from advisor.electrify.heat_pump import HeatPumpSpec, cop, flow_temperature_c
from advisor.electrify.parameters import ElectrifyParameters

__all__ = [
    "TARIFF_IDS",
    "EVSpec",
    "ElectrificationResult",
    "ElectrifyError",
    "ElectrifyParameters",
    "ElectrifyRequest",
    "HeatPumpSpec",
    "HeatSource",
    "Snapshot",
    "TariffOption",
    "annual_heat",
    "cop",
    "electrify",
    "flow_temperature_c",
    "settings_arguments",
]
