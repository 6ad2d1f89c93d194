"""The per-household function of a batch run: the same on the local pool and on Dask.

:func:`key_figures` is the cheap first pass (read the curve, annual consumption for the peer
groups); :func:`process_household` is the second pass (assessment, letter, summary row). Both take
a light :class:`~advisor.batch.inputs.WorkItem` and the run's :class:`BatchSettings`, read the
household's own data on the worker and return a small result; every byte is written by the
driver (atomically), so workers need no write access to the output folder.

Any ``AdvisorError`` of a household (a broken file, a refused value) becomes a result with status
``error`` and the importer's message; an unexpected exception too (with its type), so that one
household never stops the run.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from advisor.analysis import data_quality
from advisor.batch.curves import combine_curves, curve_from_partition, estimated_curve, read_source_curves
from advisor.batch.grid_peak import area_of
from advisor.batch.inputs import WorkItem
from advisor.batch.privacy import Pseudonymiser, clean_text, redact_content, scrub_text
from advisor.electrify.candidates import (
    Candidates,
    candidate_figures,
    electrification_candidates,
    night_storage_replacement,
    winter_profile_kw,
)
from advisor.electrify.parameters import ElectrifyParameters
from advisor.errors import AdvisorError, DataQualityWarning
from advisor.evaluate.assignment import CONTROL
from advisor.evaluate.consumption import period_consumption
from advisor.household import Household
from advisor.ingest import ReadOptions
from advisor.loadcurve import LoadCurve
from advisor.pv import complete_year
from advisor.settings import prepared_curve, resolve_settings
from advisor.texts import map_text
from advisor.units import interval_hours

STATUS_OK = "ok"
NOT_HOUSEHOLD_REASON = (
    "not a household: the file states its unit and its values exceed what a household connection draws "
    "(commercial or multi-dwelling location); no household letter"
)
STATUS_ERROR = "error"
STATUS_SKIPPED = "skipped"
#: Too little data for a letter (reason in ``skipped_reason``); not an error, no letter.
STATUS_INSUFFICIENT = "insufficient_data"
#: Days of measured data a letter needs, unless the household is known by its billed annual
#: consumption: four weeks show a household's weekly rhythm at least four times; from fewer days
#: the annual figure, the Stromspiegel class and every euro amount would be extrapolated guesses.
MIN_LETTER_DAYS = 28.0

#: Columns of the summary table, in order, with their pandas dtype.
SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("household", "string"),
    ("status", "string"),
    ("mail_merge_key", "string"),
    ("language", "string"),
    ("persons", "Int64"),
    ("dwelling", "string"),
    ("peer_group", "string"),
    ("n_meters", "Int64"),
    ("data_source", "string"),
    ("interval_minutes", "Int64"),
    ("period_start", "string"),
    ("period_end", "string"),
    ("coverage", "float64"),
    ("annual_kwh", "float64"),
    ("annual_method", "string"),
    # the contract of advisor.assessment.AssessmentFigures (same names as `advisor recommend --json`'s `assessment`)
    ("annual_bill_eur", "float64"),
    ("work_price_eur_per_kwh", "float64"),
    ("price_source", "string"),
    ("base_fee_eur_per_year", "float64"),
    ("meter", "string"),
    ("meter_fee_eur_per_year", "float64"),
    ("site_latitude", "float64"),
    ("site_longitude", "float64"),
    ("site_source", "string"),
    ("site_place", "string"),
    ("site_state", "string"),
    ("holiday_region", "string"),
    ("holiday_region_source", "string"),
    ("pv_specific_yield_kwh_per_kwp", "float64"),
    ("roof_tilt_deg", "float64"),
    ("roof_azimuth_deg", "float64"),
    ("co2_g_per_kwh", "float64"),
    ("seeds_version", "string"),
    ("base_load_w", "float64"),
    ("peak_kw", "float64"),
    ("stromspiegel_class", "string"),
    ("peer_n", "Int64"),
    ("peer_median_kwh", "float64"),
    ("peer_percentile", "float64"),
    ("top_measure", "string"),
    ("top_measure_savings_eur", "float64"),
    ("savings_potential_eur", "float64"),
    ("savings_potential_kwh", "float64"),
    ("pv_kwp", "float64"),
    ("pv_savings_eur", "float64"),
    ("forecast_12mo_kwh", "float64"),
    # electrification candidates (advisor.electrify.candidates): ;-joined codes and the § 14a devices' kWh
    ("electrify_candidates", "string"),
    ("electrify_device_kwh", "float64"),
    ("data_quality_score", "float64"),
    ("letter_html", "string"),
    ("letter_pdf", "string"),
    ("error_stage", "string"),
    ("error", "string"),
    ("skipped_reason", "string"),
    ("group", "string"),
    ("stratum", "string"),
)


@dataclass(frozen=True)
class PeerGroup:
    """Annual consumption of one peer group of this portfolio (persons × dwelling).

    Attributes
    ----------
    persons, dwelling
        The group.
    n_households
        Households in the group with a measured curve (at least 20 to be used).
    annual_kwh_sorted
        Their annual consumptions, sorted [kWh/yr].
    """

    persons: int
    dwelling: str
    n_households: int
    annual_kwh_sorted: tuple[float, ...]

    @property
    def median_kwh(self) -> float:
        """Median annual consumption of the group [kWh/yr]."""
        return float(np.median(self.annual_kwh_sorted))

    def percentile_of(self, annual_kwh: float) -> float:
        """Share of the group using less than ``annual_kwh`` [%] (mid-rank for ties)."""
        a = np.asarray(self.annual_kwh_sorted)
        below = np.searchsorted(a, annual_kwh, side="left")
        upto = np.searchsorted(a, annual_kwh, side="right")
        return float(100.0 * (below + upto) / 2.0 / len(a))

    @property
    def label(self) -> str:
        """Short label for tables, e.g. ``2p-apartment``."""
        return f"{self.persons}p-{self.dwelling}"

    def describe(self, language: str = "de") -> str:
        """The group in words for the letter."""
        from advisor.texts import render

        where = "house" if self.dwelling == "house" else "apartment"
        return render(f"letter.peer_group.{where}", language, {"persons": self.persons})


@dataclass(frozen=True)
class BatchSettings:
    """Everything a worker needs besides the work item (built once by the driver).

    Attributes
    ----------
    read_options
        Time zone, holiday region and labels for reading meter data.
    seeds
        The run's :class:`advisor.seeds.Seeds` (with the Stadtwerk's overrides).
    formats
        Letter formats: ``("html",)`` or ``("html", "pdf")``.
    letter_date
        Date printed on every letter (ISO ``YYYY-MM-DD``), fixed per run.
    estimate_year
        Calendar year of curves estimated from an annual consumption.
    brand
        The Stadtwerk's letterhead (:class:`advisor.report.Brand`); None: neutral.
    pseudonymiser
        Keyed hashing when ``--pseudonymise`` (holds the key in memory only), else None.
    peers
        Peer groups of the portfolio (second pass only), keyed by ``(persons, dwelling)``.
    assessment_settings
        Settings handed to :func:`advisor.assessment.assess_household`.
    table_decimal_comma
        The long table is a ``;`` CSV with decimal commas.
    privacy
        Data-protection information of every letter (:class:`advisor.batch.notice.PrivacyNotice`),
        or None.
    """

    read_options: ReadOptions
    seeds: Any
    formats: tuple[str, ...] = ("html",)
    letter_date: str = ""
    estimate_year: int = 2025
    brand: Any = None
    pseudonymiser: Pseudonymiser | None = None
    peers: dict = field(default_factory=dict)
    assessment_settings: Any = None
    table_decimal_comma: bool = False
    privacy: Any = None


@dataclass(frozen=True)
class KeyFigures:
    """First-pass result of one household.

    Attributes
    ----------
    key
        Output key.
    status
        ``ok``, ``error`` or ``skipped``.
    annual_kwh
        Annual consumption [kWh/yr] (:func:`advisor.annual.annual_energy`).
    measured
        False when the curve was estimated from an annual consumption.
    error, error_stage
        The message and stage of a failure.
    seconds
        Time spent [s].
    baseline
        Mean daily consumption over the data the letter is written from
        (:class:`advisor.evaluate.consumption.PeriodConsumption` as a dict), for the evaluation
        of a run with a control group; None otherwise.
    """

    key: str
    status: str
    annual_kwh: float | None = None
    measured: bool = True
    error: str = ""
    error_stage: str = ""
    seconds: float = 0.0
    baseline: dict | None = None


@dataclass(frozen=True)
class HouseholdResult:
    """Second-pass result of one household.

    Attributes
    ----------
    key
        Output key.
    row
        The summary row (keys of :data:`SUMMARY_COLUMNS`).
    files
        ``(path relative to the output folder, bytes)`` of the letter(s).
    monthly_kwh
        The 12-month forecast per month as ``{"YYYY-MM": [p10, p50, p90]}`` [kWh], or None.
    timings
        Seconds per stage (``read``, ``assess``, ``html``, ``pdf``; wall clock) and ``cpu``: the
        worker's CPU seconds for the whole household.
    early_warning
        For a household that consented to the energy-poverty early warning: its flags as
        ``[{"code", "reason_de", "reason_en"}]`` (empty: no criterion holds); None without consent.
    grid_profile
        For the portfolio's coincident peak (:mod:`advisor.batch.grid_peak`): ``{"area", "before_kw",
        "after_kw", "changed"}`` (mean winter weekday profiles, 96 quarter-hours [kW]); None for
        an estimated curve or one without winter weekdays.
    """

    key: str
    row: dict
    files: tuple[tuple[str, bytes], ...] = ()
    monthly_kwh: dict | None = None
    timings: dict = field(default_factory=dict)
    early_warning: list | None = None
    grid_profile: dict | None = None

    @property
    def status(self) -> str:
        return self.row["status"]


def empty_row(item: WorkItem) -> dict:
    """A summary row with every column present (None where unknown)."""
    row = {name: None for name, _ in SUMMARY_COLUMNS}
    hh = item.household
    persons, dwelling = item.peer_group
    row.update(
        household=item.key,
        mail_merge_key=item.key,
        language=str(hh.get("language") or "de"),
        persons=persons,
        dwelling=dwelling,
        n_meters=len(item.sources),
        group=item.group,
        stratum=item.stratum,
    )
    return row


def crashed_result(item: WorkItem, message: str) -> HouseholdResult:
    """The result of a household whose worker process died under it (crash, out of memory)."""
    row = empty_row(item)
    row.update(status=STATUS_ERROR, error_stage="worker", error=message)
    return HouseholdResult(item.key, row)


def _message(exc: BaseException, item: WorkItem) -> str:
    """The message of a household's failure for the outputs: never file content (quoted fragments
    redacted, an unexpected exception only by its type), ids pseudonymised, length capped."""
    text = str(exc) if isinstance(exc, AdvisorError) else f"internal error ({type(exc).__name__})"
    text = scrub_text(text, item.identifiers) if item.identifiers else text
    return redact_content(text)


def load_curve(item: WorkItem, settings: BatchSettings) -> LoadCurve:
    """The household's import curve: its meters summed, or estimated from ``annual_kwh``.

    With pseudonymisation, meter ids and file names in the curve's metadata are replaced.

    Raises
    ------
    LoadCurveError, AdvisorError
        The data of the household cannot be used.
    """
    options = settings.read_options
    if not item.sources:
        if item.annual_kwh is None:
            raise AdvisorError("no load curve found for this household and no `annual_kwh` in META.csv")
        curve = estimated_curve(item.annual_kwh, options, settings.estimate_year, item.key)
    else:
        curves: list[LoadCurve] = []
        for src in item.sources:
            if src.kind == "partition":
                curves.append(
                    curve_from_partition(src.path, options, src.label, decimal_comma=settings.table_decimal_comma)
                )
            else:
                pseudo = settings.pseudonymiser
                curves.extend(
                    read_source_curves(
                        src.path, options, src.meter_id, src.label, pseudo.pseudonym if pseudo is not None else None
                    )
                )
        curve = combine_curves(curves, item.household_id)
    # texts from the file can reach the letter: no control/bidi characters, bounded length
    meta = curve.meta
    curve = curve.with_meta(
        meter_id=clean_text(meta.meter_id, 64) if meta.meter_id else meta.meter_id,
        # the file's words inside a message are cleaned, the message (its languages) kept
        warnings=tuple(map_text(w, _clean300) for w in meta.warnings),
        conversions=tuple(map_text(c, _clean300) for c in meta.conversions),
    )
    if item.identifiers:
        meta = curve.meta
        curve = curve.with_meta(
            meter_id=scrub_text(meta.meter_id, item.identifiers) if meta.meter_id else meta.meter_id,
            source_name=item.key,
            conversions=tuple(map_text(c, lambda t: scrub_text(t, item.identifiers)) for c in meta.conversions),
            warnings=tuple(map_text(w, lambda t: scrub_text(t, item.identifiers)) for w in meta.warnings),
        )
    return curve


def _clean300(text: str) -> str:
    return clean_text(text, 300)


def days_with_data(curve: LoadCurve) -> float:
    """Days covered by the curve's known intervals [d] (as ``DataQuality.days_with_data``)."""
    n_known = int(curve.energy_kwh.notna().sum())
    return n_known * interval_hours(curve.interval_minutes) / 24.0


