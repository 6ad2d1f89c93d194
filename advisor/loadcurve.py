"""The one canonical load curve that every part of Energie-Advisor works on.

A :class:`LoadCurve` is a regular series of energy per interval [kWh], with a tz-aware index
labelled at interval **start**, its quality flag per interval, its direction (import 1.8.0 or
export 2.8.0) and metadata (source format, meter id, time zone, holiday region, conversions).

The index is complete: an interval the source did not deliver is present with ``NaN`` energy and
quality ``missing``. Nothing is resampled on import; the interval is the one measured.
"""

from __future__ import annotations

import contextlib
import contextvars
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd

from advisor.errors import DataQualityWarning, LoadCurveError
from advisor.texts import Message
from advisor.units import (
    ALLOWED_INTERVAL_MINUTES,
    DEFAULT_HOLIDAY_REGION,
    DEFAULT_TZ,
    freq_of,
    interval_hours,
    kwh_to_kw,
)


class Quality(str, Enum):
    """Quality of one interval's value."""

    MEASURED = "measured"
    SUBSTITUTED = "substituted"  # substitute value delivered by the source (Ersatzwert)
    MISSING = "missing"  # no value
    FILLED = "filled"  # filled in by us (interpolation of a short gap)
    ESTIMATED = "estimated"  # modelled, e.g. from an annual consumption and the BDEW H25 shape


QUALITY_CATEGORIES = [q.value for q in Quality]


class Direction(str, Enum):
    """Energy flow direction as seen from the household meter."""

    IMPORT = "import"  # OBIS 1.8.0: consumption from the grid
    EXPORT = "export"  # OBIS 2.8.0: feed-in to the grid


# Physical plausibility: a German household connection (63 A, 3 phases) delivers at most ~43 kW.
MAX_PLAUSIBLE_POWER_KW = 50.0
# A file that states its unit may hold a commercial or multi-dwelling location (hundreds of kW);
# above this it is garbage whatever the unit says (100 MW is a large industrial site).
MAX_STATED_UNIT_POWER_KW = 100_000.0
# ... but only when the curve as a whole is large: a household's median power is well below 1 kW
# (a heat pump in January ~2-3 kW). A file whose median stays under this and that has a few
# values above MAX_PLAUSIBLE_POWER_KW holds spikes (a typo, a Wh value), not a bigger location.
NOT_HOUSEHOLD_MEDIAN_KW = 5.0

# Plausible period of meter data: smart-meter load curves do not reach before 2000 (the first
# German RLM/SLP interval data in electronic form) nor more than a year into the future. Rows
# outside are set aside with a warning, or the file is refused when they are the majority. The
# window also bounds the memory of a curve (at most ~28 years of intervals). Change it per read
# with ReadOptions(earliest=..., latest=...) or plausible_period(). The seeds hold the same values
# with their reason (seeds/ingest.toml; the CLI's --earliest/--latest default to them; a test keeps
# the two equal).
PLAUSIBLE_EARLIEST = "2000-01-01"
PLAUSIBLE_AHEAD_DAYS = 366
_WINDOW: contextvars.ContextVar[tuple[pd.Timestamp, pd.Timestamp] | None] = contextvars.ContextVar(
    "plausible_window", default=None
)


def larger_than_household(energy_kwh: np.ndarray, interval_minutes: int) -> bool:
    """Values (kWh per interval) of a location larger than a household, not a household with spikes:
    median power above :data:`NOT_HOUSEHOLD_MEDIAN_KW`, nothing above :data:`MAX_STATED_UNIT_POWER_KW`."""
    v = np.abs(np.asarray(energy_kwh, dtype="float64"))
    v = v[np.isfinite(v)]
    if v.size == 0:
        return False
    per_hour = 60.0 / interval_minutes
    return bool(v.max() * per_hour <= MAX_STATED_UNIT_POWER_KW and np.median(v) * per_hour > NOT_HOUSEHOLD_MEDIAN_KW)


