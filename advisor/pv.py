"""Rooftop and balcony PV with pvlib, and self-consumption on the household's own load curve.

Model (pvlib functions, PVWatts family): solar position at the interval mid-point
(``solarposition.get_solarposition``), Perez transposition (``irradiance.get_total_irradiance``),
physical incidence-angle loss on the beam (``iam.physical``), SAPM cell temperature
(``temperature.sapm_cell``), ``pvsystem.pvwatts_dc``, then system losses and the PVWatts inverter
(``inverter.pvwatts``) whose AC limit clips the *scaled, summed* DC power of all planes.

Generation per kWp is computed once per (weather, site, orientation, temperature model) and kept
in a :class:`PVProfileCache`; a system of any size is a scaled sum of those profiles, clipped
afterwards, so batch runs and sizing sweeps stay fast.

Texts for people (``notes``, ``method``, ``LegalNote.text``, the problems of
:func:`balcony_compliance`) are :class:`advisor.texts.Message` codes with their figures (``pv.po``):
as ``str`` English, ``.text("de")`` German, ``.text("tr")`` Turkish.
"""

from __future__ import annotations

import hashlib
import warnings
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pvlib

from advisor.battery import dispatch_battery, dispatch_runs
from advisor.errors import AdvisorError, DataQualityWarning
from advisor.profiles import bdew_shape
from advisor.texts import Message
from advisor.units import infer_interval_minutes, interval_hours

