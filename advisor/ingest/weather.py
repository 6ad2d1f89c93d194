"""Readers of weather files: DWD test reference years, PVGIS TMY, DWD CDC hourly station files.

Every reader converts its source's time convention **once**, here, to hourly values labelled at
the **interval start in UTC** (pvlib names: ``ghi, dhi`` [W/m²] interval means, ``dni`` where
the source has it, ``temp_air`` [°C], ``wind_speed`` [m/s], ``pressure`` [Pa],
``relative_humidity`` [%]). The core (:mod:`advisor.weather`) takes these frames and never reads
files itself.

Time conventions (checked against the sun, see ``tests/test_weather.py``):

* **DWD TRY2010** (``TRY2010_RR_Jahr.dat``, shipped in demandlib): ``HH`` = 1..24 in MEZ
  (UTC+1 all year). The irradiance of row ``HH`` is centred on ``HH:00`` MEZ, i.e. it is the mean
  over ``HH-0:30 .. HH+0:30``. Read as hour-ending (the earlier reading of this product) the
  sun rises 30 minutes early: 79 morning hours of region 5 exceed 1.1 × clear sky and no
  afternoon hour does, and the irradiance-weighted time lies 29 minutes before solar noon;
  read as centred it lies 0.7 minutes after. Interval start = ``HH:00 - 30 min`` MEZ.
* **PVGIS TMY** (csv/json/epw via pvlib): ``time(UTC)`` at full hours; the value is taken as
  the mean of the hour starting at the stamp (``stamp="start"``). No original PVGIS file was at
  hand offline to check this against the sun; :func:`timing_offset_minutes` measures any file,
  and ``stamp`` selects another reading.
* **DWD CDC hourly solar** (``produkt_st_stunde_*``): hourly sums over hours of **true local
  solar time** (wahre Ortszeit, ``MESS_DATUM_WOZ`` = end of the hour). With the station
  longitude the hour is converted exactly (UTC = WOZ - longitude·4 min - equation of time) and
  the energy re-binned onto whole UTC hours (energy kept). Without ``MESS_DATUM_WOZ``,
  ``MESS_DATUM`` is read as the end of the hour in UTC. Temperature (``produkt_tu_stunde_*``,
  ``TT_TU``) is the reading at ``MESS_DATUM`` (UTC).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from advisor.errors import AdvisorError
from advisor.texts import Message

MEZ = "Etc/GMT-1"  # Mitteleuropaeische Zeit, UTC+1 all year (TRY time base)
TRY_NOMINAL_YEAR = 2010  # the year the typical TRY hours are placed on (non-leap)
STAMPS = ("start", "centre", "end")


class WeatherError(AdvisorError, ValueError):
    """Weather input is unusable (unknown region, wrong file format, index problems)."""


def _stamp_offset(stamp: str) -> pd.Timedelta:
    """Offset from a source's stamp to the interval start of its hourly value."""
    if stamp not in STAMPS:
        raise WeatherError(f"`stamp` must be one of {STAMPS}; got {stamp!r}")
    return {"start": pd.Timedelta(0), "centre": pd.Timedelta(minutes=-30), "end": pd.Timedelta(hours=-1)}[stamp]


# ----------------------------------------------------------------------------- DWD TRY2010


def try_resource_dir() -> Path:
    """Folder of demandlib's DWD TRY2010 files."""
    return Path(str(resources.files("demandlib") / "vdi" / "resources_weather"))


@lru_cache(maxsize=1)
def try_polygons() -> tuple[tuple[int, str, str, tuple[np.ndarray, ...]], ...]:
    """The 15 TRY2010 climate regions (code, name, station, polygon rings [lon, lat])."""
    path = try_resource_dir() / "TRY_polygons.geojson"
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for feat in raw["features"]:
        props = feat["properties"]
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = tuple(np.asarray(ring, dtype=float)[:, :2] for poly in polys for ring in poly)
        out.append((int(props["TRY_code"]), str(props.get("Region", "")), str(props.get("Station", "")), rings))
    return tuple(out)


