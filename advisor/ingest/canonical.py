"""Our own canonical Parquet: one or more load curves with their metadata, written by
``advisor ingest --out curve.parquet`` and read back losslessly.

Layout: columns ``curve`` (int), ``interval_start_utc``, ``energy_kwh``, ``quality``; the schema
metadata key ``energie-advisor`` holds a JSON list with each curve's interval, direction and meta.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from advisor.errors import LoadCurveError
from advisor.loadcurve import CurveMeta, LoadCurve, make_load_curve

FORMAT = "canonical-parquet"
META_KEY = b"energie-advisor"
SCHEMA_VERSION = 1


def sniff(head: bytes, name: str) -> bool:
    """Parquet magic; the dispatcher then asks :func:`is_canonical` on the whole file."""
    return head[:4] == b"PAR1"


def write_curves_parquet(curves: list[LoadCurve], path: str | Path) -> None:
    """Write curves to our canonical Parquet file (atomically: temp file, then rename)."""
    frames, metas = [], []
    for i, c in enumerate(curves):
        df = c.to_frame().reset_index()
        df.insert(0, "curve", i)
        df["quality"] = df["quality"].astype(str)
        frames.append(df)
        m = asdict(c.meta)
        m["conversions"] = list(c.meta.conversions)
        m["warnings"] = list(c.meta.warnings)
        m["warnings_de"] = list(c.meta.warnings_de)
        metas.append({"interval_minutes": c.interval_minutes, "direction": c.direction.value, "meta": m})
    table = pa.Table.from_pandas(pd.concat(frames, ignore_index=True), preserve_index=False)
    payload = json.dumps({"version": SCHEMA_VERSION, "curves": metas}).encode()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), META_KEY: payload})
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)


def is_canonical(raw: bytes) -> bool:
    try:
        md = pq.read_schema(io.BytesIO(raw)).metadata or {}
    except Exception:  # noqa: BLE001
        return False
    return META_KEY in md


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    try:
        table = pq.read_table(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001
        raise LoadCurveError(f"damaged Parquet file: {exc}", source=source) from None
    md = table.schema.metadata or {}
    info = json.loads(md[META_KEY])
    if info.get("version") != SCHEMA_VERSION:
        raise LoadCurveError(f"canonical Parquet version {info.get('version')} is not supported", source=source)
    df = table.to_pandas()
    curves = []
    for i, cinfo in enumerate(info["curves"]):
        part = df[df["curve"] == i]
        m = cinfo["meta"]
        meta = CurveMeta(
            **{
                **m,
                "conversions": tuple(m["conversions"]),
                "warnings": tuple(m["warnings"]),
                "warnings_de": tuple(m.get("warnings_de", ())),
            }
        )
        idx = pd.DatetimeIndex(part["interval_start_utc"])
        if idx.tz is None:
            idx = idx.tz_localize("UTC")
        e = pd.Series(part["energy_kwh"].to_numpy(), index=idx)
        qual = pd.Series(part["quality"].to_numpy(), index=idx)
        curves.append(
            make_load_curve(
                e, interval_minutes=cinfo["interval_minutes"], quality=qual, direction=cinfo["direction"], meta=meta
            )
        )
    return curves