TEMPERATURE_MODELS = tuple(pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"])


class PVSpecError(AdvisorError, ValueError):
    """A PV or battery specification is impossible (negative size, tilt beyond 0..90, …)."""


# ----------------------------------------------------------------------------- specifications


@dataclass(frozen=True)
class PVPlane:
    """One module field of one orientation.

    Parameters
    ----------
    peak_kw
        DC nameplate power of the field [kWp].
    tilt_deg
        Tilt from horizontal [°], 0..90 (90 = vertical railing).
    azimuth_deg
        Orientation [°], pvlib convention: 0 north, 90 east, 180 south, 270 west.
    """

    peak_kw: float
    tilt_deg: float = 35.0
    azimuth_deg: float = 180.0

    def __post_init__(self) -> None:
        if not (self.peak_kw > 0 and np.isfinite(self.peak_kw)):
            raise PVSpecError(f"`peak_kw` must be > 0 kWp; got {self.peak_kw}")
        if not 0 <= self.tilt_deg <= 90:
            raise PVSpecError(f"`tilt_deg` must be 0..90 deg; got {self.tilt_deg}")
        if not 0 <= self.azimuth_deg <= 360:
            raise PVSpecError(f"`azimuth_deg` must be 0..360 deg (180 = south); got {self.azimuth_deg}")


@dataclass(frozen=True)
class PVSystemSpec:
    """A PV system: one or more planes on one inverter.

    Parameters
    ----------
    planes
        Module fields (east/west roofs have two).
    losses_pct
        Total system losses (soiling, wiring, mismatch, LID, inverter conversion) [%]; 14 as
        in PVGIS and PVWatts. PVGIS's convention is followed: the inverter's nominal
        conversion loss is part of these 14 %, pvlib's PVWatts inverter adds only its part-load
        efficiency shape (relative to nominal) and the AC limit.
    inverter_kw
        AC limit of the inverter [kW] (= VA at unity power factor); None: equal to the DC peak.
    inverter_efficiency
        Nominal inverter efficiency [-] (pvlib PVWatts default 0.96), sets the part-load shape.
    gamma_pdc_per_k
        Power temperature coefficient [1/K] (crystalline silicon about -0.0037).
    temperature_model
        pvlib SAPM parameter set, e.g. ``"open_rack_glass_polymer"`` (rack mounted),
        ``"close_mount_glass_glass"`` (flush on the roof).
    degradation_pct_per_year
        Output loss per operating year [%/yr]; used by the economics, not by one simulated year.
    kind
        ``"rooftop"`` or ``"balcony"``.
    """

    planes: tuple[PVPlane, ...]
    losses_pct: float = 14.0
    inverter_kw: float | None = None
    inverter_efficiency: float = 0.96
    gamma_pdc_per_k: float = -0.0037
    temperature_model: str = "open_rack_glass_polymer"
    degradation_pct_per_year: float = 0.0
    kind: str = "rooftop"

    def __post_init__(self) -> None:
        planes = tuple(self.planes)
        if not planes:
            raise PVSpecError("`planes` must hold at least one PVPlane")
        object.__setattr__(self, "planes", planes)
        if not 0 <= self.losses_pct < 100:
            raise PVSpecError(f"`losses_pct` must be 0..100 %; got {self.losses_pct}")
        if self.inverter_kw is not None and not self.inverter_kw > 0:
            raise PVSpecError(f"`inverter_kw` must be > 0 kW or None; got {self.inverter_kw}")
        if not 0.5 < self.inverter_efficiency <= 1:
            raise PVSpecError(f"`inverter_efficiency` must be 0.5..1; got {self.inverter_efficiency}")
        if self.temperature_model not in TEMPERATURE_MODELS:
            raise PVSpecError(
                f"`temperature_model` must be one of {TEMPERATURE_MODELS}; got {self.temperature_model!r}"
            )
        if self.kind not in ("rooftop", "balcony"):
            raise PVSpecError(f"`kind` must be 'rooftop' or 'balcony'; got {self.kind!r}")
        if not 0 <= self.degradation_pct_per_year < 10:
            raise PVSpecError(f"`degradation_pct_per_year` must be 0..10 %/yr; got {self.degradation_pct_per_year}")

    @property
    def peak_kw(self) -> float:
        """Total DC nameplate power [kWp]."""
        return float(sum(p.peak_kw for p in self.planes))

    @property
    def ac_limit_kw(self) -> float:
        """AC output limit [kW]."""
        return float(self.inverter_kw if self.inverter_kw is not None else self.peak_kw)

    @classmethod
    def single(cls, peak_kw: float, tilt_deg: float = 35.0, azimuth_deg: float = 180.0, **kwargs) -> PVSystemSpec:
        """One plane (the common pitched roof)."""
        return cls(planes=(PVPlane(peak_kw, tilt_deg, azimuth_deg),), **kwargs)

    @classmethod
    def east_west(
        cls, peak_kw: float, tilt_deg: float = 15.0, azimuth_east_deg: float = 90.0, **kwargs
    ) -> PVSystemSpec:
        """Half the modules facing east, half west (``azimuth_east_deg`` and +180°)."""
        half = peak_kw / 2
        return cls(
            planes=(PVPlane(half, tilt_deg, azimuth_east_deg), PVPlane(half, tilt_deg, (azimuth_east_deg + 180) % 360)),
            **kwargs,
        )

    def scaled(self, peak_kw: float, inverter_kw: float | None = None) -> PVSystemSpec:
        """Same orientations and shares, another total size (inverter scaled alike unless given)."""
        factor = peak_kw / self.peak_kw
        planes = tuple(PVPlane(p.peak_kw * factor, p.tilt_deg, p.azimuth_deg) for p in self.planes)
        inv = (
            inverter_kw
            if inverter_kw is not None
            else (None if self.inverter_kw is None else self.inverter_kw * factor)
        )
        return PVSystemSpec(
            planes=planes,
            losses_pct=self.losses_pct,
            inverter_kw=inv,
            inverter_efficiency=self.inverter_efficiency,
            gamma_pdc_per_k=self.gamma_pdc_per_k,
            temperature_model=self.temperature_model,
            degradation_pct_per_year=self.degradation_pct_per_year,
            kind=self.kind,
        )


@dataclass(frozen=True)
class BalconySpec:
    """A plug-in balcony system (Steckersolargeraet).

    Parameters
    ----------
    module_wp
        Total module power [Wp] (legal limit 2,000 Wp: see :func:`balcony_compliance`).
    inverter_va
        Inverter rating [VA] (legal limit 800 VA); the AC output is clipped to it.
    tilt_deg
        90 for modules hung vertically on the railing, smaller when tilted on a stand.
    azimuth_deg
        Orientation of the balcony [°] (180 south).
    east_west
        Split the modules half east, half west of ``azimuth_deg`` ± 90° (e.g. on two sides).
    """

    module_wp: float = 800.0
    inverter_va: float = 800.0
    tilt_deg: float = 90.0
    azimuth_deg: float = 180.0
    east_west: bool = False
    losses_pct: float = 14.0
    temperature_model: str = "open_rack_glass_polymer"

    def __post_init__(self) -> None:
        if not self.module_wp > 0 or not self.inverter_va > 0:
            raise PVSpecError(f"`module_wp` and `inverter_va` must be > 0; got {self.module_wp}, {self.inverter_va}")

    def to_system(self) -> PVSystemSpec:
        """The equivalent :class:`PVSystemSpec` (kind ``balcony``, inverter = ``inverter_va``)."""
        kwp = self.module_wp / 1000.0
        if self.east_west:
            east = (self.azimuth_deg - 90) % 360
            planes = (PVPlane(kwp / 2, self.tilt_deg, east), PVPlane(kwp / 2, self.tilt_deg, (east + 180) % 360))
        else:
            planes = (PVPlane(kwp, self.tilt_deg, self.azimuth_deg),)
        return PVSystemSpec(
            planes=planes,
            losses_pct=self.losses_pct,
            inverter_kw=self.inverter_va / 1000.0,
            temperature_model=self.temperature_model,
            kind="balcony",
        )


@dataclass(frozen=True)
class LegalNote:
    """A legal fact about balcony PV with its source (from ``seeds/pv.toml``).

    ``text`` is a :class:`~advisor.texts.Message` (code ``pv.legal.<key>``, the limits from the
    seeds as its figures); the seed entry gives source and date.
    """

    key: str
    text: str
    source: str
    date: str

    def localized(self, lang: str = "de") -> str:
        """The note in ``lang``."""
        return self.text.text(lang) if isinstance(self.text, Message) else self.text


BALCONY_NOTE_KEYS = (
    "balcony_note_definition",
    "balcony_note_registration",
    "balcony_note_tenancy",
    "balcony_note_plug",
    "balcony_note_feed_in",
)


def balcony_legal_notes(seeds) -> list[LegalNote]:
    """The legal notes on balcony PV (DOMAIN.md B3) as data, from the seeds."""
    limits = {"wp": float(seeds.value("pv.balcony_max_module_wp")), "va": float(seeds.value("pv.balcony_max_inverter_va"))}
    out = []
    for key in BALCONY_NOTE_KEYS:
        e = seeds.entry(f"pv.{key}")
        short = key.removeprefix("balcony_note_")
        text = Message(f"pv.legal.{short}", **(limits if short == "definition" else {}))
        out.append(LegalNote(key=key, text=text, source=e.source, date=e.date))
    return out


def balcony_compliance(spec: BalconySpec, seeds) -> list[Message]:
    """Problems of a balcony system against the legal limits in the seeds (empty list: fine)."""
    max_wp = float(seeds.value("pv.balcony_max_module_wp"))
    max_va = float(seeds.value("pv.balcony_max_inverter_va"))
    problems = []
    if spec.module_wp > max_wp:
        problems.append(Message("pv.balcony.modules_too_large", wp=round(spec.module_wp), max_wp=round(max_wp)))
    if spec.inverter_va > max_va:
        problems.append(Message("pv.balcony.inverter_too_large", va=round(spec.inverter_va), max_va=round(max_va)))
    return problems


# ----------------------------------------------------------------------------- per-kWp profiles


_FINGERPRINTS: dict[int, tuple[weakref.ref, str]] = {}


def weather_fingerprint(weather: pd.DataFrame) -> str:
    """Content hash of a weather frame (index and irradiance/temperature/wind columns).

    Memoised per frame object while it lives (a household's sizing sweep simulates a dozen
    systems on the same frame): a weather frame is not changed in place once PV is simulated on it.
    """
    entry = _FINGERPRINTS.get(id(weather))
    if entry is not None and entry[0]() is weather:
        return entry[1]
    fp = _weather_fingerprint(weather)
    if len(_FINGERPRINTS) > 64:
        for k in [k for k, (ref, _) in _FINGERPRINTS.items() if ref() is None]:
            del _FINGERPRINTS[k]
        if len(_FINGERPRINTS) > 64:
            _FINGERPRINTS.clear()
    _FINGERPRINTS[id(weather)] = (weakref.ref(weather), fp)
    return fp


def _weather_fingerprint(weather: pd.DataFrame) -> str:
    cols = [c for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed") if c in weather.columns]
    h = hashlib.sha1()
    h.update(np.asarray(weather.index.as_unit("ns").asi8).tobytes())
    h.update(str(weather.index.tz).encode())
    h.update(np.ascontiguousarray(weather[cols].to_numpy(dtype=float)).tobytes())
    return h.hexdigest()


_MISSING = object()


class PVProfileCache:
    """In-memory cache of solar positions and per-kWp DC profiles, bounded in size.

    Keys are (weather fingerprint, site) and (weather fingerprint, site, tilt, azimuth,
    temperature model, gamma). Pass one explicitly to share it (e.g. in a batch worker); the
    module keeps one default instance.
    """

    def __init__(self, max_items: int = 64) -> None:
        self.max_items = max_items
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: tuple, compute):
        # tolerant of threads sharing the cache (the app; Dask with threads): an entry another
        # thread evicts meanwhile is only recomputed
        value = self._items.get(key, _MISSING)
        if value is not _MISSING:
            try:
                self._items.move_to_end(key)
            except KeyError:
                pass
            self.hits += 1
            return value
        self.misses += 1
        value = compute()
        self._items[key] = value
        while len(self._items) > self.max_items:
            try:
                self._items.popitem(last=False)
            except KeyError:
                break
        return value

    def clear(self) -> None:
        self._items.clear()
        self.hits = self.misses = 0


DEFAULT_CACHE = PVProfileCache()


def _site(weather: pd.DataFrame, latitude: float | None, longitude: float | None) -> tuple[float, float]:
    lat = latitude if latitude is not None else weather.attrs.get("latitude")
    lon = longitude if longitude is not None else weather.attrs.get("longitude")
    if lat is None or lon is None:
        raise PVSpecError(
            "the site is unknown: pass `latitude`/`longitude` or weather with attrs 'latitude'/'longitude'"
        )
    return float(lat), float(lon)


def _check_weather(weather: pd.DataFrame) -> int:
    missing = [c for c in ("ghi", "dni", "dhi", "temp_air") if c not in weather.columns]
    if missing:
        raise PVSpecError(f"`weather` lacks columns {missing} (pvlib names ghi, dni, dhi [W/m²], temp_air [°C])")
    if not isinstance(weather.index, pd.DatetimeIndex) or weather.index.tz is None:
        raise PVSpecError("`weather` must have a tz-aware DatetimeIndex labelled at interval start")
    minutes = weather.attrs.get("interval_minutes") or infer_interval_minutes(weather.index)
    if minutes is None:
        raise PVSpecError("`weather` needs at least two rows to know its interval length")
    return int(minutes)


def _solar_geometry(weather: pd.DataFrame, fp: str, lat: float, lon: float, minutes: int, cache: PVProfileCache):
    def compute():
        mid = weather.index + pd.Timedelta(minutes=minutes / 2)
        pressure = weather["pressure"].to_numpy() if "pressure" in weather else 101325.0
        # pvlib's ephemeris method: far faster than SPA and well under 0.1 deg off, enough for PV
        sp = pvlib.solarposition.get_solarposition(
            mid, lat, lon, pressure=pressure, temperature=weather["temp_air"].to_numpy(), method="ephemeris"
        )
        dni_extra = pvlib.irradiance.get_extra_radiation(mid.day_of_year.to_numpy())
        airmass = pvlib.atmosphere.get_relative_airmass(sp["apparent_zenith"].to_numpy())
        return {
            "apparent_zenith": sp["apparent_zenith"].to_numpy(),
            "zenith": sp["zenith"].to_numpy(),
            "azimuth": sp["azimuth"].to_numpy(),
            "dni_extra": np.asarray(dni_extra, dtype=float),
            "airmass": np.asarray(airmass, dtype=float),
        }

    return cache.get_or_compute(("geometry", fp, lat, lon, minutes), compute)


def _dc_per_kwp(
    weather: pd.DataFrame,
    fp: str,
    lat: float,
    lon: float,
    minutes: int,
    plane: PVPlane,
    spec: PVSystemSpec,
    cache: PVProfileCache,
) -> np.ndarray:
    """DC power per kWp before system losses [kW/kWp] for one orientation."""
    key = (
        "dc",
        fp,
        lat,
        lon,
        minutes,
        round(plane.tilt_deg, 3),
        round(plane.azimuth_deg, 3),
        spec.temperature_model,
        spec.gamma_pdc_per_k,
    )

    def compute():
        geo = _solar_geometry(weather, fp, lat, lon, minutes, cache)
        ghi = weather["ghi"].to_numpy(dtype=float)
        dni = weather["dni"].to_numpy(dtype=float)
        dhi = weather["dhi"].to_numpy(dtype=float)
        poa = pvlib.irradiance.get_total_irradiance(
            plane.tilt_deg,
            plane.azimuth_deg,
            geo["apparent_zenith"],
            geo["azimuth"],
            dni,
            ghi,
            dhi,
            dni_extra=geo["dni_extra"],
            airmass=geo["airmass"],
            model="perez",
        )
        aoi = pvlib.irradiance.aoi(plane.tilt_deg, plane.azimuth_deg, geo["apparent_zenith"], geo["azimuth"])
        iam = pvlib.iam.physical(aoi)
        direct = np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float)) * np.nan_to_num(np.asarray(iam, dtype=float))
        diffuse = np.nan_to_num(np.asarray(poa["poa_diffuse"], dtype=float))
        effective = np.clip(direct + diffuse, 0.0, None)
        effective = np.where(geo["zenith"] < 90.0, effective, 0.0)
        params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][spec.temperature_model]
        wind = weather["wind_speed"].to_numpy(dtype=float) if "wind_speed" in weather else np.ones(len(weather))
        poa_global = np.clip(np.nan_to_num(np.asarray(poa["poa_global"], dtype=float)), 0.0, None)
        temp_cell = pvlib.temperature.sapm_cell(poa_global, weather["temp_air"].to_numpy(dtype=float), wind, **params)
        dc = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, 1.0, spec.gamma_pdc_per_k)
        return np.clip(np.nan_to_num(np.asarray(dc, dtype=float)), 0.0, None)

    return cache.get_or_compute(key, compute)


