"""An air-source heat pump delivering a house's heat: COP by hour, electricity by hour, SCOP.

The COP is the air-source regression of Ruhnau et al. (2019, the when2heat data set) on the lift
between the outdoor air and the water the pump heats, fitted to manufacturer (test-bench) data and
scaled down to real operation by that source's factor 0.85; the flow
temperature follows a heating curve from the design flow temperature at the design outdoor
temperature to a foot point at the heating limit. Hot water is heated to its own temperature.
The coefficients live in ``seeds/electrify.toml``; the seasonal COP that comes out is checked
against the Fraunhofer ISE field test of heat pumps in existing houses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.electrify.heat_demand import FLOW_TEMP_RANGE_C, check_range
from advisor.electrify.parameters import ElectrifyParameters

DT_MIN_K, DT_MAX_K = 15.0, 60.0  # lower clip as when2heat (Ruhnau et al. 2019); 60 K: the upper end of the fitted lifts


@dataclass(frozen=True)
class HeatPumpSpec:
    """Heating curve and COP curve of an air/water heat pump.

    Parameters
    ----------
    design_flow_temp_c
        Flow temperature at the design outdoor temperature [°C], 30..70.
    flow_temp_at_limit_c
        Flow temperature at the heating limit [°C].
    design_outdoor_temp_c, heating_limit_temp_c
        Design outdoor temperature and heating limit [°C].
    hot_water_temp_c
        Hot-water storage temperature [°C].
    cop_a, cop_b, cop_c
        COP = field_factor · (a + b·ΔT + c·ΔT²), ΔT = sink − outdoor [K], clipped to 15..60 K.
    field_factor
        Test bench to real operation.
    """

    design_flow_temp_c: float
    flow_temp_at_limit_c: float
    design_outdoor_temp_c: float
    heating_limit_temp_c: float
    hot_water_temp_c: float
    cop_a: float
    cop_b: float
    cop_c: float
    field_factor: float

    def __post_init__(self) -> None:
        check_range("design_flow_temp_c", self.design_flow_temp_c, FLOW_TEMP_RANGE_C, "°C")
        if self.heating_limit_temp_c <= self.design_outdoor_temp_c:
            raise ValueError("`heating_limit_temp_c` must lie above `design_outdoor_temp_c`")

    @classmethod
    def from_parameters(cls, params: ElectrifyParameters, design_flow_temp_c: float | None = None) -> HeatPumpSpec:
        return cls(
            design_flow_temp_c=float(
                design_flow_temp_c if design_flow_temp_c is not None else params.design_flow_temp_c
            ),
            flow_temp_at_limit_c=params.flow_temp_at_limit_c,
            design_outdoor_temp_c=params.design_outdoor_temp_c,
            heating_limit_temp_c=params.heating_limit_temp_c,
            hot_water_temp_c=params.hot_water_temp_c,
            cop_a=params.cop_a,
            cop_b=params.cop_b,
            cop_c=params.cop_c,
            field_factor=params.cop_field_factor,
        )


def flow_temperature_c(temp_out_c: np.ndarray, spec: HeatPumpSpec) -> np.ndarray:
    """Flow temperature of the heating curve [°C] at outdoor temperature [°C]."""
    t = np.asarray(temp_out_c, dtype=float)
    frac = np.clip((spec.heating_limit_temp_c - t) / (spec.heating_limit_temp_c - spec.design_outdoor_temp_c), 0.0, 1.0)
    top = max(spec.design_flow_temp_c, spec.flow_temp_at_limit_c)
    return spec.flow_temp_at_limit_c + (top - spec.flow_temp_at_limit_c) * frac


def cop(temp_out_c: np.ndarray, sink_c: np.ndarray | float, spec: HeatPumpSpec) -> np.ndarray:
    """Coefficient of performance at outdoor temperature and sink temperature [°C] (at least 1)."""
    lift = np.clip(np.asarray(sink_c, dtype=float) - np.asarray(temp_out_c, dtype=float), DT_MIN_K, DT_MAX_K)
    value = spec.field_factor * (spec.cop_a + spec.cop_b * lift + spec.cop_c * lift**2)
    return np.maximum(value, 1.0)


@dataclass(frozen=True)
class HeatPumpRun:
    """A heat pump's year, hour by hour.

    Attributes
    ----------
    electricity_kwh
        Electricity per MEZ hour [kWh] (index of the heat frame).
    heat_kwh
        Heat delivered in the year [kWh].
    electricity_total_kwh
        Electricity used in the year [kWh].
    scop
        Seasonal COP (heat / electricity).
    scop_space, scop_hot_water
        Seasonal COP of space heating and of hot water (NaN when there is none).
    peak_electric_kw
        Highest hourly electric power [kW].
    """

    electricity_kwh: pd.Series
    heat_kwh: float
    electricity_total_kwh: float
    scop: float
    scop_space: float
    scop_hot_water: float
    peak_electric_kw: float


def simulate_heat_pump(heat: pd.DataFrame, spec: HeatPumpSpec) -> HeatPumpRun:
    """Electricity of the heat pump per hour for the heat of :func:`~advisor.electrify.heat_demand.hourly_heat`."""
    t = heat["temp_air"].to_numpy(dtype=float)
    space = heat["space_kwh"].to_numpy(dtype=float)
    hot = heat["hot_water_kwh"].to_numpy(dtype=float)
    el_space = space / cop(t, flow_temperature_c(t, spec), spec)
    el_hot = hot / cop(t, spec.hot_water_temp_c, spec)
    el = el_space + el_hot
    total_heat = float(space.sum() + hot.sum())
    total_el = float(el.sum())
    return HeatPumpRun(
        electricity_kwh=pd.Series(el, index=heat.index, name="heat_pump_kwh"),
        heat_kwh=total_heat,
        electricity_total_kwh=total_el,
        scop=total_heat / total_el if total_el > 0 else float("nan"),
        scop_space=float(space.sum() / el_space.sum()) if el_space.sum() > 0 else float("nan"),
        scop_hot_water=float(hot.sum() / el_hot.sum()) if el_hot.sum() > 0 else float("nan"),
        peak_electric_kw=float(el.max()) if len(el) else 0.0,
    )
