"""One settings object per household: every reference value resolved once, in one place.

:func:`resolve_settings` turns the seeds (shipped + a Stadtwerk's override folder) and the
household's answers into :class:`HouseholdSettings`: the site (coordinates > postal code > the
Stadtwerk's default site, and which one was used), the Land and holiday region, the work price,
base fee and meter fee, the CO₂ factor, the PV defaults and the irradiance reference. The app,
``advisor recommend/report/pv/forecast/savings`` and the batch all resolve it with this function
and pass it down; nothing below reads a price, a site or a fee from the seeds by itself.

Precedence (each figure records where it came from):

* site: the household's coordinates (``coordinates``) > its postal code (``postal_code``, from the
  offline table ``seeds/postal_zones.csv``) > the Stadtwerk's default site ``site.*`` (``stadtwerk_default``);
* holiday region: the Land of the postal code > the curve's own region (set when it was read,
  ``--holiday-region``; default ``DE-NW``);
* work price and base fee: the household's own > ``tariffs.*``;
* meter fee: ``tariffs.meter_fee_eur_per_year`` when a Stadtwerk's seeds name it, else the price cap of the meter the data come from — a measured load curve needs an
  intelligent metering system (iMSys, ``tariff_components.meter_imsys_eur_per_year``); an estimate
  from an annual figure assumes a modern meter (mME, ``tariff_components.meter_mme_eur_per_year``).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError
from advisor.location import STATES, LocationError, locate_postal_code
from advisor.pv_options import PVDefaults
from advisor.seeds import Seeds

SITE_SOURCES = ("coordinates", "postal_code", "stadtwerk_default")
#: Environment variables naming a day-ahead price file (the operator's, for app and CLI).
PRICES_ENV = ("ADVISOR_PRICES_FILE", "ADVISOR_PRICES")
SETTINGS_ASSUMPTIONS = (
    "tariffs.work_price_eur_per_kwh",
    "tariffs.base_fee_eur_per_year",
    "emissions.co2_g_per_kwh",
    "weather.germany_mean_annual_ghi_kwh_per_m2",
)


@dataclass(frozen=True)
class Site:
    """Where the household is, and how we know.

    Attributes
    ----------
    latitude, longitude
        WGS84 [°].
    source
        ``"coordinates"`` (given), ``"postal_code"`` (offline table) or ``"stadtwerk_default"``.
    place
        Town of the coordinates (postal code or default site), or None for given coordinates.
    state
        ISO 3166-2 Land (``"DE-BY"``) when known from the postal code, else None.
    precision
        ``"exact"``, ``"district"``, ``"zone"`` (postal code) or ``"given"`` / ``"default"``.
    """

    latitude: float
    longitude: float
    source: str
    place: str | None = None
    state: str | None = None
    precision: str = "given"

    def to_dict(self) -> dict[str, Any]:
        return {
            "latitude": round(self.latitude, 4),
            "longitude": round(self.longitude, 4),
            "source": self.source,
            "place": self.place,
            "state": self.state,
            "precision": self.precision,
        }


def resolve_site(
    seeds: Seeds, household=None, *, latitude: float | None = None, longitude: float | None = None
) -> Site:
    """The household's site: its coordinates > its postal code > ``latitude/longitude`` given by the
    caller (e.g. ``advisor pv --lat``) > the Stadtwerk's default site.

    Raises
    ------
    LocationError
        The postal code is malformed or its zone does not exist.
    """
    if household is not None and getattr(household, "has_location", False):
        return Site(float(household.latitude), float(household.longitude), "coordinates")
    code = getattr(household, "postal_code", None) if household is not None else None
    if code:
        place = locate_postal_code(code, seeds)
        return Site(place.latitude, place.longitude, "postal_code", place.name, place.state, place.precision)
    if (latitude is None) != (longitude is None):
        raise LocationError("give both latitude and longitude")
    if latitude is not None:
        return Site(float(latitude), float(longitude), "coordinates")
    return Site(
        float(seeds.value("site.default_latitude_deg")),
        float(seeds.value("site.default_longitude_deg")),
        "stadtwerk_default",
        str(seeds.value("site.default_place")),
        None,
        "default",
    )


@dataclass(frozen=True)
class HouseholdSettings:
    """Every reference value one household's figures use (see the module docstring).

    Attributes
    ----------
    seeds
        The :class:`~advisor.seeds.Seeds` they came from (catalogues, tables, citations).
    site
        :class:`Site`.
    holiday_region, holiday_region_source
        Public-holiday region (``"DE-NW"``) and ``"postal_code"`` or ``"curve"``.
    work_price_eur_per_kwh, price_source
        Gross work price [EUR/kWh] and ``"household"`` or ``"seeds"``.
    base_fee_eur_per_year, base_fee_source
        Supplier's base fee without metering [EUR/yr] and ``"household"`` or ``"seeds"``.
    meter, meter_fee_eur_per_year
        ``"iMSys"`` or ``"mME"`` and its yearly price cap [EUR/yr].
    co2_g_per_kwh
        CO₂ factor of the grid mix [g/kWh].
    germany_ghi_kwh_per_m2
        Irradiance reference the TRY is scaled to [kWh/m²/yr].
    pv
        :class:`~advisor.pv_options.PVDefaults` (roof orientation, grids, balcony, battery).
    as_of
        The day the figures speak for (prices, EEG rate of a new system).
    forecast_yoy_log_sd
        Spread of year-over-year changes (log) for the 12-month bands (``forecast.annual_yoy_log_sd``).
    """

    seeds: Seeds = field(repr=False)
    site: Site
    holiday_region: str
    holiday_region_source: str
    work_price_eur_per_kwh: float
    price_source: str
    base_fee_eur_per_year: float
    base_fee_source: str
    meter: str
    meter_fee_eur_per_year: float
    co2_g_per_kwh: float
    germany_ghi_kwh_per_m2: float
    pv: PVDefaults = field(repr=False)
    as_of: dt.date = field(default_factory=dt.date.today)
    forecast_yoy_log_sd: float | None = None

    @property
    def fixed_fees_eur_per_year(self) -> float:
        """Base fee + meter fee [EUR/yr]."""
        return self.base_fee_eur_per_year + self.meter_fee_eur_per_year

    def annual_bill_eur(self, annual_kwh: float) -> float:
        """The yearly bill of ``annual_kwh`` on the fixed tariff: kWh × work price + base fee + meter fee [EUR]."""
        return float(annual_kwh) * self.work_price_eur_per_kwh + self.fixed_fees_eur_per_year

    @property
    def seeds_version(self) -> str:
        return self.seeds.version

    def to_dict(self) -> dict[str, Any]:
        """The settings' figures, JSON-ready (rounded as shown)."""
        return {
            "site": self.site.to_dict(),
            "holiday_region": self.holiday_region,
            "holiday_region_source": self.holiday_region_source,
            "work_price_eur_per_kwh": round(self.work_price_eur_per_kwh, 4),
            "price_source": self.price_source,
            "base_fee_eur_per_year": round(self.base_fee_eur_per_year, 2),
            "base_fee_source": self.base_fee_source,
            "meter": self.meter,
            "meter_fee_eur_per_year": round(self.meter_fee_eur_per_year, 2),
            "co2_g_per_kwh": round(self.co2_g_per_kwh, 1),
            "germany_ghi_kwh_per_m2": round(self.germany_ghi_kwh_per_m2, 1),
            "as_of": self.as_of.isoformat(),
            "seeds_version": self.seeds_version,
        }


