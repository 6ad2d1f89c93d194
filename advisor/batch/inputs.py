"""Batch inputs: a folder of meter files or a long table, plus ``META.csv``, as household work items.

A :class:`WorkItem` is one household: where its load curve(s) come from (:class:`CurveSource`),
what it told the Stadtwerk about itself (the ``Household`` columns of ``META.csv``), its address
block and its consent. Work items are light (paths and strings, no data) so that thousands of them
stream through the engine while each worker reads only its own household.

``META.csv`` (optional; ``,`` or ``;``; UTF-8 with or without BOM). One row per household, or
several rows of the same ``household_id`` for several meters:

* ``household_id`` (required): the customer id.
* ``file``: meter file name (path relative to the INPUT folder); ``meter_id``: a meter id inside
  that file, or an id of the long table. Several meters per household: several rows or values
  separated by ``|``. The household's import curves are summed on a common grid.
* the :class:`advisor.household.Household` columns (``persons``, ``dwelling``, ``tenure``,
  ``hot_water``, ``heating``, ``ev``, ``existing_pv_kwp``, ``postal_code``, ``latitude`` …) and
  ``language`` (``de``/``en``/``tr``; Turkish unreviewed), with the same names as the CLI options;
* ``annual_kwh``: the billed annual consumption of a household without a load curve (it gets a
  curve estimated with the BDEW H25 shape, flagged ``estimated``);
* ``consent`` (§ 50 MsbG): when the column exists, only ``yes/ja/true/1`` counts as consent and
  every other household is skipped (no data read, no letter); ``opt_out``: ``yes`` skips;
* address block: ``name``, ``street``, ``postal_code``, ``city``.

Files or table ids that no META row names become households of their own (id = file stem or the
table id), without attributes; when a ``consent`` column exists they have no consent and are
skipped. A file with several metering locations (an MSCONS interchange with several ``LOC``)
becomes one household per location, ``<file stem>#<location>``; different meters are summed only
when META.csv lists them for one household.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from advisor.batch.privacy import MAX_ADDRESS_LINE_CHARS, Pseudonymiser, clean_text, safe_file_stem
from advisor.errors import AdvisorError
from advisor.household import MAPPING_KEYS
from advisor.ingest import ReadOptions, list_locations

TABLE_SUFFIXES = (".parquet", ".pq", ".csv", ".tsv", ".csv.gz")
RESERVED_META = {"household_id", "file", "meter_id", "annual_kwh", "consent", "opt_out", "name", "street", "city"}
#: META columns of the energy-poverty early warning (:mod:`advisor.energy_poverty`), kept per work item.
EARLY_WARNING_META = ("consent_energy_poverty", "abschlag_eur_per_month")
_YES = {"1", "true", "yes", "y", "ja", "j", "x", "wahr"}


class BatchInputError(AdvisorError):
    """The batch INPUT or META.csv cannot be used as given."""


@dataclass(frozen=True)
class CurveSource:
    """Where one meter's curve of a household comes from.

    Attributes
    ----------
    kind
        ``"file"`` (a meter file read with :func:`advisor.read_load_curves`) or ``"partition"``
        (this meter's rows of a long table, split once into its own Parquet folder).
    path
        The file or the partition folder.
    meter_id
        Meter id to pick inside a file with several curves, or the long table's id.
    label
        The original name (file name or table id), for messages and pseudonym scrubbing.
    split
        True for one metering location of a file with several, planned as a household of its
        own (``<stem>#<location>``, see :func:`plan_folder`).
    """

    kind: str
    path: str
    meter_id: str | None = None
    label: str = ""
    split: bool = False


@dataclass(frozen=True)
class WorkItem:
    """One household of a batch run (no data, only where to find it).

    Attributes
    ----------
    household_id
        The customer id as given (never written when pseudonymising).
    key
        The id used in every output and file name: the pseudonym, or a file-safe form of the id.
    sources
        The household's meter curves; empty for a household known only by ``annual_kwh``.
    household
        ``Household`` columns of its META row(s), as given (strings).
    annual_kwh
        Billed annual consumption [kWh/yr] for a household without a load curve, else None.
    skipped_reason
        Why no letter is written (opt-out or missing consent, § 50 MsbG), else None.
    address
        Address block lines (name, street, postal code and city); empty when pseudonymising.
    identifiers
        Every original id of the household (customer id, meter ids, file names) mapped to what
        replaces it in outputs.
    peer_group
        ``(persons, dwelling)`` from META, for the portfolio's peer groups.
    group, stratum
        With a control group (``--control-share``): ``treatment`` or ``control`` and the
        assignment stratum (:mod:`advisor.evaluate.assignment`); None otherwise.
    early_warning
        The META columns of :data:`EARLY_WARNING_META` that are filled in (strings).
    """

    household_id: str
    key: str
    sources: tuple[CurveSource, ...] = ()
    household: dict = field(default_factory=dict)
    annual_kwh: float | None = None
    skipped_reason: str | None = None
    address: tuple[str, ...] = ()
    identifiers: dict = field(default_factory=dict)
    peer_group: tuple[int | None, str | None] = (None, None)
    group: str | None = None
    stratum: str | None = None
    early_warning: dict = field(default_factory=dict)


def is_long_table(path: Path) -> bool:
    """True when INPUT is one long-table file (CSV/Parquet) rather than a folder of meter files."""
    return path.is_file() and any(path.name.lower().endswith(s) for s in TABLE_SUFFIXES)


def sha256_file(path: Path) -> str:
    """sha256 of a file's bytes, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def list_meter_files(folder: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Every regular, non-hidden file below ``folder``, sorted by relative path (symlinks and
    special files are left out; :func:`scan_folder` says why)."""
    return scan_folder(folder, exclude)[0]


def scan_folder(folder: Path, exclude: tuple[Path, ...] = ()) -> tuple[list[Path], dict[str, str]]:
    """Regular files below ``folder`` and, by relative path, what was skipped and why.

    A symbolic link is never followed (it could point at a system file, whose first line would
    then reach an error message), nor is a FIFO, socket or device read (it could block or never
    end); folders reached through a link are not entered.
    """
    import stat as _stat

    excluded = {p.resolve() for p in exclude}
    out: list[Path] = []
    skipped: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        try:
            st = p.lstat()
        except OSError:
            skipped[rel.as_posix()] = "could not be examined (vanished or no permission)"
            continue
        if _stat.S_ISLNK(st.st_mode):
            skipped[rel.as_posix()] = "symbolic link; not followed"
            continue
        if _stat.S_ISDIR(st.st_mode):
            continue
        if not _stat.S_ISREG(st.st_mode):
            skipped[rel.as_posix()] = "not a regular file (FIFO, socket or device); not read"
            continue
        if p.resolve() in excluded:
            continue
        out.append(p)
    return out, skipped


# ---------------------------------------------------------------------- META.csv
def read_meta(path: Path) -> pd.DataFrame:
    """Read META.csv as strings (``,`` or ``;``, BOM tolerated); columns lower-cased.

    Raises
    ------
    BatchInputError
        Unreadable file or no ``household_id`` column.
    """
    try:
        head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace")
        sep = ";" if head.splitlines()[0].count(";") > head.splitlines()[0].count(",") else ","
        df = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, IndexError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise BatchInputError(f"`--households` {path}: not a readable CSV file ({type(exc).__name__})") from None
    df.columns = [str(c).strip().lower().replace("-", "_") for c in df.columns]
    if "household_id" not in df.columns:
        raise BatchInputError(f"`--households` {path}: needs a `household_id` column; found {list(df.columns)}")
    # every cell may reach a letter: no control or bidi characters, at most MAX_FIELD_CHARS
    df = df.apply(lambda col: col.map(clean_text))
    if (df["household_id"] == "").any():
        line = int((df["household_id"] == "").to_numpy().argmax()) + 2
        raise BatchInputError(f"`--households` {path}, line {line}: empty `household_id`")
    return df


def _split_multi(value: str) -> list[str]:
    return [v.strip() for v in str(value).split("|") if v.strip()]


def _skip_reason(rows: pd.DataFrame, has_consent: bool) -> str | None:
    if "opt_out" in rows.columns and any(v.lower() in _YES for v in rows["opt_out"]):
        return "opted out (§ 50 MsbG)"
    if has_consent and not any(v.lower() in _YES for v in rows["consent"]):
        return "no consent recorded (§ 50 MsbG)"
    return None


def _annual_kwh(rows: pd.DataFrame) -> float | None:
    """The ``annual_kwh`` of a household's META rows; NaN when it is not a number (the household
    then fails with the importer's message, the run goes on)."""
    if "annual_kwh" not in rows.columns:
        return None
    values = [v for v in rows["annual_kwh"] if v]
    if not values:
        return None
    text = values[0].replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


# ---------------------------------------------------------------------- plan
@dataclass(frozen=True)
class BatchPlan:
    """All households of a run and what the manifest needs to know about the input.

    Attributes
    ----------
    items
        Work items sorted by ``key`` (the output order).
    input_kind
        ``"folder"`` or ``"table"``.
    input_files
        ``(name in outputs, sha256)`` of every input file, META.csv included.
    """

    items: tuple[WorkItem, ...]
    input_kind: str
    input_files: tuple[tuple[str, str], ...]

    def __iter__(self) -> Iterator[WorkItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


#: Between a file's stem and a metering location in the id of a household split from a file with
#: several locations (``interchange#DE0001…``).
LOCATION_SEPARATOR = "#"


def location_household_id(name: str, location: str) -> str:
    """The household id of one metering location of a file with several: ``<stem>#<location>``."""
    return f"{Path(name).with_suffix('')}{LOCATION_SEPARATOR}{location}"


def _key_of(identifier: str, pseudo: Pseudonymiser | None, split: bool = False) -> str:
    if pseudo:
        return pseudo.pseudonym(identifier)
    if split:  # file#location: each part made file-safe, the separator kept
        stem, _, loc = identifier.rpartition(LOCATION_SEPARATOR)
        return f"{safe_file_stem(stem)}{LOCATION_SEPARATOR}{safe_file_stem(loc)}"
    return safe_file_stem(identifier)


def _peer_group(mapping: dict) -> tuple[int | None, str | None]:
    from advisor.household import Household

    try:
        hh = Household.from_mapping(mapping)
    except AdvisorError:
        return (None, None)
    return (hh.persons, hh.dwelling)


def build_items(
    groups: dict[str, list[CurveSource]],
    meta: pd.DataFrame | None,
    pseudo: Pseudonymiser | None,
) -> list[WorkItem]:
    """Work items from per-household curve sources and META rows (households in either)."""
    has_consent = meta is not None and "consent" in meta.columns
    meta_groups = {} if meta is None else {hid: rows for hid, rows in meta.groupby("household_id", sort=False)}
    items: list[WorkItem] = []
    keys: dict[str, str] = {}
    for hid in sorted(set(groups) | set(meta_groups)):
        rows = meta_groups.get(hid)
        sources = tuple(groups.get(hid, ()))
        mapping: dict = {}
        address: tuple[str, ...] = ()
        annual = None
        warning_meta: dict = {}
        if rows is not None:
            first = rows.iloc[0]
            warning_meta = {c: first[c] for c in EARLY_WARNING_META if c in rows.columns and first[c] != ""}
            mapping = {c: first[c] for c in rows.columns if c in MAPPING_KEYS and first[c] != ""}
            annual = _annual_kwh(rows)
            if pseudo is None:
                city_line = " ".join(v for v in (first.get("postal_code", ""), first.get("city", "")) if v)
                address = tuple(
                    clean_text(v, MAX_ADDRESS_LINE_CHARS)
                    for v in (first.get("name", ""), first.get("street", ""), city_line)
                    if v
                )
        skipped = (
            _skip_reason(rows, has_consent)
            if rows is not None
            else ("no consent recorded (§ 50 MsbG)" if has_consent else None)
        )
        split = bool(sources) and all(s.split for s in sources)
        key = _key_of(hid, pseudo, split)
        if key in keys:
            raise BatchInputError(f"households {keys[key]!r} and {hid!r} map to the same output name {key!r}")
        keys[key] = hid
        identifiers = {hid: key}
        for s in sources:
            for ident in (s.label, s.meter_id, Path(s.label).name, Path(s.label).stem):
                if ident and ident not in identifiers:
                    identifiers[ident] = _key_of(ident, pseudo) if pseudo else ident
        if pseudo is None:
            identifiers = {}
        items.append(
            WorkItem(
                household_id=hid,
                key=key,
                sources=sources,
                household=mapping,
                annual_kwh=annual,
                skipped_reason=skipped,
                address=address,
                identifiers=identifiers,
                peer_group=_peer_group(mapping),
                early_warning=warning_meta,
            )
        )
    return sorted(items, key=lambda i: i.key)


def plan_folder(
    folder: Path,
    meta: pd.DataFrame | None,
    pseudo: Pseudonymiser | None,
    exclude=(),
    options: ReadOptions | None = None,
) -> dict[str, list[CurveSource]]:
    """Curve sources per household for a folder of meter files (see :func:`folder_skips` for the
    files that are not read).

    A file that no META.csv row claims is one household (id = its path without suffix); when it
    holds several metering locations (an MSCONS interchange with several ``LOC``, a canonical
    Parquet of several meters: :func:`advisor.ingest.list_locations`) each location is a household
    of its own, ``<stem>#<location>``. A file that META.csv names with some of its locations
    (``meter_id``) leaves its other locations as such households. Different meters are never
    summed unless META.csv lists them for one household; a file whose locations the plan cannot
    list is refused by the worker when it holds several (naming them).
    """
    files, _ = scan_folder(folder, exclude)
    rel = {p.relative_to(folder).as_posix(): p for p in files}
    groups: dict[str, list[CurveSource]] = {}
    claimed: set[str] = set()  # named in META.csv without meter_id: the whole file
    claimed_meters: dict[str, set[str]] = {}  # named with meter ids: those locations
    if meta is not None and "file" in meta.columns:
        for _, row in meta.iterrows():
            names = _split_multi(row["file"])
            meters = _split_multi(row["meter_id"]) if "meter_id" in meta.columns else []
            for name in names:
                if name not in rel and name in scan_folder(folder, exclude)[1]:
                    continue  # named but not readable (a link, a FIFO): skipped with its reason
                if name not in rel:
                    raise BatchInputError(
                        f"META.csv: household {row['household_id']!r} names file {name!r}, which is not in {folder}"
                    )
                if meters:
                    claimed_meters.setdefault(name, set()).update(meters)
                else:
                    claimed.add(name)
                for m in meters or [None]:
                    groups.setdefault(row["household_id"], []).append(CurveSource("file", str(rel[name]), m, name))
    elif meta is not None and "meter_id" in meta.columns and (meta["meter_id"] != "").any():
        raise BatchInputError("META.csv: for a folder INPUT, rows with `meter_id` also need the `file` they are in")
    unclaimed = [n for n in rel if n not in claimed]
    stems: dict[str, int] = {}
    for n in unclaimed:
        stems[Path(n).stem] = stems.get(Path(n).stem, 0) + 1
    for n in unclaimed:
        taken = claimed_meters.get(n, set())
        locs = list_locations(rel[n], options)
        if locs is not None and (len(locs) > 1 or taken):
            for loc in locs:
                if loc not in taken:
                    hid = location_household_id(n, loc)
                    groups.setdefault(hid, []).append(CurveSource("file", str(rel[n]), loc, n, split=True))
            continue
        if taken:
            continue  # named in META.csv with its meter(s); nothing more the plan can tell
        stem = str(Path(n).with_suffix("")) if stems[Path(n).stem] == 1 else n
        groups.setdefault(stem, []).append(CurveSource("file", str(rel[n]), None, n))
    return groups


def folder_skips(folder: Path, meta: pd.DataFrame | None, exclude=()) -> dict[str, str]:
    """Household id -> why it is skipped, for files of the folder that are not read (links,
    special files): a household named in META.csv for such a file, else the file's stem."""
    _, skipped = scan_folder(folder, exclude)
    if not skipped:
        return {}
    named: dict[str, str] = {}
    if meta is not None and "file" in meta.columns:
        for _, row in meta.iterrows():
            for name in _split_multi(row["file"]):
                named.setdefault(name, row["household_id"])
    out = {}
    for name, reason in skipped.items():
        hid = named.get(name, str(Path(name).with_suffix("")))
        out.setdefault(hid, f"input file skipped: {reason}")
    return out


def plan(
    input_path: Path,
    meta_path: Path | None,
    pseudo: Pseudonymiser | None,
    partitions: dict[str, str] | None = None,
    options: ReadOptions | None = None,
) -> tuple[BatchPlan, pd.DataFrame | None]:
    """The households of a folder INPUT (``partitions`` None) or of a split long table.

    Parameters
    ----------
    partitions
        For a long table: table id -> partition folder (see :func:`advisor.batch.split.split_long_table`).
    """
    meta = read_meta(meta_path) if meta_path else None
    files = []
    skips: dict[str, str] = {}
    if partitions is None:
        exclude = (meta_path,) if meta_path else ()
        groups = plan_folder(input_path, meta, pseudo, exclude, options)
        skips = folder_skips(input_path, meta, exclude)
        for hid in skips:
            groups.setdefault(hid, [])
        names = sorted({s.label for srcs in groups.values() for s in srcs})
        for name in names:
            files.append((name, sha256_file(input_path / name)))
        kind = "folder"
    else:
        groups = {}
        mapped: dict[str, str] = {}
        if meta is not None and "meter_id" in meta.columns:
            for _, row in meta.iterrows():
                for m in _split_multi(row["meter_id"]):
                    if m in mapped and mapped[m] != row["household_id"]:
                        raise BatchInputError(f"META.csv: meter {m!r} belongs to two households")
                    mapped[m] = row["household_id"]
        for tid in sorted(partitions):
            hid = mapped.get(tid, tid)
            groups.setdefault(hid, []).append(CurveSource("partition", partitions[tid], tid, tid))
        files.append((input_path.name, sha256_file(input_path)))
        kind = "table"
    if meta_path:
        files.append((meta_path.name, sha256_file(meta_path)))
    if pseudo is not None:
        files = [(pseudo.pseudonym(n) if n != (meta_path.name if meta_path else None) else n, h) for n, h in files]
    items = build_items(groups, meta, pseudo)
    if partitions is None and skips:
        from dataclasses import replace as _replace

        items = [
            _replace(i, skipped_reason=skips[i.household_id], sources=())
            if i.household_id in skips and not i.sources
            else i
            for i in items
        ]
    return BatchPlan(tuple(items), kind, tuple(files)), meta
