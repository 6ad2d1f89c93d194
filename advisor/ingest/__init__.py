"""Files in: detect a meter-data format and read it into canonical :class:`LoadCurve` objects.

Each format family is one small reader module behind this dispatcher. A reader module exposes

* ``FORMAT``: its short name (``"csv"``, ``"mscons"`` …),
* ``sniff(head: bytes, name: str) -> bool``: whether the first bytes look like its format,
* ``parse(raw: bytes, options: ReadOptions, source: str) -> list[LoadCurve]``.

The dispatcher reads the bytes once (with size and decompression limits), asks the readers in
order and hands the bytes to the first that recognises them.
"""

from __future__ import annotations

import gzip
import importlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from advisor.errors import LoadCurveError
from advisor.loadcurve import Direction, LoadCurve, plausible_period
from advisor.texts import Message
from advisor.units import DEFAULT_HOLIDAY_REGION, DEFAULT_TZ

# A household year at 15 min is 1-3 MB of CSV and ~2.5 MB of MSCONS; long tables for batch are
# read through `read_long_table`, not here.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

# Order matters: specific formats first, the tolerant CSV reader last.
READER_MODULES = (
    "advisor.ingest.canonical",
    "advisor.ingest.mscons",
    "advisor.ingest.smgw",
    "advisor.ingest.espi",
    "advisor.ingest.discovergy",
    "advisor.ingest.tabular",
    "advisor.ingest.excel",
    "advisor.ingest.csv",
)


@dataclass(frozen=True)
class ReadOptions:
    """Options a user can give when the file alone does not say everything.

    Attributes
    ----------
    tz
        Time zone of naive local timestamps and of the curve (``Europe/Berlin``).
    holiday_region
        Holiday region stored in the curve's metadata (``DE-NW``).
    label
        ``"auto"``, ``"start"`` or ``"end"``: whether a single timestamp column marks the start
        or the end of its interval.
    id_col, time_col, value_col
        Column names for long tables (``household_id``, ``timestamp``, ``kwh`` and aliases).
    meter_id
        Keep only the curve(s) of this meter or location.
    unit
        Override the value unit (``"kWh"``, ``"Wh"``, ``"kW"``, ``"W"``) when the file does not say.
    earliest, latest
        Plausible period of the timestamps (dates such as ``"2000-01-01"``); default 2000-01-01 to
        one year after today (:data:`advisor.loadcurve.PLAUSIBLE_EARLIEST`). Rows outside are set
        aside with a warning; a file whose rows lie mostly outside is refused.
    signed
        The value column of a CSV/Excel export is a net (saldierte) curve: positive values are
        consumption, negative values feed-in; it is split into an import and a feed-in curve. A
        header that says so (``saldiert``, ``Saldo``, ``signed``) has the same effect.
    """

    tz: str = DEFAULT_TZ
    holiday_region: str = DEFAULT_HOLIDAY_REGION
    label: str = "auto"
    id_col: str | None = None
    time_col: str | None = None
    value_col: str | None = None
    meter_id: str | None = None
    unit: str | None = None
    earliest: str | None = None
    latest: str | None = None
    signed: bool = False

    def __post_init__(self) -> None:
        if self.label not in ("auto", "start", "end"):
            raise LoadCurveError(Message("ingest.error.option_label", label=repr(self.label)))
        try:
            import zoneinfo

            zoneinfo.ZoneInfo(self.tz)
        except Exception:  # noqa: BLE001
            raise LoadCurveError(Message("ingest.error.unknown_tz", tz=repr(self.tz))) from None


def _unforeseen() -> tuple[type[BaseException], ...]:
    import pyarrow as pa

    return (
        ValueError, OverflowError, ArithmeticError, IndexError, KeyError, UnicodeError, TypeError,
        AttributeError, LookupError, AssertionError, pa.ArrowException, EOFError, zlib.error,
    )


_UNFORESEEN = _unforeseen()


