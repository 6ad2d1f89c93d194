"""Before and after electrification on the household's own year: kWh, bill, peak, tariffs, CO₂.

:func:`electrify` adds a heat pump and/or an electric car to a complete year of the household's
curve (e.g. :func:`advisor.pv.complete_year`) and compares the year before and after:

* ``annual_kwh``, ``annual_bill_eur`` (the household's fixed tariff), ``peak_kw`` (highest
  interval power, against the house connection), ``smart_meter_required`` (MsbG: above
  6,000 kWh/yr or with a § 14a device);
* the tariffs after electrification, each with its meters: fixed, heat-pump tariff (second
  meter), dynamic (day-ahead), § 14a Module 1, Module 2 (second meter) and Module 3 (time-variable
  network fees in the seeded windows) — a smart-charging car charges by each tariff's own signal;
* CO₂ a year before (electricity plus the gas or oil burnt and the replaced car's fuel) and after;
* running costs against the boiler (with the CO₂ price inside the fuel price), investment with
  the federal BEG subsidy, payback; the hours a device draws more than the § 14a floor of 4.2 kW.

Work price, base fee and meter fee are explicit arguments; all other numbers come in with
:class:`~advisor.electrify.parameters.ElectrifyParameters`. Nothing here reads files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from advisor import weather
from advisor.electrify.ev_charging import EVSpec, Sessions, charge, draw_sessions
from advisor.electrify.heat_demand import (
    AnnualHeat,
    ElectrifyError,
    HeatSource,
    annual_heat,
    hourly_heat,
    measured_temperature,
    mez_hours,
    to_intervals,
    try_temperature,
)
from advisor.electrify.heat_pump import HeatPumpRun, HeatPumpSpec, simulate_heat_pump
from advisor.electrify.parameters import ElectrifyParameters
from advisor.holidays_de import holiday_dates
from advisor.tariffs import Tariff, align_prices, energy_cost
from advisor.texts import Message
from advisor.units import interval_hours

TARIFF_IDS = (
    "fixed",
    "heat_pump_tariff",
    "dynamic",
    "para14a_module1",
    "para14a_module2",
    "para14a_module3",
)


@dataclass(frozen=True)
class ElectrifyRequest:
    """What to add to the household.

    Parameters
    ----------
    heat_pump
        The heating to replace (:class:`HeatSource`), or None for no heat pump.
    ev
        The car (:class:`EVSpec`), or None.
    design_flow_temp_c
        Flow temperature of the heating at the design outdoor temperature [°C]; None: seeds.
    owner_occupier
        True/False/None (unknown): the BEG speed bonus needs an owner living in the house.
    low_income
        True: the BEG income bonus (taxable household income up to 40,000 EUR) applies.
    """

    heat_pump: HeatSource | None = None
    ev: EVSpec | None = None
    design_flow_temp_c: float | None = None
    owner_occupier: bool | None = None
    low_income: bool | None = None

    def __post_init__(self) -> None:
        if self.heat_pump is None and self.ev is None:
            raise ElectrifyError("nothing to add: pass `--add-heat-pump` and/or `--add-ev`.")


@dataclass(frozen=True)
class Snapshot:
    """One year of the household's electricity.

    Attributes
    ----------
    annual_kwh
        Electricity drawn in the year [kWh/yr].
    annual_bill_eur
        Bill on the household's fixed tariff incl. base and meter fee [EUR/yr].
    peak_kw
        Highest average power of one interval of the curve [kW].
    smart_meter_required
        An intelligent metering system is mandatory (MsbG).
    """

    annual_kwh: float
    annual_bill_eur: float
    peak_kw: float
    smart_meter_required: bool


@dataclass(frozen=True)
class TariffOption:
    """Annual cost of the electrified household on one tariff product.

    Attributes
    ----------
    id
        One of :data:`TARIFF_IDS`.
    annual_cost_eur
        Everything for electricity in the year: energy, base fees, every meter [EUR/yr].
    meters
        Number of meters this product needs.
    meter_fee_eur
        Metering fees in it [EUR/yr].
    note
        What the figure rests on (a :class:`~advisor.texts.Message`).
    """

    id: str
    annual_cost_eur: float
    meters: int
    meter_fee_eur: float
    note: Message

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "annual_cost_eur": self.annual_cost_eur,
            "meters": self.meters,
            "meter_fee_eur": self.meter_fee_eur,
            "note": str(self.note),
            "note_de": self.note.text("de"),
            "note_code": self.note.code,
        }


@dataclass(frozen=True)
class Assumption:
    """One number the result rests on, with its source."""

    key: str
    value: Any
    unit: str
    source: str
    date: str
    verify: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class HeatPumpSummary:
    """The heat pump part of the result (energies [kWh/yr], money [EUR/yr or EUR], power [kW]).

    ``fuel_cost_eur`` is today's fuel bill (CO₂ price inside, ``co2_price_share_eur`` of it);
    ``running_cost_fixed_eur`` / ``running_cost_hp_tariff_eur`` the heat pump's electricity on the
    household's tariff / on a heat-pump tariff with its own meter; ``payback_years`` the net
    investment over the saving against the boiler (None when it saves nothing).
    """

    heat_kwh: float
    space_heat_kwh: float
    hot_water_kwh: float
    method: str
    fuel: str
    fuel_kwh: float
    fuel_litres: float | None
    fuel_assumed: bool
    electricity_kwh: float
    scop: float
    scop_in_field_range: bool
    peak_kw: float
    hours_above_floor: float
    kwh_above_floor: float
    fuel_cost_eur: float
    co2_price_share_eur: float
    running_cost_fixed_eur: float
    running_cost_hp_tariff_eur: float
    annual_saving_eur: float
    investment_eur: float
    subsidy_share: float
    subsidy_eur: float
    net_investment_eur: float
    payback_years: float | None
    temperature_source: str


@dataclass(frozen=True)
class EVSummary:
    """The car part of the result (energies [kWh/yr], money [EUR/yr], power [kW])."""

    km_per_year: float
    kwh_per_100km: float
    home_charging_share: float
    home_kwh: float
    elsewhere_kwh: float
    sessions: int
    smart: bool
    wallbox_kw: float
    peak_kw: float
    hours_above_floor: float
    kwh_above_floor: float
    replaces: str
    replaced_litres: float
    replaced_fuel_cost_eur: float
    home_electricity_cost_eur: float
    annual_saving_eur: float


@dataclass(frozen=True)
class ElectrificationResult:
    """Before and after electrification (see the module docstring for what each part means)."""

    before: Snapshot
    after: Snapshot
    added_kwh: dict[str, float]
    added_monthly_kwh: dict[str, list[float]]
    tariffs: tuple[TariffOption, ...]
    co2_kg_per_year: dict[str, float]
    smart_meter_required: bool
    assumptions: tuple[Assumption, ...]
    heat_pump: HeatPumpSummary | None
    ev: EVSummary | None
    house_connection_kw: float
    interval_minutes: int
    notes: tuple[Message, ...] = ()
    energy_after_kwh: pd.Series = field(default=None, repr=False, compare=False)

    @property
    def best_tariff(self) -> TariffOption:
        return min(self.tariffs, key=lambda t: t.annual_cost_eur)

    def tariff(self, tariff_id: str) -> TariffOption | None:
        return next((t for t in self.tariffs if t.id == tariff_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``advisor electrify --json``."""
        return {
            "before": asdict(self.before),
            "after": asdict(self.after),
            "added_kwh": dict(self.added_kwh),
            "added_monthly_kwh": {k: list(v) for k, v in self.added_monthly_kwh.items()},
            "tariffs": [t.to_dict() for t in self.tariffs],
            "best_tariff": self.best_tariff.id,
            "co2_kg_per_year": dict(self.co2_kg_per_year),
            "smart_meter_required": self.smart_meter_required,
            "heat_pump": asdict(self.heat_pump) if self.heat_pump else None,
            "ev": asdict(self.ev) if self.ev else None,
            "house_connection_kw": self.house_connection_kw,
            "peak_share_of_house_connection": self.after.peak_kw / self.house_connection_kw,
            "interval_minutes": self.interval_minutes,
            "notes": [str(n) for n in self.notes],
            "notes_de": [n.text("de") for n in self.notes],
            "assumptions": [a.to_dict() for a in self.assumptions],
        }


