"""``advisor ingest FILE``: read a meter file, print its summary, optionally write Parquet."""

from __future__ import annotations

from pathlib import Path

import typer

from advisor.cli._common import (
    EARLIEST_OPTION,
    LABEL_OPTION,
    LATEST_OPTION,
    METER_ID_OPTION,
    REGION_OPTION,
    SEEDS_OPTION,
    SIGNED_OPTION,
    TZ_OPTION,
    read_options,
    to_json,
)


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        file: Path = typer.Argument(..., help="Meter file: portal CSV/Excel, MSCONS, SMGW XML, Parquet …"),
        out: Path | None = typer.Option(None, "--out", help="Write the canonical curve(s) to this Parquet file."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object per curve (a list if several)."),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        meter_id: str | None = METER_ID_OPTION,
        all_locations: bool = typer.Option(
            False,
            "--all-locations",
            help="A file with several metering locations: list (and with --out write) every location's "
            "curves, each on its own (never summed).",
        ),
        id_col: str | None = typer.Option(None, "--id-col", help="Household/meter id column of a long table."),
        time_col: str | None = typer.Option(None, "--time-col", help="Timestamp column of a long table or export."),
        value_col: str | None = typer.Option(None, "--value-col", help="Value column (kWh per interval)."),
        unit: str | None = typer.Option(None, "--unit", help="Value unit when the file does not say: kWh, Wh, kW or W."),
        signed: bool = SIGNED_OPTION,
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
        seeds_dir: Path | None = SEEDS_OPTION,
    ) -> None:
        """Read a meter file into the canonical load curve and summarise it.

        A file with several metering locations (an MSCONS interchange with several LOC) is refused
        with their list: choose one with --location ID, or list them all with --all-locations. A
        long table (--id-col …) lists every household.
        """
        from advisor.ingest import one_location, read_load_curves
        from advisor.ingest.canonical import write_curves_parquet
        from advisor.ingest.tabular import FORMAT as LONG_TABLE
        from advisor.texts import Message

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
                earliest=earliest,
                latest=latest,
                seeds_dir=seeds_dir,
            ),
        )
        if not all_locations and not all(c.meta.source_format == LONG_TABLE for c in curves):
            # (a long table is many households by design: each is listed)
            one_location(curves, hint=Message("ingest.hint.choose_or_all_locations"))
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
