"""``advisor train --data LONG_TABLE --out models/NAME``: fit and save the global forecaster."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from advisor.cli._common import to_json


@dataclass(frozen=True)
class TrainSpec:
    """What ``advisor train`` was asked to do (bundles the command's options).

    Attributes
    ----------
    data, out
        Long table to read in place and the model folder to write.
    before
        Training cut-off (local date); no target at or after it is used.
    exclude_flags
        Quality flags that exclude a household (``partial_year`` only where the gap matters).
    qc
        Household metadata CSV with ``qc_flags`` (default: a ``*_meta.csv`` beside the data).
    held_out
        Number of clean households kept out of training for the honest test.
    tz, holiday_region
        Local time and holidays of the households.
    engine
        ``local`` or ``dask`` (LightGBM's Dask interface on a LocalCluster).
    n_rounds
        Boosting rounds per quantile model.
    workers
        Dask workers (one thread each) for ``engine="dask"``.
    threads
        LightGBM threads of the local fit (the 24-h forecast always predicts on one thread).
    key_file
        Signing key: the folder gets ``signature.json`` (HMAC-SHA256 over every file). Writing
        the shipped default model folder also re-pins its digest in ``advisor/model_pins.py``.
    """

    data: Path
    out: Path
    before: str | None
    exclude_flags: tuple[str, ...]
    qc: Path | None
    held_out: int
    tz: str
    holiday_region: str
    engine: str
    n_rounds: int
    workers: int
    key_file: Path | None = None
    threads: int = 1


def _find_qc(data: Path) -> Path | None:
    candidates = sorted(data.parent.glob("*_meta.csv"))
    stem = data.stem.split("_30min")[0].split("_15min")[0]
    for c in candidates:
        if c.name.startswith(stem):
            return c
    return candidates[0] if len(candidates) == 1 else None


def train_model(spec: TrainSpec) -> dict:
    """Read, select, fit, evaluate on the held-out households after the cut-off, save."""
    import time

    import pandas as pd

    from advisor.backtest import backtest, midnight_origins
    from advisor.forecast import (
        LoadForecaster,
        read_long_table_hourly,
        read_qc_flags,
        select_households,
    )
    from advisor.registry import LCL_PROVENANCE, data_fingerprint, save_model

    series = read_long_table_hourly(spec.data, tz=spec.tz, holiday_region=spec.holiday_region)
    before = pd.Timestamp(spec.before).tz_localize(spec.tz) if spec.before else None
    qc_path = spec.qc or _find_qc(spec.data)
    qc = read_qc_flags(qc_path) if qc_path else {}
    sel = select_households(
        series, qc_flags=qc, exclude_flags=spec.exclude_flags, before=before, n_held_out=spec.held_out
    )
    train = {h: series[h] for h in sel.training}
    if before is not None:
        train = {h: s[s.index < before] for h, s in train.items()}
    t0 = time.perf_counter()
    model = LoadForecaster(n_rounds=spec.n_rounds, num_threads=spec.threads)
    if spec.engine == "dask":
        from distributed import Client, LocalCluster

        with (
            LocalCluster(n_workers=spec.workers, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            model.fit(
                train, tz=spec.tz, holiday_region=spec.holiday_region, before=before, engine="dask", client=client
            )
    else:
        model.fit(train, tz=spec.tz, holiday_region=spec.holiday_region, before=before)
    fit_seconds = time.perf_counter() - t0
    metrics = None
    if sel.held_out and before is not None:
        held = {h: series[h] for h in sel.held_out}
        end = max(s.index[-1] for s in held.values()) + pd.Timedelta(hours=1)
        origins = midnight_origins(before, end.tz_convert(spec.tz), spec.tz)
        if len(origins):
            res = backtest(
                held,
                origins,
                model=model,
                tz=spec.tz,
                holiday_region=spec.holiday_region,
                training_households=sel.training,
                groups=sel.groups,
            )
            metrics = {
                "protocol": "held-out households, hourly day-ahead at local midnights after the cut-off",
                **res.to_dict(),
            }
            metrics.pop("per_household", None)
    extra = {
        "training_data": {
            "source_file": spec.data.name,
            "fingerprint": data_fingerprint(train, before),
            "before": before.isoformat() if before is not None else None,
            "excluded": sel.excluded,
            "held_out": list(sel.held_out),
            "groups": sel.groups,
            "exclude_flags": list(spec.exclude_flags),
            "qc_file": qc_path.name if qc_path else None,
            **(LCL_PROVENANCE if "lcl" in spec.data.name.lower() else {"provenance": "unknown", "licence": "unknown"}),
        },
        "fit_seconds": round(fit_seconds, 1),
        "backtest": metrics,
        "reproduce": (
            f"advisor train --data {spec.data.name} --out {spec.out} "
            + (f"--before {spec.before} " if spec.before else "")
            + f"--held-out {spec.held_out} --tz {spec.tz} --holiday-region {spec.holiday_region} --rounds {spec.n_rounds} "
            + f"--threads {spec.threads}"
        ),
    }
    from advisor.forecast import default_model_dir
    from advisor.registry import pin_model, read_key

    save_model(model, spec.out, extra=extra, key=read_key(spec.key_file) if spec.key_file else None)
    pinned = None
    if spec.out.resolve() == default_model_dir().resolve():
        pinned = pin_model(spec.out)  # the shipped model is trusted by its pinned digest
    return {
        "out": str(spec.out),
        "signed": spec.key_file is not None,
        "pinned_digest": pinned,
        "fit_seconds": round(fit_seconds, 1),
        "training": list(sel.training),
        "held_out": list(sel.held_out),
        "excluded": sel.excluded,
        "backtest": metrics,
    }


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train(
        data: Path = typer.Option(..., "--data", help="Long table (CSV/Parquet: id, timestamp, kWh), read in place."),
        out: Path = typer.Option(..., "--out", help="Model folder to write, e.g. models/lgbm-lcl-v2."),
        before: str | None = typer.Option(None, "--before", help="Training cut-off date, e.g. 2013-10-01."),
        exclude_flags: str = typer.Option(
            "many_zero_readings,implausibly_low_consumption,partial_year",
            "--exclude-flags",
            help="Comma-separated qc flags that exclude a household (partial_year only where the gap matters).",
        ),
        qc: Path | None = typer.Option(
            None, "--qc", help="Household metadata CSV with qc_flags (default: *_meta.csv beside the data)."
        ),
        held_out: int = typer.Option(
            0, "--held-out", help="Clean households kept out of training and tested after --before."
        ),
        tz: str = typer.Option("Europe/London", "--tz", help="Time zone of the households."),
        holiday_region: str = typer.Option("GB-ENG", "--holiday-region", help="Holiday region of the households."),
        engine: str = typer.Option("local", "--engine", help="local or dask (LightGBM Dask on a LocalCluster)."),
        rounds: int | None = typer.Option(
            None, "--rounds", help="Boosting rounds per quantile model (default: the validated DEFAULT_ROUNDS)."
        ),
        workers: int = typer.Option(2, "--workers", help="Dask workers (engine dask)."),
        threads: int = typer.Option(
            1, "--threads", help="LightGBM threads of the local fit (more only on an otherwise idle machine)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
        key_file: Path | None = typer.Option(
            None, "--key-file", help="Sign the model folder with this key (HMAC-SHA256; see `advisor model sign`)."
        ),
    ) -> None:
        """Train the global LightGBM forecaster (P10/P50/P90) and write model files + meta.json."""
        from advisor.forecast import DEFAULT_ROUNDS, ForecastError

        if engine not in ("local", "dask"):
            raise ForecastError(f"`--engine` must be local or dask; got {engine!r}")
        spec = TrainSpec(
            data=data,
            out=out,
            before=before,
            exclude_flags=tuple(f for f in exclude_flags.split(",") if f),
            qc=qc,
            held_out=held_out,
            tz=tz,
            holiday_region=holiday_region,
            engine=engine,
            n_rounds=rounds if rounds is not None else DEFAULT_ROUNDS,
            workers=workers,
            key_file=key_file,
            threads=threads,
        )
        summary = train_model(spec)
        if as_json:
            typer.echo(to_json(summary))
            return
        typer.echo(
            f"wrote {summary['out']} (fit {summary['fit_seconds']} s, {len(summary['training'])} training households)"
        )
        if summary["excluded"]:
            typer.echo("excluded: " + ", ".join(f"{k} ({v})" for k, v in summary["excluded"].items()))
        if summary["backtest"]:
            typer.echo(f"held out: {', '.join(summary['held_out'])}")
            for row in summary["backtest"]["pooled"]:
                typer.echo(
                    f"  {row['method']:<16} MASE {row['mase']:.3f}  MAE {row['mae_kwh']:.4f} kWh  coverage {row['coverage_p10_p90']}"
                )