# ---------------------------------------------------------------------------------- pieces
def meter_fee_eur(annual_kwh: float, required: bool, params: ElectrifyParameters) -> float:
    """Metering fee of one meter [EUR/yr]: mME unless an iMSys is required (price caps by consumption)."""
    if not required:
        return params.meter_mme_eur
    return params.imsys_fee_above_10000_eur if annual_kwh > 10_000 else params.meter_imsys_eur


def smart_meter_required(annual_kwh: float, controllable_device: bool, params: ElectrifyParameters) -> bool:
    """MsbG: an iMSys is mandatory above the consumption threshold or with a § 14a device."""
    return bool(controllable_device or annual_kwh > params.imsys_threshold_kwh)


def monthly_kwh(series: pd.Series, tz: str) -> list[float]:
    """Energy per calendar month [kWh], January first (12 values)."""
    local = series.copy()
    local.index = series.index.tz_convert(tz)
    by_month = local.groupby(local.index.month).sum()
    return [float(by_month.get(m, 0.0)) for m in range(1, 13)]


def above_floor(device_kwh: np.ndarray, interval_minutes: int, floor_kw: float) -> tuple[float, float]:
    """Hours in which a device draws more than the § 14a floor, and the energy above it [h, kWh]."""
    h = interval_hours(interval_minutes)
    power = device_kwh / h
    over = power > floor_kw + 1e-9
    return float(over.sum() * h), float(((power - floor_kw).clip(min=0.0) * h).sum())