def parse_try(text: str, source: str = "<TRY>") -> pd.DataFrame:
    """Parse the text of a DWD TRY2010 ``.dat`` file into hourly pvlib-named weather.

    Returns 8,760 rows on the nominal year :data:`TRY_NOMINAL_YEAR`, labelled at the interval
    start in UTC: row ``HH`` (MEZ, centred) starts at ``HH:00 - 30 min`` MEZ. Columns ``ghi``
    (= ``B + D``), ``dhi`` (``D``) [W/m²], ``temp_air``, ``wind_speed``, ``pressure`` [Pa],
    ``relative_humidity``.
    """
    lines = text.splitlines()
    try:
        star = next(i for i, line in enumerate(lines) if line.startswith("***"))
    except StopIteration:
        raise WeatherError(Message("ingest.weather.try_no_stars", file=str(source))) from None
    header = lines[star - 1].split()
    body = "\n".join(lines[star + 1 :])
    df = pd.read_csv(StringIO(body), sep=r"\s+", header=None, names=header, engine="c")
    needed = ["MM", "DD", "HH", "t", "B", "D", "WG", "p", "RF"]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise WeatherError(Message("ingest.weather.try_columns", file=str(source), missing=str(missing), found=str(list(df.columns))))
    if len(df) != 8760:
        raise WeatherError(Message("ingest.weather.try_hours", file=str(source), n=len(df)))
    centre = pd.to_datetime(
        pd.DataFrame({"year": TRY_NOMINAL_YEAR, "month": df["MM"], "day": df["DD"]})
    ) + pd.to_timedelta(df["HH"], unit="h")
    start = pd.DatetimeIndex(centre + _stamp_offset("centre")).tz_localize(MEZ).tz_convert("UTC")
    out = pd.DataFrame(
        {
            "ghi": (df["B"] + df["D"]).clip(lower=0).to_numpy(dtype=float),
            "dhi": df["D"].clip(lower=0).to_numpy(dtype=float),
            "temp_air": df["t"].to_numpy(dtype=float),
            "wind_speed": df["WG"].to_numpy(dtype=float),
            "pressure": df["p"].to_numpy(dtype=float) * 100.0,
            "relative_humidity": df["RF"].to_numpy(dtype=float),
        },
        index=start,
    )
    out.index.name = "time"
    out.attrs = {"time_basis": "MEZ (UTC+1) hour stamps centred on the value; relabelled to interval start, UTC"}
    return out


@lru_cache(maxsize=16)
def read_try_file(region: int) -> pd.DataFrame:
    """Hourly raw DWD TRY2010 of a region (see :func:`parse_try`), cached; do not mutate."""
    if not 1 <= int(region) <= 15:
        raise WeatherError(f"`region` must be 1..15; got {region}")
    path = try_resource_dir() / f"TRY2010_{int(region):02d}_Jahr.dat"
    return parse_try(path.read_text(encoding="latin-1"), source=path.name)


def try_annual_ghi_kwh_per_m2(region: int) -> float:
    """Sum of ``B + D`` of a TRY file [kWh/m²], read lightly (only the two columns)."""
    text = (try_resource_dir() / f"TRY2010_{int(region):02d}_Jahr.dat").read_text(encoding="latin-1")
    body = text[text.index("***") :].split("\n", 1)[1]
    header = text[: text.index("***")].rstrip().splitlines()[-1].split()
    cols = (header.index("B"), header.index("D"))
    values = np.loadtxt(StringIO(body), usecols=cols)
    return float(np.clip(values, 0.0, None).sum() / 1000.0)


# ----------------------------------------------------------------------------- PVGIS TMY


