"""Options and output helpers shared by the CLI command modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from advisor.ingest import ReadOptions
from advisor.units import DEFAULT_HOLIDAY_REGION, DEFAULT_TZ

TZ_OPTION = typer.Option(DEFAULT_TZ, "--tz", help="Time zone of naive timestamps and of the curve.")
REGION_OPTION = typer.Option(DEFAULT_HOLIDAY_REGION, "--holiday-region", help="Holiday region, e.g. DE-NW or GB-ENG.")
LABEL_OPTION = typer.Option("auto", "--label", help="Single timestamps mark interval 'start', 'end' or 'auto'.")
METER_ID_OPTION = typer.Option(None, "--meter-id", help="Use only this meter or location.")
SIGNED_OPTION = typer.Option(
    False,
    "--signed",
    help="The CSV/Excel value column is a net curve: positive = consumption, negative = feed-in "
    "(split into import and feed-in).",
)
SEEDS_OPTION = typer.Option(None, "--seeds", help="Stadtwerk seeds folder overriding the defaults.")
PRICES_OPTION = typer.Option(
    None, "--prices", help="Hourly day-ahead prices CSV (timestamp_utc, price_eur_mwh, or a SMARD export)."
)


def read_options(
    tz: str = DEFAULT_TZ,
    holiday_region: str = DEFAULT_HOLIDAY_REGION,
    label: str = "auto",
    id_col: str | None = None,
    time_col: str | None = None,
    value_col: str | None = None,
    meter_id: str | None = None,
    unit: str | None = None,
    signed: bool = False,
) -> ReadOptions:
    return ReadOptions(
        unit=unit,
        signed=signed,
        tz=tz,
        holiday_region=holiday_region,
        label=label,
        id_col=id_col,
        time_col=time_col,
        value_col=value_col,
        meter_id=meter_id,
    )


def to_json(obj: Any) -> str:
    """JSON with NaN as null and numpy/pandas scalars converted."""
    import math

    import numpy as np

    def default(o):
        if isinstance(o, (np.integer,)):
            return int(o)
        if isinstance(o, (np.floating,)):
            return None if math.isnan(o) else float(o)
        if isinstance(o, (np.bool_,)):
            return bool(o)
        if hasattr(o, "isoformat"):
            return o.isoformat()
        if isinstance(o, Path):
            return str(o)
        return str(o)

    def clean(o):
        if isinstance(o, float) and (math.isnan(o) or math.isinf(o)):
            return None
        if isinstance(o, dict):
            return {k: clean(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [clean(v) for v in o]
        return o

    return json.dumps(clean(obj), default=default, ensure_ascii=False, indent=2)
