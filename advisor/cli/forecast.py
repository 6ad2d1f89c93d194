"""``advisor forecast FILE --horizon 24h|7d|12mo``: P10/P50/P90 from the end of the data."""

from __future__ import annotations

from pathlib import Path

import typer

from advisor.cli._common import (
    EARLIEST_OPTION,
    LATEST_OPTION,
    METER_ID_OPTION,
    REGION_OPTION,
    TZ_OPTION,
    read_options,
    to_json,
)


def register(app: typer.Typer) -> None:
    @app.command("forecast")
    def forecast_cmd(
        file: Path = typer.Argument(..., help="Meter file (any format `advisor ingest` reads)."),
        horizon: str = typer.Option(
            "24h", "--horizon", help="24h, 7d (at the curve's resolution) or 12mo (monthly totals)."
        ),
        out: Path | None = typer.Option(None, "--out", help="Write the forecast as CSV."),
        as_json: bool = typer.Option(False, "--json", help="Print the forecast as JSON."),
        model_dir: Path | None = typer.Option(None, "--model", help="Model folder (default: the shipped model)."),
        model_key_file: Path | None = typer.Option(
            None, "--model-key-file", help="Key that checks a signed --model folder (else $ADVISOR_MODEL_KEY_FILE)."
        ),
        seeds_dir: Path | None = typer.Option(
            None, "--seeds", help="Seeds folder overriding the shipped tariff (12mo bill)."
        ),
        temperature: Path | None = typer.Option(
            None,
            "--temperature",
            help="Measured outdoor temperature: DWD CDC produkt_tu_stunde_*.txt (or its zip) or a "
            "timestamp,temp_air CSV. Used by a model trained with temperature (the shipped model has none; the JSON "
            "says temperature_used).",
        ),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        meter_id: str | None = METER_ID_OPTION,
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
    ) -> None:
        """Forecast consumption from the end of the data, with P10/P90 bands."""
        from advisor.forecast import annual_projection, forecast, load_forecaster
        from advisor.ingest import read_load_curve
        from advisor.ingest.temperature import read_temperature
        from advisor.texts import text_fields

        curve = read_load_curve(
            file,
            read_options(
                tz=tz,
                holiday_region=holiday_region,
                meter_id=meter_id,
                earliest=earliest,
                latest=latest,
                seeds_dir=seeds_dir,
            ),
        )
        model = load_forecaster(model_dir, key_file=model_key_file)
        temp = read_temperature(temperature, tz=curve.meta.tz) if temperature is not None else None
        projection = None
        if horizon == "12mo":
            from advisor.seeds import load_seeds
            from advisor.settings import resolve_settings

            hs = resolve_settings(load_seeds(seeds_dir), None, curve=curve)
            site = (hs.site.latitude, hs.site.longitude)
            projection = annual_projection(
                curve,
                hs.work_price_eur_per_kwh,
                hs.fixed_fees_eur_per_year,
                model=model,
                yoy_log_sd=hs.forecast_yoy_log_sd,
                temperature_c=temp,
                site=site,
            )
            fc = projection.months  # the monthly frame the projection sums (with the settings' spread)
        else:
            fc = forecast(curve, horizon, model=model, weather=temp)
        if out is not None:
            frame = fc.copy()
            frame.index = frame.index.map(lambda t: t.isoformat())
            frame.to_csv(out, index_label=fc.index.name or "interval_start", float_format="%.6f")
        if as_json:
            payload = {
                "origin": fc.attrs.get("origin"),
                "method": fc.attrs.get("method"),
                **text_fields("note", fc.attrs.get("note")),
                "horizon": horizon,
                "temperature_used": bool(fc.attrs.get("temperature_used", False)),
                "temperature_source": fc.attrs.get("temperature_source"),
                "weather_normalised": bool(fc.attrs.get("weather_normalised", False)),
                "weather_note_code": getattr(fc.attrs.get("weather_note"), "code", None),
                "unit": "kWh per month" if horizon == "12mo" else f"kWh per {curve.interval_minutes} min",
                "forecast": [
                    {"start": i.isoformat(), "p10": r.p10, "p50": r.p50, "p90": r.p90} for i, r in fc.iterrows()
                ],
            }
            if projection is not None:
                payload["annual_projection"] = {k: v for k, v in projection.to_dict().items() if k != "months"}
            typer.echo(to_json(payload))
            return
        typer.echo(f"forecast from {fc.attrs.get('origin')} ({fc.attrs.get('method')}): {fc.attrs.get('note')}")
        typer.echo(
            f"{len(fc)} rows; total P50 {fc['p50'].sum():.1f} kWh (P10 {fc['p10'].sum():.1f} .. P90 {fc['p90'].sum():.1f} "
            "summed per row; see 12mo for a band of totals)"
            if horizon != "12mo"
            else fc.round(1).to_string()
        )
        if projection is not None:
            typer.echo(
                f"next 12 months: {projection.annual_kwh_p50:.0f} kWh (P10 {projection.annual_kwh_p10:.0f}, P90 "
                f"{projection.annual_kwh_p90:.0f}); bill {projection.bill_eur_p50:.0f} EUR; suggested Abschlag "
                f"{projection.monthly_instalment_eur:.0f} EUR/month"
            )
        if out is not None:
            typer.echo(f"wrote {out}")
