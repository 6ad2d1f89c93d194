"""One household assessment: the single code path behind the app, the report and the batch.

:func:`assess_household` runs, on one load curve and what the household told us:

1. the ingest summary of the curve,
2. the analysis (:func:`advisor.analysis.analyse`),
3. the 12-month forecast and bill projection with the default model (:mod:`advisor.forecast`),
4. the PV options simulated on the curve (:mod:`advisor.economics` / :mod:`advisor.pv`),
5. the tariff comparison on real day-ahead prices (:mod:`advisor.tariffs`),
6. the ranked recommendations (:func:`advisor.measures.recommend`),

and collects every assumption with its source and date from the seeds. A part that cannot run
(no prices, no model on disk, the part switched off for batch speed) is recorded in
``unavailable`` with the reason, never replaced by a made-up figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from advisor.errors import AdvisorError
from advisor.texts import Message

ALL_PARTS = ("forecast", "pv", "tariffs", "recommendations")

#: Seed values listed in every report's assumptions table (more are added by the parts that ran).
BASE_ASSUMPTIONS = (
    "tariffs.household_price_eur_per_kwh",
    "tariffs.base_fee_eur_per_year",
    "emissions.co2_g_per_kwh",
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
        ``"de"`` or ``"en"`` (report language; recommendations carry both).
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

    seeds: Any
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
        if self.language not in ("de", "en"):
            raise AdvisorError(f"`language` must be 'de' or 'en'; got {self.language!r}.")


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
    """

    household: Any
    ingest: dict[str, Any]
    analysis: Any
    forecast_months: pd.DataFrame | None
    projection: Any
    pv_options: tuple[Any, ...]
    tariffs: Any
    recommendations: tuple[Any, ...]
    assumptions: tuple[Assumption, ...]
    unavailable: dict[str, str] = field(default_factory=dict)
    is_synthetic: bool = False
    is_estimated: bool = False
    created: dt.date | None = None
    language: str = "de"
    price_eur_per_kwh: float = float("nan")
    potential: Any = None
    not_recommended: tuple[Any, ...] = ()

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
        """JSON-ready summary (figures, not curves)."""
        from dataclasses import asdict

        return {
            "household": self.household.to_mapping() if hasattr(self.household, "to_mapping") else None,
            "ingest": self.ingest,
            "analysis": self.analysis.summary() if self.analysis is not None else None,
            "projection": self.projection.to_dict() if self.projection is not None else None,
            "pv_options": [o.to_row() for o in self.pv_options],
            "tariffs": self.tariffs.to_dict() if self.tariffs is not None else None,
            "recommendations": [r.to_dict() for r in self.recommendations],
            "not_recommended": [n.to_dict() for n in self.not_recommended],
            "potential": self.potential.to_dict() if self.potential is not None else None,
            "total_savings_eur": self.total_savings_eur,
            "assumptions": [asdict(a) for a in self.assumptions],
            "unavailable": dict(self.unavailable),
            "is_synthetic": self.is_synthetic,
            "is_estimated": self.is_estimated,
            "created": self.created.isoformat() if self.created is not None else None,
        }


def _assumption(seeds, key: str) -> Assumption:
    e = seeds.entry(key)
    return Assumption(e.key, e.value, e.unit, e.source, e.date, e.verify)


def _site(household, settings: AssessmentSettings) -> tuple[float, float]:
    if household is not None and getattr(household, "has_location", False):
        return float(household.latitude), float(household.longitude)
    if settings.latitude is not None and settings.longitude is not None:
        return float(settings.latitude), float(settings.longitude)
    s = settings.seeds
    return float(s.value("site.default_latitude_deg")), float(s.value("site.default_longitude_deg"))


#: Forecast models loaded in this process, by folder: a model is read-only once loaded, and
#: loading it (three LightGBM boosters from text, sha256 checks) costs more than a household's
#: forecast. The key holds each file's size and modification time, so a retrained model is reloaded.
_FORECASTERS: dict[tuple, Any] = {}