def beg_subsidy_share(request: ElectrifyRequest, heat: AnnualHeat, params: ElectrifyParameters) -> float:
    """BEG share of the eligible cost: base, speed bonus (owner replacing a working gas/oil boiler), income bonus."""
    share = params.beg_base_share
    if request.owner_occupier is not False and not heat.fuel_assumed and heat.fuel in ("gas", "oil"):
        share += params.beg_speed_bonus_share
    if request.low_income:
        share += params.beg_income_bonus_share
    return min(share, params.beg_max_share)


def _module3_factor(index: pd.DatetimeIndex, tz: str, params: ElectrifyParameters) -> np.ndarray:
    local = index.tz_convert(tz)
    hour, month = local.hour.to_numpy(), local.month.to_numpy()
    factor = np.ones(len(index))
    active = np.isin(month, params.module3_months)
    factor[active & np.isin(hour, params.module3_low_hours)] = params.module3_factor_low
    factor[active & np.isin(hour, params.module3_high_hours)] = params.module3_factor_high
    return factor


def _assumptions(params: ElectrifyParameters, names: list[str]) -> tuple[Assumption, ...]:
    out = []
    for n in names:
        c = params.cite(n)
        out.append(Assumption(c["key"], c["value"], c["unit"], c["source"], c["date"], bool(c["verify"])))
    return tuple(out)


def _peak_kw(series: np.ndarray, interval_minutes: int) -> float:
    return float(np.nanmax(series) / interval_hours(interval_minutes)) if len(series) else 0.0


# ---------------------------------------------------------------------------------- core
def _heat_pump_load(
    request: ElectrifyRequest,
    params: ElectrifyParameters,
    index: pd.DatetimeIndex,
    interval_minutes: int,
    *,
    latitude: float,
    longitude: float,
    try_region: int | None,
    temperature_c: pd.Series | None,
    holiday_region: str,
) -> tuple[AnnualHeat, HeatPumpRun, np.ndarray, str]:
    """The heat pump's electricity per interval of ``index`` and where its temperature came from."""
    heat = annual_heat(request.heat_pump, params)
    spec = HeatPumpSpec.from_parameters(params, request.design_flow_temp_c)
    hours = mez_hours(index)
    region = int(try_region) if try_region is not None else weather.try_region(latitude, longitude)
    temp = try_temperature(hours, region)
    source = f"DWD TRY2010 region {region}"
    if temperature_c is not None:
        temp, share = measured_temperature(hours, temperature_c, temp)
        source = f"measured ({share:.0%} of the hours; the rest DWD TRY2010 region {region})"
    hol = holiday_dates(holiday_region, sorted(set(hours.year)))
    hourly = hourly_heat(heat, hours, temp, dwelling=request.heat_pump.dwelling, holidays=hol)
    run = simulate_heat_pump(hourly, spec)
    return heat, run, to_intervals(run.electricity_kwh, index, interval_minutes).to_numpy(), source


