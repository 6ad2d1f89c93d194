"""Long tables of many households (``household_id, timestamp, kwh``) as CSV or Parquet.

Columns are found by name (case-insensitive) among the aliases below, or given explicitly with
``ReadOptions(id_col=, time_col=, value_col=)`` (``--id-col`` … on the command line):

* id: ``household_id``, ``lclid``, ``meter_id``, ``id``, ``household``
* time: ``timestamp``, ``timestamp_utc``, ``ts``, ``datetime``, ``time``, ``interval_start``
* value [kWh per interval]: ``kwh``, ``energy_kwh``, ``value``, ``kwh/hh (per half hour)``

Timestamps mark the interval **start**. Aware values (Parquet ``timestamp[tz=…]``, text with
``Z`` or ``+01:00``) are taken as they are; naive ones are local wall time in ``options.tz``
(the repeated October hour by order; a naive table in UTC must be read with ``tz="UTC"``).
A row that is absent is a missing interval. The curve's time zone is ``options.tz``.

Two ways in:

* through the dispatcher (:func:`advisor.ingest.read_load_curves`): one curve per household,
  ``meter_id`` = the household id; a bad household makes the whole read fail with its id named;
* :func:`iter_long_table` for batch: streams ``(household_id, LoadCurve | LoadCurveError)``
  without loading the table. A table grouped by household (each id in one run of rows, the usual
  case) is read once in row batches; an interleaved table is read in several passes, each
  collecting a bounded number of households. A bad household yields its error; the others go on.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.errors import LoadCurveError
from advisor.ingest import timezones
from advisor.loadcurve import (
    MAX_PLAUSIBLE_POWER_KW,
    QUALITY_CATEGORIES,
    CurveMeta,
    Direction,
    LoadCurve,
    Quality,
    make_load_curve,
    outside_plausible_period,
    plausible_period,
)
from advisor.texts import Message
from advisor.units import ALLOWED_INTERVAL_MINUTES, freq_of

FORMAT = "long-table"

ID_ALIASES = ("household_id", "lclid", "meter_id", "id", "household")
TIME_ALIASES = ("timestamp", "timestamp_utc", "ts", "datetime", "time", "interval_start")
VALUE_ALIASES = ("kwh", "energy_kwh", "value", "kwh/hh (per half hour)")

BATCH_ROWS = 1_000_000  # rows per read batch
PASS_ROWS = 4_000_000  # rows collected per pass over an interleaved table
MAX_HOUSEHOLDS = 1_000_000
ENERGY_UNITS_TO_KWH = {"kwh": 1.0, "wh": 1e-3}

_OFFSET_RE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


@dataclass(frozen=True)
class LongTableColumns:
    """Names of the id, time and value columns as they appear in the file."""

    id: str
    time: str
    value: str


# ---------------------------------------------------------------------------------------------
# Sniffing and columns
# ---------------------------------------------------------------------------------------------
def _header_names(head: bytes) -> tuple[list[str], str] | None:
    text = head[:8192].decode("utf-8-sig", errors="replace")
    for line in text.splitlines():
        if line.strip():
            seps = {s: line.count(s) for s in (",", ";", "\t")}
            sep = max(seps, key=seps.get)
            if seps[sep] == 0:
                return None
            return [c.strip().strip('"').strip() for c in line.split(sep)], sep
    return None


def _pick(names: list[str], aliases: tuple[str, ...], given: str | None, what: str, source: str | None) -> str:
    lower = {n.lower(): n for n in names}
    if given is not None:
        if given in names:
            return given
        if given.lower() in lower:
            return lower[given.lower()]
        raise LoadCurveError(Message("ingest.error.table.column_not_found", label=Message(f"ingest.what.col.{what}"), column=repr(given), names=str(names)), source=source)
    for a in aliases:
        if a in lower:
            return lower[a]
    raise LoadCurveError(
        Message("ingest.error.table.no_column", label=Message(f"ingest.what.col.{what}"), aliases=str(list(aliases)), option=f"{what}-column", names=str(names)),
        source=source,
    )


def resolve_columns(names: list[str], options, source: str | None = None) -> LongTableColumns:
    """Find the id, time and value columns among ``names`` (aliases or options)."""
    return LongTableColumns(
        id=_pick(names, ID_ALIASES, options.id_col, "id", source),
        time=_pick(names, TIME_ALIASES, options.time_col, "time", source),
        value=_pick(names, VALUE_ALIASES, options.value_col, "value", source),
    )


def sniff(head: bytes, name: str) -> bool:
    """Parquet (not our canonical one) or a delimited text whose header names an id, a time and a
    value column from the aliases."""
    if head[:4] == b"PAR1":
        return True
    found = _header_names(head)
    if found is None:
        return False
    lower = {n.lower() for n in found[0]}
    return bool(lower & set(ID_ALIASES) and lower & set(TIME_ALIASES) and lower & set(VALUE_ALIASES))


# ---------------------------------------------------------------------------------------------
# Sources: Parquet or CSV, read in batches
# ---------------------------------------------------------------------------------------------
class _Table:
    """A long table on disk or in memory that can be read several times in Arrow row batches."""

    def __init__(self, source: str | Path | bytes, options, label: str | None = None):
        self.options = options
        if isinstance(source, (bytes, bytearray)):
            self._raw: bytes | None = bytes(source)
            self.path = None
            self.label = label or "<buffer>"
            head = self._raw[:65536]
        else:
            self._raw = None
            self.path = Path(source)
            self.label = label or self.path.name
            if not self.path.exists():
                raise LoadCurveError(Message("ingest.error.no_file"), source=str(self.path))
            with open(self.path, "rb") as fh:
                head = fh.read(65536)
        self.raw_names: dict[str, str] = {}
        if head[:4] == b"PAR1":
            import pyarrow.parquet as pq

            self.kind = "parquet"
            try:
                names = pq.ParquetFile(self._open()).schema_arrow.names
            except Exception as exc:  # noqa: BLE001
                raise LoadCurveError(Message("ingest.error.damaged_parquet", error=type(exc).__name__), source=self.label) from None
            self.sep = None
            self.raw_names = {n: n for n in names}
        else:
            self.kind = "csv"
            found = _header_names(head)
            if found is None:
                raise LoadCurveError(Message("ingest.error.table.no_header"), source=self.label)
            names, self.sep = found
            first = head.decode("utf-8-sig", errors="replace").lstrip("\r\n").splitlines()[0]
            self.raw_names = dict(zip(names, first.split(self.sep), strict=False))
        self.cols = resolve_columns(names, options, self.label)
        unit = (getattr(options, "unit", None) or "kWh").strip()
        if unit.lower() not in ENERGY_UNITS_TO_KWH:
            raise LoadCurveError(
                Message("ingest.error.table.unit", unit=repr(unit)), source=self.label
            )
        self.factor = ENERGY_UNITS_TO_KWH[unit.lower()]

    def _open(self):
        return io.BytesIO(self._raw) if self._raw is not None else str(self.path)

    def batches(self, columns: list[str], dictionary: tuple[str, ...] = ()) -> Iterator:
        """Arrow record batches with the requested columns (named as resolved).

        Parquet text columns named in ``dictionary`` come dictionary-encoded (one value per distinct
        text and an index per row: far cheaper to read and check than one string per row).
        """
        import pyarrow as pa

        if self.kind == "parquet":
            import pyarrow.parquet as pq

            try:
                pf = pq.ParquetFile(self._open(), read_dictionary=list(dictionary) or None)
                for rb in pf.iter_batches(batch_size=BATCH_ROWS, columns=columns):
                    yield rb
            except (pa.ArrowException, OSError) as exc:
                raise LoadCurveError(Message("ingest.error.table.unreadable_parquet", error=type(exc).__name__), source=self.label) from None
            return
        import pyarrow.csv as pacsv

        raw_cols = [self.raw_names[c].strip('"') for c in columns]
        try:
            reader = pacsv.open_csv(
                self._open(),
                read_options=pacsv.ReadOptions(block_size=16 << 20, encoding="utf8"),
                parse_options=pacsv.ParseOptions(delimiter=self.sep),
                convert_options=pacsv.ConvertOptions(
                    include_columns=raw_cols,
                    column_types={c: pa.string() for c in raw_cols},
                    strings_can_be_null=False,
                ),
            )
            for rb in reader:
                yield pa.RecordBatch.from_arrays([rb.column(r) for r in raw_cols], names=columns)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            # pyarrow's message quotes the offending row: keep only its shape, never the content
            shape = re.search(r"Expected \d+ columns, got \d+", str(exc))
            raise LoadCurveError(
                Message("ingest.error.table.unreadable_csv", error=type(exc).__name__ + (": " + shape.group() if shape else "")),
                source=self.label,
            ) from None


def _runs(ids) -> tuple[np.ndarray, list[str]]:
    """Start positions and id (as text) of each run of equal ids in an Arrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(ids)
    if n == 0:
        return np.array([], dtype=np.int64), []
    if not pa.types.is_string(ids.type) and not pa.types.is_large_string(ids.type):
        ids = pc.cast(ids, pa.string())
    if n > 1:
        neq = pc.not_equal(ids.slice(1), ids.slice(0, n - 1))
        change = np.flatnonzero(neq.to_numpy(zero_copy_only=False)) + 1
    else:
        change = np.array([], dtype=np.int64)
    starts = np.concatenate([[0], change]).astype(np.int64)
    return starts, [str(x) for x in ids.take(starts).to_pylist()]