def plausible_window() -> tuple[pd.Timestamp, pd.Timestamp]:
    """The current plausible period ``[earliest, latest)`` as UTC timestamps."""
    w = _WINDOW.get()
    if w is not None:
        return w
    lo = pd.Timestamp(PLAUSIBLE_EARLIEST, tz="UTC")
    hi = pd.Timestamp.now(tz="UTC").normalize() + pd.Timedelta(days=PLAUSIBLE_AHEAD_DAYS)
    return lo, hi


def _as_utc(value: Any) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


@contextlib.contextmanager
def plausible_period(earliest: Any = None, latest: Any = None) -> Iterator[tuple[pd.Timestamp, pd.Timestamp]]:
    """Set the plausible period for the curves built inside the ``with`` block (None = default)."""
    lo, hi = plausible_window()
    try:
        lo = _as_utc(earliest) if earliest is not None else lo
        hi = _as_utc(latest) if latest is not None else hi
    except (ValueError, TypeError) as exc:
        raise LoadCurveError(Message("ingest.error.period_unreadable", detail=str(exc))) from None
    if not lo < hi:
        raise LoadCurveError(Message("ingest.error.period_empty", start=lo, end=hi))
    token = _WINDOW.set((lo, hi))
    try:
        yield lo, hi
    finally:
        _WINDOW.reset(token)


def outside_plausible_period(utc_ns: np.ndarray) -> np.ndarray:
    """Mask of UTC instants [ns since 1970] outside the plausible period."""
    lo, hi = plausible_window()
    v = np.asarray(utc_ns, dtype="int64")
    return (v < lo.value) | (v >= hi.value)


def period_text() -> str:
    lo, hi = plausible_window()
    return f"{lo:%Y-%m-%d} .. {hi:%Y-%m-%d}"


@dataclass(frozen=True)
class CurveMeta:
    """Metadata of a load curve.

    Attributes
    ----------
    source_format
        Short name of the reader that produced the curve (``"csv"``, ``"mscons"``, ``"smgw"`` …).
    meter_id
        Meter, market or metering location id, if the source names one.
    tz
        IANA time zone used for local days and display.
    holiday_region
        ISO 3166-2 region for public holidays (``"DE-NW"``; ``"GB-ENG"`` for London).
    source_name
        File name the curve was read from, if any.
    obis
        OBIS code of the register or channel, if known.
    conversions
        Human-readable notes of every conversion applied on import.
    warnings
        Recoverable oddities found on import: :class:`advisor.texts.Message` codes
        (``ingest.warning.*``) with their figures; ``str`` is English, ``.text(lang)`` German or
        Turkish (:func:`advisor.texts.localized` renders the tuple).
    not_household
        True when the file states its unit and its values exceed what a household connection
        can draw (:data:`MAX_PLAUSIBLE_POWER_KW`): a commercial or multi-dwelling location. Such a
        curve gets no Stromspiegel class and no household letter.
    feed_in_kwh, feed_in_days
        On a consumption (import) curve: the feed-in (export, OBIS 2.8.0) of the same meter over
        the same period [kWh] and the days that feed-in figure covers [d], when the file also
        holds the feed-in register (:func:`advisor.ingest.consumption_curves`); None when unknown.
        Feed-in proves own generation behind the meter.
    """

    source_format: str = "unknown"
    meter_id: str | None = None
    tz: str = DEFAULT_TZ
    holiday_region: str = DEFAULT_HOLIDAY_REGION
    source_name: str | None = None
    obis: str | None = None
    conversions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    not_household: bool = False
    feed_in_kwh: float | None = None
    feed_in_days: float | None = None