def _tariff_options(
    e0: np.ndarray,
    hp_e: np.ndarray,
    ev_plan,
    *,
    index: pd.DatetimeIndex,
    tz: str,
    params: ElectrifyParameters,
    wp: float,
    base: float,
    has_ev: bool,
    controllable: bool,
    smart: bool,
    dynamic_tariff: Tariff | None,
    has_imsys: bool = False,
) -> list[TariffOption]:
    """Every tariff product on the electrified year; ``ev_plan(signal)`` charges the car by a
    tariff's own price signal (None: the household's valleys)."""
    vat = 1.0 + params.vat_pct / 100.0
    ev_e = ev_plan(None)
    after_kwh = float((e0 + hp_e + ev_e).sum())
    hp_kwh = float(hp_e.sum())
    device_kwh = hp_kwh + float(ev_e.sum())
    m_after = meter_fee_eur(after_kwh, has_imsys or smart_meter_required(after_kwh, controllable, params), params)
    out = [
        TariffOption(
            "fixed", after_kwh * wp + base + m_after, 1, m_after, Message("electrify.tariff_note.fixed", price=wp)
        )
    ]
    if hp_kwh > 0:
        rest = after_kwh - hp_kwh
        m_house = meter_fee_eur(rest, has_imsys or smart_meter_required(rest, has_ev, params), params)
        m_hp = meter_fee_eur(hp_kwh, True, params)
        cost = rest * wp + base + m_house + hp_kwh * params.hp_work_price_eur_per_kwh + params.hp_base_fee_eur_per_year
        note = Message(
            "electrify.tariff_note.heat_pump_tariff",
            price=params.hp_work_price_eur_per_kwh,
            fee=params.hp_base_fee_eur_per_year,
        )
        out.append(TariffOption("heat_pump_tariff", cost + m_hp, 2, m_house + m_hp, note))
    if dynamic_tariff is not None:
        signal = align_prices(index, dynamic_tariff.prices, tz=tz).price_eur_per_kwh.to_numpy() if smart else None
        dc = energy_cost(pd.Series(e0 + hp_e + ev_plan(signal), index=index), dynamic_tariff)
        fee = meter_fee_eur(dc.energy_kwh, True, params)
        note = Message("electrify.tariff_note.dynamic", year=dc.price_year or "", avg=dc.average_price_eur_per_kwh)
        out.append(TariffOption("dynamic", dc.energy_eur + dc.base_fee_eur + fee, 1, fee, note))
    if not controllable:
        return out
    m_imsys = meter_fee_eur(after_kwh, True, params)
    module1 = after_kwh * wp + base + m_imsys - params.module1_eur
    note1 = Message("electrify.tariff_note.module1", eur=params.module1_eur)
    out.append(TariffOption("para14a_module1", module1, 1, m_imsys, note1))
    if device_kwh > 0:
        rest = after_kwh - device_kwh
        m_house = meter_fee_eur(rest, has_imsys or smart_meter_required(rest, False, params), params)
        cut = params.network_work_price_eur_per_kwh * (1.0 - params.module2_network_share) * vat
        cost = rest * wp + base + m_house + device_kwh * (wp - cut) + params.module2_meter_eur
        note2 = Message("electrify.tariff_note.module2", cut=cut, kwh=device_kwh)
        out.append(TariffOption("para14a_module2", cost, 2, m_house + params.module2_meter_eur, note2))
    factor = _module3_factor(index, tz, params)
    # the car follows the network-fee windows; ties go to the household's quieter intervals
    quiet = (e0 + hp_e) / max(float((e0 + hp_e).max()), 1e-9)
    m3_curve = e0 + hp_e + ev_plan(factor + 1e-6 * quiet)
    extra = float((m3_curve * params.network_work_price_eur_per_kwh * (factor - 1.0) * vat).sum())
    note3 = Message(
        "electrify.tariff_note.module3", low=params.module3_factor_low, high=params.module3_factor_high, extra=extra
    )
    out.append(TariffOption("para14a_module3", module1 + extra, 1, m_imsys, note3))
    return out


