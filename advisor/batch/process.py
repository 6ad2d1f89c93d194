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
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from advisor.batch.curves import combine_curves, curve_from_partition, estimated_curve, read_source_curves
from advisor.batch.inputs import WorkItem
from advisor.batch.privacy import Pseudonymiser, scrub_text
from advisor.errors import AdvisorError
from advisor.household import Household
from advisor.ingest import ReadOptions
from advisor.loadcurve import LoadCurve

STATUS_OK = "ok"
STATUS_ERROR = "error"
STATUS_SKIPPED = "skipped"

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
    ("data_quality_score", "float64"),
    ("letter_html", "string"),
    ("letter_pdf", "string"),
    ("error_stage", "string"),
    ("error", "string"),
    ("skipped_reason", "string"),
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
        return f"{self.persons}p-{self.dwelling}"


@dataclass(frozen=True)
class Brand:
    """Letterhead of the Stadtwerk (from ``--brand DIR``).

    Attributes
    ----------
    sender_lines
        Sender block (name, street, town), one line each.
    letterhead
        Text of the letterhead line (e.g. "Stadtwerke Herne AG · Energieberatung").
    contact
        Contact line under the letter (phone, e-mail).
    logo_data_uri
        The logo as a ``data:`` URI (SVG or PNG), or "".
    """

    sender_lines: tuple[str, ...] = ()
    letterhead: str = ""
    contact: str = ""
    logo_data_uri: str = ""


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
        The Stadtwerk's letterhead.
    pseudonymiser
        Keyed hashing when ``--pseudonymise`` (holds the key in memory only), else None.
    peers
        Peer groups of the portfolio (second pass only), keyed by ``(persons, dwelling)``.
    assessment_settings
        Settings handed to :func:`advisor.assessment.assess_household`.
    """

    read_options: ReadOptions
    seeds: Any
    formats: tuple[str, ...] = ("html",)
    letter_date: str = ""
    estimate_year: int = 2025
    brand: Brand = field(default_factory=Brand)
    pseudonymiser: Pseudonymiser | None = None
    peers: dict = field(default_factory=dict)
    assessment_settings: Any = None


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
        Annual consumption [kWh/yr]: measured total scaled to a full year by coverage.
    measured
        False when the curve was estimated from an annual consumption.
    error, error_stage
        The message and stage of a failure.
    seconds
        Time spent [s].
    """

    key: str
    status: str
    annual_kwh: float | None = None
    measured: bool = True
    error: str = ""
    error_stage: str = ""
    seconds: float = 0.0


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
        Seconds per stage (``read``, ``assess``, ``html``, ``pdf``).
    """

    key: str
    row: dict
    files: tuple[tuple[str, bytes], ...] = ()
    monthly_kwh: dict | None = None
    timings: dict = field(default_factory=dict)

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
    )
    return row


def _message(exc: BaseException, item: WorkItem) -> str:
    text = str(exc) if isinstance(exc, AdvisorError) else f"{type(exc).__name__}: {exc}"
    return scrub_text(text, item.identifiers) if item.identifiers else text


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
                curves.append(curve_from_partition(src.path, options, src.label))
            else:
                curves.extend(read_source_curves(src.path, options, src.meter_id, src.label))
        curve = combine_curves(curves, item.household_id)
    if item.identifiers:
        meta = curve.meta
        curve = curve.with_meta(
            meter_id=scrub_text(meta.meter_id, item.identifiers) if meta.meter_id else meta.meter_id,
            source_name=item.key,
            conversions=tuple(scrub_text(c, item.identifiers) for c in meta.conversions),
            warnings=tuple(scrub_text(w, item.identifiers) for w in meta.warnings),
        )
    return curve


def annualised_kwh(curve: LoadCurve) -> float:
    """Annual consumption [kWh/yr]: the known energy scaled from the covered time to 365 days."""
    e = curve.data["energy_kwh"]
    n_known = int(e.notna().sum())
    hours_known = n_known * curve.interval_minutes / 60.0
    return float(np.nansum(e.to_numpy()) * (365.0 * 24.0) / hours_known)


def key_figures(item: WorkItem, settings: BatchSettings) -> KeyFigures:
    """First pass: the household's annual consumption for the peer groups (cheap)."""
    t0 = time.perf_counter()
    if item.skipped_reason:
        return KeyFigures(item.key, STATUS_SKIPPED)
    try:
        curve = load_curve(item, settings)
        return KeyFigures(
            item.key,
            STATUS_OK,
            annual_kwh=annualised_kwh(curve),
            measured=not curve.is_estimated,
            seconds=time.perf_counter() - t0,
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
        annual_kwh=round(annualised_kwh(curve), 3),
        annual_method="coverage-scaled",
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
    try:
        t0 = time.perf_counter()
        household = Household.from_mapping(item.household)
        curve = load_curve(item, settings)
        _curve_figures(row, curve)
        peer = peer_of(item, settings)
        if peer is not None:
            row.update(
                peer_group=peer.label,
                peer_n=peer.n_households,
                peer_median_kwh=round(peer.median_kwh, 3),
                peer_percentile=round(peer.percentile_of(annualised_kwh(curve)), 3),
            )
        timings["read"] = time.perf_counter() - t0
        stage = "assess"
        files, monthly = _assess_and_write(item, settings, curve, household, peer, row, timings)
        row["status"] = STATUS_OK
        return HouseholdResult(item.key, row, tuple(files), monthly, timings)
    except Exception as exc:  # noqa: BLE001 - one household never stops the run
        row.update(status=STATUS_ERROR, error_stage=stage, error=_message(exc, item))
        return HouseholdResult(item.key, row, (), None, timings)


def _assess_and_write(item, settings, curve, household, peer, row, timings):
    """Assessment, letter rendering and the row's key figures (filled in by the assessment)."""
    return [], None
