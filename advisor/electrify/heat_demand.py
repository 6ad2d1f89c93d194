"""Heat demand of a house: the annual figure from the fuel burnt (or the building), and its hours.

* :class:`HeatSource` says what the household knows: the gas (kWh on the bill), the heating oil
  (litres a year), the heat itself, or the heated area and building year.
* :func:`annual_heat` turns it into space heat and hot water [kWh/yr] with the seeded boiler
  efficiencies or the IWU/TABULA typology (``seeds/heat_typology.csv``).
* :func:`hourly_heat` spreads the year over the hours with demandlib's BDEW heat profiles
  (SigLinDe, EFH/MFH) driven by the outdoor temperature of the household's region: the DWD test
  reference year TRY2010, or a measured series.

Hours are handled in MEZ (UTC+1 all year, the TRY's time base), so every day has 24 hours and the
BDEW day logic needs no DST special case; :func:`to_intervals` moves them onto the curve.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from demandlib import bdew

from advisor.electrify.parameters import ElectrifyParameters
from advisor.errors import AdvisorError
from advisor.ingest.weather import MEZ, read_try_file

#: plausible ranges of what a household states (value outside -> refused, CLI exit 2)
GAS_KWH_RANGE = (1_000.0, 150_000.0)
OIL_LITRES_RANGE = (100.0, 15_000.0)
HEAT_KWH_RANGE = (1_000.0, 150_000.0)
AREA_M2_RANGE = (20.0, 1_000.0)
BUILDING_YEAR_RANGE = (1800, dt.date.today().year)
FLOW_TEMP_RANGE_C = (30.0, 70.0)


class ElectrifyError(AdvisorError, ValueError):
    """An electrification input is missing, contradictory or outside its plausible range."""


def check_range(name: str, value: float | None, bounds: tuple[float, float], unit: str) -> None:
    """Refuse ``value`` outside ``bounds`` with a message naming the value and the range."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise ElectrifyError(f"`{name}` must be a number in {bounds[0]:g}..{bounds[1]:g} {unit}; got {value!r}.")
    if not bounds[0] <= float(value) <= bounds[1]:
        raise ElectrifyError(
            f"`{name}` must lie in {bounds[0]:g}..{bounds[1]:g} {unit} (plausible for one household); got {value:,.10g}."
        )


@dataclass(frozen=True)
class HeatSource:
    """What the household knows about its heating (exactly one of the first four ways).

    Parameters
    ----------
    gas_kwh
        Gas used a year as billed [kWh (gross calorific value)].
    oil_litres
        Heating oil used a year [l].
    heat_demand_kwh
        Heat used a year (space heating, plus hot water when ``hot_water``) [kWh].
    heated_area_m2
        Heated living area [m²]; with ``building_year`` the typology gives the heat; alone, it
        sizes the hot-water part of a fuel figure.
    building_year
        Year the building was built.
    dwelling
        ``"house"`` (single-family, BDEW EFH) or ``"apartment"`` (multi-family, MFH).
    hot_water
        The heat pump also heats the water (and the fuel figure includes it).
    """

    gas_kwh: float | None = None
    oil_litres: float | None = None
    heat_demand_kwh: float | None = None
    heated_area_m2: float | None = None
    building_year: int | None = None
    dwelling: str = "house"
    hot_water: bool = True

    def __post_init__(self) -> None:
        check_range("gas_kwh", self.gas_kwh, GAS_KWH_RANGE, "kWh/yr")
        check_range("oil_litres", self.oil_litres, OIL_LITRES_RANGE, "l/yr")
        check_range("heat_demand_kwh", self.heat_demand_kwh, HEAT_KWH_RANGE, "kWh/yr")
        check_range("heated_area_m2", self.heated_area_m2, AREA_M2_RANGE, "m²")
        if self.building_year is not None:
            y = self.building_year
            if isinstance(y, bool) or not isinstance(y, int):
                raise ElectrifyError(f"`building_year` must be a whole year; got {y!r}.")
            check_range("building_year", y, BUILDING_YEAR_RANGE, "")
        if self.dwelling not in ("house", "apartment"):
            raise ElectrifyError(f"`dwelling` must be 'house' or 'apartment'; got {self.dwelling!r}.")
        given = [
            n
            for n, v in (
                ("gas_kwh", self.gas_kwh),
                ("oil_litres", self.oil_litres),
                ("heat_demand_kwh", self.heat_demand_kwh),
            )
            if v is not None
        ]
        typology = self.heated_area_m2 is not None and self.building_year is not None
        if len(given) > 1:
            raise ElectrifyError(f"give one of gas, oil or heat demand, not several; got {', '.join(given)}.")
        if not given and not typology:
            raise ElectrifyError(
                "the heat pump needs the heat it must deliver: pass `--gas-kwh`, `--oil-litres`, `--heat-demand-kwh` "
                "or `--heated-area-m2` with `--building-year`."
            )

    @property
    def method(self) -> str:
        """``"gas"``, ``"oil"``, ``"heat"`` or ``"typology"``."""
        if self.gas_kwh is not None:
            return "gas"
        if self.oil_litres is not None:
            return "oil"
        if self.heat_demand_kwh is not None:
            return "heat"
        return "typology"


