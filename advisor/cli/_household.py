"""The household options of the CLI: one ``--flag`` per :class:`~advisor.household.Household` field.

Typer lives at the edge (``advisor/cli``); the core's :class:`~advisor.household.Household` knows
nothing of it. The same names are the app's questions and the batch ``META.csv`` columns.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

import typer

from advisor.household import Household


def _household_parameters() -> list[inspect.Parameter]:
    def opt(name: str, help_text: str, annotation: Any) -> inspect.Parameter:
        flag = "--" + name.replace("_", "-")
        return inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(None, flag, help=help_text, rich_help_panel="Household"),
            annotation=annotation,
        )

    return [
        opt("persons", "Persons in the household (1-15); unknown if not given.", int | None),
        opt("dwelling", "house | apartment.", str | None),
        opt("tenure", "owner | tenant.", str | None),
        opt("hot_water", "Hot water: electric | other.", str | None),
        opt("heating", "heat_pump | night_storage | other.", str | None),
        opt("ev", "Electric car charged at home: yes | no.", str | None),
        opt("existing_pv_kwp", "PV already installed (kWp).", float | None),
        opt("postal_code", "Postal code (5 digits).", str | None),
        opt("latitude", "Latitude (deg).", float | None),
        opt("longitude", "Longitude (deg).", float | None),
        opt("roof_tilt_deg", "Roof tilt (deg).", float | None),
        opt("roof_azimuth_deg", "Roof azimuth (deg), 180 = south.", float | None),
        opt("roof_area_m2", "Usable roof area (m²).", float | None),
        opt("balcony", "Balcony for plug-in PV: yes | no.", str | None),
        opt("low_income", "Low income / social benefits (Stromspar-Check eligible): yes | no.", str | None),
        opt("grundversorgung", "Supplied in the Grundversorgung (default supply): yes | no.", str | None),
        opt("price_eur_per_kwh", "Own work price (EUR/kWh); else the seeds default.", float | None),
        opt("base_fee_eur_per_year", "Own base fee (EUR/yr); else the seeds default.", float | None),
        opt("language", "Language of texts: de | en | tr (Turkish: unreviewed).", str | None),
    ]


def household_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: give a typer command one option per Household field.

    The decorated function declares a parameter ``household: Household``; the decorator replaces
    it (for typer) by the options ``--persons``, ``--dwelling``, ``--tenure``, ``--hot-water``,
    ``--heating``, ``--ev``, ``--existing-pv-kwp``, ``--postal-code``, ``--latitude``,
    ``--longitude``, ``--roof-tilt-deg``, ``--roof-azimuth-deg``, ``--roof-area-m2``,
    ``--balcony``, ``--price-eur-per-kwh``, ``--base-fee-eur-per-year``, ``--language``, and
    calls the function with ``household=Household.from_mapping(those options)``. Apply it
    *below* ``@app.command``::

        @app.command("analyse")
        @household_options
        def analyse(file: Path, household: Household, as_json: bool = False) -> None: ...

    Bad values raise :class:`AdvisorError` (exit code 2 in the CLI).
    """
    sig = inspect.signature(command)
    hints = typing.get_type_hints(command)  # resolve string annotations in the command's module
    sig = sig.replace(
        parameters=[p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values()],
        return_annotation=hints.get("return", sig.return_annotation),
    )
    if "household" not in sig.parameters:
        raise TypeError(f"{command.__name__} must take a `household` parameter to use @household_options")
    extra = _household_parameters()
    names = {p.name for p in extra}
    kept = [p for p in sig.parameters.values() if p.name != "household"]
    clash = names & {p.name for p in kept}
    if clash:
        raise TypeError(f"{command.__name__} already has parameters {sorted(clash)}")
    positional = [p for p in kept if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keyword = [p.replace(kind=p.KEYWORD_ONLY) for p in kept if p.kind == p.KEYWORD_ONLY]
    new_sig = sig.replace(parameters=positional + keyword + extra)

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {n: kwargs.pop(n, None) for n in names}
        kwargs["household"] = Household.from_mapping(values)
        return command(*args, **kwargs)

    wrapper.__signature__ = new_sig  # type: ignore[attr-defined]
    annotations = {p.name: p.annotation for p in new_sig.parameters.values()}
    if new_sig.return_annotation is not inspect.Signature.empty:
        annotations["return"] = new_sig.return_annotation
    wrapper.__annotations__ = annotations
    del wrapper.__wrapped__  # typer must see the new signature, not the original one
    return wrapper
