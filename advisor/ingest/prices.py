"""Reader of day-ahead price files: SMARD exports (hourly or quarter-hourly) and plain tables.

Layouts:

* **SMARD export** (Bundesnetzagentur | SMARD.de, "Großhandelspreise"): ``;``, decimal comma,
  ``Datum von`` / ``Datum bis`` in local time (``dd.mm.yyyy HH:MM``), a column starting with
  ``Deutschland/Luxemburg`` [€/MWh], ``-`` for missing. Hourly or quarter-hourly rows (German
  day-ahead prices are quarter-hourly since 1 October 2025); the repeated October hour is told
  apart by its order.
* **Plain tables** (``,`` or ``;``): a time column (``timestamp_utc``, ``timestamp``, ``time``,
  ``datetime``, ``date``) with an offset or ``Z`` (naive local times are read as
  Europe/Berlin), and a price column ``price_eur_mwh`` [€/MWh] or ``price_eur_per_kwh``
  [€/kWh] (also ``price_ct_per_kwh``).

The result is :class:`advisor.tariffs.DayAheadPrices` at the file's own resolution, labelled at
interval start in UTC; :func:`advisor.tariffs.align_prices` brings it to any curve.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from advisor.tariffs import PRICE_SOURCE_SMARD, DayAheadPrices, TariffError, parse_day_ahead_prices
from advisor.texts import Message

TIME_COLUMNS = ("timestamp_utc", "timestamp", "time", "datetime", "date", "zeit", "zeitstempel")
PRICE_COLUMNS = {"price_eur_mwh": 1.0 / 1000.0, "price_eur_per_kwh": 1.0, "price_ct_per_kwh": 1.0 / 100.0}
LOCAL_TZ = "Europe/Berlin"


def _read_smard(raw: bytes, label: str) -> DayAheadPrices:
    try:
        df = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", na_values=["-"], dtype=str)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file
        raise TariffError(Message("ingest.prices.smard_unreadable", file=label, detail=str(exc))) from exc
    col = next((c for c in df.columns if c.startswith("Deutschland/Luxemburg")), None)
    if col is None:
        raise TariffError(Message("ingest.prices.smard_no_column", file=label))
    local = pd.to_datetime(df["Datum von"].str.strip(), format="%d.%m.%Y %H:%M", errors="coerce")
    if local.isna().any():
        row = int(local.isna().to_numpy().argmax())
        raise TariffError(Message("ingest.prices.smard_bad_time", file=label, line=row + 2, cell=repr(df["Datum von"].iloc[row])))
    try:
        idx = pd.DatetimeIndex(local).tz_localize(LOCAL_TZ, ambiguous="infer", nonexistent="NaT")
    except Exception as exc:  # noqa: BLE001 - the repeated October hour cannot be told apart
        raise TariffError(Message("ingest.prices.ambiguous", file=label, detail=str(exc))) from exc
    values = pd.to_numeric(df[col].str.strip().str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
                           errors="coerce")  # fmt: skip
    s = pd.Series(values.to_numpy(dtype=float), index=idx)
    s = s[s.index.notna()]
    return parse_day_ahead_prices(s, source=f"{PRICE_SOURCE_SMARD}; file {label}")


def _read_table(raw: bytes, label: str) -> DayAheadPrices:
    head = raw[:4096].decode("utf-8-sig", errors="replace")
    sep = ";" if head.splitlines()[0].count(";") > head.splitlines()[0].count(",") else ","
    try:
        df = pd.read_csv(io.BytesIO(raw), sep=sep, encoding="utf-8-sig")
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file
        raise TariffError(Message("ingest.prices.csv_unreadable", file=label, detail=str(exc))) from exc
    cols = {str(c).strip().lower(): c for c in df.columns}
    tcol = next((cols[c] for c in TIME_COLUMNS if c in cols), None)
    pcol = next(((cols[c], f) for c, f in PRICE_COLUMNS.items() if c in cols), None)
    if tcol is None or pcol is None:
        raise TariffError(
            Message(
                "ingest.prices.columns",
                file=label,
                times=", ".join(TIME_COLUMNS[:4]),
                prices=", ".join(PRICE_COLUMNS),
                columns=str(list(df.columns)),
            )
        )
    text = df[tcol].astype(str).str.strip()
    aware = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
    if aware.all():
        idx = pd.DatetimeIndex(pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601"))
    elif not aware.any():
        naive = pd.to_datetime(text, errors="coerce", format="ISO8601")
        idx = pd.DatetimeIndex(naive).tz_localize(LOCAL_TZ, ambiguous="infer", nonexistent="NaT")
    else:
        raise TariffError(Message("ingest.prices.mixed_offsets", file=label, column=repr(tcol)))
    if idx.isna().any():
        row = int(pd.isna(idx).argmax())
        raise TariffError(Message("ingest.prices.bad_time", file=label, line=row + 2, column=str(tcol), cell=repr(text.iloc[row])))
    col, factor = pcol
    per_kwh = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float) * factor
    s = pd.Series(per_kwh, index=idx, name="price_eur_per_kwh")
    return parse_day_ahead_prices(s, source=f"{PRICE_SOURCE_SMARD}; file {label}")


def read_day_ahead_prices(source: str | Path | bytes, *, name: str | None = None) -> DayAheadPrices:
    """Read day-ahead prices from a CSV file or its bytes (e.g. an upload).

    Parameters
    ----------
    source
        Path of the CSV file, or its content as bytes.
    name
        File name for messages when ``source`` is bytes.

    Raises
    ------
    TariffError
        The file cannot be read or has no known layout (the message names the file and line).
    """
    if isinstance(source, (bytes, bytearray)):
        raw, label = bytes(source), name or "<upload>"
    else:
        path = Path(source)
        label = name or path.name
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise TariffError(Message("ingest.prices.unreadable_file", file=str(path), detail=str(exc))) from exc
    head = raw[:4096].decode("utf-8-sig", errors="replace")
    first = head.splitlines()[0] if head else ""
    if not first:
        raise TariffError(Message("ingest.prices.empty", file=label))
    if "Datum von" in first:
        return _read_smard(raw, label)
    return _read_table(raw, label)
