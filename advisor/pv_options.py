"""The one PV orchestration: which rooftop, battery and balcony options a household has.

``advisor pv``, the app's solar page and the household assessment (report, letters, batch) all
call :func:`pv_options`. It completes the household year, builds the weather on the household's
own index, sweeps roof sizes x battery sizes on the household's roof orientation, recommends a
battery only when one pays, evaluates balcony devices, and carries the resolution bias of the
curve. Its defaults (tilt, azimuth, kWp grid, battery and balcony sizes, bias ranges) come in as
:class:`PVDefaults`, built from the seeds (or from the lead's settings object), never literals.

Battery rule: among the battery sizes for the recommended roof size, the one with the highest
NPV *among those whose NPV exceeds the same roof without a battery* is recommended; when none
does, no battery is recommended (``BatteryChoice.recommended is None``).

Resolution bias: hourly (and half-hourly) curves overstate self-consumption and autarky against
measurements at minute resolution, because short peaks are averaged away. The result carries the
seeded range (in percentage points) so app and report can show it; 15-min curves carry the
smaller 15-min range.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pandas as pd

from advisor.battery import BatterySpec
from advisor.economics import (
    EconomicsError,
    EconomicsSettings,
    NegativePriceHours,
    PVOption,
    evaluate_pv,
    negative_price_hours,
    size_pv,
)
from advisor.errors import DataQualityWarning
from advisor.pv import (
    DEFAULT_CACHE,
    BalconySpec,
    CompletedYear,
    PVProfileCache,
    PVSystemSpec,
    complete_year,
    prepare_load,
    simulate_pv,
)
from advisor.tariffs import parse_day_ahead_prices
from advisor.weather import typical_weather


@dataclass(frozen=True)
class ResolutionBias:
    """How much the curve's resolution overstates self-consumption and autarky.

    Attributes
    ----------
    interval_minutes
        The curve's interval [min].
    self_consumption_pp, autarky_pp
        Range (low, high) by which the simulated figure may exceed one at minute resolution
        [percentage points]; subtract to get the range of the true figure.
    source
        Citation.
    """

    interval_minutes: int
    self_consumption_pp: tuple[float, float]
    autarky_pp: tuple[float, float]
    source: str

    def self_consumption_range(self, share: float) -> tuple[float, float]:
        """Range of the self-consumption share at minute resolution [0..1]."""
        return (
            max(0.0, share - self.self_consumption_pp[1] / 100.0),
            max(0.0, share - self.self_consumption_pp[0] / 100.0),
        )

    def autarky_range(self, share: float) -> tuple[float, float]:
        """Range of the autarky share at minute resolution [0..1]."""
        return (max(0.0, share - self.autarky_pp[1] / 100.0), max(0.0, share - self.autarky_pp[0] / 100.0))


@dataclass(frozen=True)
class PVDefaults:
    """PV defaults of one household (from the seeds, or the household settings object).

    Attributes
    ----------
    tilt_deg, azimuth_deg
        Roof orientation when the household gave none [°] (azimuth 180 = south).
    roof_kwp_grid
        Roof sizes to sweep [kWp].
    battery_kwh_grid
        Battery sizes to sweep [kWh], 0 included.
    balcony_module_wp_grid
        Balcony module powers to evaluate [Wp].
    balcony_tilt_deg, balcony_azimuth_deg
        Balcony orientation when none given [°].
    balcony_max_inverter_va
        Legal inverter limit of a balcony device [VA].
    m2_per_kwp
        Roof area per kWp [m²/kWp] (bounds the sizes when the usable roof area is known).
    germany_ghi_kwh_per_m2
        Irradiance reference the TRY is scaled to [kWh/m²/yr]; None: raw TRY.
    battery_template
        Efficiency and ageing of a battery (capacity replaced per size).
    bias_hourly, bias_quarter_hourly
        (self-consumption low, high, autarky low, high) [pp] without battery; with a battery
        half of it (a battery evens out short peaks).
    bias_source
        Citation of the bias ranges.
    balcony_east_west
        Balcony modules split east/west of the balcony azimuth.
    """

    tilt_deg: float
    azimuth_deg: float
    roof_kwp_grid: tuple[float, ...]
    battery_kwh_grid: tuple[float, ...]
    balcony_module_wp_grid: tuple[float, ...]
    balcony_tilt_deg: float
    balcony_azimuth_deg: float
    balcony_max_inverter_va: float
    m2_per_kwp: float
    germany_ghi_kwh_per_m2: float | None
    battery_template: BatterySpec = field(default_factory=lambda: BatterySpec(1.0))
    bias_hourly: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    bias_quarter_hourly: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    bias_source: str = ""
    balcony_east_west: bool = False

    @classmethod
    def from_seeds(cls, seeds, household=None, **overrides) -> PVDefaults:
        """Defaults from ``seeds/pv.toml`` and ``seeds/weather.toml``; the household's roof wins."""
        v = seeds.value

        def get(key: str, fallback):
            return v(key) if key in seeds.values else fallback

        roof = getattr(household, "roof", None)
        tilt = float(get("pv.default_tilt_deg", 35.0))
        azimuth = float(get("pv.default_azimuth_deg", 180.0))
        if roof is not None and roof.tilt_deg is not None:
            tilt = float(roof.tilt_deg)
        if roof is not None and roof.azimuth_deg is not None:
            azimuth = float(roof.azimuth_deg)
        values = {
            "tilt_deg": tilt,
            "azimuth_deg": azimuth,
            "roof_kwp_grid": tuple(float(x) for x in get("pv.roof_kwp_grid", (2, 3, 4, 5, 6, 7, 8, 10, 12, 15))),
            "battery_kwh_grid": tuple(float(x) for x in v("pv.battery_kwh_grid")),
            "balcony_module_wp_grid": tuple(
                float(x) for x in get("pv.balcony_module_wp_grid", (400, 800, 1200, 1600, 2000))
            ),
            "balcony_tilt_deg": float(get("pv.balcony_default_tilt_deg", 90.0)),
            "balcony_azimuth_deg": float(get("pv.balcony_default_azimuth_deg", 180.0)),
            "balcony_max_inverter_va": float(v("pv.balcony_max_inverter_va")),
            "m2_per_kwp": float(get("pv.m2_per_kwp", 5.0)),
            "germany_ghi_kwh_per_m2": float(v("weather.germany_mean_annual_ghi_kwh_per_m2")),
            "battery_template": BatterySpec.from_seeds(1.0, seeds),
            "bias_hourly": tuple(float(x) for x in v("pv.resolution_bias_hourly_pp")),
            "bias_quarter_hourly": tuple(float(x) for x in v("pv.resolution_bias_15min_pp")),
            "bias_source": seeds.entry("pv.resolution_bias_hourly_pp").cite(),
        }
        values.update(overrides)
        return cls(**values)

    def max_kwp(self, household) -> float | None:
        """Largest roof size the household's usable roof area allows [kWp], or None."""
        roof = getattr(household, "roof", None)
        area = getattr(roof, "usable_area_m2", None) if roof is not None else None
        return float(area) / self.m2_per_kwp if area else None

    def resolution_bias(self, interval_minutes: int, battery: bool) -> ResolutionBias:
        """The bias range for a curve of ``interval_minutes`` (with or without a battery)."""
        base = self.bias_hourly if interval_minutes >= 30 else self.bias_quarter_hourly
        f = 0.5 if battery else 1.0
        return ResolutionBias(
            interval_minutes=int(interval_minutes),
            self_consumption_pp=(base[0] * f, base[1] * f),
            autarky_pp=(base[2] * f, base[3] * f),
            source=self.bias_source,
        )