# ----------------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class PVResult:
    """Simulated AC generation of a PV system.

    Attributes
    ----------
    energy_kwh
        AC energy per interval [kWh], indexed by interval start (the weather's index).
    annual_yield_kwh
        AC energy over the index when it covers 12 months (365 or 366 days), else scaled to 365
        days [kWh/yr].
    specific_yield_kwh_per_kwp
        ``annual_yield_kwh`` per kWp [kWh/kWp/yr].
    peak_ac_kw
        Highest interval-mean AC power [kW].
    clipped_kwh
        AC energy lost to the inverter limit over the index [kWh].
    spec
        The simulated system.
    interval_minutes
        Interval length [min].
    weather_source
        What the weather was (``weather.attrs['source']``).
    """

    energy_kwh: pd.Series
    annual_yield_kwh: float
    specific_yield_kwh_per_kwp: float
    peak_ac_kw: float
    clipped_kwh: float
    spec: PVSystemSpec
    interval_minutes: int
    weather_source: str = ""
    notes: tuple[str, ...] = field(default=())


def simulate_pv(
    spec: PVSystemSpec | BalconySpec,
    weather: pd.DataFrame,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    cache: PVProfileCache | None = None,
) -> PVResult:
    """Simulate a PV system on a weather frame with pvlib.

    Parameters
    ----------
    spec
        The system (a :class:`BalconySpec` is converted with ``to_system()``).
    weather
        pvlib-named weather (``ghi, dni, dhi`` [W/m²] interval means, ``temp_air`` [°C],
        ``wind_speed`` [m/s]) on a tz-aware interval-start index, e.g. from
        :func:`advisor.weather.typical_weather` on the household's own index.
    latitude, longitude
        Site [°]; default ``weather.attrs['latitude'/'longitude']``.
    cache
        Profile cache (default: the module's).

    Returns
    -------
    PVResult
        AC energy per interval [kWh] on ``weather.index`` and annual figures.
    """
    if isinstance(spec, BalconySpec):
        spec = spec.to_system()
    return pv_profile(spec, weather, latitude=latitude, longitude=longitude, cache=cache).system(spec)


