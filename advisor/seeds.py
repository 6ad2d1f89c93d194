"""Reference data with sources: the loader for ``seeds/``.

Every default number the product uses (prices, fees, CO₂ factor, benchmarks, measure savings)
lives in ``seeds/`` with its source and date, never in code. Two kinds of seed files:

* ``*.toml``: named values. Each table has ``value``, ``unit``, ``source`` and ``date``
  (optional ``note``, ``verify = true`` for figures from secondary sources). A value is addressed
  as ``"<file stem>.<table name>"``, e.g. ``"tariffs.work_price_eur_per_kwh"``.
* ``*.csv``: tables (one row per case), each row with ``source`` and ``date`` columns.

A Stadtwerk overrides any of them with a folder of its own (same file names): TOML values are
replaced key by key, CSV tables as a whole. Edges (CLI, app, batch) load seeds and pass them in.

The shipped seeds travel inside the package: in a checkout (editable install) they are read from
the checkout's ``seeds/`` folder, in an installed wheel from the package
``advisor._seeds`` (:func:`package_data_dir`). Renamed keys are read under their new name
(:data:`KEY_ALIASES`), so a Stadtwerk's older override folder keeps working.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from advisor.errors import SeedError

SEEDS_ENV = "ADVISOR_SEEDS"
REQUIRED_KEYS = ("value", "unit", "source", "date")
#: Old key -> current key. An old name in a seed file (shipped or a Stadtwerk's) is read as the new one.
KEY_ALIASES = {"tariffs.household_price_eur_per_kwh": "tariffs.work_price_eur_per_kwh"}
#: Folders shipped as package data: checkout folder name -> package holding it in a wheel.
PACKAGE_DATA = {"seeds": "advisor._seeds", "models": "advisor._models"}


def package_data_dir(name: str) -> Path:
    """Where the shipped ``seeds`` or ``models`` folder lies.

    In a checkout (``pyproject.toml`` beside the package) the checkout's own folder, so edits are
    seen at once; in an installed wheel the package resource (``advisor._seeds`` / ``advisor._models``).
    """
    if name not in PACKAGE_DATA:
        raise SeedError(f"no package data folder `{name}`; known: {sorted(PACKAGE_DATA)}")
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file() and (root / name).is_dir():
        return root / name
    try:
        spec = importlib.util.find_spec(PACKAGE_DATA[name])
    except ModuleNotFoundError:
        spec = None
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if not locations:
        raise SeedError(f"the installed package has no `{PACKAGE_DATA[name]}` (shipped {name}); reinstall it")
    return Path(locations[0])  # a data-only package (no __init__.py): its one folder inside the wheel


def default_seeds_dir() -> Path:
    """The shipped seeds folder (or ``$ADVISOR_SEEDS``)."""
    env = os.environ.get(SEEDS_ENV)
    if env:
        return Path(env)
    return package_data_dir("seeds")


@dataclass(frozen=True)
class SeedValue:
    """One dated reference value with its source."""

    key: str
    value: Any
    unit: str
    source: str
    date: str
    note: str = ""
    verify: bool = False
    origin: str = ""  # which folder it came from

    def cite(self) -> str:
        """Short citation: source and date."""
        return f"{self.source} ({self.date})"


@dataclass(frozen=True)
class Seeds:
    """All seed values and tables, after overrides."""

    values: dict[str, SeedValue]
    tables: dict[str, pd.DataFrame] = field(repr=False)
    folders: tuple[str, ...] = ()
    version: str = ""

    def entry(self, key: str) -> SeedValue:
        """The :class:`SeedValue` for ``key``; raises SeedError naming close keys if absent."""
        key = KEY_ALIASES.get(key, key)
        try:
            return self.values[key]
        except KeyError:
            stem = key.split(".")[0]
            near = sorted(k for k in self.values if k.startswith(stem + "."))
            raise SeedError(f"no seed value `{key}`; known in `{stem}`: {near}") from None

    def value(self, key: str) -> Any:
        """The bare value of ``key``."""
        return self.entry(key).value

    def table(self, name: str) -> pd.DataFrame:
        """A copy of the seed table ``name`` (CSV file stem)."""
        try:
            return self.tables[name].copy()
        except KeyError:
            raise SeedError(f"no seed table `{name}`; known: {sorted(self.tables)}") from None

    def section(self, stem: str) -> dict[str, SeedValue]:
        """All values of one file, keyed by table name."""
        return {k.split(".", 1)[1]: v for k, v in self.values.items() if k.split(".", 1)[0] == stem}


def _read_toml(path: Path) -> dict[str, SeedValue]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SeedError(f"{path}: not valid TOML: {exc}") from exc
    out: dict[str, SeedValue] = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict):
            raise SeedError(f"{path}: `{name}` must be a table with {REQUIRED_KEYS}")
        missing = [k for k in REQUIRED_KEYS if k not in entry]
        if missing:
            raise SeedError(f"{path}: `{name}` lacks {missing}; every seed value needs {REQUIRED_KEYS}")
        key = KEY_ALIASES.get(f"{path.stem}.{name}", f"{path.stem}.{name}")
        out[key] = SeedValue(
            key=key,
            value=entry["value"],
            unit=str(entry["unit"]),
            source=str(entry["source"]),
            date=str(entry["date"]),
            note=str(entry.get("note", "")),
            verify=bool(entry.get("verify", False)),
            origin=str(path.parent),
        )
    return out


#: CSV columns that are codes, never numbers (``"01"`` is a postal zone, not 1).
TEXT_COLUMNS = ("postal_prefix", "state", "measure_id", "holiday_region")


def _read_table(path: Path) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, comment="#", skipinitialspace=True, dtype=dict.fromkeys(TEXT_COLUMNS, str))
    except Exception as exc:  # noqa: BLE001 - any parse failure is a seed error
        raise SeedError(f"{path}: not a readable CSV table: {exc}") from exc
    missing = [c for c in ("source", "date") if c not in df.columns]
    if missing:
        raise SeedError(f"{path}: seed table lacks column(s) {missing}; every row needs its source and date")
    if df["source"].isna().any():
        raise SeedError(f"{path}: row {int(df['source'].isna().idxmax()) + 2} has no source")
    return df


def _fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: (p.name, str(p))):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def load_seeds(override_dir: str | Path | None = None, base_dir: str | Path | None = None) -> Seeds:
    """Load the project's seeds, then apply a Stadtwerk's override folder if given.

    Raises
    ------
    SeedError
        A folder is missing, or a file lacks sources or dates.
    """
    folders = [Path(base_dir) if base_dir else default_seeds_dir()]
    if override_dir:
        folders.append(Path(override_dir))
    return _load(tuple(str(f) for f in folders))


@lru_cache(maxsize=8)
def _load(folders: tuple[str, ...]) -> Seeds:
    values: dict[str, SeedValue] = {}
    tables: dict[str, pd.DataFrame] = {}
    files: list[Path] = []
    for folder in map(Path, folders):
        if not folder.is_dir():
            raise SeedError(f"seeds folder {folder} does not exist")
        for path in sorted(folder.glob("*.toml")):
            values.update(_read_toml(path))
            files.append(path)
        for path in sorted(folder.glob("*.csv")):
            tables[path.stem] = _read_table(path)
            files.append(path)
    return Seeds(values=values, tables=tables, folders=folders, version=_fingerprint(files))