def insufficient_data_reason(curve: LoadCurve) -> str:
    """Why the curve is too short for a letter, or ``""`` when it is long enough.

    A curve estimated from a billed annual consumption is enough (the letter says it is
    estimated); a measured curve needs :data:`MIN_LETTER_DAYS` days with data and plausible
    readings (not a quarter or more of them exactly zero, see ``DataQuality.plausibility``).
    """
    if curve.is_estimated:
        return ""
    days = days_with_data(curve)
    if days < MIN_LETTER_DAYS:
        return (
            f"insufficient data: {days:.1f} days with measured values; a letter needs at least "
            f"{MIN_LETTER_DAYS:.0f} days (or the billed annual consumption `annual_kwh` in META.csv); no letter"
        )
    quality = data_quality(curve)
    if quality.plausibility <= 0.0:  # a quarter or more of the readings exactly zero (night ones behind PV)
        return (
            f"insufficient data: {100 * quality.zero_share:.0f} % of the readings are exactly zero, which an "
            "occupied household does not show (meter or export fault); check the export; no letter"
        )
    return ""


def usable_curve(item: WorkItem, settings: BatchSettings, curve: LoadCurve) -> LoadCurve:
    """The measured curve, or (when it is too short for a letter and META.csv gives the billed
    ``annual_kwh``) the curve estimated from that annual consumption."""
    if item.annual_kwh is None or curve.meta.not_household or not insufficient_data_reason(curve):
        return curve
    return estimated_curve(item.annual_kwh, settings.read_options, settings.estimate_year, item.key)