@dataclass(frozen=True)
class AnnualHeat:
    """Heat a house needs in a year and the fuel it burns today.

    Attributes
    ----------
    space_heat_kwh, hot_water_kwh
        Heat for the rooms and for hot water [kWh/yr].
    fuel
        ``"gas"`` or ``"oil"``: what the boiler burns (assumed gas when only the heat or the
        building is known).
    fuel_kwh
        Fuel energy a year [kWh; gas: gross calorific value as billed, oil: net calorific value].
    fuel_litres
        Oil in litres (None for gas).
    fuel_assumed
        True when the fuel was not stated but assumed (heat or typology given).
    bdew_class
        demandlib heat-profile class 1..11 used for the hours.
    method
        How the heat was found: ``"gas"``, ``"oil"``, ``"heat"``, ``"typology"``.
    """

    space_heat_kwh: float
    hot_water_kwh: float
    fuel: str
    fuel_kwh: float
    fuel_litres: float | None
    fuel_assumed: bool
    bdew_class: int
    method: str

    @property
    def total_kwh(self) -> float:
        return self.space_heat_kwh + self.hot_water_kwh


def typology_row(params: ElectrifyParameters, building_year: int) -> dict:
    """The typology row of a building year (``seeds/heat_typology.csv``)."""
    for row in params.heat_typology:
        if row["year_from"] <= building_year <= row["year_to"]:
            return row
    raise ElectrifyError(f"`building_year` {building_year} lies in no row of the heat typology seed table.")


def annual_heat(source: HeatSource, params: ElectrifyParameters) -> AnnualHeat:
    """Space heat and hot water [kWh/yr] of a house, and the fuel it burns today."""
    bdew_class = (
        typology_row(params, source.building_year)["bdew_class"]
        if source.building_year is not None
        else int(params.default_bdew_class)
    )
    litres = None
    assumed = False
    if source.method == "gas":
        fuel, fuel_kwh = "gas", float(source.gas_kwh)
        total = fuel_kwh * params.gas_boiler_efficiency
    elif source.method == "oil":
        fuel, litres = "oil", float(source.oil_litres)
        fuel_kwh = litres * params.oil_kwh_per_litre
        total = fuel_kwh * params.oil_boiler_efficiency
    elif source.method == "heat":
        total = float(source.heat_demand_kwh)
        fuel, fuel_kwh, assumed = "gas", total / params.gas_boiler_efficiency, True
    else:
        row = typology_row(params, source.building_year)
        per_m2 = row["efh_kwh_per_m2"] if source.dwelling == "house" else row["mfh_kwh_per_m2"]
        space = per_m2 * float(source.heated_area_m2)
        hot = params.hot_water_kwh_per_m2 * float(source.heated_area_m2) if source.hot_water else 0.0
        total = space + hot
        fuel, fuel_kwh, assumed = "gas", total / params.gas_boiler_efficiency, True
        return AnnualHeat(space, hot, fuel, fuel_kwh, None, assumed, bdew_class, "typology")
    if not source.hot_water:
        hot = 0.0
    elif source.heated_area_m2 is not None:
        hot = min(params.hot_water_kwh_per_m2 * float(source.heated_area_m2), 0.5 * total)
    else:
        hot = params.hot_water_share_of_heat * total
    return AnnualHeat(total - hot, hot, fuel, fuel_kwh, litres, assumed, bdew_class, source.method)


