"""Options and output helpers shared by the CLI command modules."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer

from advisor.errors import AdvisorError
from advisor.ingest import ReadOptions
from advisor.texts import localize, render
from advisor.units import DEFAULT_HOLIDAY_REGION, DEFAULT_TZ

TZ_OPTION = typer.Option(DEFAULT_TZ, "--tz", help="Time zone of naive timestamps and of the curve.")
REGION_OPTION = typer.Option(DEFAULT_HOLIDAY_REGION, "--holiday-region", help="Holiday region, e.g. DE-NW or GB-ENG.")
LABEL_OPTION = typer.Option("auto", "--label", help="Single timestamps mark interval 'start', 'end' or 'auto'.")
METER_ID_OPTION = typer.Option(
    None,
    "--location",
    "--meter-id",
    help="Use only this metering location (LOC / meter id) of a file with several; curves of "
    "different locations are never summed.",
)
EARLIEST_OPTION = typer.Option(
    None,
    "--earliest",
    metavar="YYYY-MM-DD",
    help="Plausible period: timestamps before this day are set aside with a warning (a file mostly "
    "outside is refused). Default from seeds ingest.plausible_earliest (2000-01-01: no household "
    "interval data before; catches a mistyped 1900).",
)
LATEST_OPTION = typer.Option(
    None,
    "--latest",
    metavar="YYYY-MM-DD",
    help="Plausible period: timestamps from this day on are set aside with a warning. Default today "
    "+ seeds ingest.plausible_ahead_days (366: meter data are never in the future; catches a "
    "mistyped 2204).",
)
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


def _day(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise AdvisorError(f"`{option}` must be a date YYYY-MM-DD; got {value!r}") from None


def plausible_period_options(
    earliest: str | None, latest: str | None, seeds_dir: Path | None = None
) -> tuple[str, str]:
    """The plausible period ``(earliest, latest)`` as ISO dates: the options as given, else the
    seeds (``ingest.plausible_earliest``; today + ``ingest.plausible_ahead_days``).

    Raises
    ------
    AdvisorError
        A value that is not a date, or an empty period.
    """
    from advisor.seeds import load_seeds

    earliest, latest = _day(earliest, "--earliest"), _day(latest, "--latest")
    if earliest is None or latest is None:
        seeds = load_seeds(seeds_dir)
        if earliest is None:
            earliest = _day(str(seeds.value("ingest.plausible_earliest")), "seeds ingest.plausible_earliest")
        if latest is None:
            ahead = int(seeds.value("ingest.plausible_ahead_days"))
            latest = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=ahead)).isoformat()
    if not earliest < latest:
        raise AdvisorError(f"plausible period {earliest} .. {latest} is empty: `--earliest` must lie before `--latest`")
    return earliest, latest


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
    earliest: str | None = None,
    latest: str | None = None,
    seeds_dir: Path | None = None,
) -> ReadOptions:
    """:class:`ReadOptions` from CLI options; the plausible period from ``--earliest``/``--latest``
    or the seeds (:func:`plausible_period_options`)."""
    earliest, latest = plausible_period_options(earliest, latest, seeds_dir)
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
        earliest=earliest,
        latest=latest,
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


def unavailable_notes(unavailable: dict[str, Any], lang: str) -> list[str]:
    """One line per part of the assessment that was skipped or failed, in the household's language
    (the same words as the app's "not calculated" list: ``app.rec.part.*`` and the part's message)."""
    return [f"note: {render('app.rec.part.' + part, lang)}: {localize(why, lang)}" for part, why in unavailable.items()]
