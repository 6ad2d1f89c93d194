"""Weather: TRY regions, TRY file facts, solar-aware 15-min resampling, scaling, climatology."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from advisor import weather
from advisor.weather import WeatherError


def year_index(year: int, minutes: int = 15, tz: str = "Europe/Berlin") -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq=f"{minutes}min", inclusive="left", tz=tz)


@pytest.mark.parametrize(
    ("lat", "lon", "region"),
    [(51.54, 7.22, 5), (51.45, 7.01, 5), (52.52, 13.40, 4), (53.55, 10.00, 3), (48.14, 11.58, 13), (49.49, 8.47, 12)],
)
def test_try_region_of_known_places(lat, lon, region):
    # Herne and Essen -> 5 (station Essen), Berlin 4 (Potsdam), Hamburg 3, Munich 13, Mannheim 12
    assert weather.try_region(lat, lon) == region


def test_try_region_outside_germany_raises():
    with pytest.raises(WeatherError, match="covers Germany only"):
        weather.try_region(48.85, 2.35)  # Paris


def test_read_try_file_facts():
    df = weather.read_try(5)
    assert len(df) == 8760
    assert str(df.index.tz) == "UTC"
    assert list(df.columns) == list(weather.WEATHER_COLUMNS)
    # first data row of TRY2010_05: 1 Jan hour 1 (MEZ, centred on 01:00) -> interval start
    # 00:30 MEZ = 23:30 UTC the day before; t = 2.1 degC, WG = 2.5 m/s, p = 985.7 hPa, RF = 96 %
    first = df.iloc[0]
    assert df.index[0] == pd.Timestamp("2010-01-01 00:30", tz=weather.MEZ)
    assert first["temp_air"] == pytest.approx(2.1)
    assert first["wind_speed"] == pytest.approx(2.5)
    assert first["pressure"] == pytest.approx(98570.0)
    assert first["relative_humidity"] == pytest.approx(96)
    # ghi = B + D >= dhi; night is dark
    assert (df["ghi"] >= df["dhi"] - 1e-9).all()
    mez = df.index.tz_convert(weather.MEZ)
    assert df.loc[mez.hour.isin([0, 1, 2, 22, 23]), "ghi"].max() == 0
    assert 900 < df["ghi"].sum() / 1000 < 1000  # raw TRY region 5 about 960 kWh/m2


def test_quarter_hours_conserve_hourly_energy_and_follow_the_sun():
    idx = year_index(2010, 15, tz=weather.MEZ)
    q = weather.typical_weather(51.40, 6.97, idx, scaled=False, region=5)
    raw = weather.read_try(5)
    hourly_from_q = q["ghi"].tz_convert("UTC").resample("h", offset="30min").mean()  # the TRY's hours: hh:30-hh+1:30
    # every hour keeps its energy (except a few sunrise hours where the TRY has light before geometric sunrise)
    diff = (hourly_from_q.reindex(raw.index) - raw["ghi"]).abs().dropna()
    assert (diff < 1.0).mean() > 0.99
    assert q["ghi"].sum() / 4 == pytest.approx(raw["ghi"].sum(), rel=0.005)
    # zero whenever the sun is below the horizon over the whole quarter hour
    sunpos = weather._zenith_deg(idx, 51.40, 6.97)
    sunpos_end = weather._zenith_deg(idx + pd.Timedelta(minutes=15), 51.40, 6.97)
    night = (sunpos > 90.5) & (sunpos_end > 90.5)
    assert q.loc[night, ["ghi", "dni", "dhi"]].to_numpy().max() == 0
    # the sunrise hour is not a step: the first quarter after sunrise has less than the last one
    day = q.loc["2010-06-21 04:00":"2010-06-21 05:45", "ghi"].to_numpy()
    assert day[0] == 0 and np.all(np.diff(day[day > 0]) > 0)


def test_dni_closes_with_geometry():
    idx = pd.date_range("2024-06-10", "2024-06-13", freq="15min", inclusive="left", tz="Europe/Berlin")
    q = weather.typical_weather(51.54, 7.22, idx, scaled=False)
    zen = weather._zenith_deg(idx + pd.Timedelta(minutes=7.5), 51.54, 7.22)
    day = zen < 80
    closure = q["dhi"] + q["dni"] * np.cos(np.radians(zen))
    np.testing.assert_allclose(closure[day], q["ghi"][day], rtol=1e-6, atol=1e-6)


def test_dst_days_and_leap_day_map_onto_typical_year():
    idx = pd.date_range("2024-02-28", "2024-03-02", freq="15min", inclusive="left", tz="Europe/Berlin")
    q = weather.typical_weather(51.54, 7.22, idx, scaled=False)
    assert q.index.equals(idx) and not q.isna().any().any()
    feb28 = q.loc["2024-02-28", "temp_air"].to_numpy()
    feb29 = q.loc["2024-02-29", "temp_air"].to_numpy()
    np.testing.assert_allclose(feb28, feb29)  # 29 Feb uses the typical 28 Feb
    spring = weather.typical_weather(
        51.54,
        7.22,
        pd.date_range("2024-03-31", "2024-04-01", freq="15min", inclusive="left", tz="Europe/Berlin"),
        scaled=False,
    )
    autumn = weather.typical_weather(
        51.54,
        7.22,
        pd.date_range("2024-10-27", "2024-10-28", freq="15min", inclusive="left", tz="Europe/Berlin"),
        scaled=False,
    )
    assert len(spring) == 92 and len(autumn) == 100
    # the two 02:xx hours on 27 Oct are different MEZ hours of the typical year
    dup = autumn.loc[autumn.index.tz_localize(None).hour == 2, "temp_air"]
    assert len(dup) == 8 and not np.allclose(dup.iloc[:4].to_numpy(), dup.iloc[4:].to_numpy())


def test_scaling_uses_the_recent_german_mean():
    idx = year_index(2023, 60)
    raw = weather.typical_weather(51.54, 7.22, idx, scaled=False)
    scaled = weather.typical_weather(51.54, 7.22, idx, germany_ghi_kwh_per_m2=1102.0)
    factor = 1102.0 / weather.try_germany_mean_ghi_kwh_per_m2()
    assert scaled.attrs["scale_factor"] == pytest.approx(factor)
    assert scaled["ghi"].sum() == pytest.approx(raw["ghi"].sum() * factor)
    assert 1.05 < factor < 1.10
    assert 1000 < scaled["ghi"].sum() / 1000 < 1060
    assert scaled.attrs["typical_year"] is True and "month, day and MEZ" in scaled.attrs["mapping"]


def test_scaling_needs_the_reference_from_the_settings():
    """Nothing below the edges reads the seeds: a scaled TRY needs its reference passed in."""
    from advisor.errors import AdvisorError

    idx = year_index(2023, 60)
    with pytest.raises(AdvisorError, match="germany_ghi_kwh_per_m2"):
        weather.typical_weather(51.54, 7.22, idx)
    assert weather.typical_weather(51.54, 7.22, idx, germany_ghi_kwh_per_m2=1102.0).attrs["germany_ghi_kwh_per_m2"] == 1102.0


def test_hourly_and_quarter_indices_agree_in_energy():
    q = weather.typical_weather(51.54, 7.22, year_index(2023, 15), scaled=False)
    h = weather.typical_weather(51.54, 7.22, year_index(2023, 60), scaled=False)
    assert q["ghi"].sum() / 4 == pytest.approx(h["ghi"].sum(), rel=1e-9)


def test_bad_index_raises():
    with pytest.raises(WeatherError, match="tz-aware"):
        weather.typical_weather(51.54, 7.22, pd.date_range("2024-01-01", periods=10, freq="15min"))
    with pytest.raises(WeatherError, match="15, 30 or 60"):
        weather.typical_weather(51.54, 7.22, pd.date_range("2024-01-01", periods=10, freq="10min", tz="UTC"))


def test_temperature_climatology_is_smooth_and_seasonal():
    idx = year_index(2024, 60)
    t = weather.temperature_climatology(idx, 51.54, 7.22)
    assert t.index.equals(idx) and t.name == "temp_air"
    daily = t.resample("D").mean()
    assert daily.loc["2024-01"].mean() < 5 < 15 < daily.loc["2024-07"].mean()
    assert daily.diff().abs().max() < 0.5  # smoothed by day of year: no weather noise
    assert 9.0 < t.mean() < 12.0  # Essen TRY annual mean about 10-11 degC
    summer_day = t.loc["2024-07-15"]
    assert summer_day.idxmax().hour in range(13, 18) and summer_day.idxmin().hour in range(3, 8)
    assert t.attrs["climatology"] is True


def test_dwd_hourly_solar_product_parses_units_and_labels():
    text = (
        "STATIONS_ID;MESS_DATUM;QN_592;ATMO_LBERG;DS_LBERG;FG_LBERG;SD_LBERG;ZENIT;eor\n"
        "1303;2024061511:00;1;1200;50.4;180.0;60;30.1;eor\n"
        "1303;2024061512:00;1;1200;-999;-999;60;29.0;eor\n"
    )
    df = weather.parse_dwd_hourly(text)
    assert df.index[0] == pd.Timestamp("2024-06-15 10:00", tz="UTC")  # no WOZ column: hour ending 11 UTC
    assert df["ghi"].iloc[0] == pytest.approx(500.0)  # 180 J/cm2/h = 500 W/m2
    assert df["dhi"].iloc[0] == pytest.approx(140.0)
    assert np.isnan(df["ghi"].iloc[1])
    # with true solar time: the hour ending 12:00 WOZ at 15 E in mid-June (equation of time about
    # -0.3 min) ends about 11:00 UTC: starts 10:00 UTC, energy kept
    woz = (
        "STATIONS_ID;MESS_DATUM;QN_592;ATMO_LBERG;DS_LBERG;FG_LBERG;SD_LBERG;ZENIT;MESS_DATUM_WOZ;eor\n"
        "1303;2024061511:00;1;1200;50.4;180.0;60;30.1;2024061512:00;eor\n"
        "1303;2024061512:00;1;1200;50.4;180.0;60;29.0;2024061513:00;eor\n"
    )
    df = weather.parse_dwd_hourly(woz, longitude=15.0)
    assert df["ghi"].sum() == pytest.approx(1000.0)
    assert df["ghi"].idxmax() in (
        pd.Timestamp("2024-06-15 10:00", tz="UTC"),
        pd.Timestamp("2024-06-15 11:00", tz="UTC"),
    )


def test_measured_hourly_series_on_a_quarter_index():
    raw = weather.read_try(5).loc["2010-06-01":"2010-06-07"]
    raw.attrs = {"typical_year": False}
    idx = pd.date_range("2010-06-02", "2010-06-05", freq="15min", inclusive="left", tz="Europe/Berlin")
    q = weather.weather_on_index(raw, idx, 51.40, 6.97)
    hourly = q["ghi"].tz_convert("UTC").resample("h", offset="30min").mean()
    ref = raw["ghi"].reindex(hourly.index)
    assert hourly.sum() == pytest.approx(ref.sum(), rel=0.01)


def _write_pvgis_tmy_csv(path, lat=51.54, lon=7.22):
    """A file in the PVGIS TMY CSV layout, filled from the raw TRY (months stamped with mixed years)."""
    raw = weather.read_try(5).tz_convert("UTC")
    years = [2007, 2012, 2015, 2009, 2018, 2011, 2006, 2019, 2013, 2010, 2016, 2008]
    lines = [
        f"Latitude (decimal degrees):\t{lat:.3f}",
        f"Longitude (decimal degrees):\t{lon:.3f}",
        "Elevation (m):\t60.0",
        "Irradiance Time Offset (h):\t0.0",
        "month,year",
        *[f"{m},{y}" for m, y in enumerate(years, start=1)],
        "time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP",
    ]
    for t, row in raw.iterrows():
        y = years[t.month - 1]
        lines.append(
            f"{y}{t.month:02d}{t.day:02d}:{t.hour:02d}00,{row.temp_air:.2f},{row.relative_humidity:.1f},{row.ghi:.1f},"
            f"{row.dni:.1f},{row.dhi:.1f},300.0,{row.wind_speed:.1f},180,{row.pressure:.0f}"
        )
    lines += ["", "T2m: 2-m air temperature (degree Celsius)", "G(h): Global irradiance on the horizontal plane (W/m2)"]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def test_pvgis_tmy_file_is_read_and_mapped_onto_the_target_year(tmp_path):
    path = tmp_path / "tmy_51.540_7.220_2005_2020.csv"
    _write_pvgis_tmy_csv(path)
    tmy = weather.read_pvgis_tmy(path)
    assert tmy.attrs["latitude"] == pytest.approx(51.54) and tmy.attrs["typical_year"] is True
    assert {"ghi", "dni", "dhi", "temp_air", "wind_speed"} <= set(tmy.columns)
    idx = pd.date_range("2024-01-01", "2025-01-01", freq="15min", inclusive="left", tz="Europe/Berlin")
    q = weather.weather_on_index(tmy, idx, 51.54, 7.22)
    assert q.index.equals(idx) and not q.isna().any().any()
    # same irradiance as the TRY it was made from (one extra day in the leap year)
    assert q["ghi"].sum() / 4 / 1000 == pytest.approx(weather.read_try(5)["ghi"].sum() / 1000 * 366 / 365, rel=0.02)
    with pytest.raises(WeatherError, match="PVGIS"):
        bad = tmp_path / "bad.csv"
        bad.write_text("not a pvgis file\n")
        weather.read_pvgis_tmy(bad)


# ----------------------------------------------------------------------------- timing against the sun
HERNE = (51.54, 7.22)


def _clear_sky_balance(hourly: pd.DataFrame, lat: float, lon: float) -> tuple[float, float]:
    """Mean clear-sky-normalised irradiance in the morning and in the afternoon (interval centres)."""
    import pvlib

    centres = hourly.index + pd.Timedelta(minutes=30)
    cs = pvlib.location.Location(lat, lon).get_clearsky(centres, model="haurwitz")["ghi"].to_numpy()
    from_noon = weather.solar_time_from_noon_minutes(centres, lon)
    ok = cs > 100
    k = hourly["ghi"].to_numpy()[ok] / cs[ok]
    return float(k[from_noon[ok] < 0].mean()), float(k[from_noon[ok] > 0].mean())


def _roof_checks(wx: pd.DataFrame, lon: float) -> dict[str, float]:
    from advisor import pv

    out = {}
    for name, tilt, az in (("south", 35, 180), ("e45", 45, 90), ("w45", 45, 270), ("e90", 90, 90), ("w90", 90, 270)):
        r = pv.simulate_pv(pv.PVSystemSpec.single(1.0, tilt, az), wx, cache=pv.PVProfileCache())
        out[name] = r.annual_yield_kwh
        if name == "south":
            out["south_time_min"] = weather.timing_offset_minutes(r.energy_kwh, lon)
    return out


def _assert_sun_on_time(hourly: pd.DataFrame, wx: pd.DataFrame, lat: float, lon: float) -> None:
    morning, afternoon = _clear_sky_balance(hourly, lat, lon)
    assert morning == pytest.approx(afternoon, rel=0.05)
    assert abs(weather.timing_offset_minutes(hourly["ghi"], lon)) < 5
    r = _roof_checks(wx, lon)
    assert abs(r["south_time_min"]) < 10
    assert r["e45"] == pytest.approx(r["w45"], rel=0.05)
    assert r["e90"] == pytest.approx(r["w90"], rel=0.06)


def _year_2025(minutes: int = 15) -> pd.DatetimeIndex:
    return pd.date_range("2025-01-01", "2026-01-01", freq=f"{minutes}min", inclusive="left", tz="Europe/Berlin")


def test_try_stamps_are_centred_checked_against_the_sun():
    raw = weather.read_try(5)
    assert raw.index[0].minute == 30  # 01:00 MEZ centred -> 00:30 MEZ start
    wx = weather.typical_weather(*HERNE, _year_2025(), scaled=False)
    _assert_sun_on_time(raw, wx, 51.40, 6.97)


def test_try_read_as_hour_ending_puts_the_sun_half_an_hour_early():
    # placebo: the former reading (HH = end of the hour) must fail the same checks
    raw = weather.read_try(5)
    early = raw.copy()
    early.index = raw.index - pd.Timedelta(minutes=30)
    assert weather.timing_offset_minutes(early["ghi"], 6.97) < -25
    morning, afternoon = _clear_sky_balance(early, 51.40, 6.97)
    assert morning > 1.08 * afternoon


def _utc_hours_from_try(lat: float, lon: float) -> pd.DataFrame:
    """The TRY brought to whole UTC hours (15-min route, then hour means): a 'true' hourly series."""
    idx = pd.date_range("2010-01-01", "2011-01-01", freq="15min", inclusive="left", tz="UTC")
    q = weather.typical_weather(lat, lon, idx, scaled=False, region=5)
    return q.resample("h").mean()


def _write_pvgis_from_hours(path, hours: pd.DataFrame, lat: float, lon: float) -> None:
    lines = [
        f"Latitude (decimal degrees):\t{lat:.3f}",
        f"Longitude (decimal degrees):\t{lon:.3f}",
        "Elevation (m):\t60.0",
        "Irradiance Time Offset (h):\t0.0",
        "month,year",
        *[f"{m},2015" for m in range(1, 13)],
        "time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP",
    ]
    for t, row in hours.iterrows():
        lines.append(
            f"2015{t.month:02d}{t.day:02d}:{t.hour:02d}00,{row.temp_air:.2f},{row.relative_humidity:.1f},{row.ghi:.2f},"
            f"{row.dni:.2f},{row.dhi:.2f},300.0,{row.wind_speed:.1f},180,{row.pressure:.0f}"
        )
    lines += ["", "G(h): Global irradiance on the horizontal plane (W/m2)"]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def test_pvgis_tmy_hour_start_stamps_checked_against_the_sun(tmp_path):
    lat, lon = HERNE
    path = tmp_path / "tmy_51.540_7.220_2005_2020.csv"
    _write_pvgis_from_hours(path, _utc_hours_from_try(lat, lon), lat, lon)
    tmy = weather.read_pvgis_tmy(path)
    assert str(tmy.index.tz) == "UTC" and tmy.index[0].minute == 0
    wx = weather.weather_on_index(tmy, _year_2025(), lat, lon)
    _assert_sun_on_time(tmy, wx, lat, lon)
    # placebo: the same file read as hour-ending runs an hour early
    early = weather.read_pvgis_tmy(path, stamp="end")
    assert weather.timing_offset_minutes(early["ghi"], lon) < -50


def _write_dwd_solar(path, hours: pd.DataFrame, lon: float) -> None:
    """DWD produkt_st_stunde layout: sums over true-solar-time hours ending at MESS_DATUM_WOZ."""
    import pvlib

    minute = (
        hours["ghi"]
        .resample("1min")
        .ffill()
        .reindex(pd.date_range(hours.index[0], hours.index[-1] + pd.Timedelta(minutes=59), freq="1min"), method="ffill")
    )
    diffuse = hours["dhi"].resample("1min").ffill().reindex(minute.index, method="ffill")
    woz_ends = pd.date_range("2010-01-01 03:00", "2010-12-31 22:00", freq="h")  # naive WOZ
    eot = np.asarray(pvlib.solarposition.equation_of_time_spencer71(woz_ends.day_of_year.to_numpy()), dtype=float)
    utc_ends = (woz_ends - pd.to_timedelta(lon * 4.0 + eot, unit="min")).tz_localize("UTC")
    rows = ["STATIONS_ID;MESS_DATUM;QN_592;ATMO_LBERG;DS_LBERG;FG_LBERG;SD_LBERG;ZENIT;MESS_DATUM_WOZ;eor"]
    cum_g = np.concatenate([[0.0], np.cumsum(minute.to_numpy())])
    cum_d = np.concatenate([[0.0], np.cumsum(diffuse.to_numpy())])
    pos_end = minute.index.get_indexer(utc_ends.round("min"))
    for woz, utc, p in zip(woz_ends, utc_ends, pos_end, strict=True):
        g = (cum_g[p] - cum_g[p - 60]) / 60.0 * 0.36  # W/m2 hour mean -> J/cm2 per hour
        d = (cum_d[p] - cum_d[p - 60]) / 60.0 * 0.36
        rows.append(f"1303;{utc.floor('h'):%Y%m%d%H}:00;4;-999;{d:.1f};{g:.1f};-999;-999;{woz:%Y%m%d%H}:00;eor")
    path.write_text("\n".join(rows) + "\n", encoding="latin-1")


def test_dwd_hourly_true_solar_time_checked_against_the_sun(tmp_path):
    lat, lon = HERNE
    hours = _utc_hours_from_try(lat, lon)
    path = tmp_path / "produkt_st_stunde_19910101_20241231_01303.txt"
    _write_dwd_solar(path, hours, lon)
    dwd = weather.read_dwd_hourly(path, longitude=lon)
    assert str(dwd.index.tz) == "UTC" and (dwd.index.minute == 0).all()
    dwd = dwd.loc["2010-01-02":"2010-12-30"]
    assert dwd["ghi"].sum() == pytest.approx(hours["ghi"].loc["2010-01-02":"2010-12-30"].sum(), rel=0.002)
    morning, afternoon = _clear_sky_balance(dwd, lat, lon)
    assert morning == pytest.approx(afternoon, rel=0.05)
    assert abs(weather.timing_offset_minutes(dwd["ghi"], lon)) < 5
    dwd.attrs["typical_year"] = False
    idx = pd.date_range("2010-01-03", "2010-12-29", freq="15min", inclusive="left", tz="Europe/Berlin")
    _assert_sun_on_time(dwd, weather.weather_on_index(dwd, idx, lat, lon), lat, lon)
    # without the station longitude the true-solar-time hours cannot be placed: a clear error
    with pytest.raises(WeatherError, match="longitude"):
        weather.read_dwd_hourly(path)
    # placebo: the same sums read as UTC hour-ending (WOZ column dropped) are off by about half an hour
    text = path.read_text(encoding="latin-1").replace(";MESS_DATUM_WOZ;eor", ";eor")
    text = "\n".join(line.rsplit(";", 2)[0] + ";eor" if i else line for i, line in enumerate(text.splitlines()))
    naive = weather.parse_dwd_hourly(text)
    assert abs(weather.timing_offset_minutes(naive["ghi"].dropna(), lon)) > 20