@dataclass(frozen=True)
class BatteryChoice:
    """Battery sizes evaluated on one roof size, and the recommendation.

    Attributes
    ----------
    roof_kwp
        The roof size the batteries were evaluated with [kWp].
    options
        One option per battery size (0 kWh included), ascending.
    recommended
        The size with the highest NPV among those whose NPV exceeds the roof alone; None when
        no battery pays.
    """

    roof_kwp: float
    options: tuple[PVOption, ...]
    recommended: PVOption | None

    @property
    def recommended_kwh(self) -> float:
        return 0.0 if self.recommended is None else self.recommended.battery_kwh


@dataclass(frozen=True)
class PVOptions:
    """Everything the PV orchestration found for one household.

    Attributes
    ----------
    year
        The completed household year the flows were computed on.
    weather
        Weather on the year's index.
    sweep
        All roof options evaluated (sizes x batteries), in grid order.
    best_roof
        The roof option without battery with the highest NPV (None when no roof applies).
    battery
        Battery sizes on ``best_roof``'s size and the recommendation (None without roof).
    balcony
        Balcony devices evaluated (module power grid), in grid order.
    best_balcony
        The balcony device with the highest NPV (None when balcony PV does not apply).
    chosen
        The configuration that was asked for, evaluated (None when none was asked).
    resolution_bias
        Bias of the curve's resolution for options without and with a battery.
    notes
        How the year was completed and what else the figures rest on (English).
    """

    year: CompletedYear
    weather: pd.DataFrame = field(repr=False)
    sweep: tuple[PVOption, ...]
    best_roof: PVOption | None
    battery: BatteryChoice | None
    balcony: tuple[PVOption, ...]
    best_balcony: PVOption | None
    chosen: PVOption | None
    resolution_bias: tuple[ResolutionBias, ResolutionBias]
    notes: tuple[str, ...] = ()

    def bias_for(self, option: PVOption) -> ResolutionBias:
        return self.resolution_bias[1 if option.battery_kwh > 0 else 0]

    def row(self, option: PVOption) -> dict:
        """``option.to_row()`` with the resolution-bias ranges of its shares."""
        return replace(option, resolution_bias=self.bias_for(option)).to_row()

    def with_bias(self, option: PVOption) -> PVOption:
        """The option carrying its resolution bias (``to_row`` then has the share ranges)."""
        return replace(option, resolution_bias=self.bias_for(option))

    def for_assessment(self) -> tuple[PVOption, ...]:
        """Best roof without battery, the recommended battery option (if one pays), best balcony;
        each carries its resolution bias (app and report show the ranges)."""
        out = [o for o in (self.best_roof,) if o is not None]
        if self.battery is not None and self.battery.recommended is not None:
            out.append(self.battery.recommended)
        if self.best_balcony is not None:
            out.append(self.best_balcony)
        return tuple(self.with_bias(o) for o in out)