def with_household_region(item: WorkItem, settings: BatchSettings, curve: LoadCurve) -> LoadCurve:
    """The curve with the holiday region of the household's settings (its postal code's Land), so
    that the peer groups of pass 1 use the same annual figure as the assessment of pass 2."""
    hs = resolve_settings(settings.seeds, Household.from_mapping(item.household), curve=curve)
    return prepared_curve(curve, hs)


def annualised_kwh(curve: LoadCurve) -> float:
    """Annual consumption [kWh/yr], as the analysis computes it (measured or H25-annualised); for
    a curve estimated from a billed annual consumption, that consumption."""
    from advisor.annual import annual_energy

    annual = float(annual_energy(curve).annual_kwh)
    if curve.is_estimated and not np.isfinite(annual):
        return curve.total_kwh
    return annual


def key_figures(item: WorkItem, settings: BatchSettings) -> KeyFigures:
    """First pass: the household's annual consumption for the peer groups (cheap)."""
    t0 = time.perf_counter()
    if item.skipped_reason:
        return KeyFigures(item.key, STATUS_SKIPPED)
    try:
        curve = usable_curve(item, settings, load_curve(item, settings))
        if curve.meta.not_household:
            return KeyFigures(item.key, STATUS_SKIPPED, seconds=time.perf_counter() - t0)  # not in any peer group
        if insufficient_data_reason(curve):  # an annual figure from a few days is no peer
            return KeyFigures(item.key, STATUS_INSUFFICIENT, seconds=time.perf_counter() - t0)
        return KeyFigures(
            item.key,
            STATUS_OK,
            annual_kwh=annualised_kwh(with_household_region(item, settings, curve)),
            measured=not curve.is_estimated,
            seconds=time.perf_counter() - t0,
            baseline=asdict(period_consumption(curve)),
        )
    except Exception as exc:  # noqa: BLE001 - one household never stops the run
        return KeyFigures(
            item.key, STATUS_ERROR, error=_message(exc, item), error_stage="read", seconds=time.perf_counter() - t0
        )


