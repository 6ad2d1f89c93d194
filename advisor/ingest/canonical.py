"""Our own canonical Parquet: one or more load curves with their metadata, written by
``advisor ingest --out curve.parquet`` and read back losslessly.

Layout: columns ``curve`` (int), ``interval_start_utc``, ``energy_kwh``, ``quality``; the schema
metadata key ``energie-advisor`` holds a JSON list with each curve's interval, direction and meta.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from advisor.errors import LoadCurveError
from advisor.loadcurve import CurveMeta, Direction, LoadCurve, make_load_curve
from advisor.texts import Message, message_from_dict
from advisor.units import ALLOWED_INTERVAL_MINUTES

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
        m["conversions"] = [str(x) for x in c.meta.conversions]  # English, readable by other tools
        m["warnings"] = [str(x) for x in c.meta.warnings]
        # the message codes next to them, so the texts come back in every language
        codes = {k: [x.to_dict() if isinstance(x, Message) else None for x in getattr(c.meta, k)] for k in _CODED}
        metas.append(
            {"interval_minutes": c.interval_minutes, "direction": c.direction.value, "meta": m, "codes": codes}
        )
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


MAX_META_BYTES = 1 << 20
_COLUMNS = ("curve", "interval_start_utc", "energy_kwh", "quality")
_META_FIELDS = {f.name: f.type for f in fields(CurveMeta)}
_TEXT_FIELDS = {"source_format", "meter_id", "tz", "holiday_region", "source_name", "obis"}
_LIST_FIELDS = {"conversions", "warnings"}
_CODED = ("conversions", "warnings")


def _refuse(what: Message, source: str):
    return LoadCurveError(Message("ingest.error.canonical.altered", detail=what), source=source)


def _check_info(md: dict, source: str) -> dict:
    """Our metadata, checked field by field before anything uses it."""
    payload = md.get(META_KEY, b"")
    if len(payload) > MAX_META_BYTES:
        raise _refuse(Message("ingest.canonical.too_long", n=len(payload), max=MAX_META_BYTES), source)
    try:
        info = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise _refuse(Message("ingest.canonical.not_json"), source) from None
    except RecursionError:
        raise _refuse(Message("ingest.canonical.nested"), source) from None
    if not isinstance(info, dict) or info.get("version") != SCHEMA_VERSION:
        v = info.get("version") if isinstance(info, dict) else None
        raise LoadCurveError(
            Message("ingest.error.canonical.version", version=str(v) if isinstance(v, int) else "(none)"), source=source
        )
    curves = info.get("curves")
    if not isinstance(curves, list) or not curves or len(curves) > 10_000:
        raise _refuse(Message("ingest.canonical.no_curves"), source)
    for i, c in enumerate(curves):
        if not isinstance(c, dict) or not isinstance(c.get("meta"), dict):
            raise _refuse(Message("ingest.canonical.curve_shape", i=i), source)
        if c.get("interval_minutes") not in ALLOWED_INTERVAL_MINUTES or isinstance(c.get("interval_minutes"), bool):
            raise _refuse(Message("ingest.canonical.curve_interval", i=i, allowed=str(ALLOWED_INTERVAL_MINUTES)), source)
        if c.get("direction") not in [d.value for d in Direction]:
            raise _refuse(Message("ingest.canonical.curve_direction", i=i), source)
        m = c["meta"]
        m.pop("warnings_de", None)  # written by earlier versions; the codes carry every language now
        unknown = sorted(set(m) - set(_META_FIELDS))
        if unknown:
            raise _refuse(Message("ingest.canonical.unknown_fields", i=i, fields=str(unknown[:5])), source)
        for k, v in m.items():
            if k in _TEXT_FIELDS and not (v is None or isinstance(v, str)) or isinstance(v, str) and len(v) > 10_000:
                raise _refuse(Message("ingest.canonical.field_text", i=i, field=repr(k)), source)
            if k in _LIST_FIELDS and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                raise _refuse(Message("ingest.canonical.field_list", i=i, field=repr(k)), source)
            if k not in _TEXT_FIELDS and k not in _LIST_FIELDS and not (v is None or isinstance(v, (str, bool, int, float))):
                raise _refuse(Message("ingest.canonical.field_type", i=i, field=repr(k)), source)
        for k in _LIST_FIELDS:
            if k not in m:
                raise _refuse(Message("ingest.canonical.field_missing", i=i, field=repr(k)), source)
    return info


def _texts(english: list[str], codes: Any, name: str) -> tuple[str, ...]:
    """The texts of one meta list: a Message where the file carries a valid code for it (a code
    unknown to the catalogues or malformed data is ignored), else the English text as written."""
    coded = codes.get(name) if isinstance(codes, dict) else None
    if not isinstance(coded, list) or len(coded) != len(english):
        return tuple(english)
    out = []
    for text, code in zip(english, coded, strict=True):
        msg = message_from_dict(code) if code is not None else None
        out.append(msg if msg is not None else text)
    return tuple(out)


def locations(raw: bytes, options, source: str) -> list[str] | None:
    """Metering locations (meter ids) of the consumption curves, from the metadata alone."""
    try:
        md = pq.read_schema(io.BytesIO(raw)).metadata or {}
    except Exception:  # noqa: BLE001 - the full read names the damage
        return None
    info = _check_info(md, source)
    imports = [c for c in info["curves"] if c["direction"] == Direction.IMPORT.value] or info["curves"]
    return list(dict.fromkeys(c["meta"].get("meter_id") or "?" for c in imports))


def parse(raw: bytes, options, source: str) -> list[LoadCurve]:
    try:
        pf = pq.ParquetFile(io.BytesIO(raw))
        schema = pf.schema_arrow
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for damaged files
        raise LoadCurveError(Message("ingest.error.damaged_parquet", error=type(exc).__name__), source=source) from None
    info = _check_info(schema.metadata or {}, source)
    types = {n: schema.field(n).type for n in schema.names}
    want = {
        "curve": pa.types.is_integer,
        "interval_start_utc": pa.types.is_timestamp,
        "energy_kwh": pa.types.is_floating,
        "quality": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t),
    }
    for name, ok in want.items():
        if name not in types or not ok(types[name]):
            raise _refuse(Message("ingest.canonical.schema", column=repr(name), type=str(types.get(name))), source)
    try:
        # only our four columns, without the pandas metadata (which an altered file could use to
        # steer the conversion); each column is converted on its own
        table = pf.read(columns=list(_COLUMNS)).replace_schema_metadata(None)
        curve_no = table.column("curve").to_numpy()
        ts = pd.DatetimeIndex(table.column("interval_start_utc").to_pandas())
        energy = table.column("energy_kwh").to_numpy()
        quality = np.asarray(table.column("quality").cast(pa.string()).to_pylist(), dtype=object)
    except Exception as exc:  # noqa: BLE001
        raise LoadCurveError(Message("ingest.error.damaged_parquet", error=type(exc).__name__), source=source) from None
    if ts.tz is None:
        ts = ts.tz_localize("UTC")
    curves = []
    for i, cinfo in enumerate(info["curves"]):
        sel = curve_no == i
        m = cinfo["meta"]
        meta = CurveMeta(**{**m, **{k: _texts(m[k], cinfo.get("codes"), k) for k in _CODED}})
        idx = ts[sel]
        e = pd.Series(energy[sel], index=idx)
        qual = pd.Series(quality[sel], index=idx)
        curves.append(
            make_load_curve(
                e,
                interval_minutes=cinfo["interval_minutes"],
                quality=qual,
                direction=cinfo["direction"],
                meta=meta,
                unit_stated=bool(meta.not_household),
            )
        )
    return curves