def _battery(template: BatterySpec, kwh: float) -> BatterySpec | None:
    if kwh <= 0:
        return None
    return replace(template, capacity_kwh=float(kwh), charge_power_kw=None, discharge_power_kw=None)


def _best(options) -> PVOption | None:
    finite = [o for o in options if o.economics.npv_eur == o.economics.npv_eur]
    return max(finite, key=lambda o: o.economics.npv_eur) if finite else None


def choose_battery(roof_kwp: float, options) -> BatteryChoice:
    """Recommend a battery among ``options`` of one roof size (0 kWh must be among them)."""
    same = sorted((o for o in options if abs(o.peak_kw - roof_kwp) < 1e-9), key=lambda o: o.battery_kwh)
    base = next((o for o in same if o.battery_kwh == 0), None)
    if base is None:
        raise EconomicsError(f"battery choice needs the {roof_kwp:g} kWp roof without battery among the options")
    paying = [o for o in same if o.battery_kwh > 0 and o.economics.npv_eur > base.economics.npv_eur]
    return BatteryChoice(roof_kwp=float(roof_kwp), options=tuple(same), recommended=_best(paying))


def pv_options(
    load,
    *,
    latitude: float,
    longitude: float,
    economics: EconomicsSettings,
    defaults: PVDefaults,
    household=None,
    roof: bool = True,
    balcony: bool = True,
    sweep: bool = True,
    battery_sweep: str = "best",
    line_battery_kwh: float | None = None,
    balcony_battery_kwh: float = 0.0,
    chosen: PVSystemSpec | BalconySpec | None = None,
    chosen_battery_kwh: float = 0.0,
    weather: pd.DataFrame | None = None,
    prices=None,
    cache: PVProfileCache | None = None,
) -> PVOptions:
    """Simulate the household's PV options (the one orchestration of app, CLI and assessment).

    Parameters
    ----------
    load
        The household's :class:`~advisor.loadcurve.LoadCurve` or an already completed year.
    latitude, longitude
        Site [°].
    economics
        Economic assumptions (:meth:`EconomicsSettings.from_seeds`).
    defaults
        PV defaults (:meth:`PVDefaults.from_seeds` or the settings object's).
    household
        For the usable roof area (bounds the roof sizes).
    roof, balcony
        Which products apply.
    sweep
        Sweep roof sizes (and batteries) and balcony sizes; False evaluates only ``chosen``.
    battery_sweep
        ``"best"``: roof sizes without battery (and with ``line_battery_kwh`` when given, for a
        second line in a chart), then every battery size on the best roof size; ``"all"``: every
        roof size x every battery size (the full sizing sweep).
    balcony_battery_kwh
        A plug-in battery evaluated with every balcony device [kWh] (0: none).
    chosen, chosen_battery_kwh
        A configuration asked for (evaluated as well).
    weather
        Weather on the year's index (e.g. from a PVGIS file); default: the TRY of the site,
        scaled to ``defaults.germany_ghi_kwh_per_m2``.
    prices
        Day-ahead prices for the negative-price hours; None: the seeded table.
    """
    notes: list[str] = []
    if isinstance(load, CompletedYear):
        year = load
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataQualityWarning)
            year = complete_year(load)
        notes += [f"warning: {w.message}" for w in caught if issubclass(w.category, DataQualityWarning)]
    if year.filled_share > 0:
        notes.append(year.method)
    index = year.energy_kwh.index
    if weather is None:
        ref = defaults.germany_ghi_kwh_per_m2
        weather = typical_weather(latitude, longitude, index, scaled=ref is not None, germany_ghi_kwh_per_m2=ref)
    cache = cache if cache is not None else DEFAULT_CACHE
    if prices is not None and not isinstance(prices, NegativePriceHours):
        prices = negative_price_hours(index, parse_day_ahead_prices(prices))
    minutes = int(round((index[1] - index[0]) / pd.Timedelta(minutes=1)))
    bias = (defaults.resolution_bias(minutes, battery=False), defaults.resolution_bias(minutes, battery=True))
    template = defaults.battery_template
    if (sweep and (roof or balcony)) or chosen is not None:
        year_load = prepare_load(year)  # checked once for every configuration below
    else:
        year_load = year

    grid_sweep: tuple[PVOption, ...] = ()
    best_roof = None
    battery_choice = None
    if roof and sweep:
        base = PVSystemSpec.single(1.0, tilt_deg=defaults.tilt_deg, azimuth_deg=defaults.azimuth_deg)
        if isinstance(chosen, PVSystemSpec) and chosen.kind == "rooftop":
            base = chosen.scaled(1.0)
        max_kwp = defaults.max_kwp(household)
        grid = tuple(k for k in defaults.roof_kwp_grid if max_kwp is None or k <= max_kwp) or (
            min(defaults.roof_kwp_grid),
        )
        batteries = tuple(sorted(set((0.0, *defaults.battery_kwh_grid))))
        if battery_sweep not in ("best", "all"):
            raise EconomicsError(f"`battery_sweep` must be 'best' or 'all'; got {battery_sweep!r}")
        first = batteries if battery_sweep == "all" else tuple(sorted({0.0, float(line_battery_kwh or 0.0)}))

        def sweep_of(kwps, kwhs):
            return tuple(
                size_pv(year_load, weather, economics, base_spec=base, kwp_grid=kwps, battery_grid=kwhs,
                        top=len(kwps) * len(kwhs), prices=prices, battery_template=template, cache=cache,
                        order="grid")
            )  # fmt: skip

        grid_sweep = sweep_of(grid, first)
        best_roof = _best([o for o in grid_sweep if o.battery_kwh == 0])
        if best_roof is not None:
            on_best = [o for o in grid_sweep if abs(o.peak_kw - best_roof.peak_kw) < 1e-9]
            missing = tuple(k for k in batteries if not any(abs(o.battery_kwh - k) < 1e-9 for o in on_best))
            extra = sweep_of((best_roof.peak_kw,), missing) if missing else ()
            battery_choice = choose_battery(best_roof.peak_kw, [*on_best, *extra])
    balcony_opts: tuple[PVOption, ...] = ()
    if balcony and sweep:
        balcony_opts = tuple(
            evaluate_pv(
                year_load,
                weather,
                BalconySpec(
                    module_wp=wp,
                    inverter_va=defaults.balcony_max_inverter_va,
                    tilt_deg=defaults.balcony_tilt_deg,
                    azimuth_deg=defaults.balcony_azimuth_deg,
                    east_west=defaults.balcony_east_west,
                ).to_system(),
                economics,
                battery=_battery(template, balcony_battery_kwh),
                prices=prices,
                cache=cache,
            )
            for wp in defaults.balcony_module_wp_grid
        )
    best_balcony = _best(balcony_opts)
    chosen_opt = None
    if chosen is not None:
        spec = chosen.to_system() if isinstance(chosen, BalconySpec) else chosen
        chosen_opt = evaluate_pv(
            year_load,
            weather,
            spec,
            economics,
            battery=_battery(template, chosen_battery_kwh),
            prices=prices,
            cache=cache,
        )
    return PVOptions(
        year=year,
        weather=weather,
        sweep=grid_sweep,
        best_roof=best_roof,
        battery=battery_choice,
        balcony=balcony_opts,
        best_balcony=best_balcony,
        chosen=chosen_opt,
        resolution_bias=bias,
        notes=tuple(notes),
    )