def fuel_co2_kg(heat: AnnualHeat, params: ElectrifyParameters) -> float:
    """CO₂ of the gas or oil a boiler burns a year [kg]."""
    if heat.fuel == "gas":
        return heat.fuel_kwh * params.gas_hi_per_hs * params.co2_kg_per_kwh_gas_hi
    return heat.fuel_kwh * params.co2_kg_per_kwh_oil_hi


def _ev_summary(
    ev: EVSpec, sessions: Sessions, ev_e: np.ndarray, params: ElectrifyParameters, wp: float, interval_minutes: int
) -> EVSummary:
    home = float(ev_e.sum())
    litres = fuel_cost = 0.0
    if ev.replaces != "none":
        litres = ev.km_per_year * getattr(params, f"{ev.replaces}_litres_per_100km") / 100.0
        # the fuel of the km the home charging covers (public charging is priced elsewhere)
        fuel_cost = litres * ev.home_share(params) * getattr(params, f"{ev.replaces}_eur_per_litre")
    hours, kwh_above = above_floor(ev_e, interval_minutes, params.dimming_floor_kw)
    return EVSummary(
        km_per_year=ev.km_per_year,
        kwh_per_100km=ev.consumption(params),
        home_charging_share=ev.home_share(params),
        home_kwh=home,
        elsewhere_kwh=ev.total_kwh(params) - ev.home_kwh(params),
        sessions=sessions.n,
        smart=ev.smart,
        wallbox_kw=ev.wallbox_kw,
        peak_kw=_peak_kw(ev_e, interval_minutes),
        hours_above_floor=hours,
        kwh_above_floor=kwh_above,
        replaces=ev.replaces,
        replaced_litres=litres,
        replaced_fuel_cost_eur=fuel_cost,
        home_electricity_cost_eur=home * wp,
        annual_saving_eur=fuel_cost - home * wp if ev.replaces != "none" else 0.0,
    )


def _hp_summary(
    heat: AnnualHeat,
    run: HeatPumpRun,
    hp_e: np.ndarray,
    request: ElectrifyRequest,
    params: ElectrifyParameters,
    wp: float,
    interval_minutes: int,
    temperature_source: str,
) -> HeatPumpSummary:
    vat = 1.0 + params.vat_pct / 100.0
    hp_kwh = float(hp_e.sum())
    if heat.fuel == "gas":
        fuel_cost = heat.fuel_kwh * params.gas_price_eur_per_kwh
    else:
        litres = heat.fuel_litres if heat.fuel_litres is not None else heat.fuel_kwh / params.oil_kwh_per_litre
        fuel_cost = float(litres) * params.oil_price_eur_per_litre
    run_fixed = hp_kwh * wp
    run_hp = (
        hp_kwh * params.hp_work_price_eur_per_kwh
        + params.hp_base_fee_eur_per_year
        + meter_fee_eur(hp_kwh, True, params)
    )
    saving = fuel_cost - min(run_fixed, run_hp)
    share = beg_subsidy_share(request, heat, params)
    subsidy = share * min(params.hp_investment_eur, params.beg_max_eligible_cost_eur)
    net = params.hp_investment_eur - subsidy
    hours, kwh_above = above_floor(hp_e, interval_minutes, params.dimming_floor_kw)
    return HeatPumpSummary(
        heat_kwh=heat.total_kwh,
        space_heat_kwh=heat.space_heat_kwh,
        hot_water_kwh=heat.hot_water_kwh,
        method=heat.method,
        fuel=heat.fuel,
        fuel_kwh=heat.fuel_kwh,
        fuel_litres=heat.fuel_litres,
        fuel_assumed=heat.fuel_assumed,
        electricity_kwh=hp_kwh,
        scop=run.scop,
        scop_in_field_range=bool(params.field_scop_min <= run.scop <= params.field_scop_max),
        peak_kw=_peak_kw(hp_e, interval_minutes),
        hours_above_floor=hours,
        kwh_above_floor=kwh_above,
        fuel_cost_eur=fuel_cost,
        co2_price_share_eur=fuel_co2_kg(heat, params) / 1000.0 * params.co2_price_eur_per_tonne * vat,
        running_cost_fixed_eur=run_fixed,
        running_cost_hp_tariff_eur=run_hp,
        annual_saving_eur=saving,
        investment_eur=params.hp_investment_eur,
        subsidy_share=share,
        subsidy_eur=subsidy,
        net_investment_eur=net,
        payback_years=net / saving if saving > 0 else None,
        temperature_source=temperature_source,
    )


