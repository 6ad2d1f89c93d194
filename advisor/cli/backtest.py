"""``advisor backtest --data LONG_TABLE [--model DIR] --horizon 24h --origins N``: rolling-origin scores."""

from __future__ import annotations

from pathlib import Path

import typer

from advisor.cli._common import to_json


def register(app: typer.Typer) -> None:
    @app.command("backtest")
    def backtest_cmd(
        data: Path = typer.Option(..., "--data", help="Long table (CSV/Parquet: id, timestamp, kWh), read in place."),
        model_dir: Path | None = typer.Option(None, "--model", help="Model folder (default: the shipped model)."),
        model_key_file: Path | None = typer.Option(
            None, "--model-key-file", help="Key that checks a signed --model folder (else $ADVISOR_MODEL_KEY_FILE)."
        ),
        horizon: str = typer.Option("24h", "--horizon", help="24h or 7d."),
        origins: int = typer.Option(28, "--origins", help="Number of local-midnight origins (evenly spaced)."),
        start: str | None = typer.Option(None, "--start", help="First origin date (default: the model's cut-off)."),
        households: str | None = typer.Option(
            None, "--households", help="Comma-separated household ids (default: all)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print pooled, per-group and per-household scores as JSON."),
        tz: str = typer.Option("Europe/London", "--tz", help="Time zone of the households."),
        holiday_region: str = typer.Option("GB-ENG", "--holiday-region", help="Holiday region of the households."),
    ) -> None:
        """Rolling-origin backtest (origins at local midnight, data strictly before each) vs the baselines."""
        import pandas as pd

        from advisor.backtest import HORIZON_DAYS, backtest, midnight_origins
        from advisor.forecast import ForecastError, load_forecaster, read_long_table_hourly

        if horizon not in HORIZON_DAYS:
            raise ForecastError(f"`--horizon` must be one of {list(HORIZON_DAYS)} for a backtest; got {horizon!r}")
        wanted = [h.strip() for h in households.split(",")] if households else None
        series = read_long_table_hourly(data, tz=tz, holiday_region=holiday_region, households=wanted)
        model = load_forecaster(model_dir, key_file=model_key_file)
        meta = getattr(model, "meta_", {})
        training = meta.get("training_data", {}).get("fingerprint", {}).get("households") or model.info_.get(
            "households", []
        )
        groups = meta.get("training_data", {}).get("groups", {})
        end = max(s.index[-1] for s in series.values()) + pd.Timedelta(hours=1)
        first = start or model.info_.get("before") or (end - pd.Timedelta(days=origins + HORIZON_DAYS[horizon]))
        org = midnight_origins(
            pd.Timestamp(first).tz_convert(tz) if pd.Timestamp(first).tz else first,
            end.tz_convert(tz),
            tz,
            n=origins,
            horizon=horizon,
        )
        if len(org) == 0:
            raise ForecastError(f"no origin between {first} and the end of the data {end}")
        res = backtest(
            series,
            org,
            model=model,
            tz=tz,
            holiday_region=holiday_region,
            horizon=horizon,
            training_households=training,
            groups=groups,
        )
        if as_json:
            typer.echo(to_json(res.to_dict()))
            return
        s = res.settings
        typer.echo(
            f"{s['n_households']} households, {s['n_origins']} origins {s['first_origin']} .. {s['last_origin']}, horizon {horizon}"
        )
        typer.echo(res.pooled.round(4).to_string())
        n_tr = sum(1 for h in series if h in set(training))
        if n_tr:
            typer.echo(f"note: {n_tr} of these households are in the model's training data (flagged in --json)")
