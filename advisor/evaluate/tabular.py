"""Later data of a Parquet long table, aggregated per household in one DuckDB query.

``advisor evaluate`` needs per household only its mean daily consumption after the letter. For a
Parquet long table whose time column is time-zone aware (``TIMESTAMP WITH TIME ZONE``, as our
Parquet and the LCL export hold it) and where each household has one meter, one grouped query
replaces splitting the table and reading every household as a load curve (10,000 households: see
``benchmarks/bench_evaluate.py``). The checks the importer makes on such a table are made here
too, per household: negative values and duplicated timestamps are refused (the household is listed
with the reason), the interval length must be 15, 30 or 60 minutes (the median step), and a value
that is NULL counts as missing, never as zero. Everything else (CSV, naive timestamps, several
meters per household) goes the per-household way.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

INTERVALS_MIN = (15, 30, 60)


def time_column_is_aware(path: Path, time_col: str) -> bool:
    """True for a Parquet file whose ``time_col`` is a tz-aware timestamp."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.name.lower().endswith((".parquet", ".pq")):
        return False
    schema = pq.read_schema(path)
    if time_col not in schema.names:
        return False
    t = schema.field(time_col).type
    return pa.types.is_timestamp(t) and t.tz is not None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def aggregate_after(path: Path, columns, since_utc: pd.Series, threads: int = 2) -> pd.DataFrame:
    """Per table id: ``kwh_per_day``, ``days`` and ``error`` ('' when usable) from ``since_utc``.

    One grouped pass gives count, span and the exact integer sums of the timestamps and of their
    squares per household (seconds after the earliest ``since``); a household whose timestamps
    equal a complete 15/30/60-minute grid in all of these has neither gaps nor duplicates (a
    duplicate must leave a grid point empty and would change both sums). Only the others (gaps,
    duplicates, odd steps, or a later ``since`` of their own) are read again with the exact
    checks (distinct timestamps, median step).

    Parameters
    ----------
    path
        The Parquet long table.
    columns
        Its :class:`advisor.ingest.tabular.LongTableColumns`.
    since_utc
        Table id -> first interval start that counts (tz-aware UTC); ids not in it are ignored.
    """
    import duckdb

    q, t, v = _quote(columns.id), _quote(columns.time), _quote(columns.value)
    p = str(path).replace("'", "''")
    since = pd.to_datetime(pd.Series(since_utc), utc=True)
    since.index = since.index.astype(str)
    t_min = since.min()
    base = int(t_min.timestamp())
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET threads={max(1, int(threads))}")
        con.execute("SET TimeZone='UTC'")
        first = con.execute(
            f"""
            SELECT CAST({q} AS VARCHAR) AS id, count(*) AS n, count({v}) AS n_values,
                   sum(CAST({v} AS DOUBLE)) AS kwh, min(CAST({v} AS DOUBLE)) AS min_kwh,
                   min(epoch({t})::BIGINT - {base}) AS t0, max(epoch({t})::BIGINT - {base}) AS t1,
                   sum(epoch({t})::BIGINT - {base})::HUGEINT::VARCHAR AS s1,
                   sum(((epoch({t})::BIGINT - {base})::HUGEINT) * ((epoch({t})::BIGINT - {base})::HUGEINT))::VARCHAR AS s2
            FROM read_parquet('{p}') WHERE {t} >= ?::TIMESTAMPTZ GROUP BY 1
            """,
            [t_min.isoformat()],
        ).df()
        first = first[first["id"].isin(since.index)].set_index("id")
        out: dict[str, dict] = {}
        again: list[str] = []
        since_of = since.to_dict()
        for tid, r in first.to_dict("index").items():  # plain dicts: no pandas access per household
            step = _grid_step(int(r["n"]), int(r["t0"]), int(r["t1"]), int(r["s1"]), int(r["s2"]))
            if step is None or since_of[tid] > t_min:
                again.append(tid)
                continue
            out[tid] = _figure(r, step / 60.0, "")
        if again:
            out.update(_exact(con, p, q, t, v, since[again]))
    finally:
        con.close()
    return pd.DataFrame.from_dict(out, orient="index", columns=["kwh_per_day", "days", "error"]).rename_axis("id")


def _grid_step(n: int, t0: int, t1: int, s1: int, s2: int) -> int | None:
    """The step [s] when the n timestamps (seconds) are exactly the grid t0, t0+step, …, t1."""
    if n < 2 or (t1 - t0) % (n - 1):
        return None
    step = (t1 - t0) // (n - 1)
    if step not in tuple(m * 60 for m in INTERVALS_MIN):
        return None
    g1 = n * t0 + step * n * (n - 1) // 2
    g2 = n * t0 * t0 + t0 * step * n * (n - 1) + step * step * (n - 1) * n * (2 * n - 1) // 6
    return step if (s1, s2) == (g1, g2) else None


def _figure(r, minutes: float, error: str) -> dict:
    days = 0.0 if error else float(r["n_values"]) * minutes / 1440.0
    if not error and pd.notna(r["min_kwh"]) and r["min_kwh"] < 0:
        error, days = "negative values (an import curve has none)", 0.0
    kwh = r["kwh"]
    return {"kwh_per_day": float(kwh) / days if days > 0 and pd.notna(kwh) else None, "days": days, "error": error}


def _exact(con, p: str, q: str, t: str, v: str, since: pd.Series) -> dict[str, dict]:
    """Exact checks (distinct timestamps, median step) for the households that need them."""
    con.register("since_df", pd.DataFrame({"id": since.index, "since": since.to_numpy()}))
    df = con.execute(
        f"""
        WITH j AS (
            SELECT CAST(s.{q} AS VARCHAR) AS id, epoch_ms(s.{t}) AS ms, CAST(s.{v} AS DOUBLE) AS kwh
            FROM read_parquet('{p}') s JOIN since_df d ON CAST(s.{q} AS VARCHAR) = d.id
            WHERE s.{t} >= d.since
        ),
        steps AS (SELECT id, ms - lag(ms) OVER (PARTITION BY id ORDER BY ms) AS step FROM j),
        step AS (SELECT id, median(step) AS step_ms FROM steps WHERE step > 0 GROUP BY id)
        SELECT j.id, count(*) AS n, count(DISTINCT j.ms) AS n_distinct, count(j.kwh) AS n_values,
               sum(j.kwh) AS kwh, min(j.kwh) AS min_kwh, any_value(step.step_ms) AS step_ms
        FROM j LEFT JOIN step USING (id) GROUP BY j.id
        """
    ).df()
    out = {}
    for r in df.to_dict("records"):
        minutes = None if pd.isna(r["step_ms"]) else float(r["step_ms"]) / 60000.0
        error = ""
        if r["n_distinct"] < r["n"]:
            error = f"{int(r['n'] - r['n_distinct'])} duplicated timestamps"
        elif minutes is None or abs(minutes - round(minutes)) > 1e-6 or round(minutes) not in INTERVALS_MIN:
            shown = "unknown" if minutes is None else f"{minutes:g}"
            error = f"interval length {shown} min; expected 15, 30 or 60"
        out[str(r["id"])] = _figure(r, minutes or 0.0, error)
    return out
