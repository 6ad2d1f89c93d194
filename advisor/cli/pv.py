"""``advisor pv [FILE]``: rooftop or balcony PV (and battery) on the household's own curve."""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path

import typer

from advisor.cli._common import (
    EARLIEST_OPTION,
    LABEL_OPTION,
    LATEST_OPTION,
    METER_ID_OPTION,
    REGION_OPTION,
    TZ_OPTION,
    read_options,
    to_json,
)
from advisor.ingest import ReadOptions


@dataclass(frozen=True)
class PVRequest:
    """Everything ``advisor pv`` was asked (bundled: more than five options)."""

    file: Path | None = None
    kwp: float | None = None
    tilt: float | None = None
    azimuth: float | None = None
    east_west: bool = False
    battery_kwh: float = 0.0
    balcony: bool = False
    module_wp: float = 800.0
    inverter_va: float | None = None
    inverter_kw: float | None = None
    losses_pct: float = 14.0
    lat: float | None = None
    lon: float | None = None
    plz: str | None = None
    raw_try: bool = False
    weather_file: Path | None = None
    prices_file: Path | None = None
    commissioning: dt.date | None = None
    full_feed_in: bool = False
    smart_meter: bool = False
    price_eur_per_kwh: float | None = None
    seeds_dir: Path | None = None
    read_options: ReadOptions | None = None
    out: Path | None = None


def _weather_for(request: PVRequest, index, lat: float, lon: float, germany_ghi_kwh_per_m2: float):
    from advisor import weather

    if request.weather_file is not None:
        from advisor.ingest.weather import read_weather_file

        # a DWD station near the site: its longitude is close to the site's (1 deg = 4 min)
        hourly = read_weather_file(request.weather_file, longitude=lon)
        wx = weather.weather_on_index(hourly, index, lat, lon)
        wx.attrs["source"] = hourly.attrs.get("source", str(request.weather_file))
        return wx
    return weather.typical_weather(
        lat, lon, index, scaled=not request.raw_try, germany_ghi_kwh_per_m2=germany_ghi_kwh_per_m2
    )


