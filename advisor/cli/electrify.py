"""``advisor electrify FILE``: a heat pump and/or an electric car added to the household's own curve."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import typer

from advisor.cli._common import (
    LABEL_OPTION,
    METER_ID_OPTION,
    PRICES_OPTION,
    REGION_OPTION,
    SEEDS_OPTION,
    TZ_OPTION,
    read_options,
    to_json,
)
from advisor.cli._household import household_options
from advisor.household import Household

#: fewer measured days than this: the "own curve" would be mostly a standard profile
MIN_MEASURED_DAYS = 14


@dataclass(frozen=True)
class ElectrifyCommand:
    """Everything ``advisor electrify`` was asked (bundled: more than five options)."""

    file: Path
    household: Household
    add_heat_pump: bool = False
    gas_kwh: float | None = None
    oil_litres: float | None = None
    heat_demand_kwh: float | None = None
    heated_area_m2: float | None = None
    building_year: int | None = None
    hot_water: bool | None = None
    flow_temp_c: float | None = None
    add_ev: bool = False
    ev_km_per_year: float | None = None
    ev_kwh_per_100km: float | None = None
    home_charging_share: float | None = None
    ev_replaces: str = "none"
    wallbox_kw: float = 11.0
    smart_charging: bool = False
    prices: Path | None = None
    temperature: Path | None = None
    seeds_dir: Path | None = None
    tz: str = "Europe/Berlin"
    holiday_region: str = "DE-NW"
    label: str = "auto"
    meter_id: str | None = None
    report_dir: Path | None = None


def build_request(cmd: ElectrifyCommand):
    """The core request from the command's options (bad values raise ElectrifyError, exit 2)."""
    from advisor.electrify import ElectrifyError, ElectrifyRequest, EVSpec, HeatSource

    heat_given = any(
        v is not None for v in (cmd.gas_kwh, cmd.oil_litres, cmd.heat_demand_kwh, cmd.heated_area_m2, cmd.building_year)
    )
    if heat_given and not cmd.add_heat_pump:
        raise ElectrifyError("heating figures were given without `--add-heat-pump`; add the flag or leave them out.")
    ev_given = cmd.ev_km_per_year is not None or cmd.ev_kwh_per_100km is not None
    if ev_given and not cmd.add_ev:
        raise ElectrifyError("car figures were given without `--add-ev`; add the flag or leave them out.")
    if not (cmd.add_heat_pump or cmd.add_ev):
        raise ElectrifyError("nothing to add: pass `--add-heat-pump` and/or `--add-ev`.")
    h = cmd.household
    heat = None
    if cmd.add_heat_pump and h.heating == "heat_pump":
        raise ElectrifyError(
            "`--heating heat_pump` says the house has a heat pump already; leave out `--add-heat-pump`."
        )
    if cmd.add_heat_pump and h.heating == "night_storage":
        raise ElectrifyError(
            "replacing night-storage heating is not modelled yet: its electricity is in the curve and would have to "
            "be taken out first; run the check without `--heating night_storage` only if the house heats with gas or oil."
        )
    if cmd.add_heat_pump:
        hot_water = cmd.hot_water if cmd.hot_water is not None else h.hot_water != "electric"
        heat = HeatSource(
            gas_kwh=cmd.gas_kwh,
            oil_litres=cmd.oil_litres,
            heat_demand_kwh=cmd.heat_demand_kwh,
            heated_area_m2=cmd.heated_area_m2,
            building_year=cmd.building_year,
            dwelling=h.dwelling or "house",
            hot_water=bool(hot_water),
        )
    ev = None
    if cmd.add_ev:
        if cmd.ev_km_per_year is None:
            raise ElectrifyError("`--add-ev` needs `--ev-km-per-year` (e.g. 12000).")
        ev = EVSpec(
            km_per_year=cmd.ev_km_per_year,
            kwh_per_100km=cmd.ev_kwh_per_100km,
            home_charging_share=cmd.home_charging_share,
            wallbox_kw=cmd.wallbox_kw,
            smart=cmd.smart_charging,
            replaces=cmd.ev_replaces,
        )
    owner = None if h.tenure is None else h.tenure == "owner"
    return ElectrifyRequest(
        heat_pump=heat, ev=ev, design_flow_temp_c=cmd.flow_temp_c, owner_occupier=owner, low_income=h.low_income
    )