@dataclass(frozen=True)
class PVProfile:
    """DC power per kWp of a mix of orientations, before losses [kW/kWp]: compute once, scale often.

    Attributes
    ----------
    dc_kw_per_kwp
        DC power per kWp of the whole system with the spec's plane shares [kW/kWp].
    index
        Interval starts (the weather's index).
    interval_minutes
        Interval length [min].
    weather_source
        What the weather was.
    """

    dc_kw_per_kwp: np.ndarray
    index: pd.DatetimeIndex
    interval_minutes: int
    weather_source: str = ""
    key: tuple | None = field(default=None, repr=False)

    def system(self, spec: PVSystemSpec) -> PVResult:
        """AC result of ``spec`` (same plane shares) scaled to its size; clipping after scaling.

        A profile made by :func:`pv_profile` (``key`` set: its weather's content, site and
        orientations) keeps its results in a small cache of the process: the households of a
        batch on the same weather index ask for the same dozen systems.
        """
        if self.key is None:
            return self._system(spec)
        return _SYSTEMS.get_or_compute((self.key, spec, self.weather_source), lambda: self._system(spec))

    def _system(self, spec: PVSystemSpec) -> PVResult:
        return _finish(self.dc_kw_per_kwp * spec.peak_kw, spec, self.index, self.interval_minutes, self.weather_source)