def _curve_figures(row: dict, curve: LoadCurve) -> None:
    row.update(
        data_source="estimated" if curve.is_estimated else "measured",
        interval_minutes=curve.interval_minutes,
        period_start=curve.start.isoformat(),
        period_end=curve.end.isoformat(),
        coverage=round(curve.coverage, 6),
    )


def peer_of(item: WorkItem, settings: BatchSettings) -> PeerGroup | None:
    """The household's peer group if it has one of at least the minimum size."""
    return settings.peers.get(item.peer_group)


def process_household(item: WorkItem, settings: BatchSettings) -> HouseholdResult:
    """Second pass: assessment, letter(s) and summary row of one household."""
    row = empty_row(item)
    timings: dict[str, float] = {}
    if item.skipped_reason:
        row.update(status=STATUS_SKIPPED, skipped_reason=item.skipped_reason)
        return HouseholdResult(item.key, row)
    stage = "read"
    cpu0 = time.process_time()
    try:
        t0 = time.perf_counter()
        household = Household.from_mapping(item.household)
        row["language"] = household.language
        curve = usable_curve(item, settings, load_curve(item, settings))
        _curve_figures(row, curve)
        if curve.meta.not_household:
            row.update(status=STATUS_SKIPPED, skipped_reason=NOT_HOUSEHOLD_REASON)
            timings["cpu"] = time.process_time() - cpu0
            return HouseholdResult(item.key, row, (), None, timings)
        too_little = insufficient_data_reason(curve)
        if too_little:
            row.update(status=STATUS_INSUFFICIENT, skipped_reason=too_little)
            timings["cpu"] = time.process_time() - cpu0
            return HouseholdResult(item.key, row, (), None, timings)
        annual_kwh = annualised_kwh(with_household_region(item, settings, curve))
        peer = peer_of(item, settings) if np.isfinite(annual_kwh) else None
        if peer is not None:
            row.update(
                peer_group=peer.label,
                peer_n=peer.n_households,
                peer_median_kwh=round(peer.median_kwh, 3),
                peer_percentile=round(peer.percentile_of(annual_kwh), 1),
            )
        timings["read"] = time.perf_counter() - t0
        stage = "assess"
        files, monthly, warning, grid = _assess_and_write(item, settings, curve, household, peer, row, timings)
        row["status"] = STATUS_OK
        timings["cpu"] = time.process_time() - cpu0
        return HouseholdResult(item.key, row, tuple(files), monthly, timings, warning, grid)
    except Exception as exc:  # noqa: BLE001 - one household never stops the run
        row.update(status=STATUS_ERROR, error_stage=stage, error=_message(exc, item))
        timings["cpu"] = time.process_time() - cpu0
        return HouseholdResult(item.key, row, (), None, timings)