def meter_of(curve) -> str:
    """``"iMSys"`` for a measured load curve (only an intelligent metering system records one,
    § 55 MsbG), ``"mME"`` for a curve estimated from an annual figure or readings."""
    if curve is not None and getattr(curve, "is_estimated", False):
        return "mME"
    return "iMSys" if curve is not None else "mME"


def _as_date(value) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise AdvisorError(f"`as_of` must be a date YYYY-MM-DD; got {value!r}.") from None


def resolve_settings(
    seeds: Seeds,
    household=None,
    *,
    curve=None,
    holiday_region: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    as_of=None,
    pv_overrides: dict[str, Any] | None = None,
) -> HouseholdSettings:
    """Resolve one household's settings (see the module docstring for the precedence).

    Parameters
    ----------
    seeds
        Shipped seeds with the Stadtwerk's overrides applied (:func:`advisor.seeds.load_seeds`).
    household
        :class:`~advisor.household.Household` or None (nothing known).
    curve
        The household's :class:`~advisor.loadcurve.LoadCurve` (its holiday region and whether it
        was measured), or None.
    holiday_region
        The region when there is no curve and no postal code (default: the curve's, else ``DE-NW``).
    latitude, longitude
        A site the caller was given outside the household (e.g. ``advisor pv --lat/--lon``).
    as_of
        The day the figures speak for (date or ISO text); default today.
    pv_overrides
        Fields of :class:`~advisor.pv_options.PVDefaults` to replace (e.g. ``roof_kwp_grid``).
    """
    site = resolve_site(seeds, household, latitude=latitude, longitude=longitude)
    if site.state is not None:
        region, region_source = site.state, "postal_code"
    else:
        region = getattr(getattr(curve, "meta", None), "holiday_region", None) or holiday_region or "DE-NW"
        region_source = "curve"
    own_price = getattr(household, "price_eur_per_kwh", None)
    own_fee = getattr(household, "base_fee_eur_per_year", None)
    meter = meter_of(curve)
    meter_key = (
        "tariff_components.meter_imsys_eur_per_year" if meter == "iMSys" else "tariff_components.meter_mme_eur_per_year"
    )
    if "tariffs.meter_fee_eur_per_year" in seeds.values:  # a Stadtwerk's own meter fee (override) wins
        meter_key = "tariffs.meter_fee_eur_per_year"
    return HouseholdSettings(
        seeds=seeds,
        site=site,
        holiday_region=str(region),
        holiday_region_source=region_source,
        work_price_eur_per_kwh=float(own_price) if own_price else float(seeds.value("tariffs.work_price_eur_per_kwh")),
        price_source="household" if own_price else "seeds",
        base_fee_eur_per_year=float(own_fee)
        if own_fee is not None
        else float(seeds.value("tariffs.base_fee_eur_per_year")),
        base_fee_source="household" if own_fee is not None else "seeds",
        meter=meter,
        meter_fee_eur_per_year=float(seeds.value(meter_key)),
        co2_g_per_kwh=float(seeds.value("emissions.co2_g_per_kwh")),
        germany_ghi_kwh_per_m2=float(seeds.value("weather.germany_mean_annual_ghi_kwh_per_m2")),
        pv=PVDefaults.from_seeds(seeds, household, **(pv_overrides or {})),
        as_of=_as_date(as_of),
        forecast_yoy_log_sd=float(seeds.value("forecast.annual_yoy_log_sd"))
        if "forecast.annual_yoy_log_sd" in seeds.values
        else None,
    )


def prepared_curve(curve, settings: HouseholdSettings):
    """The curve with the settings' holiday region (H25 shape, weekday features, signatures)."""
    if curve.meta.holiday_region != settings.holiday_region:
        return curve.with_meta(holiday_region=settings.holiday_region)
    return curve


def operator_prices_path() -> Path | None:
    """The operator's day-ahead price file named by ``$ADVISOR_PRICES_FILE`` (or ``$ADVISOR_PRICES``)."""
    for name in PRICES_ENV:
        value = os.environ.get(name)
        if value:
            return Path(value)
    return None


__all__ = [
    "HouseholdSettings",
    "LocationError",
    "PRICES_ENV",
    "SETTINGS_ASSUMPTIONS",
    "STATES",
    "Site",
    "meter_of",
    "operator_prices_path",
    "prepared_curve",
    "resolve_settings",
    "resolve_site",
]
