"""``advisor evaluate RUN_DIR --after INPUT``: the letters' effect, from a batch run with a control group.

1. Read the run: its configuration (``.state/run.json``), the assignment with each household's
   baseline (``assignment.parquet``: mean daily consumption of the data the letter was written
   from), the seeds it used.
2. Read the later data with the batch's own readers (:func:`advisor.batch.inputs.plan`, the same
   META.csv, so files or meter ids map to the same households and pseudonyms), each household on
   a worker, and take its mean daily consumption after the letter date (and after its baseline).
3. Estimate the effect (:func:`advisor.evaluate.effect.estimate_effect`), overall and per
   k-anonymous cell, and what it means in kWh, € and CO2 for the treatment group.
4. Write ``RUN_DIR/evaluation/evaluation.json`` and ``RUN_DIR/evaluation/missing.csv`` (every
   assigned household without usable later data, with its group and the reason).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.batch.engine import EngineSpec, map_unordered
from advisor.batch.inputs import BatchInputError, is_long_table, plan, sha256_file
from advisor.batch.notice import retention_until
from advisor.batch.outputs import RunLock, RunState, atomic_write_bytes, atomic_write_text, csv_bytes
from advisor.batch.privacy import Pseudonymiser, load_key
from advisor.batch.process import BatchSettings, _message, load_curve
from advisor.batch.split import csv_decimal_comma, partition_map, split_long_table, table_columns
from advisor.errors import AdvisorError, SeedError
from advisor.evaluate.assignment import CONTROL, TREATMENT
from advisor.evaluate.consumption import period_consumption
from advisor.evaluate.effect import Effect, EffectEstimate, estimate_effect, portfolio_savings
from advisor.evaluate.tabular import aggregate_after, time_column_is_aware
from advisor.ingest import ReadOptions
from advisor.ingest.tabular import validate_ids
from advisor.seeds import load_seeds

MISSING_COLUMNS = ("household", "group", "stratum", "reason")


@dataclass(frozen=True)
class EvaluateOptions:
    """What ``advisor evaluate`` was asked to do.

    Attributes
    ----------
    run_dir
        Output folder of a batch run made with ``--control-share``.
    after
        The later meter data: a folder of meter files or a long table, as batch reads.
    households
        META.csv mapping files/meter ids of the later data to households; default the run's own.
    read_options
        Time zone, holiday region, label and long-table columns of the later data.
    since
        First day counted as "after the letter" (ISO date); default the run's letter date.
    method, interval
        ``ancova``/``did`` and ``robust``/``bootstrap`` (:mod:`advisor.evaluate.effect`).
    engine
        Where to read the households (:class:`advisor.batch.EngineSpec`).
    key_file
        Pseudonymisation key of a pseudonymised run (else ``$ADVISOR_PSEUDONYM_KEY``).
    seeds_dir
        Seeds override; default the run's own.
    """

    run_dir: Path
    after: Path
    households: Path | None = None
    read_options: ReadOptions = field(default_factory=ReadOptions)
    since: str | None = None
    method: str = "ancova"
    interval: str = "robust"
    engine: EngineSpec = field(default_factory=EngineSpec)
    key_file: Path | None = None
    seeds_dir: Path | None = None


@dataclass(frozen=True)
class EvaluationResult:
    """What :func:`run_evaluation` found.

    Attributes
    ----------
    estimate
        The effect overall and per cell.
    savings
        kWh, € and CO2 of the treatment group per year, or None without an estimate.
    missing
        Assigned households without usable later data: key, group, stratum and reason.
    since
        Start of the period after the letter (ISO).
    n_assigned
        Households in the run's assignment.
    n_not_assigned
        Households in the later data that the run did not assign (ignored).
    residual_sd_assumed
        The residual SD the run's power analysis assumed [1].
    seconds
        Wall time [s].
    """

    estimate: EffectEstimate
    savings: object
    missing: pd.DataFrame
    since: str
    n_assigned: int
    n_not_assigned: int
    residual_sd_assumed: float | None
    seconds: float

    def to_dict(self) -> dict:
        """The JSON document (``--json`` and ``evaluation/evaluation.json``)."""
        e = self.estimate

        def eff(x: Effect) -> dict:
            return {
                "effect_pct": _r(x.effect_pct),
                "ci_low_pct": _r(x.ci_low_pct),
                "ci_high_pct": _r(x.ci_high_pct),
                "n_treatment": x.n_treatment,
                "n_control": x.n_control,
            }

        missing_by_group = self.missing["group"].value_counts().to_dict() if len(self.missing) else {}
        doc = {
            **eff(e.overall),
            "method": e.method,
            "level": e.level,
            "effect_log": _r(e.overall.effect_log, 6),
            "se_log": _r(e.overall.se_log, 6),
            "residual_sd_log": _r(e.overall.residual_sd_log, 4),
            "residual_sd_log_assumed_by_power_analysis": self.residual_sd_assumed,
            "k_anonymity": e.k,
            "per_stratum": [{"stratum": s.cell, "strata": list(s.strata), **eff(s.effect)} for s in e.per_stratum],
            "savings_per_year": None if self.savings is None else {k: _r(v, 3) for k, v in vars(self.savings).items()},
            "since": self.since,
            "n_assigned": self.n_assigned,
            "n_missing": len(self.missing),
            "n_missing_treatment": int(missing_by_group.get(TREATMENT, 0)),
            "n_missing_control": int(missing_by_group.get(CONTROL, 0)),
            "missing": self.missing.to_dict("records"),
            "n_in_later_data_not_assigned": self.n_not_assigned,
            "note": (
                "effect_pct > 0 means the treatment group used less than the model predicts it would have "
                "without the letter; households in `missing` are not in the estimate"
            ),
        }
        return doc


def _r(x, nd: int = 3):
    if x is None:
        return None
    x = float(x)
    return round(x, nd) if np.isfinite(x) else None


@dataclass(frozen=True)
class _AfterSettings:
    batch: BatchSettings
    since_utc_ns: dict


@dataclass(frozen=True)
class _AfterFigure:
    key: str
    kwh_per_day: float | None
    days: float
    error: str = ""


def after_figure(item, settings: _AfterSettings) -> _AfterFigure:
    """Mean daily consumption of one household in the later data (runs on a worker)."""
    try:
        curve = load_curve(item, settings.batch)
        since = pd.Timestamp(settings.since_utc_ns[item.key], tz="UTC")
        pc = period_consumption(curve, since=since)
        return _AfterFigure(item.key, pc.kwh_per_day if pc.days > 0 else None, pc.days)
    except Exception as exc:  # noqa: BLE001 - one household never stops the evaluation
        return _AfterFigure(item.key, None, 0.0, _message(exc, item))


def _crash(item, message: str) -> _AfterFigure:
    return _AfterFigure(item.key, None, 0.0, message)


def _seed_number(seeds, key: str) -> float:
    try:
        return float(seeds.value(key))
    except SeedError as exc:
        raise SeedError(f"`advisor evaluate` needs the seed `{key}`: {exc}") from None


def _price(seeds) -> float:
    for key in ("tariffs.work_price_eur_per_kwh", "tariffs.household_price_eur_per_kwh"):
        try:
            return float(seeds.value(key))
        except SeedError:
            continue
    raise SeedError("`advisor evaluate` needs the seed `tariffs.work_price_eur_per_kwh` for the € figures")


def _since(options: EvaluateOptions, config: dict) -> pd.Timestamp:
    text = options.since or config.get("letter_date")
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        raise AdvisorError(f"`--since` must be YYYY-MM-DD; got {text!r}") from None
    return pd.Timestamp(day.isoformat()).tz_localize(options.read_options.tz)


def _read_run(run_dir: Path) -> tuple[dict, pd.DataFrame]:
    state = RunState(run_dir)
    if not state.exists():
        raise AdvisorError(f"RUN_DIR {run_dir} holds no batch run (no .state/run.json)")
    path = run_dir / "assignment.parquet"
    if not path.exists():
        raise AdvisorError(
            f"the run in {run_dir} has no control group (no assignment.parquet); it was made without "
            "`--control-share`, so its letters' effect cannot be estimated"
        )
    return state.config(), pd.read_parquet(path)


def run_evaluation(options: EvaluateOptions) -> EvaluationResult:
    """Evaluate a batch run's letters against later data (module docstring); writes the outputs.

    Raises
    ------
    AdvisorError
        RUN_DIR is no run with a control group, the later data cannot be planned (missing file,
        unknown META), a pseudonymised run without its key, or a seed is missing.
    """
    t0 = time.perf_counter()
    config, assigned = _read_run(options.run_dir)
    with RunLock(options.run_dir):
        return _locked(options, config, assigned, t0)


def _locked(options: EvaluateOptions, config: dict, assigned: pd.DataFrame, t0: float) -> EvaluationResult:
    if not options.after.exists():
        raise BatchInputError(f"`--after` {options.after} does not exist")
    if not (options.after.is_dir() or is_long_table(options.after)):
        raise BatchInputError(f"`--after` {options.after} must be a folder of meter files or a long table")
    pseudo = None
    if config.get("pseudonymise"):
        pseudo = Pseudonymiser(load_key(options.key_file))
        if pseudo.key_check() != config.get("key_check"):
            raise AdvisorError(
                "the run was pseudonymised with another key: pass the run's `--key-file` (or "
                "$ADVISOR_PSEUDONYM_KEY) so that the later data map to the same pseudonyms"
            )
    meta = options.households or (Path(config["households"]) if config.get("households") else None)
    if meta is not None and not meta.is_file():
        raise BatchInputError(f"META.csv {meta} (of the run, or `--households`) does not exist; pass `--households`")
    seeds_dir = options.seeds_dir or (Path(config["seeds_dir"]) if config.get("seeds_dir") else None)
    seeds = load_seeds(seeds_dir)
    k = int(_seed_number(seeds, "evaluation.k_anonymity"))
    level = _seed_number(seeds, "evaluation.interval_level")
    min_after = _seed_number(seeds, "evaluation.min_after_days")
    min_base = _seed_number(seeds, "evaluation.min_baseline_days")
    n_boot = int(_seed_number(seeds, "evaluation.bootstrap_replicates"))

    work = options.run_dir / ".state" / "evaluate"
    partitions = None
    if work.exists():
        shutil.rmtree(work)
    try:
        fast = None
        if is_long_table(options.after):
            cols = table_columns(options.after, options.read_options)
            validate_ids(options.after, options.read_options)
            partitions = partition_map(options.after, work / "partitions", cols, pseudo, options.engine.n_workers)
            the_plan, _ = plan(options.after, meta, pseudo, partitions)
            if time_column_is_aware(options.after, cols.time) and all(len(i.sources) <= 1 for i in the_plan.items):
                fast = cols  # one grouped query instead of one curve per household
            else:
                split_long_table(
                    options.after,
                    work / "partitions",
                    cols,
                    partitions,
                    sha256_file(options.after),
                    threads=options.engine.n_workers,
                )
        else:
            the_plan, _ = plan(options.after, meta, pseudo, None)
        rules = _Rules(k=k, level=level, min_after_days=min_after, min_baseline_days=min_base, n_bootstrap=n_boot)
        result = _evaluate(options, config, assigned, the_plan, seeds, pseudo, partitions, rules, fast)
        return replace(result, seconds=time.perf_counter() - t0)
    finally:
        if work.exists():
            shutil.rmtree(work)  # data minimisation: the split copy of the later data is not kept


@dataclass(frozen=True)
class _Rules:
    k: int
    level: float
    min_after_days: float
    min_baseline_days: float
    n_bootstrap: int


def _after_figures(todo, settings: _AfterSettings, options: EvaluateOptions, fast):
    """Each household's later figure: one DuckDB query over a Parquet table (``fast`` = its
    columns) or one curve per household on the engine."""
    if fast is None:
        yield from map_unordered(after_figure, todo, settings, options.engine, _crash)
        return
    tid = {i.key: i.sources[0].meter_id for i in todo}
    since = pd.Series(
        pd.to_datetime([settings.since_utc_ns[k] for k in tid], unit="ns", utc=True),
        index=list(tid.values()),
        dtype="datetime64[ns, UTC]",
    )
    agg = aggregate_after(options.after, fast, since, threads=options.engine.n_workers).to_dict("index")
    for key, t in tid.items():  # plain dicts: no pandas access per household
        r = agg.get(t)
        if r is None:
            yield _AfterFigure(key, None, 0.0)
            continue
        yield _AfterFigure(key, r["kwh_per_day"] if pd.notna(r["kwh_per_day"]) else None, float(r["days"]), r["error"])


def _evaluate(
    options, config, assigned, the_plan, seeds, pseudo, partitions, rules: _Rules, fast=None
) -> EvaluationResult:
    k, level, min_after, min_base = rules.k, rules.level, rules.min_after_days, rules.min_baseline_days
    since = _since(options, config)
    assigned = assigned.set_index("household", drop=False)
    items = {i.key: i for i in the_plan.items}
    settings = BatchSettings(
        read_options=options.read_options,
        seeds=seeds,
        pseudonymiser=pseudo,
        table_decimal_comma=partitions is not None and csv_decimal_comma(options.after),
    )
    # each household counts from the later of the evaluation start and its own baseline end
    ends = assigned["baseline_end"].where(assigned["baseline_end"].map(lambda x: isinstance(x, str) and bool(x)))
    ends_utc = pd.to_datetime(ends, utc=True, format="ISO8601")
    start_ns = np.maximum(ends_utc.fillna(since.tz_convert("UTC")).to_numpy("datetime64[ns]").astype(np.int64),
                          int(since.tz_convert("UTC").value))  # fmt: skip
    since_ns = dict(zip(assigned.index, (int(x) for x in start_ns), strict=True))
    cells = assigned[["group", "stratum"]].to_dict("index")
    missing: list[dict] = []

    def lost(key, reason):
        r = cells[key]
        missing.append({"household": key, "group": r["group"], "stratum": r["stratum"], "reason": reason})

    todo = []
    for key in assigned.index:
        item = items.get(key)
        if item is None:
            lost(key, "not in the later data")
        elif item.skipped_reason:
            lost(key, f"skipped in the later data: {item.skipped_reason}")
        elif not item.sources:
            lost(key, "not in the later data")
        else:
            todo.append(replace(item, annual_kwh=None))
    post = {}
    for fig in _after_figures(todo, _AfterSettings(settings, since_ns), options, fast):
        if fig.error:
            lost(fig.key, f"later data unreadable: {fig.error}")
        elif fig.kwh_per_day is None or fig.days < min_after:
            lost(
                fig.key,
                f"too little later data after {since.date().isoformat()}: {fig.days:.1f} days, at least {min_after:.0f} needed",
            )
        else:
            post[fig.key] = fig.kwh_per_day
    base_days = pd.to_numeric(assigned["baseline_days"], errors="coerce").fillna(0.0)
    for key in assigned.index[base_days < min_base]:
        if key in post:
            del post[key]
            lost(key, f"too little data before the letter: {base_days[key]:.1f} days, at least {min_base:.0f} needed")
    frame = pd.DataFrame(
        {
            "group": assigned["group"],
            "stratum": assigned["stratum"],
            "pre": pd.to_numeric(assigned["baseline_kwh_per_day"], errors="coerce"),
            "post": pd.Series(post, dtype="float64").reindex(assigned.index),
        }
    )
    frame = frame[frame["post"].notna()]
    estimate = estimate_effect(
        frame,
        k=k,
        method=options.method,
        interval=options.interval,
        level=level,
        n_bootstrap=rules.n_bootstrap,
        seed=int(config.get("assignment_seed") or 0),
    )
    for key, reason in estimate.excluded.items():
        lost(key, reason)
    used = frame.drop(index=list(estimate.excluded), errors="ignore")
    savings = portfolio_savings(
        estimate.overall,
        used.loc[used["group"] == TREATMENT, "post"].to_numpy(),
        _price(seeds),
        _seed_number(seeds, "emissions.co2_g_per_kwh"),
    )
    missing_df = pd.DataFrame(missing, columns=list(MISSING_COLUMNS)).sort_values("household", kind="stable")
    try:
        assumed = float(seeds.value("evaluation.residual_sd_log"))
    except SeedError:
        assumed = None
    result = EvaluationResult(
        estimate=estimate,
        savings=savings,
        missing=missing_df.reset_index(drop=True),
        since=since.isoformat(),
        n_assigned=len(assigned),
        n_not_assigned=len(set(items) - set(assigned.index)),
        residual_sd_assumed=assumed,
        seconds=0.0,
    )
    out = options.run_dir / "evaluation"
    out.mkdir(exist_ok=True)
    doc = result.to_dict()
    try:
        doc["retention_until"] = retention_until(
            config["letter_date"], int(seeds.value("evaluation.retention_months"))
        ).isoformat()
    except (SeedError, KeyError, ValueError):
        doc["retention_until"] = None
    doc["after_input"] = {"name": options.after.name, "kind": the_plan.input_kind, "files": len(the_plan.input_files)}
    atomic_write_text(out / "evaluation.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    atomic_write_bytes(out / "missing.csv", csv_bytes(result.missing))
    return result