#: Simulated systems by (weather, site, orientation mix) and spec: a household's sweep and a batch's
#: households share them (about 0.6 MB each at 15 min; bounded).
_SYSTEMS = PVProfileCache(max_items=48)


def pv_profile(
    spec: PVSystemSpec | BalconySpec,
    weather: pd.DataFrame,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    cache: PVProfileCache | None = None,
) -> PVProfile:
    """Per-kWp DC profile of a system's orientation mix (cached per weather and orientation)."""
    if isinstance(spec, BalconySpec):
        spec = spec.to_system()
    cache = cache if cache is not None else DEFAULT_CACHE
    minutes = _check_weather(weather)
    lat, lon = _site(weather, latitude, longitude)
    fp = weather_fingerprint(weather)
    dc_kw = np.zeros(len(weather))
    for plane in spec.planes:
        dc_kw = dc_kw + plane.peak_kw * _dc_per_kwp(weather, fp, lat, lon, minutes, plane, spec, cache)
    planes = tuple((round(p.tilt_deg, 3), round(p.azimuth_deg, 3), p.peak_kw) for p in spec.planes)
    key = (fp, lat, lon, minutes, spec.temperature_model, spec.gamma_pdc_per_k, planes)
    return PVProfile(dc_kw / spec.peak_kw, weather.index, minutes, str(weather.attrs.get("source", "")), key)


def _ac_kw(dc_kw: np.ndarray, spec: PVSystemSpec) -> tuple[np.ndarray, np.ndarray]:
    """AC power [kW] after losses and the inverter (clipped), and the unclipped AC power."""
    dc_net = dc_kw * (1.0 - spec.losses_pct / 100.0)
    limit = spec.ac_limit_kw
    eta = spec.inverter_efficiency
    # PVWatts inverter (pvlib) for the part-load shape; its nominal conversion loss is already in
    # losses_pct (PVGIS convention), hence the division by eta. Unclipped: pdc0 large enough.
    pdc0 = limit / eta
    unclipped = np.asarray(
        pvlib.inverter.pvwatts(dc_net, max(pdc0, float(dc_net.max(initial=0.0)) * 1.01), eta_inv_nom=eta), dtype=float
    )
    shaped = np.asarray(pvlib.inverter.pvwatts(dc_net, pdc0, eta_inv_nom=eta), dtype=float)
    unclipped = np.clip(np.nan_to_num(unclipped) / eta, 0.0, None)
    ac = np.clip(np.nan_to_num(shaped) / eta, 0.0, limit)
    return ac, np.maximum(unclipped, ac)


def _finish(dc_kw: np.ndarray, spec: PVSystemSpec, index: pd.DatetimeIndex, minutes: int, source: str) -> PVResult:
    ac_kw, unclipped = _ac_kw(dc_kw, spec)
    hours = interval_hours(minutes)
    values = ac_kw * hours
    values.flags.writeable = False  # results are shared (see PVProfile.system)
    energy = pd.Series(values, index=index, name="energy_kwh", copy=False)
    span_days = len(index) * hours / 24.0
    total = float(energy.sum())
    one_year = abs(span_days - 365) <= 1.5 or abs(span_days - 366) <= 1.5
    # a 12-month index (365 or 366 days) is the year: its total is the annual yield, so the
    # interval series sums to it; other spans are scaled to 365 days
    annual = total if one_year else (total * 365.0 / span_days if span_days > 0 else float("nan"))
    notes = []
    if not one_year:
        notes.append(Message("pv.note.weather_scaled", n=round(span_days)))
    return PVResult(
        energy_kwh=energy,
        annual_yield_kwh=annual,
        specific_yield_kwh_per_kwp=annual / spec.peak_kw,
        peak_ac_kw=float(ac_kw.max()) if len(ac_kw) else 0.0,
        clipped_kwh=float((unclipped - ac_kw).sum() * hours),
        spec=spec,
        interval_minutes=minutes,
        weather_source=source,
        notes=tuple(notes),
    )