def _round(x, nd: int = 3):
    if x is None:
        return None
    x = float(x)
    return round(x, nd) if np.isfinite(x) else None


def monthly_quantiles(forecast_months) -> dict | None:
    """``{"YYYY-MM": [p10, p50, p90]}`` [kWh] from the assessment's monthly forecast frame."""
    if forecast_months is None or len(forecast_months) == 0:
        return None
    out = {}
    for ts, r in forecast_months.iterrows():
        out[ts.strftime("%Y-%m")] = [_round(r["p10"]), _round(r["p50"]), _round(r["p90"])]
    return out


def assessment_row(row: dict, assessment, curve: LoadCurve) -> None:
    """Fill the summary row's key figures from a :class:`~advisor.assessment.HouseholdAssessment`.

    A household known only by its billed annual consumption keeps that figure (the analysis does
    not count estimated intervals as consumption).
    """
    a = assessment.analysis
    figures = assessment.figures.to_row()
    row.update({k: v for k, v in figures.items() if k in row})
    if curve.is_estimated and not np.isfinite(a.annual_kwh):
        row["annual_method"] = "billed_annual"
    row.update(
        base_load_w=_round(a.base_load_w, 1),
        peak_kw=_round(a.peak_kw),
        stromspiegel_class=a.stromspiegel_class,
        data_quality_score=_round(a.data_quality.score if a.data_quality is not None else None),
    )
    recs = assessment.recommendations
    if recs:
        row.update(top_measure=recs[0].measure_id, top_measure_savings_eur=_round(recs[0].annual_savings_eur, 2))
    row.update(
        savings_potential_eur=_round(assessment.total_savings_eur, 2),
        savings_potential_kwh=_round(assessment.total_savings_kwh, 1),
    )
    roof = [o for o in assessment.pv_options if o.spec.kind != "balcony" and o.battery is None]
    if roof:
        row.update(pv_kwp=_round(roof[0].peak_kw), pv_savings_eur=_round(roof[0].economics.annual_savings_eur, 2))
    if assessment.projection is not None:
        row["forecast_12mo_kwh"] = _round(assessment.projection.annual_kwh_p50, 1)
    row.update(candidate_marks(assessment).to_row())