def _assumption_names(
    heat: AnnualHeat | None, request: ElectrifyRequest, controllable: bool, after_kwh: float
) -> list[str]:
    names = ["electricity_co2_g_per_kwh", "meter_mme_eur", "meter_imsys_eur", "imsys_threshold_kwh"]
    names += ["house_connection_kw", "dimming_floor_kw"]
    if heat is not None:
        names.append("gas_boiler_efficiency" if heat.fuel == "gas" else "oil_boiler_efficiency")
        names += ["cop_a", "cop_b", "cop_c", "cop_field_factor", "field_scop_mean", "design_flow_temp_c"]
        names += ["flow_temp_at_limit_c", "design_outdoor_temp_c", "heating_limit_temp_c", "hot_water_temp_c"]
        names += ["hp_work_price_eur_per_kwh", "hp_base_fee_eur_per_year", "hp_investment_eur", "beg_base_share"]
        names += ["beg_speed_bonus_share", "beg_income_bonus_share", "beg_max_share", "beg_max_eligible_cost_eur"]
        names.append("co2_price_eur_per_tonne")
        if heat.fuel == "gas":
            names += ["gas_price_eur_per_kwh", "gas_hi_per_hs", "co2_kg_per_kwh_gas_hi"]
        else:
            names += ["oil_price_eur_per_litre", "oil_kwh_per_litre", "co2_kg_per_kwh_oil_hi"]
        if heat.hot_water_kwh > 0:
            area = request.heat_pump.heated_area_m2 is not None
            names.append("hot_water_kwh_per_m2" if area else "hot_water_share_of_heat")
    ev = request.ev
    if ev is not None:
        names += ["ev_kwh_per_100km", "ev_home_charging_share", "ev_sessions_per_week", "ev_departure_hour"]
        names += ["ev_arrival_weights_weekday", "ev_arrival_weights_weekend", "ev_random_seed"]
        if ev.replaces != "none":
            r = ev.replaces
            names += [f"{r}_litres_per_100km", f"{r}_eur_per_litre", f"co2_kg_per_litre_{r}"]
    if controllable:
        names += ["module1_eur", "module2_network_share", "module2_meter_eur", "network_work_price_eur_per_kwh"]
        names += ["vat_pct", "module3_factor_low", "module3_factor_high", "module3_low_hours", "module3_high_hours"]
        names.append("module3_months")
    if after_kwh > 10_000:
        names.append("imsys_fee_above_10000_eur")
    return list(dict.fromkeys(names))


def settings_arguments(settings) -> dict:
    """The keyword arguments of :func:`electrify` that come from a household's
    :class:`~advisor.settings.HouseholdSettings` (prices, fees, meter, site, holiday region)."""
    return {
        "work_price_eur_per_kwh": settings.work_price_eur_per_kwh,
        "base_fee_eur_per_year": settings.base_fee_eur_per_year,
        "meter_fee_eur_per_year": settings.meter_fee_eur_per_year,
        "has_imsys": settings.meter == "iMSys",
        "latitude": settings.site.latitude,
        "longitude": settings.site.longitude,
        "holiday_region": settings.holiday_region,
    }