#: The reference year grid of the specific yield: what ``advisor pv --kwp 1`` simulates without a load file.
YIELD_TZ = "Europe/Berlin"
YIELD_FREQ = "15min"


@lru_cache(maxsize=64)
def _specific_yield(lat: float, lon: float, tilt: float, azimuth: float, ghi: float | None, year: int) -> float:
    index = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq=YIELD_FREQ, inclusive="left", tz=YIELD_TZ)
    wx = typical_weather(lat, lon, index, scaled=ghi is not None, germany_ghi_kwh_per_m2=ghi)
    return float(simulate_pv(PVSystemSpec.single(1.0, tilt_deg=tilt, azimuth_deg=azimuth), wx).specific_yield_kwh_per_kwp)


def specific_yield_kwh_per_kwp(latitude: float, longitude: float, defaults: PVDefaults, year: int) -> float:
    """Yield of 1 kWp on the household's roof (or the default roof) [kWh/kWp/yr], before clipping and
    curtailment: the typical-year weather of the site, scaled to ``defaults.germany_ghi_kwh_per_m2``,
    on the quarter-hours of ``year`` — exactly what ``advisor pv --kwp 1`` prints for the same site
    and roof. Cached per site, roof, reference and year (batch households share it)."""
    return _specific_yield(
        round(float(latitude), 4),
        round(float(longitude), 4),
        float(defaults.tilt_deg),
        float(defaults.azimuth_deg),
        None if defaults.germany_ghi_kwh_per_m2 is None else float(defaults.germany_ghi_kwh_per_m2),
        int(year),
    )