# ---------------------------------------------------------------------------------- hours
def mez_hours(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Naive MEZ hour starts covering the intervals of ``index`` (tz-aware)."""
    first = index[0].tz_convert(MEZ).floor("h")
    last = index[-1].tz_convert(MEZ).floor("h")
    return pd.date_range(first.tz_localize(None), last.tz_localize(None), freq="h")


def try_temperature(hours: pd.DatetimeIndex, region: int) -> np.ndarray:
    """Outdoor temperature [°C] of TRY2010 ``region`` on naive MEZ ``hours`` (by month, day, hour;
    29 February takes the 28th)."""
    raw = read_try_file(int(region))
    at = (raw.index + pd.Timedelta(minutes=30)).tz_convert(MEZ)  # the reading's own MEZ time
    keys = at.month * 10_000 + at.day * 100 + at.hour
    table = pd.Series(raw["temp_air"].to_numpy(dtype=float), index=keys)
    day = np.where((hours.month == 2) & (hours.day == 29), 28, hours.day)
    want = hours.month * 10_000 + day * 100 + hours.hour
    values = table.reindex(want).to_numpy(dtype=float)
    if np.isnan(values).any():  # pragma: no cover - the TRY has all 8760 keys
        raise ElectrifyError(f"TRY region {region} lacks hours for the year")
    return values


def measured_temperature(
    hours: pd.DatetimeIndex, temperature_c: pd.Series, fallback: np.ndarray
) -> tuple[np.ndarray, float]:
    """A measured series on naive MEZ ``hours``: hourly means, gaps up to 6 h interpolated, longer
    gaps from ``fallback`` (the TRY). Returns the values and the measured share of the hours."""
    s = temperature_c.dropna()
    if s.empty or s.index.tz is None:
        raise ElectrifyError("`temperature` must be a tz-aware series with values (°C).")
    local = s.copy()
    local.index = s.index.tz_convert(MEZ).tz_localize(None)
    hourly = local.resample("h").mean().reindex(hours)
    share = float(hourly.notna().mean())
    if share < 0.5:
        raise ElectrifyError(
            f"the temperature file covers {share:.0%} of the year of the load curve ({hours[0].date()} to "
            f"{hours[-1].date()}); it must cover at least half of it. Leave `--temperature` out to use the DWD test "
            "reference year."
        )
    filled = hourly.interpolate(limit=6, limit_area="inside").to_numpy(dtype=float, copy=True)
    gaps = np.isnan(filled)
    filled[gaps] = fallback[gaps]
    return filled, share


def _bdew_profile(
    hours: pd.DatetimeIndex, temp: np.ndarray, *, shlp: str, bdew_class: int, holidays, ww_only: bool, ww_incl: bool
) -> np.ndarray:
    with warnings.catch_warnings():
        # demandlib 0.2.2 calls DatetimeIndex.weekday, deprecated in pandas 3 (not ours to fix)
        warnings.filterwarnings("ignore", message=".*weekday is deprecated.*")
        building = bdew.HeatBuilding(
            hours,
            temperature=pd.Series(temp, index=hours),
            shlp_type=shlp,
            building_class=int(bdew_class),
            wind_class=0,
            annual_heat_demand=1.0,
            ww_incl=ww_incl,
            ww_only=ww_only,
            holidays=holidays,
            name=shlp,
        )
        prof = np.asarray(building.get_normalized_bdew_profile(), dtype=float)
    total = prof.sum()
    return prof / total if total > 0 else np.full(len(hours), 1.0 / len(hours))


def hourly_heat(
    heat: AnnualHeat, hours: pd.DatetimeIndex, temp_c: np.ndarray, *, dwelling: str = "house", holidays=None
) -> pd.DataFrame:
    """Space heat and hot water per MEZ hour [kWh], summing to the annual figures.

    Space heat follows demandlib's BDEW profile without hot water (driven by the geometric
    four-day mean temperature), hot water the BDEW hot-water-only profile.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``hours`` (naive MEZ); columns ``space_kwh``, ``hot_water_kwh``, ``temp_air``.
    """
    shlp = "EFH" if dwelling == "house" else "MFH"
    space = _bdew_profile(
        hours, temp_c, shlp=shlp, bdew_class=heat.bdew_class, holidays=holidays, ww_only=False, ww_incl=False
    )
    out = pd.DataFrame({"space_kwh": space * heat.space_heat_kwh, "temp_air": temp_c}, index=hours)
    if heat.hot_water_kwh > 0:
        ww = _bdew_profile(
            hours, temp_c, shlp=shlp, bdew_class=heat.bdew_class, holidays=holidays, ww_only=True, ww_incl=True
        )
        out["hot_water_kwh"] = ww * heat.hot_water_kwh
    else:
        out["hot_water_kwh"] = 0.0
    return out[["space_kwh", "hot_water_kwh", "temp_air"]]


def to_intervals(hourly_kwh: pd.Series, index: pd.DatetimeIndex, interval_minutes: int) -> pd.Series:
    """Spread energy per MEZ hour [kWh] evenly onto the curve's intervals (energy kept)."""
    keys = index.tz_convert(MEZ).floor("h").tz_localize(None)
    per_hour = hourly_kwh.reindex(keys).to_numpy(dtype=float)
    return pd.Series(np.nan_to_num(per_hour) * interval_minutes / 60.0, index=index)