def candidate_marks(assessment) -> Candidates:
    """The household's electrification candidate marks (:func:`electrification_candidates`)."""
    a = assessment.analysis
    return electrification_candidates(getattr(a, "signatures", ()), assessment.household, assessment.tariffs)


_PARAMS: dict[int, tuple[Any, Any]] = {}  # id(seeds) -> (seeds, ElectrifyParameters): once per worker


def _electrify_parameters(seeds):
    entry = _PARAMS.get(id(seeds))
    if entry is None or entry[0] is not seeds:
        _PARAMS.clear()
        entry = (seeds, ElectrifyParameters.from_seeds(seeds))
        _PARAMS[id(seeds)] = entry
    return entry[1]


def electrification_of(item: WorkItem, settings: BatchSettings, curve: LoadCurve, assessment):
    """The household's own electrification figures for its letter and its profiles for the
    portfolio's coincident peak: ``(figures, grid_profile)`` (see :class:`HouseholdResult`).

    A marked night-storage household gets the heat pump that delivers its night-storage heat on
    its own year (:func:`~advisor.electrify.candidates.night_storage_replacement`); § 14a and
    smart-charging marks get their tariff figures. Estimated curves get neither (a standard
    profile says nothing about this household's hours).
    """
    if curve.is_estimated:
        return (), None
    marks = candidate_marks(assessment)
    figures = list(candidate_figures(marks, assessment, seeds=settings.seeds))
    tz = curve.meta.tz
    before = winter_profile_kw(curve.energy_kwh, curve.interval_minutes, tz)
    change = None
    night = next(
        (s for s in assessment.analysis.signatures if s.name == "night_storage_heating" and s.detected),
        None,
    )
    if "night_storage_to_heat_pump" in marks.codes and night is not None:
        hs = assessment.settings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            year = complete_year(curve, holiday_region=hs.holiday_region)
        swap = night_storage_replacement(
            year.energy_kwh,
            _electrify_parameters(settings.seeds),
            interval_minutes=curve.interval_minutes,
            tz=tz,
            settings=hs,
            bill_eur=hs.annual_bill_eur,
            window_hours=tuple(settings.seeds.value("electrify.night_storage_window_hours")),
        )
        if swap is not None:
            figures.insert(0, swap.figure)
            change = winter_profile_kw(swap.change_kwh, curve.interval_minutes, tz)
    grid = None
    if before is not None:
        after = before + change if change is not None else before
        grid = {
            "area": area_of(item.household.get("postal_code")),
            "before_kw": [round(float(x), 4) for x in before],
            "after_kw": [round(float(x), 4) for x in after],
            "changed": change is not None,
        }
    return tuple(figures), grid


