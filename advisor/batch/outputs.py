"""Batch outputs: atomic writes, per-household done markers, the summary table, errors, manifest.

Layout of the output folder::

    letters/<key>.html, letters/<key>.pdf   one letter per household (key = id or pseudonym)
    summary.parquet, summary.csv            one row per household (status ok / error / skipped)
    summary.duckdb                          tables `summary`, `errors`, `forecast_monthly`
    errors.csv                              households that failed, with the importer's message
    portfolio.html                          portfolio overview with charts
    manifest.json                           inputs, model, seeds, command, versions, times
    .state/                                 done markers and the split long table (for --resume)

Every file is written to a temporary name in the same folder and renamed into place, so a killed
run leaves either the old or the new file, never half of one. A household is done when its row
file ``.state/rows/<key>.json`` exists; it is written after the household's letters.

Exported CSVs neutralise formula injection (OWASP "CSV Injection", RELIABILITY.md §3): a text cell
starting with ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a leading ``'``; numbers stay numbers.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from advisor.batch.privacy import MAX_MESSAGE_CHARS, clean_text
from advisor.batch.process import SUMMARY_COLUMNS, HouseholdResult, KeyFigures

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
TMP_MARK = ".tmp-"
ERROR_COLUMNS = ("household", "stage", "message")
FORECAST_COLUMNS = ("household", "horizon_month", "month", "p10_kwh", "p50_kwh", "p90_kwh")


# ---------------------------------------------------------------------- atomic writes
def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()  # disk full: leave no half file behind (the old file, if any, stays)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """UTF-8 text, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def remove_temporaries(out_dir: Path) -> int:
    """Delete temporary files a killed run left behind; returns how many."""
    n = 0
    for p in out_dir.rglob(f"*{TMP_MARK}*"):
        if p.is_file():
            p.unlink()
            n += 1
    return n


# ---------------------------------------------------------------------- CSV safety
def neutralise_cell(value):
    """Prefix a text cell that a spreadsheet would read as a formula with ``'``; others unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and header cells are neutralised; numeric columns untouched."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_string_dtype(s) or s.dtype == object:
            out[col] = s.map(neutralise_cell, na_action="ignore")
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV bytes (``,``, ``\\n``, UTF-8), neutralised against formula injection."""
    return neutralise_frame(df).to_csv(index=False, lineterminator="\n").encode("utf-8")


# ---------------------------------------------------------------------- lock
LOCK_NAME = ".lock"


