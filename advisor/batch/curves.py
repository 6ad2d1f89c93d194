"""A household's load curve in a batch: read its meter(s), sum several meters, or estimate one.

* A meter file is read with :func:`advisor.read_load_curves` (every format the importer knows);
  one metering location per household (a file with several is split by the plan, or refused).
* A long-table partition (``timestamp``, ``kwh``) becomes a curve with the run's time zone.
* Several meters that META.csv lists for one household are summed on a common grid (the coarsest interval). Inside a
  meter's own span a missing value makes the sum missing; outside its span (a meter installed or
  exchanged during the year) the meter counts as zero.
* A household with only an annual consumption gets a curve estimated with the BDEW H25 shape over
  one calendar year, flagged ``estimated``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.errors import LoadCurveError
from advisor.ingest import MultipleLocationsError, ReadOptions, consumption_curves, locations, read_load_curves
from advisor.ingest.tabular import FORMAT as TABLE_FORMAT
from advisor.loadcurve import LoadCurve, Quality, make_load_curve, plausible_period
from advisor.texts import Message
from advisor.units import freq_of

_QUALITY_RANK = {
    q.value: i
    for i, q in enumerate([Quality.MEASURED, Quality.FILLED, Quality.SUBSTITUTED, Quality.ESTIMATED, Quality.MISSING])
}


def curve_from_partition(
    folder: str | Path, options: ReadOptions, label: str, *, decimal_comma: bool = False
) -> LoadCurve:
    """The curve of one long-table id from its partition folder (``timestamp``, ``kwh``).

    The rows go through the importer's own long-table conversion
    (:func:`advisor.ingest.tabular.household_curve`): aware timestamps as they are, naive ones as
    local time in ``options.tz``, values in kWh (or ``options.unit``), duplicates and bad values
    refused with the household named.

    Raises
    ------
    LoadCurveError
        Unreadable partition or what the importer refuses.
    """
    import pyarrow.parquet as pq

    from advisor.ingest.tabular import ENERGY_UNITS_TO_KWH, LongTableColumns, household_curve

    try:
        df = pq.read_table(str(folder), columns=["timestamp", "kwh"]).to_pandas()
    except Exception as exc:  # noqa: BLE001 - any arrow error means the partition is unusable
        raise LoadCurveError(f"cannot read the household's rows ({type(exc).__name__})", source=label) from None
    if df.empty:
        raise LoadCurveError("no rows for this household", source=label)
    unit = (options.unit or "kWh").strip().lower()
    if unit not in ENERGY_UNITS_TO_KWH:
        raise LoadCurveError(
            f"unit {options.unit!r}: a long table holds energy per interval in kWh or Wh", source=label
        )
    cols = LongTableColumns(id="id", time="timestamp", value="kwh")
    with plausible_period(options.earliest, options.latest):
        return household_curve(
            label, df, cols, options, label, decimal_comma=decimal_comma, factor=ENERGY_UNITS_TO_KWH[unit]
        )


#: What a batch operator can do about a file with several metering locations the plan could not list.
BATCH_LOCATIONS_HINT = Message("ingest.hint.meta_locations")


def read_source_curves(
    path: str | Path,
    options: ReadOptions,
    meter_id: str | None,
    label: str,
    pseudonym: Callable[[str], str] | None = None,
) -> list[LoadCurve]:
    """The import curve of one metering location of a meter file.

    ``meter_id`` picks the location; without it the file must hold one location: curves of
    different locations are never summed into one household (:class:`MultipleLocationsError`
    naming them, through ``pseudonym`` when the run pseudonymises).
    """
    curves = read_load_curves(path, replace(options, meter_id=meter_id) if meter_id else options)
    if len(curves) > 1 and any(c.meta.source_format == TABLE_FORMAT for c in curves):
        # a long table holds many households; summed as one it gave one letter for all of them
        raise LoadCurveError(
            f"a long table of {len(curves)} households inside the INPUT folder; give the table itself as INPUT "
            "(`advisor batch TABLE --out DIR`) or pick one household with META.csv `meter_id`",
            source=label,
        )
    if meter_id is None:
        locs = locations(curves)
        if len(locs) > 1:
            shown = [pseudonym(x) for x in locs] if pseudonym else locs
            raise MultipleLocationsError(shown, source=label, hint=BATCH_LOCATIONS_HINT)
    imports = consumption_curves(curves)
    if not imports:
        raise LoadCurveError("file holds no consumption (import) curve, only feed-in", source=label)
    return imports


def _feed_in_sum(curves: list[LoadCurve], name: str, take=sum) -> float | None:
    """Feed-in of several meters: summed kWh (the days: the shortest), None when no meter has one."""
    values = [getattr(c.meta, name) for c in curves if getattr(c.meta, name) is not None]
    return float(take(values)) if values else None


def combine_curves(curves: list[LoadCurve], household_label: str) -> LoadCurve:
    """Sum the import curves of several meters of one household on their coarsest common grid."""
    if len(curves) == 1:
        return curves[0]
    minutes = max(c.interval_minutes for c in curves)
    tz = curves[0].meta.tz
    parts, quals = [], []
    for c in curves:
        e = c.data["energy_kwh"].tz_convert("UTC")
        q = c.data["quality"].astype(str).map(_QUALITY_RANK).astype(int)
        q.index = e.index
        if c.interval_minutes != minutes:
            k = minutes // c.interval_minutes
            grp = e.resample(freq_of(minutes))
            e = grp.sum(min_count=1).where(grp.count() == k)
            q = q.resample(freq_of(minutes)).max()
        parts.append(e)
        quals.append(q)
    start = min(p.index[0] for p in parts)
    end = max(p.index[-1] for p in parts)
    grid = pd.date_range(start, end, freq=freq_of(minutes), tz="UTC")
    total = pd.Series(0.0, index=grid)
    worst = pd.Series(0, index=grid)
    for e, q in zip(parts, quals, strict=True):
        inside = (grid >= e.index[0]) & (grid <= e.index[-1])
        total = total + e.reindex(grid).where(inside, 0.0)
        worst = np.maximum(worst, q.reindex(grid).where(inside, 0).astype(int))
    rank_to_quality = {v: k for k, v in _QUALITY_RANK.items()}
    quality = pd.Series(worst.map(rank_to_quality).to_numpy(), index=grid)
    quality[total.isna()] = Quality.MISSING.value
    ids = [c.meta.meter_id or c.meta.source_name or "?" for c in curves]
    meta = replace(
        curves[0].meta,
        source_format="+".join(sorted({c.meta.source_format for c in curves})),
        meter_id="+".join(ids),
        source_name=household_label,
        conversions=(Message("ingest.conv.sum_of_meters", n=len(curves), minutes=int(minutes)),),
        warnings=tuple(w for c in curves for w in c.meta.warnings),
        feed_in_kwh=_feed_in_sum(curves, "feed_in_kwh"),
        feed_in_days=_feed_in_sum(curves, "feed_in_days", take=min),
    )
    return make_load_curve(total.tz_convert(tz), interval_minutes=minutes, quality=quality.tz_convert(tz), meta=meta)


def estimated_curve(annual_kwh: float, options: ReadOptions, year: int, label: str) -> LoadCurve:
    """A calendar-year 15-min curve for a billed annual consumption [kWh/yr], shaped with BDEW H25.

    The importer's own estimate (:func:`advisor.ingest.estimated.estimate_from_annual`); every
    interval is flagged ``estimated``.
    """
    from advisor.ingest.estimated import estimate_from_annual

    curve = estimate_from_annual(annual_kwh, year, tz=options.tz, holiday_region=options.holiday_region)
    return curve.with_meta(source_name=label)
