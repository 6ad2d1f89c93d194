"""Weather for the advisor: typical and measured weather on the household's own index.

The core takes hourly frames that the readers in :mod:`advisor.ingest.weather` produced (DWD test
reference years TRY2010 from demandlib, PVGIS TMY, DWD CDC hourly station files), each already
converted once to **interval-start UTC** with its source's time convention (the TRY's hour stamps
are centred on the value; see that module). A TRY is a *typical* year, not the weather of a real
date: it is mapped onto any target year by month, day and local standard time (MEZ = UTC+1) and
``attrs`` say so.

Hourly irradiance is brought to 15 minutes with the sun's geometry: the hourly clearness index
``kt = ghi / ghi_extraterrestrial`` is interpolated between hour centres, multiplied by the 15-min
extraterrestrial horizontal irradiance (zero while the sun is down) and renormalised so that every
hour keeps its measured energy; the diffuse fraction of the hour is kept. ``dni`` follows from
geometry, ``dni = (ghi - dhi) / cos(zenith)``.

All frames use pvlib's names: ``ghi, dni, dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed`` [m/s],
``pressure`` [Pa], ``relative_humidity`` [%]; the index is tz-aware and labelled at interval start.
:func:`timing_offset_minutes` checks any hourly series against the sun.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
import pandas as pd
import pvlib

from advisor.errors import AdvisorError
from advisor.ingest.weather import (  # noqa: F401 - readers re-exported for existing callers
    MEZ,
    TRY_NOMINAL_YEAR,
    WeatherError,
    parse_dwd_hourly,
    parse_try,
    read_dwd_hourly,
    read_pvgis_tmy,
    read_try_file,
    read_weather_file,
    try_annual_ghi_kwh_per_m2,
    try_polygons,
)
from advisor.texts import Message

WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure", "relative_humidity")
SOLAR_CONSTANT_CHECK_ZENITH_DEG = 87.0  # beyond this zenith all irradiance is treated as diffuse
GERMANY_GHI_SEED = "weather.germany_mean_annual_ghi_kwh_per_m2"
KT_MAX = 1.2  # upper bound of the 15-min clearness index (cloud enhancement allowance)


# ----------------------------------------------------------------------------- TRY regions


def _inside(rings: tuple[np.ndarray, ...], x: float, y: float) -> bool:
    """Even-odd rule over all rings (holes count as outside)."""
    crossings = 0
    for ring in rings:
        x0, y0 = ring[:, 0], ring[:, 1]
        x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
        straddle = (y0 > y) != (y1 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        crossings += int(np.count_nonzero(straddle & (x < x_cross)))
    return crossings % 2 == 1


def try_region(lat: float, lon: float) -> int:
    """DWD TRY2010 climate region (1..15) that contains a point.

    Parameters
    ----------
    lat, lon
        Latitude and longitude [°, WGS84].

    Returns
    -------
    int
        Region number, e.g. 5 (station Essen) for Herne (51.54 N, 7.22 E).

    Raises
    ------
    WeatherError
        The point lies in no region (outside Germany).
    """
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise WeatherError(f"`lat`/`lon` must be degrees (WGS84); got lat={lat}, lon={lon}")
    code = _region_of(float(lat), float(lon))
    if code is not None:
        return code
    raise WeatherError(
        Message("weather.error.outside_germany", lat=lat, lon=lon)
    )


@lru_cache(maxsize=256)
def _region_of(lat: float, lon: float) -> int | None:
    """The TRY region containing the point, or None (cached: a household asks several times,
    and a Stadtwerk's households share a few sites)."""
    for code, _name, _station, rings in try_polygons():
        if _inside(rings, lon, lat):
            return code
    return None


def try_region_info(region: int) -> dict[str, str | int]:
    """Name and reference station of a TRY region."""
    for code, name, station, _ in try_polygons():
        if code == region:
            return {"region": code, "name": name, "station": station}
    raise WeatherError(f"`region` must be 1..15; got {region}")


def _read_try_cached(region: int) -> pd.DataFrame:
    return read_try_file(int(region))


def read_try(region: int) -> pd.DataFrame:
    """Hourly DWD TRY2010 weather of a region, pvlib names, tz-aware.

    Parameters
    ----------
    region
        TRY region 1..15 (see :func:`try_region`).

    Returns
    -------
    pandas.DataFrame
        8,760 rows labelled at the interval start in UTC on the nominal year 2010 (a typical
        year has no real date; the TRY's centred MEZ stamps start at ``HH:00 - 30 min``); columns ``ghi, dni, dhi`` [W/m²] (hourly means;
        ``dni`` from geometry at the hour's mid-point), ``temp_air`` [°C], ``wind_speed`` [m/s],
        ``pressure`` [Pa], ``relative_humidity`` [%]. ``attrs`` name the region and station.
    """
    base = _read_try_cached(int(region)).copy()
    info = try_region_info(int(region))
    station_lat, station_lon = _STATION_COORDS.get(int(region), (51.0, 10.0))
    zen = _zenith_deg(base.index + pd.Timedelta(minutes=30), station_lat, station_lon)
    base["dni"] = _dni_from_geometry(base["ghi"].to_numpy(), base["dhi"].to_numpy(), zen, base.index)
    base = base[list(WEATHER_COLUMNS)]
    base.attrs = {
        "source": f"DWD TRY2010 region {region} ({info['name']}, station {info['station']}), from demandlib",
        "typical_year": True,
        "try_region": int(region),
        "reference_period": "1988-2007",
        "time_basis": "MEZ (UTC+1) hour stamps centred on the value; relabelled to interval start, UTC",
    }
    return base


# Reference stations of the TRY regions (header lines of the .dat files), for the hourly dni.
_STATION_COORDS = {
    1: (53.53, 8.58), 2: (54.18, 12.08), 3: (53.63, 10.00), 4: (52.38, 13.07), 5: (51.40, 6.97),
    6: (50.67, 7.97), 7: (51.30, 9.45), 8: (51.73, 10.62), 9: (50.80, 12.87), 10: (50.32, 11.88),
    11: (50.43, 12.95), 12: (49.52, 8.55), 13: (48.28, 12.50), 14: (48.67, 9.87), 15: (47.48, 11.07),
}  # fmt: skip


# ----------------------------------------------------------------------------- solar geometry


def _epoch_seconds(times: pd.DatetimeIndex) -> np.ndarray:
    return times.as_unit("s").asi8.astype(np.int64)  # UTC epoch seconds of a tz-aware index


def _day_of_year(secs: np.ndarray) -> np.ndarray:
    day = (secs // 86400).astype("datetime64[D]")
    return (day - day.astype("datetime64[Y]").astype("datetime64[D]")).astype(np.int64) + 1


def _zenith_from_seconds(secs: np.ndarray, lat: float, lon: float, doy_terms=None) -> np.ndarray:
    """Zenith [°]; ``doy_terms`` = (declination [rad], equation of time [min]) may be passed in."""
    hours = (secs % 86400) / 3600.0
    if doy_terms is None:
        doy = _day_of_year(secs)
        doy_terms = (
            pvlib.solarposition.declination_spencer71(doy),
            pvlib.solarposition.equation_of_time_spencer71(doy),
        )
    decl, eot_min = doy_terms
    hour_angle = np.radians((hours - 12.0) * 15.0 + lon + eot_min / 4.0)
    zen = pvlib.solarposition.solar_zenith_analytical(np.radians(lat), hour_angle, decl)
    return np.degrees(np.asarray(zen, dtype=float))


def _zenith_deg(times: pd.DatetimeIndex, lat: float, lon: float) -> np.ndarray:
    """Geometric solar zenith [°] from pvlib's analytical formulas (Spencer 1971; fast)."""
    return _zenith_from_seconds(_epoch_seconds(times), lat, lon)


def _extraterrestrial_horizontal(
    starts: pd.DatetimeIndex, minutes: int, lat: float, lon: float, n_sub: int = 5
) -> np.ndarray:
    """Mean extraterrestrial irradiance on the horizontal over each interval [W/m²]."""
    secs = _epoch_seconds(starts)
    step = minutes * 60.0 / n_sub
    acc = np.zeros(len(starts))
    doy = _day_of_year(secs)
    terms = (pvlib.solarposition.declination_spencer71(doy), pvlib.solarposition.equation_of_time_spencer71(doy))
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(doy), dtype=float)
    for k in range(n_sub):
        cosz = np.cos(np.radians(_zenith_from_seconds(secs + int(round(step * (k + 0.5))), lat, lon, terms)))
        acc += np.clip(cosz, 0.0, None)
    return dni_extra * acc / n_sub


def _dni_from_geometry(
    ghi: np.ndarray, dhi: np.ndarray, zenith_deg: np.ndarray, starts: pd.DatetimeIndex
) -> np.ndarray:
    cosz = np.cos(np.radians(zenith_deg))
    beam_h = np.clip(ghi - dhi, 0.0, None)
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(starts.day_of_year.to_numpy()), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        dni = np.where(zenith_deg < SOLAR_CONSTANT_CHECK_ZENITH_DEG, beam_h / cosz, 0.0)
    return np.clip(np.nan_to_num(dni), 0.0, dni_extra)


def solar_time_from_noon_minutes(times: pd.DatetimeIndex, lon: float) -> np.ndarray:
    """Minutes from the local solar noon (true solar time) of tz-aware instants [min].

    Hour angle / 15° per hour: UTC + longitude·4 min + equation of time - 12 h (Spencer 1971).
    """
    secs = _epoch_seconds(times)
    eot = pvlib.solarposition.equation_of_time_spencer71(_day_of_year(secs))
    minutes = (secs % 86400) / 60.0 + 4.0 * float(lon) + np.asarray(eot, dtype=float) - 720.0
    return (minutes + 720.0) % 1440.0 - 720.0


def timing_offset_minutes(series: pd.Series, lon: float, *, interval_minutes: int | None = None) -> float:
    """Energy-weighted time of an irradiance or PV series relative to solar noon [min].

    Each value is placed at the centre of its interval (the index holds interval starts). For a
    year of data from a south-facing or horizontal surface the result is close to 0 when the time
    labels are right (clouds average out); +30 means the series runs 30 minutes late, as an
    hour-start series read as hour-ending would.
    """
    if not isinstance(series.index, pd.DatetimeIndex) or series.index.tz is None:
        raise WeatherError("`series` must have a tz-aware DatetimeIndex (interval starts)")
    step = interval_minutes or int((series.index[1] - series.index[0]) / pd.Timedelta(minutes=1))
    centres = series.index + pd.Timedelta(minutes=step / 2)
    w = np.clip(np.nan_to_num(series.to_numpy(dtype=float)), 0.0, None)
    if w.sum() <= 0:
        raise WeatherError("`series` holds no positive energy to locate in time")
    return float((w * solar_time_from_noon_minutes(centres, lon)).sum() / w.sum())


# ----------------------------------------------------------------------------- hourly -> 15 min


def _quarter_clearness(hourly: pd.DataFrame, lat: float, lon: float) -> tuple[np.ndarray, np.ndarray]:
    """15-min clearness index and diffuse fraction for an hourly frame (4 values per hour).

    ``kt`` is interpolated between hour centres, then rescaled so that the 15-min irradiance of
    each hour averages to the hour's measured ``ghi``. Returns (kt_q, kd_q) of length 4 * n.
    """
    n = len(hourly)
    q_starts = hourly.index.repeat(4) + pd.to_timedelta(np.tile(np.arange(4) * 15, n), unit="min")
    etr_q = _extraterrestrial_horizontal(pd.DatetimeIndex(q_starts), 15, lat, lon).reshape(n, 4)
    etr_h = etr_q.mean(axis=1)
    ghi = hourly["ghi"].to_numpy(dtype=float)
    dhi = hourly["dhi"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        kt_h = np.where(etr_h > 1.0, ghi / etr_h, np.nan)
        kd_h = np.where(ghi > 0, np.clip(dhi / ghi, 0.0, 1.0), 1.0)
    kt_h = np.clip(kt_h, 0.0, KT_MAX)
    prev = np.roll(kt_h, 1)
    nxt = np.roll(kt_h, -1)
    prev = np.where(np.isfinite(prev), prev, kt_h)
    nxt = np.where(np.isfinite(nxt), nxt, kt_h)
    frac = (np.arange(4) * 15 + 7.5 - 30.0) / 60.0  # quarter centre relative to hour centre [h]
    slope = np.where(frac[None, :] < 0, (kt_h - prev)[:, None], (nxt - kt_h)[:, None])
    kt_q = kt_h[:, None] + frac[None, :] * slope
    kt_q = np.clip(np.nan_to_num(kt_q), 0.0, KT_MAX)
    # renormalise per hour: mean(kt_q * etr_q) == ghi
    approx = (kt_q * etr_q).mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(approx > 0, ghi / approx, 0.0)
    kt_q = kt_q * ratio[:, None]
    kd_q = np.repeat(kd_h, 4).reshape(n, 4)
    return kt_q.ravel(), kd_q.ravel()


def _typical_quarter_table(region: int) -> pd.DataFrame:
    """Typical-year 15-min clearness index, diffuse fraction, temperature and wind, keyed by MEZ
    (month, day, minute of day). Cached per region."""
    return _typical_quarter_table_cached(int(region))


@lru_cache(maxsize=16)
def _typical_quarter_table_cached(region: int) -> pd.DataFrame:
    hourly = _read_try_cached(region)
    lat, lon = _STATION_COORDS[region]
    return _quarter_table_from_hourly(hourly, lat, lon)


def _quarter_table_from_hourly(hourly: pd.DataFrame, lat: float, lon: float) -> pd.DataFrame:
    kt_q, kd_q = _quarter_clearness(hourly, lat, lon)
    n = len(hourly)
    q_starts = pd.DatetimeIndex(hourly.index.repeat(4) + pd.to_timedelta(np.tile(np.arange(4) * 15, n), unit="min"))
    # temperature, wind, pressure, humidity: linear interpolation between hour centres
    centres = hourly.index + pd.Timedelta(minutes=30)
    x_q = ((q_starts + pd.Timedelta(minutes=7.5)).as_unit("s").asi8).astype(float)
    x_h = (centres.as_unit("s").asi8).astype(float)
    table = pd.DataFrame({"kt": kt_q, "kd": kd_q}, index=q_starts)
    for col in ("temp_air", "wind_speed", "pressure", "relative_humidity"):
        table[col] = np.interp(x_q, x_h, hourly[col].to_numpy(dtype=float))
    return table


def _mez_keys(index: pd.DatetimeIndex) -> np.ndarray:
    """Key (month, day, quarter of day) in MEZ with 29 Feb mapped to 28 Feb: month*10^5+day*10^3+q."""
    mez = index.tz_convert(MEZ)
    month = mez.month.to_numpy()
    day = mez.day.to_numpy()
    leap = (month == 2) & (day == 29)
    day = np.where(leap, 28, day)
    quarter = mez.hour.to_numpy() * 4 + mez.minute.to_numpy() // 15
    return month * 100_000 + day * 1_000 + quarter


def _check_index(index: pd.DatetimeIndex) -> int:
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise WeatherError("`index` must be a tz-aware DatetimeIndex (interval starts); got naive or no timestamps")
    if len(index) < 2:
        raise WeatherError("`index` needs at least two interval starts to know its resolution")
    step = index[1] - index[0]
    minutes = int(step / pd.Timedelta(minutes=1))
    if minutes not in (15, 30, 60) or step != pd.Timedelta(minutes=minutes):
        raise WeatherError(f"`index` must be a regular 15, 30 or 60 min grid; got a step of {step}")
    return minutes


def _apply_table(table: pd.DataFrame, index: pd.DatetimeIndex, lat: float, lon: float, minutes: int) -> pd.DataFrame:
    """Evaluate a 15-min typical table on a target index (15/30/60 min) with the target's geometry."""
    n_q = minutes // 15
    q_starts = pd.DatetimeIndex(
        index.repeat(n_q) + pd.to_timedelta(np.tile(np.arange(n_q) * 15, len(index)), unit="min")
    )
    keys_tab = _mez_keys(table.index)
    pos = pd.Index(keys_tab).get_indexer(_mez_keys(q_starts))
    if (pos < 0).any():
        raise WeatherError("internal: some target quarter-hours found no typical-year value")
    kt = table["kt"].to_numpy()[pos]
    kd = table["kd"].to_numpy()[pos]
    etr = _extraterrestrial_horizontal(q_starts, 15, lat, lon)
    ghi = kt * etr
    dhi = kd * ghi
    zen = _zenith_deg(q_starts + pd.Timedelta(minutes=7.5), lat, lon)
    dni = _dni_from_geometry(ghi, dhi, zen, q_starts)
    dhi = np.where(zen < SOLAR_CONSTANT_CHECK_ZENITH_DEG, dhi, ghi)
    data = {"ghi": ghi, "dni": dni, "dhi": dhi}
    for col in ("temp_air", "wind_speed", "pressure", "relative_humidity"):
        data[col] = table[col].to_numpy()[pos]
    out = pd.DataFrame(data, index=q_starts)
    if n_q > 1:
        arr = out.to_numpy().reshape(len(index), n_q, out.shape[1]).mean(axis=1)
        out = pd.DataFrame(arr, index=index, columns=out.columns)
    out.index = index
    return out[list(WEATHER_COLUMNS)]


def typical_weather(
    lat: float,
    lon: float,
    index: pd.DatetimeIndex,
    *,
    scaled: bool = True,
    germany_ghi_kwh_per_m2: float | None = None,
    region: int | None = None,
) -> pd.DataFrame:
    """Typical-year weather (DWD TRY2010) on any target index, solar-geometry aware.

    Parameters
    ----------
    lat, lon
        Site [°]; the TRY region is chosen from them unless ``region`` is given.
    index
        Target interval starts (tz-aware, regular 15/30/60 min, any year, DST-correct).
    scaled
        Scale ``ghi, dni, dhi`` to a recent climatology (TRY2010 represents 1988-2007 and is
        darker than today): factor = ``germany_ghi_kwh_per_m2`` / mean annual irradiation of the
        15 raw TRY2010 regions, so every region keeps its difference to the German mean.
        ``False`` keeps the raw TRY.
    germany_ghi_kwh_per_m2
        Recent German mean annual global horizontal irradiation [kWh/m²]; the edges pass the
        seed ``weather.germany_mean_annual_ghi_kwh_per_m2`` (Fraunhofer ISE: 1,102, 2001-2020).
        Required when ``scaled`` (nothing below the edges reads the seeds).
    region
        Force a TRY region (1..15).

    Returns
    -------
    pandas.DataFrame
        ``ghi, dni, dhi`` [W/m²] (interval means), ``temp_air`` [°C], ``wind_speed`` [m/s],
        ``pressure`` [Pa], ``relative_humidity`` [%] on ``index``. ``attrs`` record the source,
        ``typical_year=True``, the mapping (month, day, MEZ time of day; 29 Feb uses 28 Feb),
        the scale factor, ``latitude`` and ``longitude``.
    """
    minutes = _check_index(index)
    region = int(region) if region is not None else try_region(lat, lon)
    ref = germany_ghi_kwh_per_m2
    if scaled and ref is None:
        raise AdvisorError(
            f"pass `germany_ghi_kwh_per_m2` (the seed `{GERMANY_GHI_SEED}`, from the household settings) "
            "or scaled=False for the raw TRY"
        )
    regular = len(index) == 1 + (index[-1] - index[0]) / pd.Timedelta(minutes=minutes)
    if regular:  # a regular grid is fully described by its ends: cache (batch households share years)
        key = (float(lat), float(lon), region, index[0], index[-1], str(index.tz), minutes, bool(scaled), ref)
        out = _typical_weather_cached(key)
        result = out.copy()
        result.index = index
        result.attrs = dict(out.attrs)
        return result
    return _typical_weather_uncached(lat, lon, index, minutes, region, scaled, ref)


@lru_cache(maxsize=8)
def _typical_weather_cached(key) -> pd.DataFrame:
    lat, lon, region, first, last, tz, minutes, scaled, ref = key
    index = pd.date_range(first, last, freq=f"{minutes}min", tz=tz)
    return _typical_weather_uncached(lat, lon, index, minutes, region, scaled, ref)


def _typical_weather_uncached(lat, lon, index, minutes, region, scaled, ref) -> pd.DataFrame:
    table = _typical_quarter_table(region)
    out = _apply_table(table, index, lat, lon, minutes)
    factor = 1.0
    if scaled:
        factor = scale_factor(float(ref))
        out[["ghi", "dni", "dhi"]] = out[["ghi", "dni", "dhi"]] * factor
    info = try_region_info(region)
    out.attrs = {
        "source": f"DWD TRY2010 region {region} ({info['name']}, station {info['station']}), from demandlib",
        "typical_year": True,
        "try_region": region,
        "mapping": "typical year mapped onto the target dates by month, day and MEZ time of day (29 Feb uses 28 Feb); "
        "hourly values brought to 15 min by clearness index and solar geometry",
        "scaled": bool(scaled),
        "scale_factor": factor,
        "germany_ghi_kwh_per_m2": ref if scaled else None,
        "latitude": float(lat),
        "longitude": float(lon),
        "interval_minutes": minutes,
    }
    return out


@lru_cache(maxsize=1)
def try_germany_mean_ghi_kwh_per_m2() -> float:
    """Mean annual global horizontal irradiation of the 15 raw TRY2010 regions [kWh/m²]."""
    return float(np.mean([try_annual_ghi_kwh_per_m2(r) for r in range(1, 16)]))


def scale_factor(germany_ghi_kwh_per_m2: float) -> float:
    """Irradiance scale factor from TRY2010 (1988-2007) to a recent German mean [-]."""
    if not 500 <= germany_ghi_kwh_per_m2 <= 1500:
        raise WeatherError(
            f"`germany_ghi_kwh_per_m2` must be a plausible annual sum 500..1500 kWh/m²; got {germany_ghi_kwh_per_m2}"
        )
    return germany_ghi_kwh_per_m2 / try_germany_mean_ghi_kwh_per_m2()


@lru_cache(maxsize=64)
def typical_annual_ghi_kwh_per_m2(region: int, lat: float, lon: float) -> float:
    """Annual global horizontal irradiation of the raw typical year at a site [kWh/m²].

    Evaluated on a non-leap reference year at 15 min with the site's geometry, so that scaling
    hits the reference figure exactly.
    """
    idx = pd.date_range("2010-01-01", "2011-01-01", freq="15min", inclusive="left", tz=MEZ)
    out = _apply_table(_typical_quarter_table(int(region)), idx, lat, lon, 15)
    return float(out["ghi"].sum() * 0.25 / 1000.0)


# ----------------------------------------------------------------------------- other sources (frames from advisor.ingest.weather)


def weather_on_index(
    hourly: pd.DataFrame, index: pd.DatetimeIndex, lat: float, lon: float, *, typical_year: bool | None = None
) -> pd.DataFrame:
    """Bring an hourly measured or TMY series (pvlib names, interval-start index) to ``index``.

    Irradiance goes through the same clearness-index route as the TRY; missing ``dhi`` is split
    from ``ghi`` with pvlib's Erbs model. A typical year (PVGIS TMY) is mapped onto the target
    dates by month, day and time of day; a measured series must cover the index.
    """
    minutes = _check_index(index)
    hourly = hourly.copy()
    if hourly.index.tz is None:
        raise WeatherError("`hourly` must have a tz-aware index")
    hourly.index = hourly.index.tz_convert(MEZ)
    if typical_year is None:
        typical_year = bool(hourly.attrs.get("typical_year", False))
    if "ghi" not in hourly:
        raise WeatherError("`hourly` needs a `ghi` column [W/m²]")
    phase = int(hourly.index[0].minute)  # interval starts may lie at :00 or e.g. :30 (TRY)
    if phase % 15 or (hourly.index.minute != phase).any():
        raise WeatherError("`hourly` must be hourly with interval starts at one fixed quarter-hour phase")
    if typical_year:
        # months of a TMY come from different years: restamp onto the nominal year (MEZ)
        idx = hourly.index
        keep = ~((idx.month == 2) & (idx.day == 29))
        hourly = hourly[keep]
        idx = idx[keep]
        stamped = pd.to_datetime(
            pd.DataFrame(
                {"year": TRY_NOMINAL_YEAR, "month": idx.month, "day": idx.day, "hour": idx.hour, "minute": idx.minute}
            )
        ).dt.tz_localize(MEZ)
        hourly.index = pd.DatetimeIndex(stamped)
        hourly = hourly[~hourly.index.duplicated()].sort_index()
        first = pd.Timestamp(f"{TRY_NOMINAL_YEAR}-01-01", tz=MEZ) + pd.Timedelta(minutes=phase)
        full = pd.date_range(first, periods=8760, freq="h")
    else:
        full = pd.date_range(hourly.index[0], hourly.index[-1], freq="h")
    hourly = hourly.reindex(full)
    if "dhi" not in hourly or hourly["dhi"].isna().all():
        zen = _zenith_deg(full + pd.Timedelta(minutes=30), lat, lon)
        hourly["dhi"] = pvlib.irradiance.erbs(hourly["ghi"].fillna(0).to_numpy(), zen, full.day_of_year.to_numpy())[
            "dhi"
        ]
    for col, default in (("temp_air", 12.0), ("wind_speed", 1.0), ("pressure", 101325.0), ("relative_humidity", 75.0)):
        if col not in hourly:
            hourly[col] = default
    hourly[["ghi", "dhi"]] = hourly[["ghi", "dhi"]].fillna(0.0)
    hourly = hourly.interpolate(limit_direction="both")
    table = _quarter_table_from_hourly(hourly, lat, lon)
    if typical_year:
        table = table[~pd.Index(_mez_keys(table.index)).duplicated()]
        out = _apply_table(table, index, lat, lon, minutes)
    else:
        n_q = minutes // 15
        q_starts = pd.DatetimeIndex(
            index.repeat(n_q) + pd.to_timedelta(np.tile(np.arange(n_q) * 15, len(index)), unit="min")
        )
        pos = table.index.get_indexer(q_starts)
        if (pos < 0).any():
            first = q_starts[pos < 0][0]
            raise WeatherError(Message("weather.error.not_covered", first=str(first)))
        sub = table.iloc[pos]
        sub.index = q_starts
        # reuse the typical-table evaluator on an exact-time table
        etr = _extraterrestrial_horizontal(q_starts, 15, lat, lon)
        ghi = sub["kt"].to_numpy() * etr
        dhi = sub["kd"].to_numpy() * ghi
        zen = _zenith_deg(q_starts + pd.Timedelta(minutes=7.5), lat, lon)
        dni = _dni_from_geometry(ghi, dhi, zen, q_starts)
        dhi = np.where(zen < SOLAR_CONSTANT_CHECK_ZENITH_DEG, dhi, ghi)
        frame = pd.DataFrame({"ghi": ghi, "dni": dni, "dhi": dhi}, index=q_starts)
        for col in ("temp_air", "wind_speed", "pressure", "relative_humidity"):
            frame[col] = sub[col].to_numpy()
        if n_q > 1:
            arr = frame.to_numpy().reshape(len(index), n_q, frame.shape[1]).mean(axis=1)
            frame = pd.DataFrame(arr, index=index, columns=frame.columns)
        frame.index = index
        out = frame[list(WEATHER_COLUMNS)]
    out.attrs = {**hourly.attrs, "latitude": float(lat), "longitude": float(lon), "interval_minutes": minutes,
                 "typical_year": bool(typical_year), "scaled": False}  # fmt: skip
    return out


# ----------------------------------------------------------------------------- temperature


@lru_cache(maxsize=16)
def _temperature_model(region: int) -> tuple[np.ndarray, np.ndarray]:
    """Harmonic fit of TRY daily mean temperature (3 annual harmonics) and the mean diurnal
    anomaly by month and MEZ hour. Returns (coefficients, anomaly[12, 24])."""
    hourly = _read_try_cached(region)
    at = (hourly.index + pd.Timedelta(minutes=30)).tz_convert(MEZ)  # the reading's time: the MEZ stamp
    hourly = pd.DataFrame({"temp_air": hourly["temp_air"].to_numpy()}, index=at)
    daily = hourly["temp_air"].groupby(hourly.index.day_of_year).mean()
    doy = daily.index.to_numpy(dtype=float)
    w = 2 * np.pi * doy / 365.0
    design = np.column_stack([np.ones_like(w)] + [f(k * w) for k in (1, 2, 3) for f in (np.cos, np.sin)])
    coef, *_ = np.linalg.lstsq(design, daily.to_numpy(), rcond=None)
    day_mean = hourly["temp_air"].groupby(hourly.index.date).transform("mean")
    anomaly = (hourly["temp_air"] - day_mean).groupby([hourly.index.month, hourly.index.hour]).mean()
    return coef, anomaly.to_numpy().reshape(12, 24)


def temperature_climatology(index: pd.DatetimeIndex, lat: float, lon: float, *, region: int | None = None) -> pd.Series:
    """Climatological air temperature on ``index`` from the region's TRY2010 [°C].

    The TRY daily mean is smoothed by day of year (three annual harmonics), plus the TRY's mean
    diurnal cycle of the month (MEZ hour at the interval's mid-point). It is a climatology, not
    the weather of the dates in ``index``: prefer a measured series where one is given. Pass
    ``region`` (1..15) to force a TRY region, e.g. for a point outside Germany.

    Returns
    -------
    pandas.Series
        ``temp_air`` [°C] on ``index``; ``attrs`` say it is a climatology and from which region.
    """
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise WeatherError("`index` must be a tz-aware DatetimeIndex")
    region = int(region) if region is not None else try_region(lat, lon)
    i8 = np.ascontiguousarray(index.asi8)
    key = (region, str(index.tz), str(index.dtype), len(i8), hashlib.sha1(i8.tobytes()).hexdigest())
    cached = _CLIMATOLOGIES.get(key)
    if cached is None:
        cached = _climatology(index, region)
        if len(_CLIMATOLOGIES) >= 8:
            _CLIMATOLOGIES.clear()  # (safe with the app's threads)
        _CLIMATOLOGIES[key] = cached
    out = pd.Series(cached, index=index, name="temp_air", copy=False)
    out.attrs = {
        "source": f"DWD TRY2010 region {region} climatology (harmonic daily mean + monthly diurnal cycle)",
        "climatology": True,
    }
    return out


#: Climatologies by (region, index content): the households of a batch share their period (read-only arrays).
_CLIMATOLOGIES: dict[tuple, np.ndarray] = {}


def _climatology(index: pd.DatetimeIndex, region: int) -> np.ndarray:
    coef, anomaly = _temperature_model(region)
    step = (index[1] - index[0]) if len(index) > 1 else pd.Timedelta(hours=1)
    mid = (index + step / 2).tz_convert(MEZ)
    doy = mid.day_of_year.to_numpy(dtype=float) + (mid.hour.to_numpy() + mid.minute.to_numpy() / 60.0) / 24.0 - 0.5
    w = 2 * np.pi * doy / 365.0
    design = np.column_stack([np.ones_like(w)] + [f(k * w) for k in (1, 2, 3) for f in (np.cos, np.sin)])
    # the TRY reading of MEZ hour h lies at h:00: interpolate between the readings
    x = mid.hour.to_numpy() + mid.minute.to_numpy() / 60.0
    lo = np.floor(x).astype(int) % 24
    frac = x - np.floor(x)
    m = mid.month.to_numpy() - 1
    diurnal = (1 - frac) * anomaly[m, lo] + frac * anomaly[m, (lo + 1) % 24]
    values = design @ coef + diurnal
    values.flags.writeable = False
    return values