def pv_on_index(pv: PVResult | pd.Series, index: pd.DatetimeIndex) -> pd.Series:
    """PV energy [kWh per interval] aligned to a load curve's index (same instants, DST-correct).

    Raises
    ------
    PVSpecError
        The PV series does not cover every interval of ``index``.
    """
    series = pv.energy_kwh if isinstance(pv, PVResult) else pv
    if series.index.tz is None:
        raise PVSpecError("PV energy must have a tz-aware index")
    if series.index is index or (len(series.index) == len(index) and series.index.equals(index)):
        if not series.isna().any():  # simulated on the curve's own index (a sizing sweep): nothing to align
            return series.set_axis(index).rename("energy_kwh")
    pv_minutes = infer_interval_minutes(series.index)
    load_minutes = infer_interval_minutes(index)
    if pv_minutes and load_minutes and pv_minutes != load_minutes:
        if load_minutes % pv_minutes:
            raise PVSpecError(
                f"PV at {pv_minutes} min cannot be summed onto a {load_minutes}-min load curve; simulate PV on the curve's index"
            )
        # finer PV summed onto the load's intervals (energy is cumulative)
        utc = series.tz_convert("UTC")
        series = utc.resample(f"{load_minutes}min", origin="epoch").sum(min_count=load_minutes // pv_minutes)
    aligned = series.reindex(index.tz_convert(series.index.tz))
    if aligned.isna().any():
        first = index[np.flatnonzero(aligned.isna().to_numpy())[0]]
        raise PVSpecError(
            f"PV energy does not cover the load curve (first missing interval {first}); simulate PV on the curve's index"
        )
    aligned.index = index
    return aligned.rename("energy_kwh")


# ----------------------------------------------------------------------------- year completion


@dataclass(frozen=True)
class CompletedYear:
    """A household year completed for PV analysis.

    Attributes
    ----------
    energy_kwh
        Load per interval over 12 months [kWh], on the curve's interval grid.
    filled
        True where the value was filled (missing or outside the measured span).
    filled_share
        Share of the year's energy that was filled [0..1].
    method
        How the year was completed (a :class:`~advisor.texts.Message`).
    """

    energy_kwh: pd.Series
    filled: pd.Series
    filled_share: float
    method: str


def complete_year(curve, *, holiday_region: str | None = None) -> CompletedYear:
    """Complete a load curve to 12 months for annual PV figures.

    A curve of at least a year is cut to its last 12 months. A shorter one is extended to the
    12 months from its first local day; missing intervals (gaps and the uncovered months) are
    filled with the BDEW H25 shape scaled to the household: factor = measured energy / H25 weight
    of the measured intervals. The filled intervals are flagged.
    """
    data = curve.data["energy_kwh"]
    tz = str(data.index.tz)
    minutes = int(curve.interval_minutes)
    first_valid = data.first_valid_index()
    last_valid = data.last_valid_index()
    if first_valid is None:
        raise AdvisorError("the load curve holds no measured energy; PV self-consumption needs a load")
    end_local = (last_valid + pd.Timedelta(minutes=minutes)).tz_convert(tz)
    start_local = first_valid.tz_convert(tz)
    if end_local - start_local >= pd.Timedelta(days=365):
        end = (
            pd.Timestamp(end_local.date()).tz_localize(tz) if end_local.time() != pd.Timestamp(0).time() else end_local
        )
        start = (pd.Timestamp(end.tz_localize(None)) - pd.DateOffset(years=1)).tz_localize(tz)
    else:
        start = pd.Timestamp(start_local.date()).tz_localize(tz)
        end = (pd.Timestamp(start.tz_localize(None)) + pd.DateOffset(years=1)).tz_localize(tz)
    index = pd.date_range(start, end, freq=f"{minutes}min", inclusive="left")
    values = data.reindex(index)
    filled = values.isna()
    region = holiday_region or getattr(curve.meta, "holiday_region", None) or "DE-NW"
    if filled.any():
        shape = bdew_shape(index, profile="H25", holiday_region=region)
        measured_w = float(shape[~filled].sum())
        factor = float(values[~filled].sum()) / measured_w if measured_w > 0 else 0.0
        values = values.where(~filled, shape * factor)
        share = float(values[filled].sum() / values.sum()) if values.sum() > 0 else 1.0
        method = Message(
            "pv.year.filled",
            n=int(filled.sum()),
            total=len(filled),
            share=share,
            start=index[0].date(),
            end=index[-1].date(),
        )
        if share > 0.5:
            warnings.warn(f"PV figures rest mostly on a standard profile: {method}", DataQualityWarning, stacklevel=2)
    else:
        share = 0.0
        method = Message("pv.year.measured")
    return CompletedYear(
        energy_kwh=values.rename("energy_kwh"),
        filled=filled.rename("filled"),
        filled_share=share,
        method=method,
    )


# ----------------------------------------------------------------------------- self-consumption


@dataclass(frozen=True, eq=False)
class SelfConsumptionResult:
    """Energy flows of a household with PV (and optionally a battery), per interval and totals.

    Attributes
    ----------
    flows
        Per interval [kWh]: ``load_kwh, pv_kwh, direct_kwh`` (PV used at once),
        ``battery_charge_kwh`` (PV into the battery), ``battery_discharge_kwh`` (battery to
        load), ``feed_in_kwh``, ``curtailed_kwh`` (feed-in cap), ``grid_import_kwh``,
        ``soc_kwh`` (state of charge at interval end). A DataFrame built on first access from
        :attr:`columns` (a sizing sweep makes a few dozen results per household and reads the
        frame of one or two).
    load_kwh, pv_kwh
        Totals over the index [kWh].
    direct_self_consumption_kwh
        PV used in the same interval [kWh].
    battery_discharge_kwh, battery_charge_kwh, battery_losses_kwh
        Battery totals [kWh]; losses = charge - discharge - (final - initial state of charge).
    self_consumed_kwh
        PV energy used by the household, directly or via the battery [kWh].
    feed_in_kwh, curtailed_kwh, grid_import_kwh
        Totals [kWh].
    self_consumption_share
        (Direct + PV into the battery) / PV [0..1] (Eigenverbrauchsanteil).
    autarky_share
        Load covered by PV and battery / load [0..1].
    interval_minutes
        Interval length [min].
    columns
        The per-interval arrays of :data:`FLOW_COLUMNS`, in that order (read-only; results of
        one sweep share the load and PV arrays).
    index
        Interval starts of the flows.
    """

    load_kwh: float
    pv_kwh: float
    direct_self_consumption_kwh: float
    battery_charge_kwh: float
    battery_discharge_kwh: float
    battery_losses_kwh: float
    self_consumed_kwh: float
    feed_in_kwh: float
    curtailed_kwh: float
    grid_import_kwh: float
    self_consumption_share: float
    autarky_share: float
    interval_minutes: int
    notes: tuple[str, ...] = field(default=())
    columns: tuple[np.ndarray, ...] = field(default=(), repr=False)
    index: pd.DatetimeIndex | None = field(default=None, repr=False)

    @property
    def flows(self) -> pd.DataFrame:
        """Per-interval flows [kWh] (see the class attributes), built once."""
        frame = self.__dict__.get("_flows")
        if frame is None:
            frame = pd.DataFrame(
                np.vstack(self.columns).T, index=self.index, columns=list(FLOW_COLUMNS), copy=False
            )  # one float block, owned by the frame
            object.__setattr__(self, "_flows", frame)
        return frame

    def values(self, name: str) -> np.ndarray:
        """One per-interval column of :data:`FLOW_COLUMNS` as an array (no frame is built)."""
        return self.columns[FLOW_COLUMNS.index(name)]


#: Columns of :attr:`SelfConsumptionResult.flows`, in order [kWh per interval; ``soc_kwh``: kWh].
FLOW_COLUMNS = (
    "load_kwh",
    "pv_kwh",
    "direct_kwh",
    "battery_charge_kwh",
    "battery_discharge_kwh",
    "feed_in_kwh",
    "curtailed_kwh",
    "grid_import_kwh",
    "soc_kwh",
)


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class PreparedLoad:
    """A household load checked once, for the many flows of a sizing sweep.

    Made by :func:`prepare_load`; :func:`self_consumption` accepts it in place of the load and
    then skips the checks. ``pv_values`` aligns a PV result once per system size and
    ``flows`` computes one configuration on it.

    Attributes
    ----------
    energy_kwh
        Load per interval [kWh] (gap-free, >= 0).
    values
        The same as a read-only float array.
    interval_minutes
        Interval length [min].
    notes
        Notes every result on this load carries (how the year was completed).
    """

    energy_kwh: pd.Series
    values: np.ndarray
    interval_minutes: int
    notes: tuple[str, ...] = ()

    @property
    def index(self) -> pd.DatetimeIndex:
        return self.energy_kwh.index

    def pv_values(self, pv) -> np.ndarray:
        """PV energy [kWh per interval] on the load's intervals, negatives clipped (read-only)."""
        pv_s = pv_on_index(pv, self.energy_kwh.index)
        return _read_only(np.clip(pv_s.to_numpy(dtype=float), 0.0, None))

    def flows(
        self, pv_values: np.ndarray, battery=None, *, feed_in_limit_kw: float | None = None, full_feed_in: bool = False
    ) -> SelfConsumptionResult:
        """The flows of one configuration on PV from :meth:`pv_values` (see :func:`self_consumption`)."""
        return _flows(self, pv_values, battery, feed_in_limit_kw, full_feed_in)

    def split(self, pv_values: np.ndarray, full_feed_in: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(direct use, PV surplus, deficit) [kWh per interval], kept for the last PV values
        (the battery sizes of one system size share them)."""
        key = (id(pv_values), bool(full_feed_in))
        last = self.__dict__.get("_split")
        if last is not None and last[0] == key and last[1] is pv_values:
            return last[2]
        load_a = self.values
        direct = np.zeros_like(load_a) if full_feed_in else np.minimum(load_a, pv_values)
        parts = tuple(_read_only(a) for a in (direct, pv_values - direct, load_a - direct))
        object.__setattr__(self, "_split", (key, pv_values, parts))
        return parts

    def runs(self, pv_values: np.ndarray):
        """:func:`advisor.battery.dispatch_runs` of the flows of :meth:`split` (shared by battery sizes)."""
        parts = self.split(pv_values, False)
        last = self.__dict__.get("_runs")
        if last is not None and last[0] is parts:
            return last[1]
        runs = dispatch_runs(parts[1], parts[2])
        object.__setattr__(self, "_runs", (parts, runs))  # tied to the split it was made from
        return runs


def prepare_load(load) -> PreparedLoad:
    """Check a household load once for :func:`self_consumption` (see its ``load``).

    Raises
    ------
    AdvisorError
        Naive index, missing intervals or negative values.
    """
    if isinstance(load, PreparedLoad):
        return load
    notes: list[str] = []
    if isinstance(load, CompletedYear):
        load_s = load.energy_kwh
        if load.filled_share > 0:
            notes.append(load.method)
    elif hasattr(load, "data") and hasattr(load, "interval_minutes"):
        load_s = load.data["energy_kwh"]
    else:
        load_s = pd.Series(load)
    if not isinstance(load_s.index, pd.DatetimeIndex) or load_s.index.tz is None:
        raise AdvisorError("`load` must have a tz-aware index (interval starts)")
    if load_s.isna().any():
        raise AdvisorError(
            f"`load` has {int(load_s.isna().sum())} missing intervals; fill them first (advisor.pv.complete_year fills with the BDEW H25 shape)"
        )
    if (load_s < 0).any():
        raise AdvisorError("`load` must be consumption (>= 0 kWh per interval)")
    minutes = infer_interval_minutes(load_s.index) or 15
    return PreparedLoad(load_s, _read_only(load_s.to_numpy(dtype=float, copy=True)), int(minutes), tuple(notes))


def self_consumption(
    load, pv, battery=None, *, feed_in_limit_kw: float | None = None, full_feed_in: bool = False
) -> SelfConsumptionResult:
    """Direct self-consumption, battery dispatch, feed-in and grid import on the real curve.

    Parameters
    ----------
    load
        Household load: a :class:`~advisor.loadcurve.LoadCurve` (missing intervals must be
        filled first, e.g. with :func:`complete_year`), a :class:`CompletedYear`, a Series of
        kWh per interval with a tz-aware index, or a :class:`PreparedLoad` of one of them.
    pv
        PV generation: a :class:`PVResult` or a Series [kWh per interval]; aligned to the load's
        index by instant.
    battery
        A :class:`advisor.battery.BatterySpec` or None. Self-consumption strategy: charge from
        PV surplus only, discharge to cover the load only.
    feed_in_limit_kw
        Grid feed-in cap [kW] (e.g. 60 % of kWp without smart meter and control box), applied
        interval by interval: PV above it that neither the load nor the battery takes is
        curtailed (``curtailed = max(0, export - cap × interval hours)``).
    full_feed_in
        Volleinspeisung: all PV goes to the grid (own meter), the household buys all its load;
        the cap then applies to the PV itself and there is no self-consumption or battery.

    Returns
    -------
    SelfConsumptionResult
    """
    prepared = prepare_load(load)
    return _flows(prepared, prepared.pv_values(pv), battery, feed_in_limit_kw, full_feed_in)


def _flows(
    load: PreparedLoad, pv_a: np.ndarray, battery, feed_in_limit_kw: float | None, full_feed_in: bool
) -> SelfConsumptionResult:
    minutes = load.interval_minutes
    hours = interval_hours(minutes)
    load_a = load.values
    if len(pv_a) != len(load_a):
        raise AdvisorError(f"PV values ({len(pv_a)}) and load ({len(load_a)}) differ in length")
    direct, surplus, deficit = load.split(pv_a, full_feed_in)
    if battery is not None and battery.capacity_kwh > 0 and not full_feed_in:
        disp = dispatch_battery(surplus, deficit, battery, interval_minutes=minutes, runs=load.runs(pv_a))
        charge, discharge, soc = disp.charge_kwh, disp.discharge_kwh, disp.soc_kwh
        initial_soc = disp.initial_soc_kwh
    else:
        charge = np.zeros_like(load_a)
        discharge = charge
        soc = charge
        initial_soc = 0.0
    export = surplus - charge
    if feed_in_limit_kw is not None:
        cap = feed_in_limit_kw * hours
        curtailed = np.clip(export - cap, 0.0, None)
        export = export - curtailed
    else:
        curtailed = np.zeros_like(export)
    grid_import = deficit - discharge
    columns = tuple(
        _read_only(a) for a in (load_a, pv_a, direct, charge, discharge, export, curtailed, grid_import, soc)
    )
    total_load = float(load_a.sum())
    total_pv = float(pv_a.sum())
    d = float(direct.sum())
    ch = float(charge.sum())
    dis = float(discharge.sum())
    final_soc = float(soc[-1]) if len(soc) else 0.0
    losses = ch - dis - (final_soc - initial_soc)
    self_consumed = d + dis
    return SelfConsumptionResult(
        load_kwh=total_load,
        pv_kwh=total_pv,
        direct_self_consumption_kwh=d,
        battery_charge_kwh=ch,
        battery_discharge_kwh=dis,
        battery_losses_kwh=losses,
        self_consumed_kwh=self_consumed,
        feed_in_kwh=float(export.sum()),
        curtailed_kwh=float(curtailed.sum()),
        grid_import_kwh=float(grid_import.sum()),
        self_consumption_share=(d + ch) / total_pv if total_pv > 0 else 0.0,
        autarky_share=self_consumed / total_load if total_load > 0 else 0.0,
        interval_minutes=int(minutes),
        notes=load.notes,
        columns=columns,
        index=load.energy_kwh.index,
    )