def run_pv(request: PVRequest) -> dict:
    """Run the ``advisor pv`` request: read, validate, simulate, value. Returns the JSON object.

    With ``out``, the interval series is written as CSV (``timestamp`` ISO 8601 with offset at the
    interval start, ``pv_kwh``; with a load curve also ``self_consumed_kwh, feed_in_kwh,
    grid_import_kwh, battery_soc_kwh, curtailed_kwh``); its ``pv_kwh`` sums to ``annual_yield_kwh``
    over a year.
    """
    # heavy imports (pvlib, pandas) here, not at module top: `advisor --help` stays fast
    import pandas as pd

    from advisor import economics as ec
    from advisor import pv as pvm
    from advisor.assessment import assessment_figures
    from advisor.errors import AdvisorError
    from advisor.household import Household, RoofSpec
    from advisor.ingest.prices import read_day_ahead_prices
    from advisor.pv_options import pv_options
    from advisor.seeds import load_seeds
    from advisor.settings import prepared_curve, resolve_settings
    from advisor.texts import Message, text_fields

    seeds = load_seeds(request.seeds_dir)
    notes: list = []  # rendered for JSON by text_fields: notes (English), notes_de, notes_en, notes_code
    if (request.lat is None) != (request.lon is None):
        raise AdvisorError("give both `--lat` and `--lon` (or `--plz`)")
    household = Household.from_mapping(
        {
            "latitude": request.lat,
            "longitude": request.lon,
            "postal_code": request.plz,
            "balcony": "yes" if request.balcony else None,
            "price_eur_per_kwh": request.price_eur_per_kwh,
            "roof_tilt_deg": request.tilt,
            "roof_azimuth_deg": request.azimuth,
        }
    )
    # the one settings resolution (site, holiday region, price, PV defaults), as recommend/batch/app
    hs = resolve_settings(seeds, household, as_of=request.commissioning)
    if hs.site.source == "stadtwerk_default":
        raise AdvisorError("the location is unknown: pass `--lat` and `--lon`, or `--plz` (e.g. --plz 44623 for Herne)")
    lat, lon = hs.site.latitude, hs.site.longitude
    if hs.site.source == "postal_code":
        notes.append(
            Message("pv.cli.location", plz=str(request.plz), place=hs.site.place, precision=Message(f"pv.cli.precision.{hs.site.precision}"))
        )
    roof = household.roof or RoofSpec()
    defaults = hs.pv
    if request.balcony:
        inverter_va = (
            request.inverter_va if request.inverter_va is not None else float(seeds.value("pv.balcony_max_inverter_va"))
        )
        bspec = pvm.BalconySpec(
            module_wp=request.module_wp if request.kwp is None else request.kwp * 1000.0,
            inverter_va=inverter_va,
            tilt_deg=roof.tilt_deg if roof.tilt_deg is not None else defaults.balcony_tilt_deg,
            azimuth_deg=roof.azimuth_deg if roof.azimuth_deg is not None else defaults.balcony_azimuth_deg,
            east_west=request.east_west,
            losses_pct=request.losses_pct,
        )
        notes += pvm.balcony_compliance(bspec, seeds)
        notes += [n.text for n in pvm.balcony_legal_notes(seeds)]
        spec = bspec.to_system()
    else:
        tilt, azimuth = defaults.tilt_deg, defaults.azimuth_deg  # the household's roof, else the seeds
        size = request.kwp if request.kwp is not None else 1.0
        kw = {"losses_pct": request.losses_pct, "inverter_kw": request.inverter_kw}
        if request.east_west:
            spec = pvm.PVSystemSpec.east_west(size, tilt_deg=tilt, azimuth_east_deg=(azimuth - 90) % 360, **kw)
        else:
            spec = pvm.PVSystemSpec.single(size, tilt_deg=tilt, azimuth_deg=azimuth, **kw)

    if request.file is None:
        if request.kwp is None and not request.balcony:
            raise AdvisorError("without a load FILE pass `--kwp` (e.g. --kwp 1 for the specific yield)")
        year = (request.commissioning or dt.date.today()).year
        index = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="15min", inclusive="left", tz="Europe/Berlin")
        wx = _weather_for(request, index, lat, lon, hs.germany_ghi_kwh_per_m2)
        result = pvm.simulate_pv(spec, wx)
        if request.out is not None:
            write_interval_csv(request.out, result.energy_kwh.to_frame("pv_kwh"))
        return {
            "kind": spec.kind,
            "peak_kw": spec.peak_kw,
            "latitude": lat,
            "longitude": lon,
            "weather_source": wx.attrs.get("source", ""),
            "weather_scaled": bool(wx.attrs.get("scaled", False)),
            "annual_yield_kwh": result.annual_yield_kwh,
            "specific_yield_kwh_per_kwp": result.specific_yield_kwh_per_kwp,
            "peak_ac_kw": result.peak_ac_kw,
            "clipped_kwh": result.clipped_kwh,
            **text_fields("notes", notes + list(result.notes)),
        }

    from advisor.ingest import read_load_curve

    curve = read_load_curve(request.file, request.read_options)
    hs = resolve_settings(seeds, household, curve=curve, as_of=request.commissioning)
    curve = prepared_curve(curve, hs)
    figures = assessment_figures(curve, hs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        year_load = pvm.complete_year(curve)
    standard = [w for w in caught if "standard profile" in str(w.message)]
    if standard:
        notes.append(Message("pv.cli.mostly_standard_profile", method=year_load.method))
    if year_load.filled_share > 0 and not caught:
        notes.append(year_load.method)
    wx = _weather_for(request, year_load.energy_kwh.index, lat, lon, hs.germany_ghi_kwh_per_m2)
    settings = ec.EconomicsSettings.from_seeds(
        seeds,
        commissioning=request.commissioning,
        household=household,
        price_eur_per_kwh=hs.work_price_eur_per_kwh,
        full_feed_in=request.full_feed_in,
        smart_meter_control=request.smart_meter,
    )
    prices = read_day_ahead_prices(request.prices_file) if request.prices_file is not None else None
    sizing = request.kwp is None and not request.balcony
    found = pv_options(
        year_load,
        latitude=lat,
        longitude=lon,
        economics=settings,
        defaults=defaults,
        household=household,
        roof=sizing,
        balcony=False,
        sweep=sizing,
        battery_sweep="all",
        chosen=None if sizing else spec,
        chosen_battery_kwh=request.battery_kwh,
        weather=wx,
        prices=prices,
    )
    options_rows = []
    if sizing:
        best = found.best_roof
        rec = found.battery.recommended if found.battery is not None else None
        ranked = sorted(found.sweep, key=lambda o: -o.economics.npv_eur)
        options_rows = [found.row(o) for o in ranked[:3]]
        if rec is not None:
            best = rec
        kwps = sorted({o.peak_kw for o in found.sweep})
        kwhs = sorted({o.battery_kwh for o in found.sweep})
        notes.append(
            Message(
                "pv.cli.sized",
                kwp_min=kwps[0],
                kwp_max=kwps[-1],
                kwh_min=kwhs[0],
                kwh_max=kwhs[-1],
                battery=(
                    Message("pv.cli.battery_pays", kwh=rec.battery_kwh, kwp=rec.peak_kw)
                    if rec is not None
                    else Message("pv.cli.no_battery_pays")
                ),
            )
        )
    else:
        best = found.chosen
    row = found.row(best)
    bias = found.bias_for(best)
    if bias.interval_minutes >= 30:
        lo, hi = row["self_consumption_share_range"]
        a_lo, a_hi = row["autarky_share_range"]
        notes.append(
            Message(
                "pv.cli.resolution_bias",
                minutes=bias.interval_minutes,
                sc_low=lo,
                sc_high=hi,
                autarky_low=a_lo,
                autarky_high=a_hi,
                source=bias.source,
            )
        )
    if request.out is not None:
        flows = best.flows.flows
        write_interval_csv(
            request.out,
            pd.DataFrame(
                {
                    "pv_kwh": flows["pv_kwh"],
                    "self_consumed_kwh": flows["direct_kwh"] + flows["battery_discharge_kwh"],
                    "feed_in_kwh": flows["feed_in_kwh"],
                    "grid_import_kwh": flows["grid_import_kwh"],
                    "battery_soc_kwh": flows["soc_kwh"],
                    "curtailed_kwh": flows["curtailed_kwh"],
                },
                index=flows.index,
            ),
        )
    return {
        "assessment": figures.to_dict(),
        **row,
        "latitude": lat,
        "longitude": lon,
        "weather_source": wx.attrs.get("source", ""),
        "weather_scaled": bool(wx.attrs.get("scaled", False)),
        "load_kwh": best.flows.load_kwh,
        "self_consumed_kwh": best.flows.self_consumed_kwh,
        "year_filled_share": year_load.filled_share,
        "battery_recommended_kwh": found.battery.recommended_kwh if found.battery is not None else None,
        "battery_options": [found.row(o) for o in found.battery.options] if found.battery is not None else [],
        "options": options_rows,
        **text_fields("assumptions", list(best.economics.assumptions)),
        **text_fields("notes", notes + list(best.pv.notes)),
    }


def write_interval_csv(path: Path, frame) -> None:
    """The interval series as CSV: ``timestamp`` (ISO 8601 with offset, interval start) and kWh columns."""
    from advisor.errors import AdvisorError

    out = frame.copy()
    stamps = out.index.map(lambda t: t.isoformat())
    out.insert(0, "timestamp", stamps)
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        out.to_csv(path, index=False, float_format="%.6f")
    except OSError as exc:
        raise AdvisorError(f"{path}: cannot write the interval series: {exc}") from exc


def register(app: typer.Typer) -> None:
    @app.command("pv")
    def pv_command(
        file: Path | None = typer.Argument(
            None, help="Meter file of the household (optional: without it only the yield)."
        ),
        kwp: float | None = typer.Option(None, "--kwp", help="PV size (kWp). With FILE and without --kwp: size it."),
        tilt: float | None = typer.Option(None, "--tilt", help="Tilt (deg); default roof tilt or 35 (balcony 90)."),
        azimuth: float | None = typer.Option(None, "--azimuth", help="Azimuth (deg), 180 = south, 90 east."),
        east_west: bool = typer.Option(False, "--east-west", help="Split the modules half east, half west."),
        battery_kwh: float = typer.Option(0.0, "--battery-kwh", help="Battery capacity (kWh); 0 = none."),
        balcony: bool = typer.Option(False, "--balcony", help="Balcony PV (Steckersolargeraet, 800 VA)."),
        module_wp: float = typer.Option(800.0, "--module-wp", help="Balcony: module power (Wp)."),
        inverter_va: float | None = typer.Option(
            None, "--inverter-va", help="Balcony: inverter (VA); default the legal 800."
        ),
        inverter_kw: float | None = typer.Option(None, "--inverter-kw", help="Rooftop: inverter AC limit (kW)."),
        losses_pct: float = typer.Option(14.0, "--losses-pct", help="System losses (%), PVGIS convention."),
        lat: float | None = typer.Option(None, "--lat", "--latitude", help="Latitude (deg)."),
        lon: float | None = typer.Option(None, "--lon", "--longitude", help="Longitude (deg)."),
        plz: str | None = typer.Option(None, "--plz", "--postal-code", help="German postal code (offline lookup)."),
        raw_try: bool = typer.Option(False, "--raw-try", help="Use the raw DWD TRY2010 (1988-2007), not scaled."),
        weather_file: Path | None = typer.Option(None, "--weather", help="PVGIS TMY file or DWD hourly solar product."),
        prices_file: Path | None = typer.Option(None, "--prices", help="Day-ahead price CSV (negative-price hours)."),
        commissioning: str | None = typer.Option(
            None, "--commissioning", help="Commissioning date YYYY-MM-DD (default today)."
        ),
        full_feed_in: bool = typer.Option(False, "--full-feed-in", help="Volleinspeisung instead of surplus feed-in."),
        smart_meter: bool = typer.Option(
            False, "--smart-meter", help="Smart meter + control box: no 60 % feed-in cap."
        ),
        price_eur_per_kwh: float | None = typer.Option(None, "--price-eur-per-kwh", help="Own work price (EUR/kWh)."),
        seeds_dir: Path | None = typer.Option(None, "--seeds", help="Stadtwerk seeds folder overriding the defaults."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        out: Path | None = typer.Option(
            None, "--out", help="Write the interval series (timestamp, pv_kwh, flows) to this CSV file."
        ),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        meter_id: str | None = METER_ID_OPTION,
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
    ) -> None:
        """Simulate PV (pvlib, DWD TRY weather) on your own load curve: yield, self-consumption,
        autarky, savings, payback. Without FILE: the yield alone."""
        request = PVRequest(
            file=file,
            kwp=kwp,
            tilt=tilt,
            azimuth=azimuth,
            east_west=east_west,
            battery_kwh=battery_kwh,
            balcony=balcony,
            module_wp=module_wp,
            inverter_va=inverter_va,
            inverter_kw=inverter_kw,
            losses_pct=losses_pct,
            lat=lat,
            lon=lon,
            plz=plz,
            raw_try=raw_try,
            weather_file=weather_file,
            prices_file=prices_file,
            commissioning=dt.date.fromisoformat(commissioning) if commissioning else None,
            full_feed_in=full_feed_in,
            smart_meter=smart_meter,
            price_eur_per_kwh=price_eur_per_kwh,
            seeds_dir=seeds_dir,
            read_options=read_options(
                tz=tz,
                holiday_region=holiday_region,
                label=label,
                meter_id=meter_id,
                earliest=earliest,
                latest=latest,
                seeds_dir=seeds_dir,
            ),
            out=out,
        )
        result = run_pv(request)
        if as_json:
            typer.echo(to_json(result))
            return
        for line in _text_lines(result):
            typer.echo(line)


def _fmt(v, unit="", digits=0):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}{unit}"


def _text_lines(r: dict) -> list[str]:
    lines = [
        f"PV {r['kind']} {r['peak_kw']:.2f} kWp at {r['latitude']:.2f} N {r['longitude']:.2f} E (weather: {r['weather_source']})",
        f"  annual yield {_fmt(r['annual_yield_kwh'], ' kWh')}  specific {_fmt(r['specific_yield_kwh_per_kwp'], ' kWh/kWp')}",
    ]
    if r.get("self_consumption_share") is not None:
        lines += [
            f"  self-consumption {r['self_consumption_share']:.0%}  autarky {r['autarky_share']:.0%}"
            f"  feed-in {_fmt(r['feed_in_kwh'], ' kWh')}  import {_fmt(r['grid_import_kwh'], ' kWh')}",
            f"  investment {_fmt(r['investment_eur'], ' EUR')}  savings {_fmt(r['annual_savings_eur'], ' EUR/yr')}"
            f"  payback {_fmt(r['payback_years'], ' yr', 1)}  NPV {_fmt(r['npv_eur'], ' EUR')}",
        ]
    for o in r.get("options", []):
        lines.append(
            f"  option {o['peak_kw']:.1f} kWp + {o['battery_kwh']:.0f} kWh: NPV {_fmt(o['npv_eur'], ' EUR')}, "
            f"autarky {o['autarky_share']:.0%}, payback {_fmt(o['payback_years'], ' yr', 1)}"
        )
    for n in r.get("notes", []):
        lines.append(f"  note: {n}")
    return lines
