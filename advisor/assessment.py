"""One household assessment: the single code path behind the app, the report and the batch.

:func:`assess_household` runs, on one load curve and what the household told us:

1. the ingest summary of the curve,
2. the analysis (:func:`advisor.analysis.analyse`),
3. the 12-month forecast and bill projection with the default model (:mod:`advisor.forecast`),
4. the PV options simulated on the curve (:mod:`advisor.economics` / :mod:`advisor.pv`),
5. the tariff comparison on real day-ahead prices (:mod:`advisor.tariffs`),
6. the ranked recommendations (:func:`advisor.measures.recommend`),

and collects every assumption with its source and date from the seeds. Every reference value
(site, holiday region, work price, base and meter fee, CO₂ factor, PV defaults, irradiance) comes
from one :class:`~advisor.settings.HouseholdSettings`, resolved once per household; the stated
contract — :class:`AssessmentFigures` (annual kWh, site, holiday region, prices, bill, specific PV
yield) — is what ``advisor recommend --json`` (``assessment``), ``advisor pv FILE``, the batch
summary and the app show, from :func:`assessment_figures`.

A part that cannot run (no prices, no model on disk, the part switched off for batch speed) is
recorded in ``unavailable`` with the reason, never replaced by a made-up figure. Only the
product's own refusals (:class:`~advisor.errors.AdvisorError`) and unreadable files (``OSError``)
are turned into such a note; any other exception is a bug and propagates.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from advisor.analysis import LoadAnalysis, analyse
from advisor.annual import annual_energy
from advisor.economics import EconomicsSettings, PVOption
from advisor.errors import AdvisorError, SeedError
from advisor.extrapolation import Extrapolation, extrapolation_of
from advisor.forecast import AnnualProjection, annual_projection, default_model_dir, load_forecaster
from advisor.formatting import LANGUAGES
from advisor.household import Household
from advisor.measures import Measure, Potential, Recommendation, advise, applies, household_facts, measure_catalog
from advisor.pv_options import pv_options, specific_yield_kwh_per_kwp
from advisor.seeds import Seeds, load_seeds
from advisor.settings import HouseholdSettings, Site, prepared_curve, resolve_settings
from advisor.tariffs import TariffComparison, compare_tariffs
from advisor.texts import Message

ALL_PARTS = ("forecast", "pv", "tariffs", "recommendations")

#: Seed values listed in every report's assumptions table (more are added by the parts that ran).
BASE_ASSUMPTIONS = (
    "tariffs.work_price_eur_per_kwh",
    "tariffs.base_fee_eur_per_year",
    "emissions.co2_g_per_kwh",
    "weather.germany_mean_annual_ghi_kwh_per_m2",
)
TARIFF_ASSUMPTIONS = (
    "tariff_components.network_work_price_eur_per_kwh",
    "tariff_components.electricity_tax_eur_per_kwh",
    "tariff_components.concession_fee_eur_per_kwh",
    "tariff_components.stromnev19_levy_eur_per_kwh",
    "tariff_components.offshore_levy_eur_per_kwh",
    "tariff_components.vat_pct",
    "tariff_components.dynamic_supplier_markup_eur_per_kwh",
    "tariff_components.dynamic_base_fee_eur_per_year",
    "tariff_components.meter_mme_eur_per_year",
    "tariff_components.meter_imsys_eur_per_year",
    "tariff_components.flexible_share_of_evening_load",
    "tariff_components.para14a_module1_eur_per_year",
    "tariff_components.para14a_module2_network_share",
)


@dataclass(frozen=True)
class Assumption:
    """One assumption behind the figures, with its source.

    Attributes
    ----------
    name
        Seed key or a short description.
    value
        The value used.
    unit
        Its unit.
    source
        Publisher / document / URL.
    date
        Date of the figure.
    verify
        True for figures from secondary sources that should be checked.
    """

    name: str
    value: Any
    unit: str
    source: str
    date: str
    verify: bool = False


@dataclass(frozen=True)
class AssessmentSettings:
    """What to run and with which reference data.

    Attributes
    ----------
    seeds
        :class:`~advisor.seeds.Seeds` (the edge loads them).
    prices
        Day-ahead prices (DataFrame ``timestamp_utc, price_eur_mwh``, a Series, or
        :class:`~advisor.tariffs.DayAheadPrices`); None: no dynamic-tariff comparison.
    language
        ``"de"``, ``"en"`` or ``"tr"`` (report language; recommendations carry de and en).
    model_dir
        Folder of the forecast model; None = the shipped default model.
    parts
        Which expensive parts to run (subset of :data:`ALL_PARTS`); batch may skip some.
    latitude, longitude
        Site when the household gives none [deg]; None = the seeded default (Herne).
    low_income
        The household qualifies for the Caritas Stromspar-Check (None: unknown, not shown).
    pv_kwp_grid
        PV sizes tried [kWp]; None: the seed ``pv.roof_kwp_grid``.
    as_of
        The day the assessment speaks for: the report's date, the date of the household's own
        price, the commissioning date of a new PV system (EEG rate). A ``datetime.date`` or ISO
        ``YYYY-MM-DD``; default: the day the settings are made (the edge: app, CLI), so that the
        same settings give the same assessment on any later day. The batch passes its fixed letter
        date.
    """

    seeds: Seeds
    prices: Any = None
    language: str = "de"
    model_dir: str | Path | None = None
    parts: tuple[str, ...] = ALL_PARTS
    latitude: float | None = None
    longitude: float | None = None
    low_income: bool | None = None
    pv_kwp_grid: tuple[float, ...] | None = None
    as_of: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        if isinstance(self.as_of, str):
            try:
                object.__setattr__(self, "as_of", dt.date.fromisoformat(self.as_of))
            except ValueError:
                raise AdvisorError(f"`as_of` must be a date YYYY-MM-DD; got {self.as_of!r}.") from None
        if isinstance(self.as_of, dt.datetime) or not isinstance(self.as_of, dt.date):
            raise AdvisorError(f"`as_of` must be a datetime.date; got {type(self.as_of).__name__}.")
        unknown = set(self.parts) - set(ALL_PARTS)
        if unknown:
            raise AdvisorError(f"`parts` must be among {ALL_PARTS}; got {sorted(unknown)}.")
        if self.language not in LANGUAGES:
            raise AdvisorError(f"`language` must be one of {', '.join(LANGUAGES)}; got {self.language!r}.")

    def household_settings(self, household=None, curve=None) -> HouseholdSettings:
        """The one :class:`~advisor.settings.HouseholdSettings` of this household under these settings."""
        pv = {"roof_kwp_grid": tuple(float(k) for k in self.pv_kwp_grid)} if self.pv_kwp_grid else None
        return resolve_settings(
            self.seeds,
            household,
            curve=curve,
            latitude=self.latitude,
            longitude=self.longitude,
            as_of=self.as_of,
            pv_overrides=pv,
        )


@dataclass(frozen=True)
class AssessmentFigures:
    """The stated contract: the figures every door shows identically for one household.

    Attributes
    ----------
    annual_kwh, annual_method
        Annual consumption [kWh/yr] and how it was obtained (:func:`advisor.annual.annual_energy`).
    site
        :class:`~advisor.settings.Site` (latitude, longitude, source).
    holiday_region, holiday_region_source
        Public-holiday region used and where it came from.
    work_price_eur_per_kwh, price_source, base_fee_eur_per_year, meter, meter_fee_eur_per_year
        The fixed tariff of the household.
    annual_bill_eur
        ``annual_kwh x work price + base fee + meter fee`` [EUR/yr].
    pv_specific_yield_kwh_per_kwp
        Yield of 1 kWp on the household's roof (default roof when unknown) [kWh/kWp/yr], before
        clipping and curtailment (as ``advisor pv --kwp 1``).
    roof_tilt_deg, roof_azimuth_deg
        The roof that yield is for.
    co2_g_per_kwh
        CO₂ factor [g/kWh].
    seeds_version
        Fingerprint of the seeds used.
    """

    annual_kwh: float
    annual_method: str
    site: Site
    holiday_region: str
    holiday_region_source: str
    work_price_eur_per_kwh: float
    price_source: str
    base_fee_eur_per_year: float
    meter: str
    meter_fee_eur_per_year: float
    annual_bill_eur: float
    pv_specific_yield_kwh_per_kwp: float
    roof_tilt_deg: float
    roof_azimuth_deg: float
    co2_g_per_kwh: float
    seeds_version: str

    def to_dict(self) -> dict[str, Any]:
        """JSON object ``assessment`` (rounded as shown to people: kWh and EUR to 0.01, prices to 0.0001)."""

        def r(x: float, nd: int) -> float | None:
            return round(float(x), nd) if x is not None and math.isfinite(float(x)) else None

        return {
            "annual_kwh": r(self.annual_kwh, 2),
            "annual_method": self.annual_method,
            "site": self.site.to_dict(),
            "holiday_region": self.holiday_region,
            "holiday_region_source": self.holiday_region_source,
            "work_price_eur_per_kwh": r(self.work_price_eur_per_kwh, 4),
            "price_source": self.price_source,
            "base_fee_eur_per_year": r(self.base_fee_eur_per_year, 2),
            "meter": self.meter,
            "meter_fee_eur_per_year": r(self.meter_fee_eur_per_year, 2),
            "annual_bill_eur": r(self.annual_bill_eur, 2),
            "pv_specific_yield_kwh_per_kwp": r(self.pv_specific_yield_kwh_per_kwp, 2),
            "roof_tilt_deg": r(self.roof_tilt_deg, 1),
            "roof_azimuth_deg": r(self.roof_azimuth_deg, 1),
            "co2_g_per_kwh": r(self.co2_g_per_kwh, 1),
            "seeds_version": self.seeds_version,
        }

    def to_row(self) -> dict[str, Any]:
        """The same figures as flat columns of the batch household table (``OUT/summary.csv``)."""
        d = self.to_dict()
        site = d.pop("site")
        d["site_latitude"] = site["latitude"]
        d["site_longitude"] = site["longitude"]
        d["site_source"] = site["source"]
        d["site_place"] = site["place"]
        d["site_state"] = site["state"]
        return d


#: Columns of :meth:`AssessmentFigures.to_row` in the order the batch table shows them.
FIGURE_COLUMNS = (
    "annual_kwh",
    "annual_method",
    "annual_bill_eur",
    "work_price_eur_per_kwh",
    "price_source",
    "base_fee_eur_per_year",
    "meter",
    "meter_fee_eur_per_year",
    "site_latitude",
    "site_longitude",
    "site_source",
    "site_place",
    "site_state",
    "holiday_region",
    "holiday_region_source",
    "pv_specific_yield_kwh_per_kwp",
    "roof_tilt_deg",
    "roof_azimuth_deg",
    "co2_g_per_kwh",
    "seeds_version",
)


def assessment_figures(curve, settings: HouseholdSettings) -> AssessmentFigures:
    """The contract figures of one household (cheap: no forecast, no PV sweep).

    ``curve`` must already carry the settings' holiday region (:func:`advisor.settings.prepared_curve`).
    """
    annual = annual_energy(curve)
    kwh = float(annual.annual_kwh)
    if curve.is_estimated and not math.isfinite(kwh):
        kwh = float(curve.total_kwh)
    return AssessmentFigures(
        annual_kwh=kwh,
        annual_method=annual.method,
        site=settings.site,
        holiday_region=settings.holiday_region,
        holiday_region_source=settings.holiday_region_source,
        work_price_eur_per_kwh=settings.work_price_eur_per_kwh,
        price_source=settings.price_source,
        base_fee_eur_per_year=settings.base_fee_eur_per_year,
        meter=settings.meter,
        meter_fee_eur_per_year=settings.meter_fee_eur_per_year,
        annual_bill_eur=settings.annual_bill_eur(kwh),
        pv_specific_yield_kwh_per_kwp=specific_yield_kwh_per_kwp(
            settings.site.latitude, settings.site.longitude, settings.pv, settings.as_of.year
        ),
        roof_tilt_deg=settings.pv.tilt_deg,
        roof_azimuth_deg=settings.pv.azimuth_deg,
        co2_g_per_kwh=settings.co2_g_per_kwh,
        seeds_version=settings.seeds_version,
    )


@dataclass(frozen=True)
class HouseholdAssessment:
    """Everything the report, the app and the batch show about one household.

    Attributes
    ----------
    household
        What the household told us.
    ingest
        The curve's ingest summary (``LoadCurve.summary()``).
    analysis
        :class:`~advisor.analysis.LoadAnalysis`.
    forecast_months
        Next 12 months ``p10, p50, p90`` [kWh/month], or None.
    projection
        :class:`~advisor.forecast.AnnualProjection` (bill and Abschlag), or None.
    pv_options
        Simulated PV options (:class:`~advisor.economics.PVOption`), best first, or ().
    tariffs
        :class:`~advisor.tariffs.TariffComparison`, or None.
    recommendations
        Ranked :class:`~advisor.measures.Recommendation` list.
    assumptions
        Every assumption with source and date.
    unavailable
        Part -> reason it is missing.
    is_synthetic, is_estimated
        The curve was generated (demo) / modelled from an annual figure, not measured.
    created
        The day the assessment speaks for (``AssessmentSettings.as_of``).
    language
        Report language.
    settings
        The household's :class:`~advisor.settings.HouseholdSettings`.
    figures
        :class:`AssessmentFigures`, the contract shared by every door.
    potential
        The one sequential potential (:class:`~advisor.measures.Potential`), or None.
    not_recommended
        Measures that do not pay, with their reason.
    extrapolation
        :class:`~advisor.extrapolation.Extrapolation` when the annual figures rest on less than a
        year of values: their measured 80 % range, and whether savings per year are withheld.
    own_pv
        Size of the household's existing PV system (:class:`~advisor.own_pv.OwnPVSize`: stated, or a
        range from a year of feed-in), None when unknown or absent.
    """

    household: Household
    ingest: dict[str, Any]
    analysis: LoadAnalysis
    forecast_months: pd.DataFrame | None
    projection: AnnualProjection | None
    pv_options: tuple[PVOption, ...]
    tariffs: TariffComparison | None
    recommendations: tuple[Recommendation, ...]
    assumptions: tuple[Assumption, ...]
    settings: HouseholdSettings
    figures: AssessmentFigures
    unavailable: dict[str, str] = field(default_factory=dict)
    is_synthetic: bool = False
    is_estimated: bool = False
    created: dt.date | None = None
    language: str = "de"
    potential: Potential | None = None
    not_recommended: tuple[Any, ...] = ()
    own_pv: Any = None
    extrapolation: Extrapolation | None = None

    @property
    def price_eur_per_kwh(self) -> float:
        """The household's work price [EUR/kWh] (from its settings)."""
        return self.settings.work_price_eur_per_kwh

    @property
    def total_savings_eur(self) -> float:
        """The one sequential potential [EUR/yr] (:class:`~advisor.measures.Potential`), never a sum
        of overlapping measures; measures that depend on an open question are not in it."""
        return float(self.potential.annual_savings_eur) if self.potential is not None else 0.0

    @property
    def total_savings_kwh(self) -> float:
        return float(self.potential.annual_savings_kwh) if self.potential is not None else 0.0

    @property
    def total_co2_kg(self) -> float:
        return float(self.potential.annual_co2_kg) if self.potential is not None else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (figures, not curves); ``assessment`` is the contract of :class:`AssessmentFigures`."""
        return {
            "assessment": self.figures.to_dict(),
            "household": self.household.to_mapping(),
            "ingest": self.ingest,
            "analysis": self.analysis.summary(),
            "projection": self.projection.to_dict() if self.projection is not None else None,
            "pv_options": [o.to_row() for o in self.pv_options],
            "tariffs": self.tariffs.to_dict() if self.tariffs is not None else None,
            "recommendations": [r.to_dict() for r in self.recommendations],
            "not_recommended": [n.to_dict() for n in self.not_recommended],
            "potential": self.potential.to_dict() if self.potential is not None else None,
            "own_pv": self.own_pv.to_dict() if self.own_pv is not None else None,
            "extrapolation": self.extrapolation.to_dict() if self.extrapolation is not None else None,
            "total_savings_eur": self.total_savings_eur,
            "assumptions": [asdict(a) for a in self.assumptions],
            "unavailable": {k: str(v) for k, v in self.unavailable.items()},
            "is_synthetic": self.is_synthetic,
            "is_estimated": self.is_estimated,
            "created": self.created.isoformat() if self.created is not None else None,
        }


def _assumption(seeds, key: str) -> Assumption:
    e = seeds.entry(key)
    return Assumption(e.key, e.value, e.unit, e.source, e.date, e.verify)


#: Forecast models loaded in this process, by folder: a model is read-only once loaded, and
#: loading it (three LightGBM boosters from text, sha256 checks) costs more than a household's
#: forecast. The key holds each file's size and modification time, so a retrained model is reloaded.
_FORECASTERS: dict[tuple, Any] = {}


def _forecaster(model_dir):
    folder = Path(model_dir or default_model_dir()).resolve()
    try:
        stamp = tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))
    except OSError:
        stamp = None
    key = (str(folder), stamp)
    model = _FORECASTERS.get(key) if stamp is not None else None
    if model is None:
        model = load_forecaster(folder)  # raises ModelArtifactError / OSError as before
        if stamp is not None:
            _FORECASTERS.clear()  # keep only the current model
            _FORECASTERS[key] = model
    return model


def pv_options_for(
    curve,
    household,
    settings: HouseholdSettings,
    *,
    roof_pv: bool = True,
    balcony_pv: bool = True,
    prices=None,
) -> tuple[PVOption, ...]:
    """The PV products that may apply, from the one PV orchestration (:func:`advisor.pv_options.pv_options`).

    Returns a tuple of :class:`~advisor.economics.PVOption`: the best roof option without
    battery and the recommended battery on it when one pays (if ``roof_pv``), and the best
    balcony device (if ``balcony_pv``). Site, roof sizes, orientation, irradiance and the work
    price come from the household's ``settings``; ``settings.as_of`` dates a new system for its
    EEG feed-in rate.
    """
    econ = EconomicsSettings.from_seeds(
        settings.seeds,
        household=household,
        commissioning=settings.as_of,
        price_eur_per_kwh=settings.work_price_eur_per_kwh,
    )
    found = pv_options(
        curve,
        latitude=settings.site.latitude,
        longitude=settings.site.longitude,
        economics=econ,
        defaults=settings.pv,
        household=household,
        roof=roof_pv,
        balcony=balcony_pv,
        prices=prices,
    )
    return found.for_assessment()


PV_ASSUMPTIONS = (
    "pv.investment_eur_per_kwp",
    "pv.investment_fixed_eur",
    "pv.battery_bundled_eur_per_kwh",
    "pv.balcony_set_eur",
    "pv.lifetime_years",
    "pv.discount_rate_pct",
    "pv.degradation_pct_per_year",
)


def assess_household(
    curve, household: Household | None = None, settings: AssessmentSettings | None = None
) -> HouseholdAssessment:
    """Assess one household: analysis, forecast, PV, tariffs, recommendations, assumptions.

    Parameters
    ----------
    curve
        The household's import :class:`~advisor.loadcurve.LoadCurve`.
    household
        :class:`~advisor.household.Household`; unknown answers stay unknown.
    settings
        :class:`AssessmentSettings`; None: the shipped seeds and default model, every part.

    Raises
    ------
    AdvisorError
        The curve cannot be analysed (e.g. an export curve or no values).
    """
    if settings is None:
        settings = AssessmentSettings(seeds=load_seeds())
    seeds = settings.seeds
    household = household or Household()
    hs = settings.household_settings(household, curve)
    curve = prepared_curve(curve, hs)
    figures = assessment_figures(curve, hs)
    unavailable: dict[str, str] = {}
    keys: list[str] = list(BASE_ASSUMPTIONS)
    keys.append(
        "tariff_components.meter_imsys_eur_per_year"
        if hs.meter == "iMSys"
        else "tariff_components.meter_mme_eur_per_year"
    )

    analysis = analyse(curve, household, seeds=seeds, site=(hs.site.latitude, hs.site.longitude), state=hs.site.state)
    extrapolation = short_period_extrapolation(analysis, seeds, estimated=bool(curve.is_estimated))

    forecast_months = projection = None
    if "forecast" in settings.parts:
        try:
            model = _forecaster(settings.model_dir)
            projection = annual_projection(
                curve,
                hs.work_price_eur_per_kwh,
                hs.fixed_fees_eur_per_year,
                model=model,
                yoy_log_sd=hs.forecast_yoy_log_sd,
                site=(hs.site.latitude, hs.site.longitude),
            )
            forecast_months = projection.months
        except (AdvisorError, OSError) as exc:
            unavailable["forecast"] = Message("assessment.unavailable.forecast_failed", why=str(exc))
    else:
        unavailable["forecast"] = Message("assessment.unavailable.not_requested")

    cat = measure_catalog(seeds)
    pv_found: tuple[PVOption, ...] = ()
    if "pv" in settings.parts:
        facts = household_facts(household, analysis, settings.low_income)
        roof_ok = "rooftop_pv" in cat and applies(cat["rooftop_pv"].applies_if, facts)
        balcony_ok = "balcony_pv" in cat and applies(cat["balcony_pv"].applies_if, facts)
        try:
            if roof_ok or balcony_ok:
                pv_found = pv_options_for(
                    curve, household, hs, roof_pv=roof_ok, balcony_pv=balcony_ok, prices=settings.prices
                )
            keys.extend(k for k in PV_ASSUMPTIONS if k in seeds.values)
        except AdvisorError as exc:
            unavailable["pv"] = Message("assessment.unavailable.pv_failed", kind=type(exc).__name__, why=str(exc))
    else:
        unavailable["pv"] = Message("assessment.unavailable.pv_not_requested")

    tariffs = None
    if "tariffs" in settings.parts:
        sig = {s.name: s for s in analysis.signatures if s.detected}
        has_ev = bool(household.ev) or "ev_charging" in sig
        has_hp = household.heating == "heat_pump" or "heat_pump" in sig
        wanted = [n for n, on in (("ev_charging", has_ev), ("heat_pump", has_hp)) if on]
        known = [sig[n].annual_kwh for n in wanted if n in sig and sig[n].annual_kwh is not None]
        tariffs = compare_tariffs(
            curve,
            hs,
            household,
            prices=settings.prices,
            has_ev=has_ev,
            has_heat_pump=has_hp,
            device_kwh=float(sum(known)) if wanted and len(known) == len(wanted) else None,
            annual_kwh=figures.annual_kwh,
        )
        keys.extend(TARIFF_ASSUMPTIONS)
        if tariffs.unavailable:
            unavailable["dynamic_tariff"] = tariffs.unavailable
    else:
        unavailable["tariffs"] = Message("assessment.unavailable.not_requested")

    recs: list[Recommendation] = []
    advice = None
    if "recommendations" in settings.parts:
        advice = advise(
            analysis,
            household,
            seeds=seeds,
            pv_options=pv_found or None,
            tariff_comparison=tariffs,
            low_income=settings.low_income,
            catalog=cat,
            price_eur_per_kwh=hs.work_price_eur_per_kwh,
            co2_g_per_kwh=hs.co2_g_per_kwh,
        )
        recs = list(advice.recommendations)
    else:
        unavailable["recommendations"] = Message("assessment.unavailable.not_requested")

    assumptions = [_assumption(seeds, k) for k in dict.fromkeys(keys)]
    assumptions.extend(_measure_assumption(cat[r.measure_id], r) for r in recs)
    if tariffs is not None and tariffs.price_source:
        assumptions.append(
            Assumption(
                "day_ahead_prices",
                tariffs.price_year or "",
                "EUR/MWh hourly",
                tariffs.price_source,
                tariffs.price_year or "",
                False,
            )
        )
    if hs.price_source == "household":
        assumptions.insert(
            0,
            Assumption(
                "household price", hs.work_price_eur_per_kwh, "EUR/kWh", "stated by the household", hs.as_of.isoformat()
            ),
        )
    if hs.base_fee_source == "household":
        assumptions.insert(
            0,
            Assumption(
                "household base fee",
                hs.base_fee_eur_per_year,
                "EUR/yr",
                "stated by the household",
                hs.as_of.isoformat(),
            ),
        )

    return HouseholdAssessment(
        household=household,
        ingest=curve.summary(),
        analysis=analysis,
        forecast_months=forecast_months,
        projection=projection,
        pv_options=pv_found,
        tariffs=tariffs,
        recommendations=tuple(recs),
        assumptions=tuple(assumptions),
        settings=hs,
        figures=figures,
        unavailable=unavailable,
        is_synthetic=curve.meta.source_format == "synthetic",
        is_estimated=bool(curve.is_estimated),
        created=settings.as_of,
        language=settings.language,
        potential=advice.potential if advice is not None else None,
        not_recommended=advice.not_recommended if advice is not None else (),
        own_pv=advice.own_pv if advice is not None else None,
        extrapolation=extrapolation,
    )


def short_period_extrapolation(analysis, seeds, *, estimated: bool = False) -> Extrapolation | None:
    """How far the annual figures of a short curve can be off (None: a year of values, a curve
    estimated from a billed annual figure, or seeds without the ``annualisation_error`` table)."""
    if estimated:
        return None
    try:
        table = seeds.table("annualisation_error")
        min_days = float(seeds.value("benchmarks.min_days_for_annual_savings"))
    except (SeedError, KeyError):
        return None
    return extrapolation_of(float(analysis.days_covered), table, min_days=min_days)


def _measure_assumption(m: Measure, r: Recommendation) -> Assumption:
    if r.basis == "estimate" and m.saving_kwh_per_year is not None:
        value, unit = m.saving_kwh_per_year, "kWh/yr (catalog)"
    elif r.basis == "estimate" and m.saving_eur_per_year is not None:
        value, unit = m.saving_eur_per_year, "EUR/yr (catalog)"
    elif r.basis == "estimate" and m.params:
        value, unit = "; ".join(f"{k}={v:g}" for k, v in m.params.items()), "catalog parameters"
    else:
        value, unit = r.basis, "from the curve" if r.basis == "measured" else "simulated on the curve"
    return Assumption(f"measures.{m.measure_id}", value, unit, m.source, m.date, m.verify)
