"""``advisor evaluate RUN_DIR --after INPUT``: the letters' effect against a randomised control group."""

from __future__ import annotations

from pathlib import Path

import typer

from advisor.cli._common import EARLIEST_OPTION, LABEL_OPTION, LATEST_OPTION, REGION_OPTION, TZ_OPTION


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    def evaluate(
        run_dir: Path = typer.Argument(
            ..., metavar="RUN_DIR", help="Output folder of `advisor batch --control-share`."
        ),
        after: Path = typer.Option(
            ..., "--after", help="Later meter data of the same households: folder of meter files or long table."
        ),
        households: Path | None = typer.Option(
            None, "--households", help="META.csv mapping the later files/meter ids to households (default: the run's)."
        ),
        since: str | None = typer.Option(
            None, "--since", help="First day after the letters, YYYY-MM-DD (default: the run's letter date)."
        ),
        method: str = typer.Option("ancova", "--method", help="ancova (default) or did (difference-in-differences)."),
        interval: str = typer.Option(
            "robust", "--interval", help="robust (HC2 standard errors) or bootstrap (households resampled)."
        ),
        workers: int | None = typer.Option(None, "--workers", help="Worker processes (default: all cores)."),
        key_file: Path | None = typer.Option(
            None, "--key-file", help="Pseudonymisation key of a pseudonymised run (else $ADVISOR_PSEUDONYM_KEY)."
        ),
        seeds: Path | None = typer.Option(None, "--seeds", help="Seeds override (default: the run's)."),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        id_col: str | None = typer.Option(None, "--id-col", help="Long table: id column."),
        time_col: str | None = typer.Option(None, "--time-col", help="Long table: timestamp column."),
        value_col: str | None = typer.Option(None, "--value-col", help="Long table: energy column [kWh per interval]."),
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Estimate the letters' effect on consumption (ANCOVA on log consumption, 90 % interval).

        Writes RUN_DIR/evaluation/evaluation.json and missing.csv (households without usable later
        data, with the reason). Exit status 2 on unusable input.
        """
        from advisor.batch import EngineSpec
        from advisor.cli._common import read_options, to_json
        from advisor.evaluate.run import EvaluateOptions, run_evaluation

        options = EvaluateOptions(
            run_dir=run_dir,
            after=after,
            households=households,
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
            since=since,
            method=method,
            interval=interval,
            engine=EngineSpec(kind="local", workers=workers),
            key_file=key_file,
            seeds_dir=seeds,
        )
        result = run_evaluation(options)
        doc = result.to_dict()
        if as_json:
            typer.echo(to_json(doc))
            return
        typer.echo(_text(doc))


def _pct(x) -> str:
    return "–" if x is None else f"{x:.1f} %"


def _text(doc: dict) -> str:
    lines = []
    if doc["effect_pct"] is None:
        lines.append(
            f"no estimate: {doc['n_treatment']} treatment and {doc['n_control']} control households with usable "
            f"data (at least {doc['k_anonymity']} in total and 2 per group needed)"
        )
    else:
        lines.append(
            f"effect of the letters: {_pct(doc['effect_pct'])} saving "
            f"({doc['level']:.0%} interval {_pct(doc['ci_low_pct'])} to {_pct(doc['ci_high_pct'])}; "
            f"{doc['method']}; {doc['n_treatment']} treatment, {doc['n_control']} control households)"
        )
    s = doc.get("savings_per_year")
    if s:
        lines.append(
            f"treatment group per year: {s['kwh_per_year']:,.0f} kWh ({s['kwh_low']:,.0f} to {s['kwh_high']:,.0f}), "
            f"{s['eur_per_year']:,.0f} EUR, {s['co2_t_per_year']:,.1f} t CO2"
        )
    for c in doc["per_stratum"]:
        lines.append(
            f"  {c['stratum']}: {_pct(c['effect_pct'])} ({_pct(c['ci_low_pct'])} to {_pct(c['ci_high_pct'])}), "
            f"{c['n_treatment']} + {c['n_control']} households"
        )
    if doc["n_missing"]:
        lines.append(
            f"{doc['n_missing']} assigned households not in the estimate ({doc['n_missing_treatment']} treatment, "
            f"{doc['n_missing_control']} control): see evaluation/missing.csv"
        )
    return "\n".join(lines)