def check_id_column(ids, offset: int, table: _Table) -> None:
    """Refuse an id column that is not text or integer, and any row with an empty id.

    A row without its household's id must not silently join a neighbour (or vanish as a
    "repeated" row of the next household); the message names the row (CSV: the file line).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    t = ids.type
    if pa.types.is_dictionary(t):
        # checked on the distinct values; decoded (to name the row) only when one is empty
        values = ids.dictionary
        blank = pa.types.is_string(values.type) and pc.any(pc.equal(pc.utf8_trim_whitespace(values), "")).as_py()
        if not pa.types.is_string(values.type) or blank or ids.null_count:
            check_id_column(ids.dictionary_decode(), offset, table)
        return
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t)):
        raise LoadCurveError(
            Message("ingest.error.table.id_type", column=repr(table.cols.id), type=str(t)),
            source=table.label,
        )
    empty = pc.is_null(ids)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        empty = pc.or_kleene(empty, pc.equal(pc.utf8_trim_whitespace(ids), ""))
    empty = empty.to_numpy(zero_copy_only=False)
    if empty.any():
        pos = offset + int(np.argmax(empty))
        n = int(empty.sum())
        where = {"line": pos + 2} if table.kind == "csv" else {}
        raise LoadCurveError(
            Message("ingest.error.table.empty_id", row=Message("ingest.what.data_row", n=pos + 1) if table.kind != "csv" else Message("ingest.what.this_row"), more=Message("ingest.what.more_rows", n=n - 1) if n > 1 else "", column=repr(table.cols.id)),
            source=table.label,
            **where,
        )


def validate_ids(path: str | Path, options) -> None:
    """Check a long table's id column (type, no empty id) in one streamed pass (for batch)."""
    table = _Table(path, options)
    rows = 0
    for rb in table.batches([table.cols.id], dictionary=(table.cols.id,)):
        check_id_column(rb.column(0), rows, table)
        rows += rb.num_rows