def run_electrify(cmd: ElectrifyCommand) -> tuple[dict, object]:
    """Read the curve, complete its year, electrify; return the JSON object and the result."""
    from advisor import pv as pvm
    from advisor.benchmark import stromspiegel_for
    from advisor.cli.recommend import resolve_prices
    from advisor.electrify import ElectrifyParameters, electrify, settings_arguments
    from advisor.errors import AdvisorError, DataQualityWarning
    from advisor.ingest import read_load_curves
    from advisor.ingest.temperature import read_temperature
    from advisor.loadcurve import Direction
    from advisor.seeds import load_seeds
    from advisor.settings import prepared_curve, resolve_settings
    from advisor.tariffs import Tariff
    from advisor.texts import text_fields

    request = build_request(cmd)  # refuse bad figures before reading anything
    seeds = load_seeds(cmd.seeds_dir)
    params = ElectrifyParameters.from_seeds(seeds)
    curves = read_load_curves(
        cmd.file, read_options(tz=cmd.tz, holiday_region=cmd.holiday_region, label=cmd.label, meter_id=cmd.meter_id)
    )
    curves = [c for c in curves if c.direction == Direction.IMPORT]
    if not curves:
        raise AdvisorError(f"{cmd.file}: no consumption (import, 1.8.0) curve found")
    if len(curves) > 1:
        raise AdvisorError(f"{cmd.file}: holds {len(curves)} consumption curves; pick one with --meter-id")
    hs = resolve_settings(seeds, cmd.household, curve=curves[0])
    curve = prepared_curve(curves[0], hs)
    measured_days = float(curve.data["energy_kwh"].notna().sum()) * curve.interval_minutes / 1440.0
    if measured_days < MIN_MEASURED_DAYS:
        raise AdvisorError(
            f"{cmd.file}: the curve holds {measured_days:.1f} days of readings; the check puts the devices on the "
            f"household's own year and needs at least {MIN_MEASURED_DAYS} days (else it would show a standard profile)."
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        year = pvm.complete_year(curve, holiday_region=hs.holiday_region)
    prices = resolve_prices(cmd.prices)
    dynamic = Tariff.dynamic(seeds, prices) if prices is not None else None
    temp = read_temperature(cmd.temperature, tz=curve.meta.tz) if cmd.temperature is not None else None
    h = cmd.household
    result = electrify(
        year.energy_kwh,
        request,
        params,
        interval_minutes=curve.interval_minutes,
        **settings_arguments(hs),
        tz=curve.meta.tz,
        temperature_c=temp,
        dynamic_tariff=dynamic,
        has_heat_pump=h.heating == "heat_pump",
        has_ev=bool(h.ev),
        filled_share=year.filled_share,
    )
    data = result.to_dict()
    ss = stromspiegel_for(result.before.annual_kwh, h, seeds=seeds)
    data["stromspiegel_household_part"] = ss.to_dict() if hasattr(ss, "to_dict") else None
    data["year"] = {
        "start": year.energy_kwh.index[0].isoformat(),
        "filled_share": year.filled_share,
        **text_fields("method", year.method),
        "warnings": [str(w.message) for w in caught if issubclass(w.category, DataQualityWarning)],
    }
    data["settings"] = hs.to_dict()
    data["price_source"] = dynamic.prices.source if dynamic is not None else None
    return data, result


def write_electrify_report(cmd: ElectrifyCommand, result) -> dict:
    """The household report with the electrification section (HTML) into ``cmd.report_dir``."""
    from advisor.cli.recommend import assess_file
    from advisor.report import write_report

    a = assess_file(
        cmd.file,
        cmd.household,
        seeds_dir=cmd.seeds_dir,
        prices=cmd.prices,
        skip=(),
        tz=cmd.tz,
        holiday_region=cmd.holiday_region,
        label=cmd.label,
        meter_id=cmd.meter_id,
        parts=("pv", "tariffs", "recommendations"),
    )
    return write_report(a, cmd.report_dir, ("html",), language=cmd.household.language, electrification=result)


def _summary_lines(data: dict) -> list[str]:
    b, a = data["before"], data["after"]
    lines = [
        f"before: {b['annual_kwh']:,.0f} kWh/yr, {b['annual_bill_eur']:,.0f} EUR/yr, peak {b['peak_kw']:.1f} kW, "
        f"smart meter required: {'yes' if b['smart_meter_required'] else 'no'}",
        f"after:  {a['annual_kwh']:,.0f} kWh/yr, {a['annual_bill_eur']:,.0f} EUR/yr, peak {a['peak_kw']:.1f} kW, "
        f"smart meter required: {'yes' if a['smart_meter_required'] else 'no'}",
        f"added: heat pump {data['added_kwh']['heat_pump']:,.0f} kWh/yr, car {data['added_kwh']['ev']:,.0f} kWh/yr",
    ]
    for t in sorted(data["tariffs"], key=lambda t: t["annual_cost_eur"]):
        lines.append(f"  {t['id']:<18} {t['annual_cost_eur']:>8,.0f} EUR/yr  ({t['note']})")
    co2 = data["co2_kg_per_year"]
    lines.append(f"CO2: {co2['before']:,.0f} -> {co2['after']:,.0f} kg/yr")
    hp = data.get("heat_pump")
    if hp:
        pay = f"{hp['payback_years']:.0f} years" if hp["payback_years"] is not None else "no payback"
        lines.append(
            f"heat pump: SCOP {hp['scop']:.2f}, fuel today {hp['fuel_cost_eur']:,.0f} EUR/yr (CO2 price "
            f"{hp['co2_price_share_eur']:,.0f}), saving {hp['annual_saving_eur']:,.0f} EUR/yr, investment "
            f"{hp['investment_eur']:,.0f} - subsidy {hp['subsidy_eur']:,.0f} EUR, {pay}"
        )
    for n in data["notes"]:
        lines.append(f"note: {n}")
    return lines


def register(app: typer.Typer) -> None:
    @app.command("electrify")
    @household_options
    def electrify_command(
        file: Path = typer.Argument(..., help="Meter file (any format `advisor ingest` reads)."),
        household: Household = None,  # replaced by the household options
        add_heat_pump: bool = typer.Option(False, "--add-heat-pump", help="Add an air/water heat pump."),
        gas_kwh: float | None = typer.Option(None, "--gas-kwh", help="Gas used a year as billed (kWh)."),
        oil_litres: float | None = typer.Option(None, "--oil-litres", help="Heating oil used a year (litres)."),
        heat_demand_kwh: float | None = typer.Option(None, "--heat-demand-kwh", help="Heat used a year (kWh)."),
        heated_area_m2: float | None = typer.Option(None, "--heated-area-m2", help="Heated living area (m²)."),
        building_year: int | None = typer.Option(None, "--building-year", help="Year the building was built."),
        hp_hot_water: bool | None = typer.Option(
            None,
            "--heat-pump-hot-water/--no-heat-pump-hot-water",
            help="The heat pump also heats the water (default: yes unless --hot-water electric).",
        ),
        flow_temp_c: float | None = typer.Option(None, "--flow-temp-c", help="Design flow temperature (°C), 30-70."),
        add_ev: bool = typer.Option(False, "--add-ev", help="Add an electric car charged at home."),
        ev_km_per_year: float | None = typer.Option(None, "--ev-km-per-year", help="Distance a year (km)."),
        ev_kwh_per_100km: float | None = typer.Option(None, "--ev-kwh-per-100km", help="Consumption incl. losses."),
        home_charging_share: float | None = typer.Option(
            None, "--home-charging-share", help="Share charged at home, 0-1 (default 0.8, BDEW)."
        ),
        ev_replaces: str = typer.Option("none", "--ev-replaces", help="petrol | diesel | none."),
        wallbox_kw: float = typer.Option(11.0, "--wallbox-kw", help="Charging power at home (kW)."),
        smart_charging: bool = typer.Option(False, "--smart-charging", help="Charge in cheap / low-load hours."),
        prices: Path | None = PRICES_OPTION,
        temperature: Path | None = typer.Option(
            None,
            "--temperature",
            help="Measured outdoor temperature (DWD produkt_tu_stunde or timestamp,temp_air CSV).",
        ),
        seeds_dir: Path | None = SEEDS_OPTION,
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        meter_id: str | None = METER_ID_OPTION,
        report_dir: Path | None = typer.Option(
            None, "--report", help="Also write the household report with this check into this folder (HTML)."
        ),
    ) -> None:
        """Add a heat pump and/or an electric car to the household's curve: kWh, bill, tariffs, § 14a, CO2."""
        cmd = ElectrifyCommand(
            file=file,
            household=household,
            add_heat_pump=add_heat_pump,
            gas_kwh=gas_kwh,
            oil_litres=oil_litres,
            heat_demand_kwh=heat_demand_kwh,
            heated_area_m2=heated_area_m2,
            building_year=building_year,
            hot_water=hp_hot_water,
            flow_temp_c=flow_temp_c,
            add_ev=add_ev,
            ev_km_per_year=ev_km_per_year,
            ev_kwh_per_100km=ev_kwh_per_100km,
            home_charging_share=home_charging_share,
            ev_replaces=ev_replaces,
            wallbox_kw=wallbox_kw,
            smart_charging=smart_charging,
            prices=prices,
            temperature=temperature,
            seeds_dir=seeds_dir,
            tz=tz,
            holiday_region=holiday_region,
            label=label,
            meter_id=meter_id,
            report_dir=report_dir,
        )
        data, result = run_electrify(cmd)
        if report_dir is not None:
            for fmt, path in write_electrify_report(cmd, result).items():
                typer.echo(f"wrote {fmt}: {path}", err=as_json)
        if as_json:
            typer.echo(to_json(data))
            return
        for line in _summary_lines(data):
            typer.echo(line)
