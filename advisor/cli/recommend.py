"""``advisor recommend FILE [household options] [--json]``: the ranked savings measures."""

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
    read_options,
    to_json,
    unavailable_notes,
)
from advisor.cli._household import household_options
from advisor.household import Household
from advisor.signatures import device_questions


def resolve_prices(prices: Path | None):
    """Day-ahead prices from ``--prices``, else the file named by ``$ADVISOR_PRICES_FILE`` /
    ``$ADVISOR_PRICES`` (the operator's); None when neither is given (no dynamic-tariff comparison,
    the output says so). Nothing is read from beside the checkout."""
    from advisor.ingest.prices import read_day_ahead_prices
    from advisor.settings import operator_prices_path

    path = prices if prices is not None else operator_prices_path()
    return read_day_ahead_prices(path) if path is not None else None


def parse_skip(skip: str | None) -> tuple[str, ...]:
    from advisor.assessment import ALL_PARTS
    from advisor.errors import AdvisorError

    parts = tuple(p.strip() for p in (skip or "").split(",") if p.strip())
    bad = [p for p in parts if p not in ALL_PARTS]
    if bad:
        raise AdvisorError(f"`--skip` takes parts of {ALL_PARTS}; got {bad}.")
    return parts


def assess_file(
    file: Path,
    household: Household,
    *,
    seeds_dir: Path | None,
    prices: Path | None,
    skip: tuple[str, ...],
    tz: str,
    holiday_region: str,
    label: str,
    meter_id: str | None,
    parts: tuple[str, ...],
    earliest: str | None = None,
    latest: str | None = None,
):
    """Read the first consumption curve of ``file`` and assess it (the edge: read -> core)."""
    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.errors import AdvisorError
    from advisor.ingest import consumption_curves, one_location, read_load_curves
    from advisor.seeds import load_seeds

    seeds = load_seeds(seeds_dir)
    options = read_options(
        tz=tz,
        holiday_region=holiday_region,
        label=label,
        meter_id=meter_id,
        earliest=earliest,
        latest=latest,
        seeds_dir=seeds_dir,
    )
    curves = consumption_curves(one_location(read_load_curves(file, options)))
    if not curves:
        raise AdvisorError(f"{file}: no consumption (import, 1.8.0) curve found")
    if len(curves) > 1:
        raise AdvisorError(
            f"{file}: holds {len(curves)} consumption curves; pick one with --location "
            f"({', '.join(str(c.meta.meter_id) for c in curves[:5])})"
        )
    settings = AssessmentSettings(
        seeds=seeds,
        prices=resolve_prices(prices) if "tariffs" not in skip else None,
        language=household.language,
        parts=tuple(p for p in parts if p not in skip),
    )
    return assess_household(curves[0], household, settings)