def electrify(
    year_kwh: pd.Series,
    request: ElectrifyRequest,
    params: ElectrifyParameters,
    *,
    interval_minutes: int,
    work_price_eur_per_kwh: float,
    base_fee_eur_per_year: float,
    latitude: float,
    longitude: float,
    holiday_region: str = "DE-NW",
    tz: str = "Europe/Berlin",
    temperature_c: pd.Series | None = None,
    dynamic_tariff: Tariff | None = None,
    has_heat_pump: bool = False,
    has_ev: bool = False,
    try_region: int | None = None,
    filled_share: float = 0.0,
    meter_fee_eur_per_year: float | None = None,
    has_imsys: bool = False,
) -> ElectrificationResult:
    """Add a heat pump and/or an electric car to a year of the household's curve and compare.

    Parameters
    ----------
    year_kwh
        Energy per interval [kWh] over one complete year (tz-aware, interval starts; no NaN),
        e.g. ``advisor.pv.complete_year(curve).energy_kwh``.
    request
        What to add (:class:`ElectrifyRequest`).
    params
        Reference numbers (:meth:`ElectrifyParameters.from_seeds`).
    interval_minutes
        Interval length of ``year_kwh`` [min].
    work_price_eur_per_kwh, base_fee_eur_per_year
        The household's fixed tariff (gross). Meter fees follow from ``params`` and the MsbG.
    latitude, longitude
        Site [deg]: its DWD TRY region gives the outdoor temperature (unless ``try_region``).
    holiday_region
        Public holidays for the BDEW heat profile (count as Sundays).
    tz
        Local time zone (arrival hours, months, Module 3 windows).
    temperature_c
        Measured outdoor temperature [°C] (tz-aware), preferred over the TRY where it covers the year.
    dynamic_tariff
        A dynamic tariff (:meth:`advisor.tariffs.Tariff.dynamic`) with day-ahead prices; None leaves it out.
    has_heat_pump, has_ev
        The household already has one (then a smart meter is required before, too).
    try_region
        Force a DWD TRY region 1..15 (e.g. for a site outside Germany).
    filled_share
        Share of the year's energy that was filled in with a standard profile (said in the notes).
    meter_fee_eur_per_year
        Fee of the household's meter today [EUR/yr] (``HouseholdSettings.meter_fee_eur_per_year``);
        None: the MsbG price cap of the meter its consumption requires.
    has_imsys
        The household has an intelligent metering system already (a measured 15-min curve comes
        from one); then every meter afterwards is an iMSys too.

    Raises
    ------
    ElectrifyError
        The year has gaps or is not about a year long, or the inputs are contradictory.
    """
    e0 = year_kwh.to_numpy(dtype=float)
    if np.isnan(e0).any():
        raise ElectrifyError(
            "`year_kwh` must be complete (no missing intervals); complete it first (advisor.pv.complete_year)."
        )
    days = len(e0) * interval_hours(interval_minutes) / 24.0
    if not 364 <= days <= 367:
        raise ElectrifyError(f"`year_kwh` must span one year (365 days); got {days:.0f} days.")
    index = year_kwh.index
    n = len(index)
    wp, base = float(work_price_eur_per_kwh), float(base_fee_eur_per_year)
    notes: list[Message] = []

    heat = run = None
    hp_e = np.zeros(n)
    temp_source = ""
    if request.heat_pump is not None:
        heat, run, hp_e, temp_source = _heat_pump_load(
            request,
            params,
            index,
            interval_minutes,
            latitude=latitude,
            longitude=longitude,
            try_region=try_region,
            temperature_c=temperature_c,
            holiday_region=holiday_region,
        )
        if heat.fuel_assumed:
            notes.append(Message("electrify.note.fuel_assumed_gas"))
        notes.append(Message("electrify.note.hp_not_shifted"))

    ev = request.ev
    sessions = None
    if ev is not None:
        sessions = draw_sessions(index, tz, ev.home_kwh(params), ev.wallbox_kw, params, interval_minutes)
        if ev.smart:
            notes.append(Message("electrify.note.pv_surplus_not_simulated"))
        if ev.replaces == "none":
            notes.append(Message("electrify.note.ev_adds_co2"))

    def ev_plan(signal: np.ndarray | None) -> np.ndarray:
        if ev is None or sessions is None:
            return np.zeros(n)
        return charge(
            sessions, n, ev.wallbox_kw, interval_minutes, smart=ev.smart, price=signal, base_load_kwh=e0 + hp_e
        )

    ev_e = ev_plan(None)  # on the fixed tariff a smart car fills the household's valleys
    after = e0 + hp_e + ev_e
    controllable = request.heat_pump is not None or ev is not None or has_heat_pump or has_ev
    before_kwh, after_kwh = float(e0.sum()), float(after.sum())
    req_before = smart_meter_required(before_kwh, has_heat_pump or has_ev, params)
    req_after = smart_meter_required(after_kwh, controllable, params)
    fee_before = (
        float(meter_fee_eur_per_year)
        if meter_fee_eur_per_year is not None
        else meter_fee_eur(before_kwh, req_before or has_imsys, params)
    )
    before = Snapshot(
        before_kwh,
        before_kwh * wp + base + fee_before,
        _peak_kw(e0, interval_minutes),
        req_before,
    )
    after_snap = Snapshot(
        after_kwh,
        after_kwh * wp + base + meter_fee_eur(after_kwh, req_after or has_imsys, params),
        _peak_kw(after, interval_minutes),
        req_after,
    )
    tariffs = _tariff_options(
        e0,
        hp_e,
        ev_plan,
        index=index,
        tz=tz,
        params=params,
        wp=wp,
        base=base,
        has_ev=ev is not None or has_ev,
        controllable=controllable,
        smart=bool(ev is not None and ev.smart),
        dynamic_tariff=dynamic_tariff,
        has_imsys=has_imsys,
    )

    grid = params.electricity_co2_g_per_kwh / 1000.0
    co2_before, co2_after = before_kwh * grid, after_kwh * grid
    hp_summary = ev_summary = None
    if heat is not None and run is not None:
        co2_before += fuel_co2_kg(heat, params)
        hp_summary = _hp_summary(heat, run, hp_e, request, params, wp, interval_minutes, temp_source)
        notes.append(Message("electrify.note.payback_against_keeping_boiler"))
    if ev is not None and sessions is not None:
        ev_summary = _ev_summary(ev, sessions, ev_e, params, wp, interval_minutes)
        co2_after += ev_summary.elsewhere_kwh * grid  # charged elsewhere, still the German mix
        if ev.replaces != "none":
            co2_before += ev_summary.replaced_litres * getattr(params, f"co2_kg_per_litre_{ev.replaces}")

    if after_snap.peak_kw > 0.8 * params.house_connection_kw:
        notes.append(
            Message("electrify.note.peak_near_connection", peak=after_snap.peak_kw, kw=params.house_connection_kw)
        )
    if interval_minutes >= 30:
        notes.append(Message("electrify.note.coarse_peaks", minutes=interval_minutes))
    if filled_share > 0.005:
        code = "electrify.note.mostly_standard_profile" if filled_share > 0.5 else "electrify.note.partly_filled"
        notes.append(Message(code, share=float(filled_share)))
    return ElectrificationResult(
        before=before,
        after=after_snap,
        added_kwh={"heat_pump": float(hp_e.sum()), "ev": float(ev_e.sum())},
        added_monthly_kwh={
            "heat_pump": monthly_kwh(pd.Series(hp_e, index=index), tz),
            "ev": monthly_kwh(pd.Series(ev_e, index=index), tz),
        },
        tariffs=tuple(tariffs),
        co2_kg_per_year={"before": co2_before, "after": co2_after},
        smart_meter_required=req_after,
        assumptions=_assumptions(params, _assumption_names(heat, request, controllable, after_kwh)),
        heat_pump=hp_summary,
        ev=ev_summary,
        house_connection_kw=params.house_connection_kw,
        interval_minutes=int(interval_minutes),
        notes=tuple(notes),
        energy_after_kwh=pd.Series(after, index=index, name="energy_kwh"),
    )
