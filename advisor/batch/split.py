"""Split a long table (CSV or Parquet, many households) once into one Parquet folder per id.

Reading one household out of a table of thousands would otherwise scan the whole table per
household. DuckDB streams the table out of core (bounded memory) and writes hive partitions
``<dir>/k=<key>/*.parquet`` with only ``timestamp`` and ``kwh``: the folder name is the output
key (the pseudonym with ``--pseudonymise``), so no original id is written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa

from advisor.batch.inputs import BatchInputError
from advisor.batch.privacy import Pseudonymiser, safe_file_stem
from advisor.ingest.tabular import LongTableColumns, resolve_columns

DONE_MARKER = "_SPLIT_DONE.json"
DUCKDB_MEMORY_LIMIT = "1GB"


def _relation_sql(path: Path) -> str:
    p = str(path).replace("'", "''")
    if path.name.lower().endswith((".parquet", ".pq")):
        return f"read_parquet('{p}')"
    # CSV: every column as text; each household's timestamps are parsed by the worker
    return f"read_csv('{p}', all_varchar=true, header=true)"


def _connect(threads: int):
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit='{DUCKDB_MEMORY_LIMIT}'")
    con.execute(f"SET threads={max(1, int(threads))}")
    con.execute("SET preserve_insertion_order=false")
    return con


def table_ids(path: Path, columns: LongTableColumns, threads: int = 1) -> list[str]:
    """The distinct ids of a long table (as text, sorted)."""
    con = _connect(threads)
    try:
        rows = con.execute(
            f'SELECT DISTINCT CAST("{columns.id}" AS VARCHAR) FROM {_relation_sql(path)} ORDER BY 1'
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows if r[0] is not None]


def table_columns(path: Path, options, threads: int = 1) -> LongTableColumns:
    """The id, time and value columns of a long table (the importer's aliases or ``options``)."""
    con = _connect(threads)
    try:
        names = [d[0] for d in con.execute(f"SELECT * FROM {_relation_sql(path)} LIMIT 0").description]
    except Exception as exc:  # noqa: BLE001 - duckdb raises many types for unreadable files
        raise BatchInputError(f"INPUT {path.name}: not a readable CSV/Parquet long table ({exc})") from None
    finally:
        con.close()
    return resolve_columns(names, options, source=path.name)


def csv_decimal_comma(path: Path) -> bool:
    """True for a ``;``-separated CSV long table, whose values use the decimal comma."""
    if path.name.lower().endswith((".parquet", ".pq")):
        return False
    with open(path, "rb") as fh:
        first = fh.readline().decode("utf-8-sig", errors="replace")
    return first.count(";") > first.count(",")


def partition_map(
    path: Path, out_dir: Path, columns: LongTableColumns, pseudo: Pseudonymiser | None, threads: int = 1
) -> dict[str, str]:
    """Table id -> its partition folder ``out_dir/k=<key>`` (nothing is written).

    Raises
    ------
    BatchInputError
        The table holds no rows.
    """
    ids = table_ids(path, columns, threads)
    if not ids:
        raise BatchInputError(f"INPUT {path.name}: the long table holds no rows")
    return {i: str(out_dir / f"k={pseudo.pseudonym(i) if pseudo else safe_file_stem(i)}") for i in ids}


def split_long_table(
    path: Path,
    out_dir: Path,
    columns: LongTableColumns,
    parts: dict[str, str],
    input_sha256: str,
    threads: int = 1,
) -> None:
    """Write ``path``'s rows into the partition folders of ``parts`` (once; a finished split of the
    same input is reused)."""
    keys = {i: Path(d).name[2:] for i, d in parts.items()}
    marker = out_dir / DONE_MARKER
    stamp = {
        "input_sha256": input_sha256,
        "columns": [columns.id, columns.time, columns.value],
        "keys": sorted(keys.values()),
    }
    if marker.exists() and json.loads(marker.read_text()) == stamp:
        return
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(threads)
    try:
        con.register("keymap", pa.table({"id": list(keys), "k": list(keys.values())}))
        con.execute(
            f"""COPY (
                SELECT m.k AS k, t."{columns.time}" AS timestamp, t."{columns.value}" AS kwh
                FROM {_relation_sql(path)} t JOIN keymap m ON CAST(t."{columns.id}" AS VARCHAR) = m.id
            ) TO '{str(out_dir).replace("'", "''")}' (FORMAT PARQUET, PARTITION_BY (k))"""
        )
    finally:
        con.close()
    marker.write_text(json.dumps(stamp))
