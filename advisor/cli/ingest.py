"""``advisor ingest FILE``: read a meter file, print its summary, optionally write Parquet."""

from __future__ import annotations

from pathlib import Path

import typer

from advisor.cli._common import LABEL_OPTION, REGION_OPTION, SIGNED_OPTION, TZ_OPTION, read_options, to_json


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        file: Path = typer.Argument(..., help="Meter file: portal CSV/Excel, MSCONS, SMGW XML, Parquet …"),
        out: Path | None = typer.Option(None, "--out", help="Write the canonical curve(s) to this Parquet file."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object per curve (a list if several)."),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        meter_id: str | None = typer.Option(None, "--meter-id", help="Keep only this meter or location."),
        id_col: str | None = typer.Option(None, "--id-col", help="Household/meter id column of a long table."),
        time_col: str | None = typer.Option(None, "--time-col", help="Timestamp column of a long table or export."),
        value_col: str | None = typer.Option(None, "--value-col", help="Value column (kWh per interval)."),
        unit: str | None = typer.Option(None, "--unit", help="Value unit when the file does not say: kWh, Wh, kW or W."),
        signed: bool = SIGNED_OPTION,
    ) -> None:
        """Read a meter file into the canonical load curve and summarise it."""
        from advisor.ingest import read_load_curves
        from advisor.ingest.canonical import write_curves_parquet

        curves = read_load_curves(
            file,
            read_options(
                tz=tz,
                holiday_region=holiday_region,
                label=label,
                meter_id=meter_id,
                id_col=id_col,
                time_col=time_col,
                value_col=value_col,
                unit=unit,
                signed=signed,
            ),
        )
        if out is not None:
            write_curves_parquet(curves, out)
        summaries = [c.summary() for c in curves]
        if as_json:
            typer.echo(to_json(summaries[0] if len(summaries) == 1 else summaries))
            return
        for s in summaries:
            typer.echo(
                f"{s['format']} | meter {s['meter_id'] or '-'} | {s['direction']} | "
                f"{s['start']} .. {s['end']} | {s['interval_minutes']} min x {s['n_intervals']} | "
                f"{s['energy_kwh']:.3f} kWh | missing {s['missing_intervals']} | substituted {s['substituted_intervals']}"
            )
            for w in s["warnings"]:
                typer.echo(f"  warning: {w}")
        if out is not None:
            typer.echo(f"wrote {out}")