def _assess_and_write(item, settings, curve, household, peer, row, timings):
    """Assessment (the app's code path), the summary row's figures and the letter(s).

    The assessment is made as of the run's letter date (report date, date of a stated price,
    commissioning of a new PV system), never the worker's clock: a run resumed on another day
    writes the same letters.
    """
    from dataclasses import replace

    from advisor.assessment import AssessmentSettings, assess_household

    t0 = time.perf_counter()
    base = settings.assessment_settings or AssessmentSettings(seeds=settings.seeds)
    changes = {"language": household.language}
    if settings.letter_date:
        changes["as_of"] = settings.letter_date
    assessment = assess_household(curve, household, replace(base, **changes))
    assessment_row(row, assessment, curve)
    timings["assess"] = time.perf_counter() - t0
    warning = household_warning(item, settings, curve, household, row, assessment.settings)
    t0 = time.perf_counter()
    figures, grid = electrification_of(item, settings, curve, assessment)
    timings["electrify"] = time.perf_counter() - t0
    if item.group == CONTROL:  # the control group gets no letter; its row stays for the evaluation
        return [], monthly_quantiles(assessment.forecast_months), warning, grid
    files = _letters(item, settings, assessment, household.language, peer, curve, row, timings, figures)
    return files, monthly_quantiles(assessment.forecast_months), warning, grid


def _consents(value) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "y", "ja", "j", "x", "wahr"}


def household_warning(item, settings, curve, household, row, household_settings) -> list | None:
    """The energy-poverty flags of a household that consented (``consent_energy_poverty``), else None.

    The expected bill is the household's 12-month forecast on its fixed tariff
    (``household_settings.annual_bill_eur``: its own price and fees, else the seeds').
    """
    from advisor.energy_poverty import EarlyWarningRules, early_warning

    meta = item.early_warning
    if not _consents(meta.get("consent_energy_poverty")):
        return None
    abschlag = None
    text = str(meta.get("abschlag_eur_per_month", "")).replace(" ", "").replace("€", "")
    if text:
        try:
            abschlag = float(text.replace(",", ".") if "," in text and "." not in text else text)
        except ValueError:
            abschlag = None
    forecast = row.get("forecast_12mo_kwh")
    bill = household_settings.annual_bill_eur(forecast) if forecast is not None else None
    flags = early_warning(
        curve,
        household,
        rules=EarlyWarningRules.from_seeds(settings.seeds),
        stromspiegel_class=row.get("stromspiegel_class"),
        expected_bill_eur=bill,
        abschlag_eur_per_month=abschlag,
    )
    return [{"code": f.code, "reason_de": f.reason.text("de"), "reason_en": f.reason.text("en")} for f in flags]


def _letters(item, settings, assessment, language, peer, curve, row, timings, figures=()) -> list[tuple[str, bytes]]:
    """The household's letter as HTML (and PDF) bytes, rendered by the shared report renderer."""
    from advisor.report import Address, html_to_pdf, render_report

    t0 = time.perf_counter()
    peers = None
    if peer is not None:
        peers = {
            "label": peer.describe(language),
            "median_kwh": peer.median_kwh,
            "percentile": float(row["peer_percentile"]),
            "n": peer.n_households,
        }
    html = render_report(
        assessment,
        language,
        variant="letter",
        brand=settings.brand,
        address=Address(lines=item.address, key=item.key),
        peers=peers,
        privacy=settings.privacy,
        candidates=figures,
    )
    if item.identifiers:
        html = scrub_text(html, item.identifiers)
    files = []
    if "html" in settings.formats:
        files.append((f"letters/{item.key}.html", html.encode("utf-8")))
        row["letter_html"] = files[0][0]
    timings["html"] = time.perf_counter() - t0
    if "pdf" in settings.formats:
        t0 = time.perf_counter()
        files.append((f"letters/{item.key}.pdf", html_to_pdf(html)))
        row["letter_pdf"] = files[-1][0]
        timings["pdf"] = time.perf_counter() - t0
    return files