@dataclass(frozen=True)
class LoadCurve:
    """Energy per interval with quality, direction and metadata.

    Use :func:`make_load_curve` to build one; it validates and completes the index.

    Attributes
    ----------
    data
        DataFrame indexed by interval start (tz-aware, in ``meta.tz``, regular, complete) with
        columns ``energy_kwh`` (float, kWh per interval, NaN where missing) and ``quality``
        (categorical, values of :class:`Quality`).
    interval_minutes
        Interval length [min]: 15, 30 or 60.
    direction
        :class:`Direction` of the energy flow.
    meta
        :class:`CurveMeta`.
    """

    data: pd.DataFrame
    interval_minutes: int
    direction: Direction = Direction.IMPORT
    meta: CurveMeta = field(default_factory=CurveMeta)

    # ---- views -------------------------------------------------------------------------
    @property
    def energy_kwh(self) -> pd.Series:
        """Energy per interval [kWh] (NaN where missing); a copy."""
        return self.data["energy_kwh"].copy()

    @property
    def power_kw(self) -> pd.Series:
        """Average power per interval [kW]."""
        return kwh_to_kw(self.data["energy_kwh"], self.interval_minutes).rename("power_kw")

    @property
    def quality(self) -> pd.Series:
        """Quality flag per interval (categorical); a copy."""
        return self.data["quality"].copy()

    @property
    def index(self) -> pd.DatetimeIndex:
        return self.data.index

    @property
    def start(self) -> pd.Timestamp:
        """Start of the first interval."""
        return self.data.index[0]

    @property
    def end(self) -> pd.Timestamp:
        """End of the last interval (exclusive)."""
        return self.data.index[-1] + pd.Timedelta(minutes=self.interval_minutes)

    @property
    def n_intervals(self) -> int:
        return len(self.data)

    @property
    def freq(self) -> str:
        return freq_of(self.interval_minutes)

    @property
    def interval_hours(self) -> float:
        return interval_hours(self.interval_minutes)

    def count(self, quality: Quality | str) -> int:
        """Number of intervals with the given quality."""
        q = Quality(quality).value
        return int((self.data["quality"] == q).sum())

    @property
    def missing_intervals(self) -> int:
        return self.count(Quality.MISSING)

    @property
    def substituted_intervals(self) -> int:
        return self.count(Quality.SUBSTITUTED)

    @property
    def is_estimated(self) -> bool:
        """True when the curve is modelled rather than measured (at least half estimated)."""
        return self.count(Quality.ESTIMATED) * 2 >= max(self.n_intervals, 1)

    @property
    def total_kwh(self) -> float:
        """Sum of all known values [kWh] (measured, substituted, filled, estimated)."""
        return float(np.nansum(self.data["energy_kwh"].to_numpy()))

    @property
    def measured_and_substituted_kwh(self) -> float:
        """Sum of measured and substituted values [kWh] (the ingest summary's ``energy_kwh``)."""
        q = self.data["quality"]
        mask = (q == Quality.MEASURED.value) | (q == Quality.SUBSTITUTED.value)
        return float(self.data.loc[mask, "energy_kwh"].sum())

    @property
    def coverage(self) -> float:
        """Share of intervals with a value (0..1)."""
        if self.n_intervals == 0:
            return 0.0
        return float(self.data["energy_kwh"].notna().mean())

    def local_index(self, tz: str | None = None) -> pd.DatetimeIndex:
        """Index in the display time zone (default: the curve's own)."""
        return self.data.index.tz_convert(tz or self.meta.tz)

    def with_meta(self, **changes: Any) -> LoadCurve:
        """Copy with metadata fields replaced."""
        return replace(self, meta=replace(self.meta, **changes))

    def summary(self) -> dict[str, Any]:
        """The ingest summary as a JSON-ready dict (see ``advisor ingest --json``)."""
        from advisor.texts import text_fields
        return {
            "format": self.meta.source_format,
            "meter_id": self.meta.meter_id,
            "direction": self.direction.value,
            "obis": self.meta.obis,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "tz": self.meta.tz,
            "holiday_region": self.meta.holiday_region,
            "interval_minutes": self.interval_minutes,
            "n_intervals": self.n_intervals,
            "energy_kwh": round(self.measured_and_substituted_kwh, 6),
            "missing_intervals": self.missing_intervals,
            "substituted_intervals": self.substituted_intervals,
            "filled_intervals": self.count(Quality.FILLED),
            "estimated_intervals": self.count(Quality.ESTIMATED),
            # English under the historic key; rendered per language and the codes next to it
            **text_fields("conversions", list(self.meta.conversions), ("de", "en", "tr")),
            **text_fields("warnings", list(self.meta.warnings), ("de", "en", "tr")),
            "not_household": bool(self.meta.not_household),
            "feed_in_kwh": None if self.meta.feed_in_kwh is None else round(float(self.meta.feed_in_kwh), 6),
            "feed_in_days": None if self.meta.feed_in_days is None else round(float(self.meta.feed_in_days), 3),
        }

    def to_frame(self) -> pd.DataFrame:
        """Copy of the data with the index in UTC (for writing)."""
        df = self.data.copy()
        df.index = df.index.tz_convert("UTC")
        df.index.name = "interval_start_utc"
        return df


