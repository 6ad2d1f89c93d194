"""``advisor savings FILE --change-date YYYY-MM-DD``: verified savings after a change."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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
    @app.command("savings")
    def savings(
        file: Path = typer.Argument(..., help="Meter file spanning the change."),
        change_date: str = typer.Option(..., "--change-date", help="First local day after the change (YYYY-MM-DD)."),
        price: float | None = typer.Option(None, "--price", help="Work price [EUR/kWh]; default from seeds."),
        seeds_dir: Path | None = typer.Option(None, "--seeds", help="Folder overriding the shipped seeds."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
        temperature: Path | None = typer.Option(
            None,
            "--temperature",
            help="Measured outdoor temperature: DWD CDC produkt_tu_stunde_*.txt (or its zip) or a "
            "timestamp,temp_air CSV; adds heating degree days to the baseline.",
        ),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        meter_id: str | None = METER_ID_OPTION,
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
    ) -> None:
        """Fit a baseline before the change, predict the counterfactual after it, report saved kWh and EUR."""
        from advisor.household import Household
        from advisor.ingest import read_load_curve
        from advisor.ingest.temperature import read_temperature
        from advisor.savings import SavingsSettings, verify_savings
        from advisor.seeds import load_seeds
        from advisor.settings import resolve_settings

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
        seeds = load_seeds(seeds_dir)
        price = resolve_settings(seeds, Household(price_eur_per_kwh=price), curve=curve).work_price_eur_per_kwh
        temp = read_temperature(temperature, tz=curve.meta.tz) if temperature is not None else None
        res = verify_savings(
            curve, change_date, price_eur_per_kwh=price, temperature_c=temp, settings=SavingsSettings.from_seeds(seeds)
        )
        data = res.to_dict()
        data["price_eur_per_kwh"] = price
        if as_json:
            typer.echo(to_json(data))
            return
        if np.isnan(res.saved_kwh):
            typer.echo(f"Cannot verify savings: {res.reason}.")
            return
        if res.indicative:
            typer.echo(f"Note: {res.reason}.")
        typer.echo(
            f"Savings since {res.change_date} over {res.reporting_days} days (baseline {res.baseline_days} days, "
            f"{res.method}, CV(RMSE) {res.baseline_cv_rmse:.2f}):\n"
            f"  saved {res.saved_kwh:.0f} kWh (80 % band {res.saved_kwh_p10:.0f} .. {res.saved_kwh_p90:.0f}), "
            f"{res.saved_kwh_per_day:.2f} kWh/day, {res.saved_pct:.1f} % of the counterfactual\n"
            f"  = {res.saved_eur:.2f} EUR at {price:.3f} EUR/kWh (band {res.saved_eur_p10:.2f} .. {res.saved_eur_p90:.2f}); "
            f"about {res.annualised_saved_kwh:.0f} kWh a year\n"
            f"  baseline fit: monthly CV(RMSE) {res.baseline_cv_rmse_monthly:.3f}, NMBE {res.baseline_nmbe_monthly:.3f} "
            f"(ASHRAE Guideline 14, monthly: <= {res.g14_cv_rmse_max_monthly:.2f} and +-{res.g14_nmbe_max_monthly:.2f}; "
            f"met: {res.g14_pass})"
        )
