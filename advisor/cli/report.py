"""``advisor report FILE [household options] --out DIR``: the household report as HTML and PDF."""

from __future__ import annotations

from pathlib import Path

import typer

from advisor.cli._common import (
    EARLIEST_OPTION,
    LABEL_OPTION,
    LATEST_OPTION,
    METER_ID_OPTION,
    PRICES_OPTION,
    REGION_OPTION,
    SEEDS_OPTION,
    TZ_OPTION,
    unavailable_notes,
)
from advisor.cli._household import household_options
from advisor.cli.recommend import assess_file, parse_skip
from advisor.household import Household


def register(app: typer.Typer) -> None:
    @app.command("report")
    @household_options
    def report_command(
        file: Path = typer.Argument(..., help="Meter file (any format `advisor ingest` reads)."),
        household: Household = None,  # replaced by the household options (incl. --language de|en)
        out: Path = typer.Option(..., "--out", help="Folder to write report_<lang>.html and .pdf into."),
        formats: str = typer.Option("html,pdf", "--formats", help="Comma-separated: html,pdf."),
        seeds_dir: Path | None = SEEDS_OPTION,
        prices: Path | None = PRICES_OPTION,
        skip: str | None = typer.Option(None, "--skip", help="Parts to skip, comma-separated: forecast,pv,tariffs."),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        meter_id: str | None = METER_ID_OPTION,
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
    ) -> None:
        """Assess one household and write its report (HTML and PDF, German or English)."""
        from advisor.report import write_report

        a = assess_file(
            file,
            household,
            seeds_dir=seeds_dir,
            prices=prices,
            skip=parse_skip(skip),
            tz=tz,
            holiday_region=holiday_region,
            label=label,
            meter_id=meter_id,
            parts=("forecast", "pv", "tariffs", "recommendations"),
            earliest=earliest,
            latest=latest,
        )
        fmts = tuple(f.strip() for f in formats.split(",") if f.strip())
        written = write_report(a, out, fmts, language=household.language)
        for fmt, path in written.items():
            typer.echo(f"wrote {fmt}: {path}")
        for line in unavailable_notes(a.unavailable, household.language):
            typer.echo(line)