def make_load_curve(
    energy_kwh: pd.Series,
    *,
    interval_minutes: int | None = None,
    quality: pd.Series | None = None,
    direction: Direction | str = Direction.IMPORT,
    meta: CurveMeta | None = None,
    max_power_kw: float = MAX_PLAUSIBLE_POWER_KW,
    allow_negative: bool = False,
    unit_stated: bool = False,
) -> LoadCurve:
    """Validate interval energies and build a complete, regular :class:`LoadCurve`.

    Parameters
    ----------
    energy_kwh
        Energy per interval [kWh], indexed by tz-aware interval start. NaN means missing.
    interval_minutes
        Interval length [min]; inferred from the index when omitted.
    quality
        Quality per interval (strings of :class:`Quality`); ``measured`` where omitted and
        ``missing`` where the energy is NaN.
    direction
        Import (consumption) or export (feed-in).
    meta
        Metadata; its ``tz`` becomes the index time zone.
    max_power_kw
        Average power above this is refused as absurd [kW].
    allow_negative
        Accept negative interval energies (never for a household load curve).
    unit_stated
        The file states its unit: values above ``max_power_kw`` (up to
        :data:`MAX_STATED_UNIT_POWER_KW`) are read with a warning and ``meta.not_household``
        instead of being refused as a probable Wh/kWh mix-up.

    Raises
    ------
    LoadCurveError
        Naive or unsorted index, duplicate timestamps, irregular steps, an interval length not in
        15/30/60 min, negative or absurd values, or no data at all.
    """
    meta = meta or CurveMeta()
    src = meta.source_name
    if not isinstance(energy_kwh, pd.Series):
        raise LoadCurveError("`energy_kwh` must be a pandas Series", source=src)
    idx = energy_kwh.index
    if not isinstance(idx, pd.DatetimeIndex):
        raise LoadCurveError(
            f"the index must be a DatetimeIndex of interval starts; got {type(idx).__name__}", source=src
        )
    if idx.tz is None:
        raise LoadCurveError(
            Message("ingest.error.naive_index"),
            source=src,
        )
    if len(idx) == 0:
        raise LoadCurveError(Message("ingest.error.no_intervals"), source=src)
    values = pd.to_numeric(energy_kwh, errors="coerce").astype("float64")
    if quality is None:
        quality = pd.Series(Quality.MEASURED.value, index=idx, dtype=object)
    else:
        quality = quality.astype(object).reindex(idx)
        bad = ~quality.isin(QUALITY_CATEGORIES)
        if bad.any():
            raise LoadCurveError(
                Message("ingest.error.quality_flag", flag=repr(quality[bad].iloc[0]), known=str(QUALITY_CATEGORIES)),
                source=src,
                timestamp=str(quality[bad].index[0]),
            )
    idx_utc = idx.tz_convert("UTC").as_unit("ns")
    outside = outside_plausible_period(idx_utc.asi8)
    if outside.any():
        n_out = int(outside.sum())
        shown = ", ".join(t.isoformat() for t in idx_utc[outside][:5])
        if n_out * 2 >= len(idx_utc):
            lo, hi = plausible_window()
            raise LoadCurveError(
                Message("ingest.error.outside_period", n=n_out, total=len(idx_utc), start=lo, end=hi, examples=shown),
                source=src,
            )
        keep = ~outside
        idx, idx_utc = idx[keep], idx_utc[keep]
        values, quality = values[keep], quality[keep]
        meta = replace(
            meta,
            warnings=(
                *meta.warnings,
                Message(
                    "ingest.warning.outside_period",
                    n=n_out,
                    start=plausible_window()[0],
                    end=plausible_window()[1],
                    examples=shown + (" …" if n_out > 5 else ""),
                ),
            ),
        )
    if idx_utc.has_duplicates:
        dup = idx[idx_utc.duplicated()][0]
        raise LoadCurveError(Message("ingest.error.duplicate_start"), source=src, timestamp=dup.isoformat())
    if not idx_utc.is_monotonic_increasing:
        order = np.argsort(idx_utc.asi8, kind="stable")
        values = values.iloc[order]
        quality = quality.iloc[order]
        idx_utc = idx_utc[order]
    if interval_minutes is None:
        from advisor.units import infer_interval_minutes

        interval_minutes = infer_interval_minutes(idx_utc)
        if interval_minutes is None:
            raise LoadCurveError(
                Message("ingest.error.single_timestamp"),
                source=src,
            )
    if interval_minutes not in ALLOWED_INTERVAL_MINUTES:
        raise LoadCurveError(
            Message("ingest.error.interval_not_allowed", allowed=str(ALLOWED_INTERVAL_MINUTES), minutes=interval_minutes),
            source=src,
        )
    step_ns = interval_minutes * 60 * 1_000_000_000
    offsets = (idx_utc.asi8 - idx_utc.asi8[0]) % step_ns
    if (offsets != 0).any():
        pos = int(np.argmax(offsets != 0))
        raise LoadCurveError(
            Message("ingest.error.off_grid", minutes=int(interval_minutes)),
            source=src,
            timestamp=idx_utc[pos].tz_convert(meta.tz).isoformat(),
        )
    vals = values.to_numpy()
    if not allow_negative:
        neg = vals < 0
        if neg.any():
            pos = int(np.argmax(neg))
            raise LoadCurveError(
                Message("ingest.error.negative_energy", kwh=float(vals[pos])),
                source=src,
                timestamp=idx_utc[pos].tz_convert(meta.tz).isoformat(),
            )
    limit = max_power_kw * interval_minutes / 60.0
    absurd = np.abs(vals) > limit
    if absurd.any() and unit_stated and larger_than_household(vals, interval_minutes):
        peak = float(np.nanmax(np.abs(vals))) * 60.0 / interval_minutes
        meta = replace(
            meta,
            not_household=True,
            warnings=(
                *meta.warnings,
                Message("ingest.warning.not_household", n=int(absurd.sum()), peak_kw=round(peak), max_kw=max_power_kw),
            ),
        )
        absurd = absurd & False
    if absurd.any():
        pos = int(np.argmax(absurd))
        raise LoadCurveError(
            Message(
                "ingest.error.implausible_energy",
                kwh=float(vals[pos]),
                minutes=int(interval_minutes),
                kw=float(vals[pos] / (interval_minutes / 60)),
                max_kw=max_power_kw,
            ),
            source=src,
            timestamp=idx_utc[pos].tz_convert(meta.tz).isoformat(),
        )
    t = idx_utc.asi8
    n = int((t[-1] - t[0]) // step_ns) + 1
    pos = (t - t[0]) // step_ns
    energy = np.full(n, np.nan)
    energy[pos] = vals
    missing_code = QUALITY_CATEGORIES.index(Quality.MISSING.value)
    codes = np.full(n, missing_code, dtype=np.int8)
    codes[pos] = pd.Categorical(quality.to_numpy(), categories=QUALITY_CATEGORIES).codes
    codes[np.isnan(energy)] = missing_code
    full = pd.date_range(idx_utc[0], periods=n, freq=freq_of(interval_minutes))
    data = pd.DataFrame(
        {
            "energy_kwh": energy,
            "quality": pd.Categorical.from_codes(codes, categories=QUALITY_CATEGORIES),
        },
        index=full.tz_convert(meta.tz),
    )
    data.index.name = "interval_start"
    if data["energy_kwh"].notna().sum() == 0:
        raise LoadCurveError(Message("ingest.error.no_values"), source=src)
    return LoadCurve(data=data, interval_minutes=int(interval_minutes), direction=Direction(direction), meta=meta)


def validate_load_curve(curve: Any) -> LoadCurve:
    """Check that ``curve`` is a :class:`LoadCurve` in canonical shape; return it.

    Each public function of the core calls this once on entry.

    Raises
    ------
    LoadCurveError
        If the argument is not a canonical load curve.
    """
    if not isinstance(curve, LoadCurve):
        raise LoadCurveError(f"expected a LoadCurve; got {type(curve).__name__}. Use read_load_curve().")
    idx = curve.data.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise LoadCurveError("LoadCurve index must be a tz-aware DatetimeIndex")
    if list(curve.data.columns[:2]) != ["energy_kwh", "quality"]:
        raise LoadCurveError("LoadCurve data must have columns `energy_kwh` and `quality`")
    return curve


def warn_quality(curve: LoadCurve, message: str) -> None:
    """Issue a :class:`DataQualityWarning` naming the curve."""
    name = curve.meta.source_name or curve.meta.meter_id or "load curve"
    warnings.warn(f"{name}: {message}", DataQualityWarning, stacklevel=3)


def fill_short_gaps(curve: LoadCurve, max_gap_minutes: int = 60) -> LoadCurve:
    """Interpolate gaps up to ``max_gap_minutes`` long; flag those intervals ``filled``.

    Longer gaps stay missing. Energy is interpolated per interval (linear in time).
    """
    validate_load_curve(curve)
    e = curve.data["energy_kwh"]
    isna = e.isna()
    if not isna.any():
        return curve
    run_id = (isna != isna.shift()).cumsum()
    run_len = isna.groupby(run_id).transform("sum")
    max_n = max_gap_minutes // curve.interval_minutes
    fillable = isna & (run_len <= max_n)
    interp = e.interpolate(method="linear", limit_area="inside")
    new_e = e.where(~fillable, interp)
    fillable &= new_e.notna()
    q = curve.data["quality"].copy()
    q[fillable] = Quality.FILLED.value
    data = pd.DataFrame({"energy_kwh": new_e, "quality": q}, index=curve.data.index)
    n = int(fillable.sum())
    meta = curve.meta
    if n:
        meta = replace(meta, conversions=meta.conversions + (Message("ingest.conv.interpolated", n=n, minutes=max_gap_minutes),))
    return replace(curve, data=data, meta=meta)


def daily_energy_kwh(curve: LoadCurve, *, min_coverage: float = 1.0) -> pd.Series:
    """Energy per local calendar day [kWh]; NaN for days below ``min_coverage`` of values."""
    validate_load_curve(curve)
    e = curve.data["energy_kwh"].copy()
    e.index = e.index.tz_convert(curve.meta.tz)
    grouped = e.resample("D")
    total = grouped.sum(min_count=1)
    cov = grouped.count() / grouped.size()
    return total.where(cov >= min_coverage).rename("energy_kwh")