class RunLock:
    """``OUT/.lock`` held (``flock``) while a run writes; a second run into the same folder is
    refused. The kernel drops the lock when its process dies, so a killed run never blocks its
    own ``--resume``."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        from advisor.batch.inputs import BatchInputError

        for _ in range(5):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                try:
                    holder = json.loads(os.read(fd, 4096) or b"{}")
                except ValueError:
                    holder = {}
                os.close(fd)
                who = f"pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started_utc')}" if holder else "another process"
                raise BatchInputError(
                    f"another batch run ({who}) is writing into {self.path.parent}; wait for it to end "
                    f"(or choose another `--out`). Lock file: {self.path}"
                ) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the previous holder removed the file between our open and flock
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            info = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            os.write(fd, json.dumps(info).encode())
            self._fd = fd
            return
        raise BatchInputError(f"cannot take the lock {self.path}; another run keeps replacing it")

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


# ---------------------------------------------------------------------- run state
class RunState:
    """Done markers of a run under ``<out>/.state`` (rows of pass 2, key figures of pass 1)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.dir = out_dir / ".state"
        self.rows_dir = self.dir / "rows"
        self.pass1_dir = self.dir / "pass1"
        self.partitions_dir = self.dir / "partitions"
        self.run_file = self.dir / "run.json"
        self.inputs_file = self.dir / "inputs.json"

    def exists(self) -> bool:
        return self.run_file.exists()

    def init(self, config: dict) -> None:
        for d in (self.rows_dir, self.pass1_dir):
            d.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.run_file, json.dumps(config, sort_keys=True, indent=1))

    def config(self) -> dict:
        return json.loads(self.run_file.read_text(encoding="utf-8"))

    def input_hashes(self) -> dict[str, str] | None:
        """Name -> sha256 of every input file when the run began (None for runs made before)."""
        if not self.inputs_file.exists():
            return None
        return json.loads(self.inputs_file.read_text(encoding="utf-8"))

    def write_input_hashes(self, hashes: dict[str, str]) -> None:
        atomic_write_text(self.inputs_file, json.dumps(hashes, sort_keys=True, indent=1))

    def forget(self, key: str) -> None:
        """Drop a household's done markers and letters, so that it is computed again."""
        for p in (self.rows_dir / f"{key}.json", self.pass1_dir / f"{key}.json"):
            if p.exists():
                p.unlink()
        letters = self.out_dir / "letters"
        for suffix in (".html", ".pdf"):
            p = letters / f"{key}{suffix}"
            if p.exists():
                p.unlink()

    def done_rows(self) -> set[str]:
        return {p.stem for p in self.rows_dir.glob("*.json")}

    def write_key_figures(self, kf: KeyFigures) -> None:
        doc = {"key": kf.key, "status": kf.status, "annual_kwh": kf.annual_kwh, "measured": kf.measured}
        if kf.baseline is not None:
            doc["baseline"] = kf.baseline
        atomic_write_text(self.pass1_dir / f"{kf.key}.json", json.dumps(doc, sort_keys=True))

    def key_figures(self) -> dict[str, KeyFigures]:
        out = {}
        for p in self.pass1_dir.glob("*.json"):
            d = json.loads(p.read_text(encoding="utf-8"))
            out[d["key"]] = KeyFigures(d["key"], d["status"], d["annual_kwh"], d["measured"], baseline=d.get("baseline"))
        return out

    @property
    def assignment_file(self) -> Path:
        return self.dir / "assignment.json"

    def write_assignment(self, doc: dict) -> None:
        """The run's control-group assignment (kept for ``--resume`` and ``advisor evaluate``)."""
        atomic_write_text(self.assignment_file, json.dumps(doc, sort_keys=True))

    def assignment(self) -> dict | None:
        if not self.assignment_file.exists():
            return None
        return json.loads(self.assignment_file.read_text(encoding="utf-8"))

    def write_result(self, result: HouseholdResult) -> None:
        """Letters first, then the row file that marks the household done."""
        for rel, data in result.files:
            atomic_write_bytes(self.out_dir / rel, data)
        row = {
            k: (clean_text(v, MAX_MESSAGE_CHARS) if k == "error" else clean_text(v)) if isinstance(v, str) else v
            for k, v in result.row.items()
        }
        doc = {"row": row, "monthly_kwh": result.monthly_kwh}
        if result.early_warning is not None:
            doc["early_warning"] = result.early_warning
        if result.grid_profile is not None:
            doc["grid_profile"] = result.grid_profile
        atomic_write_text(self.rows_dir / f"{result.key}.json", json.dumps(doc, sort_keys=True, ensure_ascii=False))

    def iter_documents(self) -> Iterator[dict]:
        """Row documents sorted by household key."""
        for p in sorted(self.rows_dir.glob("*.json")):
            yield json.loads(p.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------- tables
def summary_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with the fixed columns and dtypes of :data:`SUMMARY_COLUMNS`."""
    names = [n for n, _ in SUMMARY_COLUMNS]
    df = pd.DataFrame(rows, columns=names)
    for name, dtype in SUMMARY_COLUMNS:
        if dtype == "float64":
            df[name] = pd.to_numeric(df[name], errors="coerce").astype("float64")
        else:
            df[name] = df[name].astype(dtype)
    return df.sort_values("household", kind="stable").reset_index(drop=True)


def errors_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """The failed households: key, stage and message."""
    bad = summary[summary["status"] == "error"]
    return pd.DataFrame(
        {"household": bad["household"], "stage": bad["error_stage"], "message": bad["error"]},
        columns=list(ERROR_COLUMNS),
    ).reset_index(drop=True)


def forecast_frame(documents: list[dict]) -> pd.DataFrame:
    """Long table of every household's monthly forecast quantiles [kWh]."""
    recs = []
    for d in documents:
        monthly = d.get("monthly_kwh") or {}
        for h, month in enumerate(sorted(monthly), start=1):
            p10, p50, p90 = monthly[month]
            recs.append((d["row"]["household"], h, month, p10, p50, p90))
    df = pd.DataFrame(recs, columns=list(FORECAST_COLUMNS))
    return df.astype(
        {
            "household": "string",
            "horizon_month": "int64",
            "month": "string",
            "p10_kwh": "float64",
            "p50_kwh": "float64",
            "p90_kwh": "float64",
        }
    )


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """The frame as Parquet bytes (deterministic for the same frame)."""
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), sink)
    return sink.getvalue().to_pybytes()


def write_duckdb(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """An embedded DuckDB file with the given tables, written atomically."""
    import duckdb

    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")
    for p in (tmp, Path(str(tmp) + ".wal")):
        if p.exists():
            p.unlink()
    con = duckdb.connect(str(tmp))
    try:
        for name, df in tables.items():
            con.register("frame", df)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
            con.unregister("frame")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)


def write_tables(out_dir: Path, summary: pd.DataFrame, forecasts: pd.DataFrame) -> None:
    """summary.parquet, summary.csv, errors.csv and summary.duckdb."""
    errors = errors_frame(summary)
    atomic_write_bytes(out_dir / "summary.parquet", parquet_bytes(summary))
    atomic_write_bytes(out_dir / "summary.csv", csv_bytes(summary))
    atomic_write_bytes(out_dir / "errors.csv", csv_bytes(errors))
    write_duckdb(out_dir / "summary.duckdb", {"summary": summary, "errors": errors, "forecast_monthly": forecasts})


GRID_PEAK_COLUMNS = (
    "area",
    "level",
    "n_households",
    "n_changed",
    "peak_before_kw",
    "peak_after_kw",
    "change_pct",
    "peak_after_time",
)


def write_grid_peaks(out_dir: Path, grid) -> None:
    """grid_peak.csv: the k-anonymous coincident peaks by area (:mod:`advisor.batch.grid_peak`),
    one row per published area; households left out are counted in the portfolio page."""
    frame = pd.DataFrame([r.to_row() for r in grid.rows], columns=list(GRID_PEAK_COLUMNS))
    atomic_write_bytes(out_dir / "grid_peak.csv", csv_bytes(frame))