def register(app: typer.Typer) -> None:
    @app.command("recommend")
    @household_options
    def recommend_command(
        file: Path = typer.Argument(..., help="Meter file (any format `advisor ingest` reads)."),
        household: Household = None,  # replaced by the household options
        as_json: bool = typer.Option(False, "--json", help="Print the ranked list as JSON."),
        seeds_dir: Path | None = SEEDS_OPTION,
        prices: Path | None = PRICES_OPTION,
        skip: str | None = typer.Option(None, "--skip", help="Parts to skip, comma-separated: pv,tariffs."),
        tz: str = TZ_OPTION,
        holiday_region: str = REGION_OPTION,
        label: str = LABEL_OPTION,
        meter_id: str | None = METER_ID_OPTION,
        earliest: str | None = EARLIEST_OPTION,
        latest: str | None = LATEST_OPTION,
    ) -> None:
        """Rank the savings measures for one household by euros per year."""
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
            parts=("pv", "tariffs", "recommendations"),
            earliest=earliest,
            latest=latest,
        )
        if as_json:
            ex = a.extrapolation
            typer.echo(
                to_json(
                    {
                        "assessment": a.figures.to_dict(),
                        "extrapolation": ex.to_dict() if ex is not None else None,
                        "recommendations": [_with_range(r.to_dict(), ex) for r in a.recommendations],
                        "not_recommended": [n.to_dict() for n in a.not_recommended],
                        "potential": a.potential.to_dict() if a.potential is not None else None,
                        "own_pv": a.own_pv.to_dict() if a.own_pv is not None else None,
                        "questions_de": device_questions(a.analysis.signatures, "de"),
                        "questions_en": device_questions(a.analysis.signatures, "en"),
                        "total_savings_eur": None if ex is not None and ex.withheld else a.total_savings_eur,
                        "total_savings_eur_range": ex.range(a.total_savings_eur)
                        if ex is not None and not ex.withheld
                        else None,
                        "annual_kwh": a.figures.annual_kwh,
                        "annual_kwh_range": ex.range(a.figures.annual_kwh) if ex is not None else None,
                        "annual_bill_eur_range": ex.range(a.figures.annual_bill_eur) if ex is not None else None,
                        "unavailable": {k: str(v) for k, v in a.unavailable.items()},
                        "is_synthetic": a.is_synthetic,
                        "is_estimated": a.is_estimated,
                    }
                )
            )
            return
        lang = household.language
        ex = a.extrapolation
        if ex is not None:
            typer.echo(f"note: {ex.note.text(lang)}" + (f" {ex.reason.text(lang)}" if ex.withheld else ""))
        for r in a.recommendations:
            if ex is not None and ex.withheld:
                typer.echo(f"{r.rank:>2}. {r.title(lang)} [{r.basis_text(lang)}, {r.confidence_text(lang)}]")
                continue
            span = ex.range(r.annual_savings_eur) if ex is not None else None
            typer.echo(
                f"{r.rank:>2}. {r.title(lang)}: {r.annual_savings_eur:,.0f} EUR/yr"
                + (f" (range {span[0]:,.0f}-{span[1]:,.0f})" if span else "")
                + f", {r.annual_savings_kwh:,.0f} kWh/yr, "
                f"{r.annual_co2_kg:,.0f} kg CO2/yr, investment {r.investment_eur:,.0f} EUR "
                f"[{r.basis_text(lang)}, {r.confidence_text(lang)}]"
            )
            typer.echo(f"    {r.explanation(lang)}")
        for n in a.not_recommended:
            # a payback from too few days is a figure per year too: withheld with the reason
            why = (
                ex.reason.text(lang)
                if ex is not None and ex.withheld and n.reason_code == "payback_beyond_lifetime"
                else n.reason(lang)
            )
            typer.echo(f" -  {n.title(lang)}: {why}")
        if a.potential is not None and not (ex is not None and ex.withheld):
            p = a.potential
            typer.echo(
                f"potential (measures one after another): {p.annual_savings_eur:,.0f} EUR/yr, "
                f"{p.annual_savings_kwh:,.0f} kWh/yr"
                + (
                    f"; with the conditional ones up to {p.with_conditional_eur:,.0f} EUR/yr"
                    if p.with_conditional_eur > p.annual_savings_eur + 0.5
                    else ""
                )
            )
        for q in device_questions(a.analysis.signatures, lang):
            typer.echo(f"?   {q}")
        for line in unavailable_notes(a.unavailable, lang):
            typer.echo(line)


def _with_range(rec: dict, ex) -> dict:
    """A recommendation's JSON with the 80 % range of its EUR/yr and kWh/yr from a short period, or
    both withheld (None) below the minimum days (``extrapolation.reason`` says why)."""
    if ex is None:
        return rec
    if ex.withheld:
        return {**rec, "annual_savings_eur": None, "annual_savings_kwh": None, "withheld": True}
    return {
        **rec,
        "annual_savings_eur_range": ex.range(rec.get("annual_savings_eur")),
        "annual_savings_kwh_range": ex.range(rec.get("annual_savings_kwh")),
    }