def _scan_ids(table: _Table) -> tuple[list[str], bool, int]:
    """Households in order of first appearance, whether each occupies one run of rows, row count."""
    order: list[str] = []
    seen: set[str] = set()
    grouped = True
    last = None
    rows = 0
    for rb in table.batches([table.cols.id]):
        check_id_column(rb.column(0), rows, table)
        rows += rb.num_rows
        _, run_ids = _runs(rb.column(0))
        for hid in run_ids:
            if hid == last:
                continue
            if hid in seen:
                grouped = False
            else:
                seen.add(hid)
                order.append(hid)
                if len(order) > MAX_HOUSEHOLDS:
                    raise LoadCurveError(
                        Message("ingest.error.table.too_many_households", max=MAX_HOUSEHOLDS), source=table.label
                    )
            last = hid
    return order, grouped, rows


# ---------------------------------------------------------------------------------------------
# One household
# ---------------------------------------------------------------------------------------------
def _times_utc(col: pd.Series, tz: str, label: str, hid: str) -> pd.DatetimeIndex:
    where = Message("ingest.where.household", household=hid)
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        return pd.DatetimeIndex(col).tz_convert("UTC")
    if pd.api.types.is_datetime64_dtype(col.dtype):
        naive = pd.DatetimeIndex(col)
    elif pd.api.types.is_integer_dtype(col.dtype):
        v = col.to_numpy(dtype="int64")
        unit = "ms" if len(v) and np.abs(v).max() > 10**11 else "s"
        return pd.DatetimeIndex(pd.to_datetime(v, unit=unit, utc=True))
    else:
        text = col.astype(str).str.strip()
        has_off = text.str.contains(_OFFSET_RE)
        try:
            if has_off.all():
                return pd.DatetimeIndex(pd.to_datetime(text, utc=True, format="ISO8601"))
            if has_off.any():
                raise LoadCurveError(
                    Message("ingest.error.table.mixed_offsets", where=where, example=repr(text[~has_off].iloc[0])),
                    source=label,
                )
            naive = pd.DatetimeIndex(pd.to_datetime(text, format="ISO8601"))
        except LoadCurveError:
            raise
        except (ValueError, TypeError) as exc:
            pos = re.search(r"at position (\d+)", str(exc))
            raise LoadCurveError(
                Message("ingest.error.table.bad_time", where=where, row=Message("ingest.what.household_row", n=int(pos.group(1)) + 1) if pos else ""),
                source=label,
            ) from None
    try:
        return naive.tz_localize(tz, ambiguous="infer", nonexistent="raise").tz_convert("UTC")
    except Exception as exc:  # noqa: BLE001  (AmbiguousTimeError, NonExistentTimeError)
        if naive.is_monotonic_increasing and naive.is_unique:
            # the repeated October hour appears once (a household starting or ending in it):
            # placed by its neighbours, as the portal CSV reader does
            with contextlib.suppress(timezones.WallTimeError):
                return pd.DatetimeIndex(timezones.wall_times_to_utc_ns(naive, tz), tz="UTC")
        raise LoadCurveError(
            Message("ingest.error.table.naive_times", where=where, tz=tz, detail=str(exc)),
            source=label,
        ) from None