def read_pvgis_tmy(path: str | Path, *, stamp: str = "start") -> pd.DataFrame:
    """Read a PVGIS TMY file (csv/json/epw, via pvlib) into hourly pvlib-named weather.

    ``time(UTC)`` is read as ``stamp`` of the hour (default the start); the index is the
    interval start in UTC. The months come from different years (a typical year): ``attrs``
    carry ``typical_year=True``, ``latitude``, ``longitude`` and ``stamp``.
    """
    offset = _stamp_offset(stamp)
    try:
        result = pvlib.iotools.read_pvgis_tmy(str(path), map_variables=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a user input problem
        raise WeatherError(Message("ingest.weather.pvgis_unreadable", file=str(path), detail=str(exc))) from exc
    data, meta = result[0], result[-1] if isinstance(result[-1], dict) else {}
    data = data.copy()
    if data.index.tz is None:
        data.index = data.index.tz_localize("UTC")
    data.index = data.index.tz_convert("UTC") + offset
    missing = [c for c in ("ghi", "dni", "dhi", "temp_air") if c not in data.columns]
    if missing:
        raise WeatherError(Message("ingest.weather.pvgis_columns", file=str(path), missing=str(missing), found=str(list(data.columns))))
    if "wind_speed" not in data:
        data["wind_speed"] = 1.0
    inputs = meta.get("inputs", {}) if isinstance(meta, dict) else {}
    loc = inputs.get("location", inputs) if isinstance(inputs, dict) else {}
    data.attrs = {
        "source": f"PVGIS TMY {Path(str(path)).name}",
        "typical_year": True,
        "latitude": loc.get("latitude"),
        "longitude": loc.get("longitude"),
        "stamp": stamp,
        "time_basis": f"time(UTC) read as the {stamp} of the hour; relabelled to interval start, UTC",
    }
    return data


# ----------------------------------------------------------------------------- DWD CDC hourly


def _rebin_to_utc_hours(starts: pd.DatetimeIndex, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Hourly means over arbitrary hour-long intervals -> whole UTC hours, energy kept.

    An interval starting ``f`` hours after a full hour gives ``1 - f`` of its energy to that
    hour and ``f`` to the next one.
    """
    floor = starts.floor("h")
    frac = ((starts - floor) / pd.Timedelta(hours=1)).to_numpy(dtype=float)
    cols = {}
    for name, v in values.items():
        a = pd.Series(v * (1.0 - frac), index=floor).groupby(level=0).sum(min_count=1)
        b = pd.Series(v * frac, index=floor + pd.Timedelta(hours=1)).groupby(level=0).sum(min_count=1)
        cols[name] = a.add(b, fill_value=0.0)
    out = pd.DataFrame(cols).sort_index()
    return out


def parse_dwd_hourly(text: str, source: str = "<DWD>", *, longitude: float | None = None) -> pd.DataFrame:
    """Parse a DWD CDC hourly product into pvlib names on an hourly interval-start UTC index.

    Solar (``produkt_st_stunde_*``): ``FG_LBERG`` global and ``DS_LBERG`` diffuse [J/cm² per
    hour] -> ``ghi, dhi`` [W/m²] (``1 J/cm²/h = 10000/3600 W/m²``). The sums cover hours of
    true local solar time ending at ``MESS_DATUM_WOZ``; pass the station's ``longitude`` [°E]
    to convert them exactly to UTC (re-binned onto whole UTC hours); without it a
    :class:`WeatherError` says so. A file without ``MESS_DATUM_WOZ`` is read with ``MESS_DATUM``
    as the end of the hour in UTC. Temperature (``produkt_tu_stunde_*``): ``TT_TU`` [°C] at ``MESS_DATUM``.
    -999 is missing.
    """
    df = pd.read_csv(StringIO(text), sep=";", skipinitialspace=True, dtype=str)
    df.columns = [c.strip() for c in df.columns]
    if "MESS_DATUM" not in df.columns:
        raise WeatherError(Message("ingest.weather.cdc_no_mess_datum", file=str(source), found=str(list(df.columns))))

    def stamps(col: str) -> pd.DatetimeIndex:
        raw = df[col].str.strip()
        fmt = "%Y%m%d%H:%M" if raw.str.len().max() > 10 else "%Y%m%d%H"
        times = pd.to_datetime(raw, format=fmt, errors="coerce")
        if times.isna().any():
            bad = df[col][times.isna()].iloc[0]
            raise WeatherError(Message("ingest.weather.cdc_bad_time", file=str(source), column=str(col), value=repr(bad)))
        return pd.DatetimeIndex(times)

    def num(col: str) -> np.ndarray:
        v = pd.to_numeric(df[col].str.strip(), errors="coerce").to_numpy(dtype=float)
        return np.where(v <= -999, np.nan, v)

    utc_end = stamps("MESS_DATUM").tz_localize("UTC")
    parts = []
    if "FG_LBERG" in df.columns:
        per_wm2 = 10000.0 / 3600.0
        values = {"ghi": num("FG_LBERG") * per_wm2}
        if "DS_LBERG" in df.columns:
            values["dhi"] = num("DS_LBERG") * per_wm2
        if "MESS_DATUM_WOZ" in df.columns and longitude is None:
            raise WeatherError(
                Message("ingest.weather.cdc_solar_time", file=str(source))
            )
        if "MESS_DATUM_WOZ" in df.columns:
            woz_end = stamps("MESS_DATUM_WOZ")
            eot_min = pvlib.solarposition.equation_of_time_spencer71(woz_end.day_of_year.to_numpy())
            shift = pd.to_timedelta(float(longitude) * 4.0 + np.asarray(eot_min, dtype=float), unit="min")
            starts = (woz_end - pd.Timedelta(hours=1) - shift).tz_localize("UTC")
            solar = _rebin_to_utc_hours(pd.DatetimeIndex(starts), values)
            basis = f"true local solar time (MESS_DATUM_WOZ, hour ending) at {float(longitude):.2f} E -> UTC hours"
        else:
            solar = pd.DataFrame(values, index=utc_end - pd.Timedelta(hours=1))
            basis = "MESS_DATUM read as hour ending, UTC"
        parts.append(solar[~solar.index.duplicated()])
    if "TT_TU" in df.columns:
        temp = pd.DataFrame({"temp_air": num("TT_TU")}, index=utc_end)
        parts.append(temp[~temp.index.duplicated()])
        basis = basis if "FG_LBERG" in df.columns else "TT_TU reading at MESS_DATUM (UTC)"
    if not parts:
        raise WeatherError(Message("ingest.weather.cdc_no_values", file=str(source)))
    out = pd.concat(parts, axis=1).sort_index()
    out.index.name = "time"
    out.attrs = {"source": f"DWD CDC hourly {source}", "typical_year": False, "time_basis": basis}
    return out


def read_dwd_hourly(path: str | Path, *, longitude: float | None = None) -> pd.DataFrame:
    """Read a DWD CDC hourly product file; see :func:`parse_dwd_hourly`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="latin-1")
    except OSError as exc:
        raise WeatherError(Message("ingest.weather.unreadable", file=str(p), detail=str(exc))) from exc
    return parse_dwd_hourly(text, source=p.name, longitude=longitude)


def read_weather_file(path: str | Path, *, longitude: float | None = None) -> pd.DataFrame:
    """A PVGIS TMY file or a DWD CDC hourly product, told apart by its first bytes."""
    p = Path(path)
    try:
        head = p.read_bytes()[:2048].decode("latin-1", errors="replace")
    except OSError as exc:
        raise WeatherError(Message("ingest.weather.unreadable", file=str(p), detail=str(exc))) from exc
    if "MESS_DATUM" in head:
        return read_dwd_hourly(p, longitude=longitude)
    return read_pvgis_tmy(p)