def _read_bytes(source: str | Path | bytes | BinaryIO, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        raw, label = bytes(source), name or "<buffer>"
    elif isinstance(source, (str, Path)):
        path = Path(source)
        label = name or path.name
        if not path.exists():
            raise LoadCurveError(Message("ingest.error.no_file"), source=str(path))
        if path.is_dir():
            raise LoadCurveError(Message("ingest.error.folder"), source=str(path))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadCurveError(
                Message("ingest.error.too_large", mb=round(size / 1e6), mib=MAX_FILE_BYTES // 2**20),
                source=label,
            )
        raw = path.read_bytes()
    else:
        label = name or getattr(source, "name", None) or "<buffer>"
        label = Path(str(label)).name
        raw = source.read(MAX_FILE_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        raise LoadCurveError(Message("ingest.error.larger_than", mib=MAX_FILE_BYTES // 2**20), source=label)
    if not raw.strip():
        raise LoadCurveError(Message("ingest.error.empty"), source=label)
    return raw, label


def _decompress(raw: bytes, label: str) -> tuple[bytes, str]:
    """Unpack gzip or a single-member zip within limits; refuse bombs."""
    if raw[:2] == b"\x1f\x8b":
        out = io.BytesIO()
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                while True:
                    chunk = gz.read(1 << 20)
                    if not chunk:
                        break
                    out.write(chunk)
                    if out.tell() > MAX_DECOMPRESSED_BYTES or out.tell() > MAX_COMPRESSION_RATIO * max(len(raw), 1) + (1 << 20):
                        raise LoadCurveError(Message("ingest.error.bomb"), source=label)
        except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
            raise LoadCurveError(Message("ingest.error.damaged_gzip", detail=str(exc)), source=label) from None
        inner = label[:-3] if label.lower().endswith(".gz") else label
        return out.getvalue(), inner
    if raw[:4] == b"PK\x03\x04" and not _is_office_zip(raw):
        try:
            zf = zipfile.ZipFile(io.BytesIO(raw))
        except zipfile.BadZipFile as exc:
            raise LoadCurveError(Message("ingest.error.damaged_zip", detail=str(exc)), source=label) from None
        members = [m for m in zf.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise LoadCurveError(Message("ingest.error.zip_members", n=len(members)), source=label)
        m = members[0]
        if m.file_size > MAX_DECOMPRESSED_BYTES or m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) + (1 << 20):
            raise LoadCurveError(Message("ingest.error.bomb"), source=label)
        try:
            with zf.open(m) as fh:
                data = fh.read(MAX_DECOMPRESSED_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
            raise LoadCurveError(Message("ingest.error.damaged_zip_member", detail=str(exc)), source=label) from None
        if len(data) > MAX_DECOMPRESSED_BYTES:
            raise LoadCurveError(Message("ingest.error.bomb"), source=label)
        return data, Path(m.filename).name
    return raw, label


def _is_office_zip(raw: bytes) -> bool:
    head = raw[:4096]
    return b"[Content_Types].xml" in head or b"xl/" in head


def _is_canonical_parquet(raw: bytes) -> bool:
    from advisor.ingest.canonical import is_canonical

    return is_canonical(raw)


def _readers():
    mods = []
    for name in READER_MODULES:
        try:
            mods.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return mods


def _pick_reader(raw: bytes, label: str, options: ReadOptions | None = None):
    head = raw[:65536]
    if options is not None and (options.id_col or options.time_col or options.value_col):
        # columns named by the user: a long table, even if its header uses no known alias
        from advisor.ingest import tabular

        if head[:4] == b"PAR1" and not _is_canonical_parquet(raw):
            return tabular
        if head[:4] != b"PAR1" and tabular._header_names(head):
            return tabular
    for mod in _readers():
        if mod.sniff(head, label):
            if mod.FORMAT == "canonical-parquet" and not mod.is_canonical(raw):
                continue
            return mod
    raise LoadCurveError(Message("ingest.error.unknown_format"), source=label or None)


def detect_format(raw: bytes, name: str = "") -> str:
    """Short name of the reader that recognises ``raw``; raises LoadCurveError if none does."""
    return _pick_reader(raw, name).FORMAT


def read_load_curves(
    source: str | Path | bytes | BinaryIO,
    options: ReadOptions | None = None,
    *,
    name: str | None = None,
) -> list[LoadCurve]:
    """Read every load curve in a meter file (several locations or directions give several).

    Parameters
    ----------
    source
        Path, bytes or a binary file object (e.g. a Streamlit upload).
    options
        :class:`ReadOptions` for what the file does not say.
    name
        File name to report in messages when ``source`` is bytes or a buffer.

    Raises
    ------
    LoadCurveError
        With file, line or timestamp, what was expected and what was found.
    """
    options = options or ReadOptions()
    raw, label = _read_bytes(source, name)
    raw, label = _decompress(raw, label)
    head = raw[:65536]
    if b"\x00" in head[:4096] and not (head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] == b"PAR1" or head[:4] == b"PK\x03\x04"):
        raise LoadCurveError(Message("ingest.error.binary"), source=label)
    reader = _pick_reader(raw, label, options)
    try:
        with plausible_period(options.earliest, options.latest):
            curves = reader.parse(raw, options, label)
    except LoadCurveError:
        raise
    except RecursionError:
        raise LoadCurveError(Message("ingest.error.nested", format=reader.FORMAT), source=label) from None
    except _UNFORESEEN as exc:
        # anything a reader's own checks did not foresee (out-of-range numbers or dates, odd
        # types) is still reported as bad input, never as another exception; the message names
        # only the exception type, not its text (which may quote the file)
        raise LoadCurveError(
            Message("ingest.error.unreadable", format=reader.FORMAT, error=type(exc).__name__),
            source=label,
        ) from None
    if options.meter_id is not None:
        curves = [c for c in curves if c.meta.meter_id == options.meter_id]
        if not curves:
            raise LoadCurveError(Message("ingest.error.no_such_meter", meter=repr(options.meter_id)), source=label)
    if not curves:
        raise LoadCurveError(Message("ingest.error.no_curve"), source=label)
    return curves


def consumption_curves(curves: list[LoadCurve]) -> list[LoadCurve]:
    """The consumption (import, 1.8.0) curves of a file, each with its meter's feed-in attached.

    A feed-in (export, 2.8.0) curve of the same meter (or the file's only one, when the file has
    one consumption curve) is summed over the consumption curve's period into
    ``meta.feed_in_kwh`` / ``meta.feed_in_days``; the analysis then knows that the household
    generates its own electricity. Returns an empty list when the file has no consumption curve.
    """
    imports = [c for c in curves if c.direction is Direction.IMPORT]
    exports = [c for c in curves if c.direction is Direction.EXPORT]
    out = []
    for c in imports:
        same = [x for x in exports if x.meta.meter_id == c.meta.meter_id]
        if not same and len(imports) == 1 and len(exports) == 1:
            same = exports
        if not same:
            out.append(c)
            continue
        kwh = days = 0.0
        for x in same:
            e = x.energy_kwh
            e = e[(e.index >= c.start) & (e.index <= c.end)]
            kwh += float(e.sum(skipna=True))
            days += int(e.notna().sum()) * x.interval_hours / 24.0
        out.append(c.with_meta(feed_in_kwh=kwh, feed_in_days=days / len(same)))
    return out


MAX_LOCATIONS_SHOWN = 5


class MultipleLocationsError(LoadCurveError):
    """A file holds the consumption curves of several metering locations where one is needed.

    Different meters are never summed silently: the caller picks one location (CLI
    ``--location ID``, API ``ReadOptions(meter_id=...)``), or a batch run treats each location as
    a household of its own.

    Attributes
    ----------
    locations
        The metering locations (LOC / meter ids) in file order.
    """

    def __init__(self, locations: list[str], *, source: str | None = None, hint: Message | None = None) -> None:
        self.locations = list(locations)
        shown = ", ".join(self.locations[:MAX_LOCATIONS_SHOWN])
        if len(self.locations) > MAX_LOCATIONS_SHOWN:
            shown += f" … (+{len(self.locations) - MAX_LOCATIONS_SHOWN})"
        super().__init__(
            Message(
                "ingest.error.several_locations",
                n=len(self.locations),
                locations=shown,
                hint=hint if hint is not None else Message("ingest.hint.choose_location"),
            ),
            source=source,
        )


def locations(curves: list[LoadCurve]) -> list[str]:
    """The distinct metering locations (meter ids) of a file's consumption curves, in file order.

    A feed-in curve of its own location next to one consumption curve (a PV plant's own
    Marktlokation) is part of that household and is not counted (see :func:`consumption_curves`).
    A curve without an id counts as location ``"?"``.
    """
    seen: dict[str, None] = {}
    for c in consumption_curves(curves) or curves:
        seen.setdefault(c.meta.meter_id or "?", None)
    return list(seen)


def one_location(curves: list[LoadCurve], *, hint: Message | None = None) -> list[LoadCurve]:
    """``curves`` unchanged when they belong to one metering location; else
    :class:`MultipleLocationsError` naming the locations."""
    locs = locations(curves)
    if len(locs) > 1:
        raise MultipleLocationsError(locs, source=curves[0].meta.source_name, hint=hint)
    return curves


def list_locations(
    source: str | Path | bytes,
    options: ReadOptions | None = None,
    *,
    name: str | None = None,
) -> list[str] | None:
    """The metering locations of a meter file without reading its values, where the format tells
    them cheaply (MSCONS ``LOC`` segments with consumption channels); None when it does not (the
    file is then read in full, which names them just as well).

    Used by ``advisor batch`` to plan one household per location. Never raises for bad input
    (the full read reports that): returns None instead.
    """
    options = options or ReadOptions()
    try:
        raw = None
        if isinstance(source, (str, Path)):
            path = Path(source)
            with open(path, "rb") as fh:
                head = fh.read(65536)
            label = name or path.name
            if head[:2] == b"\x1f\x8b" or head[:4] in (b"PK\x03\x04", b"PAR1"):
                raw, label = _decompress(*_read_bytes(path, name))
                head = raw[:65536]
        else:
            raw, label = _decompress(*_read_bytes(source, name))
            head = raw[:65536]
        reader = _pick_reader(raw if raw is not None else head, label, options)
        scan = getattr(reader, "locations", None)
        if scan is None:
            return None
        if raw is None:
            raw, label = _decompress(*_read_bytes(source, name))
        return scan(raw, options, label)
    except (LoadCurveError, OSError, RecursionError, *_UNFORESEEN):
        return None


def read_load_curve(
    source: str | Path | bytes | BinaryIO,
    options: ReadOptions | None = None,
    *,
    name: str | None = None,
) -> LoadCurve:
    """Read the one consumption (import) curve of a meter file.

    A file with consumption and feed-in yields its consumption curve (with the feed-in in
    ``meta.feed_in_kwh``, see :func:`consumption_curves`); a file with several
    metering locations is refused (:class:`MultipleLocationsError`, naming them): narrow it with
    ``ReadOptions(meter_id=...)`` or read every curve with :func:`read_load_curves`.
    """
    curves = read_load_curves(source, options, name=name)
    one_location(curves)
    imports = consumption_curves(curves) or curves
    if len(imports) > 1:
        ids = [c.meta.meter_id for c in imports]
        raise LoadCurveError(
            Message("ingest.error.several_curves", n=len(imports), meters=str(ids)),
            source=curves[0].meta.source_name,
        )
    return imports[0]


__all__ = [
    "MultipleLocationsError",
    "ReadOptions",
    "consumption_curves",
    "detect_format",
    "list_locations",
    "locations",
    "one_location",
    "read_load_curve",
    "read_load_curves",
]
