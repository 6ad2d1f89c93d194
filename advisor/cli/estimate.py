"""``advisor estimate``: an estimated curve (BDEW H25 shape) from an annual consumption or readings."""

from __future__ import annotations

from pathlib import Path

import typer

from advisor.cli._common import REGION_OPTION, TZ_OPTION, to_json


def register(app: typer.Typer) -> None:
    @app.command("estimate")
    def estimate(
        annual_kwh: float | None = typer.Option(None, "--annual-kwh", help="Annual consumption from the bill [kWh/a]."),
        year: int | None = typer.Option(None, "--year", help="Calendar year of the estimated curve."),
        reading: list[str] = typer.Option(
            [], "--reading", help="Dated meter reading DATE=KWH (repeat; DATE=KWH:new for a meter change)."
        ),
        interval_minutes: int = typer.Option(15, "--interval-minutes", help="15, 30 or 60."),
        out: Path | None = typer.Option(None, "--out", help="Write the curve to this canonical Parquet file."),
        as_json: bool = typer.Option(False, "--json", help="Print the curve summary as JSON."),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
    ) -> None:
        """Estimate a load curve for a household without a smart meter (flagged 'estimated')."""
        from advisor.errors import AdvisorError
        from advisor.ingest import ReadOptions
        from advisor.ingest.canonical import write_curves_parquet
        from advisor.ingest.estimated import estimate_from_annual, estimate_from_readings

        ReadOptions(tz=tz, holiday_region=holiday_region)  # validates the zone
        if (annual_kwh is None) == (not reading):
            raise AdvisorError("give either --annual-kwh (with --year) or at least two --reading DATE=KWH")
        if annual_kwh is not None:
            if year is None:
                raise AdvisorError("--annual-kwh needs --year")
            curve = estimate_from_annual(
                annual_kwh, year, interval_minutes=interval_minutes, tz=tz, holiday_region=holiday_region
            )
        else:
            items = []
            for r in reading:
                date, sep, value = r.partition("=")
                if not sep:
                    raise AdvisorError(f"--reading {r!r}: expected DATE=KWH, e.g. 2025-01-01=12345.6")
                value, _, flag = value.partition(":")
                try:
                    kwh = float(value.replace(",", "."))
                except ValueError:
                    raise AdvisorError(f"--reading {r!r}: {value!r} is not a number of kWh") from None
                items.append(
                    (date.strip(), kwh, "new_meter")
                    if flag.strip().lower() in ("new", "new_meter")
                    else (date.strip(), kwh)
                )
            curve = estimate_from_readings(
                items, interval_minutes=interval_minutes, tz=tz, holiday_region=holiday_region
            )
        if out is not None:
            write_curves_parquet([curve], out)
        summary = curve.summary()
        summary["estimated_energy_kwh"] = round(float(curve.data["energy_kwh"].sum()), 6)
        if as_json:
            typer.echo(to_json(summary))
        else:
            typer.echo(
                f"estimated | {summary['start']} .. {summary['end']} | {summary['interval_minutes']} min x "
                f"{summary['n_intervals']} | {summary['estimated_energy_kwh']:.3f} kWh (estimated)"
            )
            if out is not None:
                typer.echo(f"wrote {out}")
