"""``advisor analyse FILE [household options] [--json]``: key figures, Stromspiegel class, signatures."""

from __future__ import annotations

from pathlib import Path

import typer

from advisor.cli._common import (
    EARLIEST_OPTION,
    LABEL_OPTION,
    LATEST_OPTION,
    METER_ID_OPTION,
    REGION_OPTION,
    SIGNED_OPTION,
    TZ_OPTION,
    read_options,
    to_json,
)
from advisor.cli._household import household_options
from advisor.household import Household


def _read_series(path: Path, kind: str, columns: tuple[str, ...]):
    """A tz-aware Series from a CSV with ``timestamp_utc`` and one of ``columns``, or a DWD hourly file."""
    import pandas as pd

    from advisor.errors import AdvisorError

    if kind == "temperature":
        head = path.read_bytes()[:200].decode("latin-1", errors="replace")
        if "MESS_DATUM" in head:
            from advisor.weather import read_dwd_hourly

            return read_dwd_hourly(path)["temp_air"]
    try:
        df = pd.read_csv(path, sep=None, engine="python")
    except (OSError, ValueError) as exc:
        raise AdvisorError(f"{path}: cannot read the {kind} file: {exc}") from exc
    if "timestamp_utc" not in df.columns:
        raise AdvisorError(f"{path}: the {kind} file needs a `timestamp_utc` column; found {list(df.columns)}")
    col = next((c for c in columns if c in df.columns), None)
    if col is None:
        raise AdvisorError(
            f"{path}: the {kind} file needs one of the columns {list(columns)}; found {list(df.columns)}"
        )
    idx = pd.DatetimeIndex(pd.to_datetime(df["timestamp_utc"], utc=True))
    return pd.Series(pd.to_numeric(df[col], errors="coerce").to_numpy(), index=idx, name=col)


def _f(value, spec: str = ".0f", scale: float = 1.0) -> str:
    """Format a number, or a dash when it is unknown (None)."""
    if value is None:
        return "–"
    return format(value * scale, spec)


def _print_text(curve, analysis) -> None:
    s = analysis.summary()
    q = s["data_quality"]
    qs = f"[quality {q['score']:.2f}]"
    name = curve.meta.meter_id or curve.meta.source_name or "load curve"
    typer.echo(f"{name}: {s['start']} .. {s['end']} ({s['interval_minutes']} min, {_f(s['days_covered'])} days)")
    typer.echo(f"data quality   {q['score']:.2f} ({q['label']})")
    typer.echo(
        f"annual         {_f(s['annual_kwh'])} kWh/yr ({s['annual_method']}, ±{_f(s['annual_uncertainty_pct'])} %)  {qs}"
    )
    typer.echo(
        f"base load      {_f(s['base_load_w'])} W = {_f(s['base_load_kwh_per_year'])} kWh/yr "
        f"({_f(s['base_load_share'], '.0f', 100)} %); always-on {_f(s['always_on_w'])} W  {qs}"
    )
    typer.echo(
        f"peak           {_f(s['peak_kw'], '.2f')} kW at {s['peak_time']}; load factor {_f(s['load_factor'], '.2f')}"
    )
    typer.echo(f"evening share  {_f(s['evening_peak_share'], '.0f', 100)} % (17-20 h)")
    st = s["stromspiegel"] or {}
    if st.get("class"):
        typer.echo(
            f"Stromspiegel   class {st['class']}, percentile {_f(st['percentile'])} ({st['case']}; "
            f"average {_f(st['average_kwh'])} kWh)  {qs}"
        )
        if st.get("per_capita_kwh") is not None and st.get("per_capita_nrw_kwh"):
            typer.echo(f"per person     {_f(st['per_capita_kwh'])} kWh vs NRW {_f(st['per_capita_nrw_kwh'])} kWh")
        typer.echo(f"               {st['reason']}")
    else:
        typer.echo(f"Stromspiegel   no class: {st.get('reason', '')}")
    typer.echo("signatures")
    for sig in s["signatures"]:
        mark = "yes" if sig["detected"] else ("n/a" if not sig["assessable"] else "no ")
        typer.echo(f"  {mark} {sig['name']:<27} {sig['confidence']:.2f}  {sig['evidence']}")
    for w in s["warnings"]:
        typer.echo(f"warning: {w}")


def register(app: typer.Typer) -> None:
    @app.command("analyse")
    @household_options
    def analyse_command(
        file: Path = typer.Argument(..., help="Meter file (any format `advisor ingest` reads)."),
        household: Household = None,  # replaced by the household options
        as_json: bool = typer.Option(False, "--json", help="Print the key figures as JSON."),
        seeds_dir: Path | None = typer.Option(None, "--seeds", help="Stadtwerk seeds folder overriding the defaults."),
        temperature: Path | None = typer.Option(
            None, "--temperature", help="Measured outdoor temperature: DWD hourly file or CSV timestamp_utc,temp_air."
        ),
        prices: Path | None = typer.Option(
            None, "--prices", help="Hourly prices CSV with timestamp_utc and price_eur_mwh (or price_eur_per_kwh)."
        ),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        meter_id: str | None = METER_ID_OPTION,
        signed: bool = SIGNED_OPTION,
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
    ) -> None:
        """Analyse a load curve: annual energy, base load, peak, Stromspiegel class, signatures, data quality."""
        from advisor.analysis import analyse
        from advisor.errors import AdvisorError
        from advisor.ingest import consumption_curves, one_location, read_load_curves
        from advisor.seeds import load_seeds
        from advisor.settings import prepared_curve, resolve_settings

        seeds = load_seeds(seeds_dir)
        curves = read_load_curves(
            file,
            read_options(
                tz=tz,
                holiday_region=holiday_region,
                label=label,
                meter_id=meter_id,
                signed=signed,
                earliest=earliest,
                latest=latest,
                seeds_dir=seeds_dir,
            ),
        )
        curves = consumption_curves(one_location(curves))
        if not curves:
            raise AdvisorError(f"{file}: no consumption (import, 1.8.0) curve found to analyse")
        temp = _read_series(temperature, "temperature", ("temp_air", "temperature_c")) if temperature else None
        price = _read_series(prices, "prices", ("price_eur_mwh", "price_eur_per_kwh", "price")) if prices else None
        results = []
        for c in curves:
            hs = resolve_settings(seeds, household, curve=c)
            c = prepared_curve(c, hs)
            site = (hs.site.latitude, hs.site.longitude)
            results.append(
                (c, analyse(c, household, temperature=temp, seeds=seeds, prices=price, site=site, state=hs.site.state))
            )
        if as_json:
            out = []
            for c, a in results:
                d = a.summary()
                d["meter_id"] = c.meta.meter_id
                d["household"] = household.to_mapping()
                out.append(d)
            typer.echo(to_json(out[0] if len(out) == 1 else out))
            return
        for c, a in results:
            _print_text(c, a)
