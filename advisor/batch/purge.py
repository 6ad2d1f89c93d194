"""``advisor batch --purge OUT``: delete a run's personal data, keep only its aggregate record.

Deleted: the letters, the summary tables (Parquet, CSV, DuckDB), ``errors.csv``, the portfolio page
(it lists households by key), the control-group assignment with its baselines, the evaluation's
list of missing households, the energy-poverty list and its key file, and ``.state/`` (row files, first-pass figures, the split long table).
Kept: ``manifest.json`` without input file names and per-stratum counts,
``evaluation/evaluation.json`` without the missing-household list and ``grid_peak.csv`` (coincident
peaks of k-anonymous postal areas, for grid planning) — figures over at least k households, plus
the purge date. Only a folder that holds a batch run is touched.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from advisor.batch.inputs import BatchInputError
from advisor.batch.outputs import RunLock, RunState, atomic_write_text

PERSONAL_FILES = (
    "summary.parquet",
    "summary.csv",
    "summary.duckdb",
    "summary.duckdb.wal",
    "errors.csv",
    "portfolio.html",
    "assignment.parquet",
    "evaluation/missing.csv",
    "energy_poverty.csv",
    "energy_poverty_keys.csv",
)
PERSONAL_FOLDERS = ("letters", ".state")


@dataclass(frozen=True)
class PurgeReport:
    """What :func:`purge_run` deleted.

    Attributes
    ----------
    out_dir
        The run folder.
    deleted
        Paths relative to ``out_dir`` that were removed (folders with a trailing ``/``).
    n_letters
        Letter files among them.
    """

    out_dir: Path
    deleted: tuple[str, ...]
    n_letters: int


def _is_run(out: Path) -> bool:
    manifest = out / "manifest.json"
    if RunState(out).exists():
        return True
    if not manifest.exists():
        return False
    try:
        return "purged_utc" in json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


def purge_run(out_dir: Path) -> PurgeReport:
    """Delete the run's personal data (module docstring); running it twice is harmless.

    Raises
    ------
    BatchInputError
        ``out_dir`` is not the output folder of a batch run.
    """
    out = Path(out_dir)
    if not out.is_dir() or not _is_run(out):
        raise BatchInputError(
            f"`--purge` {out} is not the output folder of a batch run (no .state/run.json or manifest.json); "
            "nothing deleted"
        )
    deleted: list[str] = []
    n_letters = 0
    with RunLock(out):
        for name in PERSONAL_FOLDERS:
            p = out / name
            if p.is_dir():
                if name == "letters":
                    n_letters = sum(1 for f in p.iterdir() if f.is_file())
                shutil.rmtree(p)
                deleted.append(name + "/")
        for name in PERSONAL_FILES:
            p = out / name
            if p.exists():
                p.unlink()
                deleted.append(name)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        manifest = out / "manifest.json"
        if manifest.exists():
            doc = json.loads(manifest.read_text(encoding="utf-8"))
            files = (doc.get("input") or {}).pop("files", None)
            if files is not None:
                doc["input"]["n_files"] = len(files)
            doc.pop("outputs_sha256", None)
            doc.pop("command", None)
            if doc.get("control_group"):
                doc["control_group"].pop("strata", None)
            doc["purged_utc"] = doc.get("purged_utc") or now
            doc["purged_files"] = sorted(set(doc.get("purged_files", [])) | set(deleted))
            atomic_write_text(manifest, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        evaluation = out / "evaluation" / "evaluation.json"
        if evaluation.exists():
            doc = json.loads(evaluation.read_text(encoding="utf-8"))
            if doc.pop("missing", None) is not None:
                deleted.append("evaluation/evaluation.json: list of missing households")
            doc["purged_utc"] = doc.get("purged_utc") or now
            atomic_write_text(evaluation, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return PurgeReport(out, tuple(deleted), n_letters)