def _forecaster(model_dir):
    from advisor.forecast import default_model_dir, load_forecaster

    folder = Path(model_dir or default_model_dir()).resolve()
    try:
        stamp = tuple(
            sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file())
        )
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
    seeds,
    *,
    latitude: float,
    longitude: float,
    kwp_grid=None,
    roof_pv: bool = True,
    balcony_pv: bool = True,
    commissioning: dt.date | None = None,
    prices=None,
):
    """The PV products that may apply, from the one PV orchestration (:func:`advisor.pv_options.pv_options`).

    Returns a tuple of :class:`~advisor.economics.PVOption`: the best roof option without
    battery and the recommended battery on it when one pays (if ``roof_pv``), and the best
    balcony device (if ``balcony_pv``). Roof sizes come from ``kwp_grid`` or the seeds, bounded
    by the usable roof area. ``commissioning`` dates a new system for its EEG feed-in rate.
    """
    from advisor.economics import EconomicsSettings
    from advisor.pv_options import PVDefaults, pv_options

    econ = EconomicsSettings.from_seeds(seeds, household=household, commissioning=commissioning)
    extra = {"roof_kwp_grid": tuple(float(k) for k in kwp_grid)} if kwp_grid else {}
    defaults = PVDefaults.from_seeds(seeds, household, **extra)
    found = pv_options(
        curve,
        latitude=latitude,
        longitude=longitude,
        economics=econ,
        defaults=defaults,
        household=household,
        roof=roof_pv,
        balcony=balcony_pv,
        prices=prices,
    )
    return found.for_assessment()


