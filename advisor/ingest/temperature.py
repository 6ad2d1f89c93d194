"""Measured outdoor air temperature for forecasts and savings verification.

Two formats are read:

* **DWD Climate Data Center hourly air temperature** (``produkt_tu_stunde_*.txt``, also inside the
  ``stundenwerte_TU_*.zip`` archive the CDC ships): semicolon-separated with the header
  ``STATIONS_ID;MESS_DATUM;QN_9;TT_TU;RF_TU;eor``. ``MESS_DATUM`` is ``YYYYMMDDHH`` in UTC (the
  CDC's hourly time base), ``TT_TU`` the 2 m air temperature [°C]; ``-999`` marks a missing
  value. Fields are padded with spaces.
* **A plain CSV** with the columns ``timestamp,temp_air`` (comma or semicolon): ISO 8601
  timestamps with an offset (``2024-01-01T00:00:00+01:00``) or naive local times, which are then
  read in ``tz`` (default ``Europe/Berlin``); ``temp_air`` in °C (a decimal comma is accepted).

The result is an hourly-or-finer :class:`pandas.Series` ``temp_air`` [°C] with a tz-aware UTC
index, sorted, duplicates refused. Missing values stay NaN (never filled here).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.errors import LoadCurveError
from advisor.texts import Message

DWD_MISSING = -999.0
# Plausible 2 m air temperature in Germany [°C]; outside is a unit or column mix-up.
PLAUSIBLE_RANGE_C = (-45.0, 50.0)


class TemperatureError(LoadCurveError):
    """A temperature file is unusable (names the file, line and what was expected)."""


def _text_of(path: Path) -> tuple[str, str]:
    if not path.exists():
        raise TemperatureError(Message("ingest.temperature.not_found"), source=str(path))
    raw = path.read_bytes()
    name = str(path)
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            members = [m for m in zf.namelist() if Path(m).name.startswith("produkt_tu_stunde")]
            if not members:
                raise TemperatureError(
                    Message("ingest.temperature.zip_member"),
                    source=name,
                )
            raw = zf.read(members[0])
            name = f"{path}!{members[0]}"
    for enc in ("utf-8", "latin-1"):
        try:
            return raw.decode(enc), name
        except UnicodeDecodeError:
            continue
    raise TemperatureError(Message("ingest.temperature.decode"), source=name)  # pragma: no cover


def _check(series: pd.Series, name: str, lines: np.ndarray) -> pd.Series:
    lo, hi = PLAUSIBLE_RANGE_C
    bad = series.notna() & ((series < lo) | (series > hi))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise TemperatureError(
            Message("ingest.temperature.implausible", value=float(series.iloc[i]), lo=lo, hi=hi),
            source=name,
            line=int(lines[i]),
            timestamp=series.index[i].isoformat(),
        )
    dup = series.index.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise TemperatureError(
            Message("ingest.temperature.duplicate"), source=name, line=int(lines[i]), timestamp=series.index[i].isoformat()
        )
    order = np.argsort(series.index.asi8, kind="stable")
    out = series.iloc[order]
    if out.notna().sum() == 0:
        raise TemperatureError(Message("ingest.temperature.no_values"), source=name)
    return out.rename("temp_air")


def parse_dwd_hourly(text: str, source: str = "<DWD>") -> pd.Series:
    """Hourly ``temp_air`` [°C] (UTC index) from the text of a DWD ``produkt_tu_stunde_*.txt``."""
    lines = text.splitlines()
    if not lines:
        raise TemperatureError(Message("ingest.temperature.empty"), source=source)
    header = [c.strip().upper() for c in lines[0].split(";")]
    if "MESS_DATUM" not in header or "TT_TU" not in header:
        raise TemperatureError(
            Message("ingest.temperature.dwd_header", found=repr(lines[0][:80])),
            source=source,
            line=1,
        )
    i_t, i_v = header.index("MESS_DATUM"), header.index("TT_TU")
    stamps, values, numbers = [], [], []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(";")]
        if len(cells) <= max(i_t, i_v):
            raise TemperatureError(
                Message("ingest.temperature.fields", n=max(i_t, i_v) + 1, found=len(cells)),
                source=source,
                line=n,
            )
        d = cells[i_t]
        if len(d) != 10 or not d.isdigit():
            raise TemperatureError(Message("ingest.temperature.mess_datum", value=repr(d)), source=source, line=n)
        try:
            v = float(cells[i_v])
        except ValueError:
            raise TemperatureError(Message("ingest.temperature.tt_tu", value=repr(cells[i_v])), source=source, line=n) from None
        stamps.append(d)
        values.append(np.nan if v <= DWD_MISSING + 0.5 else v)
        numbers.append(n)
    if not stamps:
        raise TemperatureError(Message("ingest.temperature.no_rows"), source=source)
    try:
        idx = pd.DatetimeIndex(pd.to_datetime(stamps, format="%Y%m%d%H")).tz_localize("UTC")
    except ValueError as exc:
        raise TemperatureError(Message("ingest.temperature.mess_datum_invalid", detail=str(exc)), source=source) from None
    return _check(pd.Series(values, index=idx, dtype=float), source, np.asarray(numbers))


def parse_temperature_csv(text: str, source: str = "<CSV>", *, tz: str = "Europe/Berlin") -> pd.Series:
    """``temp_air`` [°C] (UTC index) from a ``timestamp,temp_air`` CSV (naive times read in ``tz``)."""
    first = text.splitlines()[0] if text.strip() else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise TemperatureError(Message("ingest.temperature.csv", detail=str(exc)), source=source) from None
    cols = {c.strip().lower(): c for c in frame.columns}
    if "timestamp" not in cols or "temp_air" not in cols:
        raise TemperatureError(
            Message("ingest.temperature.columns", found=str(list(frame.columns))), source=source, line=1
        )
    ts_text = frame[cols["timestamp"]].str.strip()
    val_text = frame[cols["temp_air"]].fillna("").str.strip()
    lines = np.arange(len(frame)) + 2
    values = pd.to_numeric(val_text.str.replace(",", ".", regex=False).replace("", np.nan), errors="coerce")
    bad = values.isna() & (val_text != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise TemperatureError(Message("ingest.temperature.temp_air", value=repr(val_text.iloc[i])), source=source, line=int(lines[i]))
    parsed = pd.to_datetime(ts_text, errors="coerce", utc=True, format="ISO8601")
    if parsed.isna().any():
        i = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise TemperatureError(
            Message("ingest.temperature.timestamp", value=repr(ts_text.iloc[i])),
            source=source,
            line=int(lines[i]),
        )
    has_offset = ts_text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
    if not has_offset.all():
        naive = pd.to_datetime(ts_text[~has_offset], format="ISO8601")
        try:
            local = pd.DatetimeIndex(naive).tz_localize(tz, ambiguous="raise", nonexistent="raise")
        except Exception as exc:  # pytz/zoneinfo raise different classes for ambiguous/nonexistent times
            raise TemperatureError(
                Message("ingest.temperature.naive", tz=tz, detail=str(exc)),
                source=source,
            ) from None
        parsed = parsed.copy()
        parsed[~has_offset] = local.tz_convert("UTC")
    idx = pd.DatetimeIndex(parsed).tz_convert("UTC")
    return _check(pd.Series(values.to_numpy(dtype=float), index=idx), source, lines)


def read_temperature(path: str | Path, *, tz: str = "Europe/Berlin") -> pd.Series:
    """Read a DWD CDC ``produkt_tu_stunde_*.txt`` (or its zip) or a ``timestamp,temp_air`` CSV.

    Returns
    -------
    pandas.Series
        ``temp_air`` [°C], tz-aware UTC index, sorted; NaN where the file marks a value missing.

    Raises
    ------
    TemperatureError
        With the file, line and what was expected, for anything unreadable or implausible.
    """
    p = Path(path)
    text, name = _text_of(p)
    head = text.lstrip("\ufeff").splitlines()[0].upper() if text.strip() else ""
    if "MESS_DATUM" in head:
        return parse_dwd_hourly(text.lstrip("\ufeff"), name)
    if "TEMP_AIR" in head:
        return parse_temperature_csv(text.lstrip("\ufeff"), name, tz=tz)
    raise TemperatureError(
        Message("ingest.temperature.unknown", found=repr(head[:80])),
        source=name,
        line=1,
    )