def _was_naive(col: pd.Series) -> bool:
    """Text or datetime values without an offset (epoch integers are UTC by definition)."""
    if pd.api.types.is_datetime64_dtype(col.dtype):
        return True
    if pd.api.types.is_integer_dtype(col.dtype):
        return False
    return not bool(col.astype(str).str.contains(_OFFSET_RE).any())


def household_curve(
    hid: str,
    frame: pd.DataFrame,
    cols: LongTableColumns,
    options,
    label: str,
    *,
    decimal_comma: bool = False,
    factor: float = 1.0,
) -> LoadCurve:
    """The load curve of one household's rows of a long table.

    ``decimal_comma`` reads text values like ``0,25`` (``;``-separated CSV); ``factor`` converts
    the values to kWh (1e-3 for Wh).

    Raises
    ------
    LoadCurveError
        Unparseable timestamps or values, disagreeing duplicate rows, an irregular grid,
        negative or absurd values — the message names the household.
    """
    zone = timezones.stated_zone(cols.time, f"column {cols.time!r}")
    naive_times = not isinstance(frame[cols.time].dtype, pd.DatetimeTZDtype)
    times = _times_utc(frame[cols.time], zone.tz if zone else options.tz, label, hid)
    raw_vals = frame[cols.value]
    notes: list[str] = []
    if zone is not None and naive_times and _was_naive(frame[cols.time]):
        notes.append(timezones.note(zone))
    if pd.api.types.is_numeric_dtype(raw_vals.dtype):
        vals = raw_vals.to_numpy(dtype="float64")
    else:
        text = raw_vals.astype(str).str.strip()
        if decimal_comma:
            text = text.str.replace(",", ".", regex=False)
        num = pd.to_numeric(text, errors="coerce")
        blank = text.eq("") | text.str.lower().isin(("nan", "null", "none", "-", "na"))
        bad = num.isna() & ~blank
        if bad.any():
            pos = int(np.argmax(bad.to_numpy()))
            raise LoadCurveError(
                Message("ingest.error.table.not_number", household=hid, value=repr(text.iloc[pos])),
                source=label,
                timestamp=times[pos].tz_convert(options.tz).isoformat(),
            )
        if blank.any():
            notes.append(Message("ingest.warning.table.empty_values", n=int(blank.sum())))
        vals = num.to_numpy(dtype="float64")
    if factor != 1.0:
        vals = vals * factor
        notes.append(Message("ingest.warning.table.factor", factor=float(factor)))
    s = pd.Series(vals, index=times)
    meta = CurveMeta(
        source_format=FORMAT,
        meter_id=str(hid),
        tz=options.tz,
        holiday_region=options.holiday_region,
        source_name=label,
        warnings=tuple(notes),
    )
    fast = _regular_curve(s, meta)
    if fast is not None:
        return fast
    if s.index.has_duplicates:
        dup_mask = s.index.duplicated(keep=False)
        dups = s[dup_mask]
        disagree = dups.groupby(level=0).nunique(dropna=False) > 1
        if disagree.any():
            ts = disagree[disagree].index[0]
            raise LoadCurveError(
                Message("ingest.error.table.duplicate", household=str(hid)),
                source=label,
                timestamp=ts.tz_convert(options.tz).isoformat(),
            )
        n_dup = int(s.index.duplicated().sum())
        s = s[~s.index.duplicated()]
        notes.append(Message("ingest.warning.table.repeated_rows", n=n_dup))
    meta = CurveMeta(
        source_format=FORMAT,
        meter_id=str(hid),
        tz=options.tz,
        holiday_region=options.holiday_region,
        source_name=label,
        warnings=tuple(notes),
    )
    try:
        return make_load_curve(s, meta=meta)
    except LoadCurveError as exc:
        raise LoadCurveError(
            Message("ingest.error.table.household", household=str(hid), reason=exc.reason), source=label, timestamp=exc.timestamp
        ) from None