def assess_household(curve, household=None, settings: AssessmentSettings | None = None) -> HouseholdAssessment:
    """Assess one household: analysis, forecast, PV, tariffs, recommendations, assumptions.

    Parameters
    ----------
    curve
        The household's import :class:`~advisor.loadcurve.LoadCurve`.
    household
        :class:`~advisor.household.Household`; unknown answers stay unknown.
    settings
        :class:`AssessmentSettings` (seeds are required).

    Raises
    ------
    AdvisorError
        The curve cannot be analysed (e.g. an export curve or no values).
    """
    from advisor.analysis import analyse
    from advisor.household import Household
    from advisor.measures import advise, work_price

    if settings is None:
        raise AdvisorError("`settings` (AssessmentSettings with seeds) is required.")
    seeds = settings.seeds
    household = household or Household()
    unavailable: dict[str, str] = {}
    keys: list[str] = list(BASE_ASSUMPTIONS)

    analysis = analyse(curve, household, seeds=seeds)

    price = work_price(household, seeds)
    fee = household.base_fee_eur_per_year
    fee = float(seeds.value("tariffs.base_fee_eur_per_year")) if fee is None else fee

    forecast_months = projection = None
    if "forecast" in settings.parts:
        try:
            from advisor.forecast import annual_projection

            model = _forecaster(settings.model_dir)
            projection = annual_projection(curve, price, fee, model=model)
            forecast_months = projection.months
        except (AdvisorError, OSError, ImportError) as exc:
            unavailable["forecast"] = Message("assessment.unavailable.forecast_failed", why=str(exc))
    else:
        unavailable["forecast"] = Message("assessment.unavailable.not_requested")

    pv_options: tuple[Any, ...] = ()
    if "pv" in settings.parts:
        lat, lon = _site(household, settings)
        from advisor.measures import applies, household_facts, measure_catalog

        cat = measure_catalog(seeds)
        facts = household_facts(household, analysis, settings.low_income)
        roof_ok = "rooftop_pv" in cat and applies(cat["rooftop_pv"].applies_if, facts)
        balcony_ok = "balcony_pv" in cat and applies(cat["balcony_pv"].applies_if, facts)
        try:
            if roof_ok or balcony_ok:
                pv_options = pv_options_for(
                    curve,
                    household,
                    seeds,
                    latitude=lat,
                    longitude=lon,
                    kwp_grid=settings.pv_kwp_grid,
                    roof_pv=roof_ok,
                    balcony_pv=balcony_ok,
                    commissioning=settings.as_of,
                    prices=settings.prices,
                )
            for k in (
                "pv.investment_eur_per_kwp",
                "pv.battery_bundled_eur_per_kwh",
                "pv.balcony_set_eur",
                "pv.lifetime_years",
                "pv.discount_rate_pct",
                "pv.degradation_pct_per_year",
            ):
                if k in seeds.values:
                    keys.append(k)
        except (AdvisorError, OSError, ImportError, ValueError) as exc:
            unavailable["pv"] = Message("assessment.unavailable.pv_failed", kind=type(exc).__name__, why=str(exc))
    else:
        unavailable["pv"] = Message("assessment.unavailable.pv_not_requested")

    tariffs = None
    if "tariffs" in settings.parts:
        from advisor.tariffs import compare_tariffs

        sig = {s.name: s for s in analysis.signatures if s.detected}
        has_ev = bool(household.ev) or "ev_charging" in sig
        has_hp = household.heating == "heat_pump" or "heat_pump" in sig
        wanted = [n for n, on in (("ev_charging", has_ev), ("heat_pump", has_hp)) if on]
        known = [sig[n].annual_kwh for n in wanted if n in sig and sig[n].annual_kwh is not None]
        tariffs = compare_tariffs(
            curve,
            seeds,
            household,
            prices=settings.prices,
            has_ev=has_ev,
            has_heat_pump=has_hp,
            device_kwh=float(sum(known)) if wanted and len(known) == len(wanted) else None,
        )
        keys.extend(TARIFF_ASSUMPTIONS)
        if tariffs.unavailable:
            unavailable["dynamic_tariff"] = tariffs.unavailable
    else:
        unavailable["tariffs"] = Message("assessment.unavailable.not_requested")

    recs: list[Any] = []
    advice = None
    if "recommendations" in settings.parts:
        advice = advise(
            analysis,
            household,
            seeds=seeds,
            pv_options=pv_options or None,
            tariff_comparison=tariffs,
            low_income=settings.low_income,
        )
        recs = list(advice.recommendations)
    else:
        unavailable["recommendations"] = Message("assessment.unavailable.not_requested")

    assumptions = [_assumption(seeds, k) for k in dict.fromkeys(keys)]
    from advisor.measures import measure_catalog

    cat = measure_catalog(seeds)
    for r in recs:
        m = cat[r.measure_id]
        if r.basis == "estimate" and m.saving_kwh_per_year is not None:
            value, unit = m.saving_kwh_per_year, "kWh/yr (catalog)"
        elif r.basis == "estimate" and m.saving_eur_per_year is not None:
            value, unit = m.saving_eur_per_year, "EUR/yr (catalog)"
        elif r.basis == "estimate" and m.params:
            value, unit = "; ".join(f"{k}={v:g}" for k, v in m.params.items()), "catalog parameters"
        else:
            value, unit = r.basis, "from the curve" if r.basis == "measured" else "simulated on the curve"
        assumptions.append(Assumption(f"measures.{m.measure_id}", value, unit, m.source, m.date, m.verify))
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
    if household.price_eur_per_kwh is not None:
        assumptions.insert(
            0,
            Assumption(
                "household price",
                household.price_eur_per_kwh,
                "EUR/kWh",
                "stated by the household",
                settings.as_of.isoformat(),
                False,
            ),
        )

    synthetic = curve.meta.source_format == "synthetic"
    return HouseholdAssessment(
        household=household,
        ingest=curve.summary(),
        analysis=analysis,
        forecast_months=forecast_months,
        projection=projection,
        pv_options=pv_options,
        tariffs=tariffs,
        recommendations=tuple(recs),
        assumptions=tuple(assumptions),
        unavailable=unavailable,
        is_synthetic=synthetic,
        is_estimated=bool(curve.is_estimated),
        created=settings.as_of,
        language=settings.language,
        price_eur_per_kwh=float(price),
        potential=advice.potential if advice is not None else None,
        not_recommended=advice.not_recommended if advice is not None else (),
    )
