"""``advisor batch INPUT --out DIR``: letters and a portfolio view for many households."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from advisor.cli._common import EARLIEST_OPTION, LABEL_OPTION, LATEST_OPTION, REGION_OPTION, TZ_OPTION


def register(app: typer.Typer) -> None:
    @app.command("batch")
    def batch(
        input_path: Path | None = typer.Argument(
            None,
            metavar="INPUT",
            help="Folder of meter files (any format `advisor ingest` reads) or a long table (CSV/Parquet).",
        ),
        out: Path | None = typer.Option(None, "--out", help="Output folder (new, or a previous run with --resume)."),
        purge: Path | None = typer.Option(
            None, "--purge", metavar="OUT", help="Delete the personal data of the run in OUT (letters, tables, state)."
        ),
        households: Path | None = typer.Option(
            None, "--households", help="META.csv: household columns, meter/file mapping, annual_kwh, consent, address."
        ),
        engine: str = typer.Option("local", "--engine", help="local (process pool on all cores) or dask."),
        workers: int | None = typer.Option(None, "--workers", help="Worker processes (default: all cores)."),
        scheduler: str | None = typer.Option(
            None, "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."
        ),
        pseudonymise: bool = typer.Option(
            False, "--pseudonymise", help="Replace customer and meter ids by keyed hashes everywhere."
        ),
        key_file: Path | None = typer.Option(
            None, "--key-file", help="File with the pseudonymisation key (else $ADVISOR_PSEUDONYM_KEY)."
        ),
        resume: bool = typer.Option(False, "--resume", help="Continue a killed or failed run in --out."),
        seeds: Path | None = typer.Option(
            None, "--seeds", help="Folder with the Stadtwerk's own seeds (tariffs, fees, prices)."
        ),
        brand: Path | None = typer.Option(
            None, "--brand", help="Folder with brand.toml (sender, letterhead, contact) and logo.svg/png."
        ),
        prices: Path | None = typer.Option(
            None, "--prices", help="Hourly day-ahead prices CSV for the dynamic-tariff comparison (else none)."
        ),
        formats: str = typer.Option(
            "html,pdf", "--formats", help="Letter formats: html,pdf (default: letters are printed) or html."
        ),
        letter_date: str | None = typer.Option(
            None, "--letter-date", help="Date on the letters, YYYY-MM-DD (default today)."
        ),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        id_col: str | None = typer.Option(
            None, "--id-col", help="Long table: id column (default household_id, lclid …)."
        ),
        time_col: str | None = typer.Option(None, "--time-col", help="Long table: timestamp column."),
        value_col: str | None = typer.Option(None, "--value-col", help="Long table: energy column [kWh per interval]."),
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
        progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
        control_share: float | None = typer.Option(
            None,
            "--control-share",
            help="Share of households in a randomised control group that gets no letter, e.g. 0.2 (needs --seed).",
        ),
        seed: int | None = typer.Option(
            None, "--seed", help="Integer seed of the control-group assignment (same seed, same groups)."
        ),
    ) -> None:
        """Assess every household, write its letter and a portfolio overview.

        Exit status 0 when every household succeeded, 3 when some failed (see errors.csv), 2 on bad
        usage or input that stops the whole run.
        """
        import datetime as dt

        from advisor.batch import BatchOptions, EngineSpec, run_batch
        from advisor.cli import EXIT_PARTIAL
        from advisor.cli._common import read_options
        from advisor.errors import AdvisorError

        if purge is not None:
            if input_path is not None or out is not None:
                raise AdvisorError("`--purge OUT` takes no INPUT and no `--out`")
            from advisor.batch.purge import purge_run

            done = purge_run(purge)
            typer.echo(
                f"purged {done.out_dir}: {done.n_letters} letters and {len(done.deleted)} personal-data items deleted"
                f"{' (' + ', '.join(done.deleted) + ')' if done.deleted else ''}; kept: manifest.json and the "
                "aggregate evaluation"
            )
            return
        if input_path is None or out is None:
            raise AdvisorError("`advisor batch` needs INPUT and `--out DIR` (or `--purge OUT` alone)")
        if letter_date is not None:
            try:
                dt.date.fromisoformat(letter_date)
            except ValueError:
                raise AdvisorError(f"`--letter-date` must be YYYY-MM-DD; got {letter_date!r}") from None
        options = BatchOptions(
            input_path=input_path,
            out_dir=out,
            households=households,
            engine=EngineSpec(kind=engine, workers=workers, scheduler=scheduler),
            pseudonymise=pseudonymise,
            key_file=key_file,
            resume=resume,
            seeds_dir=seeds,
            brand_dir=brand,
            prices=prices,
            formats=tuple(f.strip().lower() for f in formats.split(",") if f.strip()),
            read_options=read_options(
                tz=tz,
                holiday_region=holiday_region,
                label=label,
                id_col=id_col,
                time_col=time_col,
                value_col=value_col,
                earliest=earliest,
                latest=latest,
                seeds_dir=seeds,
            ),
            period_options=(earliest, latest),
            letter_date=letter_date,
            progress=progress,
            control_share=control_share,
            assignment_seed=seed,
            command=tuple(["advisor", *sys.argv[1:]]) if sys.argv and "batch" in sys.argv else ("advisor", "batch"),
        )
        report = run_batch(options)
        if report.changed:
            typer.echo(
                f"input changed since the interrupted run: recomputed {len(report.changed)} households "
                f"({', '.join(report.changed[:10])}{' …' if len(report.changed) > 10 else ''})",
                err=True,
            )
        typer.echo(
            f"{report.n_households} households: {report.n_ok} ok, {report.n_error} failed, {report.n_skipped} skipped, "
            f"{report.n_insufficient_data} with too little data for a letter "
            f"({report.n_processed} processed in {report.seconds:.1f} s) -> {report.out_dir}"
        )
        if report.power is not None:
            p = report.power
            typer.echo(
                f"control group: {p.n_control} households without a letter, {p.n_treatment} with one "
                f"(see assignment.parquet); minimum detectable effect at {p.power:.0%} power with a "
                f"{1 - p.alpha:.0%} interval: {p.mde_pct:.1f} % saving (assumed residual SD {p.residual_sd_log:.2f} "
                "of log consumption, seed evaluation.residual_sd_log)"
            )
        if report.privacy_missing:
            typer.echo(
                "data-protection texts not filled in by the Stadtwerk (seeds privacy.toml via --seeds), left out of "
                f"the letters: {', '.join(report.privacy_missing)}",
                err=True,
            )
        if report.n_energy_poverty is not None:
            typer.echo(
                f"energy-poverty early warning: {report.n_energy_poverty} consenting households flagged "
                "(energy_poverty.csv for the social counselling; energy_poverty_keys.csv stays with the Stadtwerk)"
            )
        if report.retention_until:
            typer.echo(f"personal data of this run to be kept until {report.retention_until}; then: advisor batch --purge {report.out_dir}")
        if report.n_error:
            typer.echo(f"see {report.out_dir / 'errors.csv'}", err=True)
            raise typer.Exit(EXIT_PARTIAL)