def _regular_curve(s: pd.Series, meta: CurveMeta) -> LoadCurve | None:
    """Fast path for rows that are already clean: sorted, unique, on one 15/30/60-min grid, no
    negative or implausible values. Builds the same curve as :func:`make_load_curve` without its
    object-dtype work; returns None for anything else, which then goes through
    :func:`make_load_curve` (and gets its checks and messages)."""
    t = s.index.as_unit("ns").asi8
    v = s.to_numpy(dtype="float64")
    if len(t) < 2 or outside_plausible_period(t).any():
        return None  # make_load_curve sets the rows outside the plausible period aside, with a warning
    d = np.diff(t)
    if (d <= 0).any():
        return None
    minutes, counts = np.unique(d // 60_000_000_000, return_counts=True)
    step_min = int(minutes[np.argmax(counts)])
    if step_min not in ALLOWED_INTERVAL_MINUTES:
        return None
    step = step_min * 60_000_000_000
    if ((t - t[0]) % step).any():
        return None
    finite = v[~np.isnan(v)]
    if finite.size == 0 or (finite < 0).any() or (finite > MAX_PLAUSIBLE_POWER_KW * step_min / 60.0).any():
        return None
    n = int((t[-1] - t[0]) // step) + 1
    energy = np.full(n, np.nan)
    energy[(t - t[0]) // step] = v
    codes = np.where(np.isnan(energy), _MISSING_CODE, _MEASURED_CODE).astype(np.int8)
    idx = pd.date_range(pd.Timestamp(t[0], tz="UTC"), periods=n, freq=freq_of(step_min)).tz_convert(meta.tz)
    idx.name = "interval_start"
    data = pd.DataFrame(
        {"energy_kwh": energy, "quality": pd.Categorical.from_codes(codes, categories=QUALITY_CATEGORIES)},
        index=idx,
    )
    return LoadCurve(data=data, interval_minutes=step_min, direction=Direction.IMPORT, meta=meta)


_MEASURED_CODE = QUALITY_CATEGORIES.index(Quality.MEASURED.value)
_MISSING_CODE = QUALITY_CATEGORIES.index(Quality.MISSING.value)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------
def list_households(path: str | Path | bytes, options=None) -> list[str]:
    """Household ids of a long table in order of first appearance (reads only the id column)."""
    from advisor.ingest import ReadOptions

    table = _Table(path, options or ReadOptions())
    return _scan_ids(table)[0]


def iter_long_table(
    path: str | Path | bytes, options=None, *, label: str | None = None
) -> Iterator[tuple[str, LoadCurve | LoadCurveError]]:
    """Stream ``(household_id, curve or error)`` for every household of a long table.

    Memory stays bounded: a grouped table (each household in one run of rows) is read once in
    batches of ``BATCH_ROWS`` rows; an interleaved one in passes of at most ``PASS_ROWS`` rows of
    households. Households come in order of first appearance.

    Parameters
    ----------
    path
        CSV or Parquet file (or its bytes).
    options
        :class:`advisor.ingest.ReadOptions`: ``tz`` and ``holiday_region`` of the curves, column
        names (``id_col``, ``time_col``, ``value_col``).

    Raises
    ------
    LoadCurveError
        Only for problems of the whole table (missing columns, unreadable file); a household's
        own problem is yielded as its error.
    """
    from advisor.ingest import ReadOptions

    options = options or ReadOptions()
    table = _Table(path, options, label)
    order, grouped, rows = _scan_ids(table)
    if not order:
        raise LoadCurveError(Message("ingest.error.table.no_rows"), source=table.label)
    if grouped:
        yield from _iter_grouped(table, options)
    else:
        yield from _iter_passes(table, options, order, rows)


def _one(hid, parts, table, options):
    import pyarrow as pa

    tbl = pa.Table.from_batches(parts) if isinstance(parts, list) else parts
    frame = tbl.select([table.cols.time, table.cols.value]).to_pandas()
    try:
        with plausible_period(getattr(options, "earliest", None), getattr(options, "latest", None)):
            return hid, household_curve(
                hid, frame, table.cols, options, table.label, decimal_comma=table.sep == ";", factor=table.factor
            )
    except LoadCurveError as exc:
        return hid, exc
    except (ValueError, TypeError, OverflowError) as exc:
        return hid, LoadCurveError(Message("ingest.error.table.unreadable_rows", household=hid, error=type(exc).__name__), source=table.label)


def _iter_grouped(table: _Table, options):
    cols = [table.cols.id, table.cols.time, table.cols.value]
    carry_id, carry = None, []
    for rb in table.batches(cols):
        starts, run_ids = _runs(rb.column(0))
        bounds = list(starts[1:]) + [rb.num_rows]
        for hid, a, b in zip(run_ids, starts, bounds, strict=True):
            part = rb.slice(int(a), int(b - a))
            if hid == carry_id:
                carry.append(part)
                continue
            if carry_id is not None:
                yield _one(carry_id, carry, table, options)
            carry_id, carry = hid, [part]
    if carry_id is not None:
        yield _one(carry_id, carry, table, options)


def _iter_passes(table: _Table, options, order: list[str], rows: int):
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = [table.cols.id, table.cols.time, table.cols.value]
    per_pass = max(1, int(PASS_ROWS / max(1.0, rows / len(order))))
    for k in range(0, len(order), per_pass):
        chunk = order[k : k + per_pass]
        wanted = pa.array(chunk, type=pa.string())
        kept = []
        for rb in table.batches(cols):
            ids = pc.cast(rb.column(0), pa.string())
            mask = pc.is_in(ids, value_set=wanted)
            kept.append(pa.Table.from_batches([rb]).set_column(0, cols[0], ids).filter(mask))
        tbl = pa.concat_tables(kept)
        # stable sort by id keeps each household's rows in file order
        tbl = tbl.take(pc.sort_indices(tbl, sort_keys=[(cols[0], "ascending")]))
        tbl = tbl.combine_chunks()
        by_id = {}
        if tbl.num_rows:
            starts, run_ids = _runs(tbl.column(0).chunk(0) if tbl.column(0).num_chunks else tbl.column(0))
            bounds = list(starts[1:]) + [tbl.num_rows]
            by_id = {h: (int(a), int(b)) for h, a, b in zip(run_ids, starts, bounds, strict=True)}
        for hid in chunk:
            a, b = by_id[hid]
            yield _one(hid, tbl.slice(a, b - a), table, options)


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    """Dispatcher entry: every household of the table as one curve (strict: the first bad
    household fails the read; use :func:`iter_long_table` to keep the good ones)."""
    curves = []
    try:
        results = list(iter_long_table(raw, options, label=source))
    except LoadCurveError:
        raise
    except (ValueError, OverflowError, ArithmeticError, IndexError, KeyError) as exc:
        raise LoadCurveError(Message("ingest.error.table.unreadable", error=type(exc).__name__), source=source) from None
    for _hid, res in results:
        if isinstance(res, LoadCurveError):
            raise LoadCurveError(
                Message("ingest.error.table.keep_others", reason=res.reason),
                source=source,
                timestamp=res.timestamp,
            )
        curves.append(res)
    return curves
