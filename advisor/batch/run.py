"""Orchestration of ``advisor batch``: plan, two passes over the households, portfolio outputs.

1. Plan: list the households (folder of meter files, or a long table split once into
   per-id Parquet partitions) and join ``META.csv``.
2. Pass 1 (only when some peer group can reach 20 households): each household's annual
   consumption, for the peer groups.
3. Pass 2: per household the assessment, the letter(s) and the summary row; results are written as
   they arrive (letters first, then the row file that marks the household done).
4. From the row files: summary (Parquet, CSV, DuckDB), errors.csv, portfolio.html, manifest.json.

``--resume`` skips every household whose row file exists and repeats step 4, so a run killed at
any point and resumed gives the same files as an uninterrupted run. Only ``manifest.json`` differs
(start, end and resume times, timings).
"""

from __future__ import annotations

import base64
import datetime as dt
import platform
import shutil
import sys
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from advisor.batch.assignment import (
    assignment_frame,
    control_group_manifest,
    make_assignment,
    power_of,
    with_groups,
)
from advisor.batch.early_warning import write_energy_poverty_list
from advisor.batch.engine import EngineSpec, map_unordered, prestart
from advisor.batch.grid_peak import accumulate, k_anonymous_peaks
from advisor.batch.inputs import BatchInputError, is_long_table, plan, sha256_file
from advisor.batch.notice import privacy_notice
from advisor.batch.outputs import (
    LOCK_NAME,
    RunLock,
    RunState,
    atomic_write_bytes,
    atomic_write_text,
    forecast_frame,
    parquet_bytes,
    remove_temporaries,
    summary_frame,
    write_grid_peaks,
    write_tables,
)
from advisor.batch.portfolio import (
    MIN_PEER_GROUP_SIZE,
    aggregate_forecast,
    build_peer_groups,
    possible_peer_groups,
    render_portfolio,
)
from advisor.batch.privacy import Pseudonymiser, load_key
from advisor.batch.process import (
    STATUS_ERROR,
    BatchSettings,
    HouseholdResult,
    KeyFigures,
    crashed_result,
    empty_row,
    key_figures,
    process_household,
)
from advisor.batch.split import csv_decimal_comma, partition_map, split_long_table, table_columns
from advisor.errors import AdvisorError
from advisor.evaluate.assignment import PowerAnalysis, check_control_share
from advisor.ingest import ReadOptions
from advisor.ingest.tabular import validate_ids

FORMATS = ("html", "pdf")
STATE_VERSION = 1


@dataclass(frozen=True)
class BatchOptions:
    """Everything ``advisor batch`` was asked to do.

    Attributes
    ----------
    input_path
        Folder of meter files, or one long table (CSV/Parquet).
    out_dir
        Output folder (created; must be empty or a previous run of the same job with ``resume``).
    households
        META.csv, or None.
    engine
        Where to run (:class:`EngineSpec`).
    pseudonymise, key_file
        Replace ids by keyed hashes; the key from ``key_file`` or ``$ADVISOR_PSEUDONYM_KEY``.
    resume
        Continue a previous run in ``out_dir``.
    seeds_dir, brand_dir
        The Stadtwerk's seeds overrides and letterhead.
    prices
        Hourly day-ahead prices (CSV, see :func:`advisor.tariffs.read_day_ahead_prices`) for the
        dynamic-tariff comparison; None: no dynamic tariff in the letters.
    formats
        Letter formats (``html``, ``pdf``).
    read_options
        Time zone, holiday region, column names for reading meter data.
    letter_date
        Date on the letters (ISO); default today, kept on ``--resume``.
    estimate_year
        Year of curves estimated from ``annual_kwh``; default the year before ``letter_date``.
    progress
        Show a progress bar on stderr.
    command
        The command line, for the manifest.
    control_share, assignment_seed
        With a share in (0, 1): stratified random assignment of the households into treatment
        (letter) and control (no letter) with this seed (:mod:`advisor.evaluate.assignment`).
    period_options
        ``--earliest`` / ``--latest`` as given (None: from the seeds); ``read_options`` holds the
        resolved plausible period. ``--resume`` refuses a run whose given period differs.
    """

    input_path: Path
    out_dir: Path
    households: Path | None = None
    engine: EngineSpec = field(default_factory=EngineSpec)
    pseudonymise: bool = False
    key_file: Path | None = None
    resume: bool = False
    seeds_dir: Path | None = None
    brand_dir: Path | None = None
    prices: Path | None = None
    formats: tuple[str, ...] = ("html", "pdf")
    read_options: ReadOptions = field(default_factory=ReadOptions)
    letter_date: str | None = None
    estimate_year: int | None = None
    progress: bool = True
    command: tuple[str, ...] = ()
    control_share: float | None = None
    assignment_seed: int | None = None
    period_options: tuple[str | None, str | None] = (None, None)


@dataclass(frozen=True)
class BatchReport:
    """What a run did.

    Attributes
    ----------
    n_households, n_ok, n_error, n_skipped
        Households in total and by status.
    n_insufficient_data
        Households with too little data for a letter (status ``insufficient_data``; not an error).
    n_processed
        Households processed in this invocation (fewer than all after ``--resume``).
    seconds
        Wall time of this invocation [s].
    stage_seconds
        Summed worker time per stage [s] (``pass1``, ``read``, ``assess``, ``html``, ``pdf``) and
        driver time for ``plan``, ``write`` and ``portfolio``.
    out_dir
        The output folder.
    changed
        Keys of the households computed again on ``--resume`` because their input files changed.
    power
        With a control group: the power analysis (:class:`advisor.evaluate.assignment.PowerAnalysis`).
    privacy_missing
        Seed keys of the data-protection information the Stadtwerk has not filled in.
    retention_until
        Date (ISO) until which the run's personal data are kept; then ``advisor batch --purge OUT``.
    n_energy_poverty
        Households on the energy-poverty list (``energy_poverty.csv``); None when none consented.
    """

    n_households: int
    n_ok: int
    n_error: int
    n_skipped: int
    n_processed: int
    seconds: float
    stage_seconds: dict
    out_dir: Path
    changed: tuple[str, ...] = ()
    n_insufficient_data: int = 0
    power: PowerAnalysis | None = None
    privacy_missing: tuple[str, ...] = ()
    retention_until: str | None = None
    n_energy_poverty: int | None = None

    @property
    def exit_code(self) -> int:
        """0 when no household failed, 3 otherwise."""
        return 3 if self.n_error else 0


def load_brand(folder: Path | None):
    """The Stadtwerk's letterhead (:class:`advisor.report.Brand`) from a folder.

    ``folder/brand.toml`` may hold ``name``, ``sender`` (list of lines), ``primary_color``
    (``#rrggbb``), ``footer`` (list of lines) and ``contact``; ``folder/logo.svg`` or ``logo.png``
    becomes the logo (inlined, no network).

    Raises
    ------
    BatchInputError, ReportError
        The folder or its TOML is unusable, or a value is refused by ``Brand``.
    """
    from advisor.report import Brand

    if folder is None:
        return Brand()
    if not folder.is_dir():
        raise BatchInputError(f"`--brand` {folder} is not a folder")
    doc = {}
    toml = folder / "brand.toml"
    if toml.exists():
        try:
            doc = tomllib.loads(toml.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise BatchInputError(f"`--brand` {toml}: not valid TOML ({exc})") from None
    logo = None
    for name, mime in (("logo.svg", "image/svg+xml"), ("logo.png", "image/png")):
        p = folder / name
        if p.exists():
            logo = f"data:{mime};base64," + base64.b64encode(p.read_bytes()).decode("ascii")
            break

    def lines(value) -> tuple[str, ...]:
        if isinstance(value, str):
            value = value.splitlines()
        return tuple(str(v).strip() for v in value or () if str(v).strip())

    kwargs = {
        "sender_lines": lines(doc.get("sender")),
        "footer_lines": lines(doc.get("footer")),
        "logo_data_uri": logo,
    }
    for key in ("name", "primary_color", "contact"):
        if key in doc:
            kwargs[key] = str(doc[key])
    return Brand(**kwargs)


def _model_fingerprint() -> dict:
    """Name and sha256 of the default forecasting model folder (its ``meta.json`` and model
    files, by name), or None where no model is installed."""
    import hashlib

    from advisor.forecast import default_model_dir

    folder = Path(default_model_dir())
    files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    if not files:
        return {"name": folder.name, "sha256": None, "files": []}
    h = hashlib.sha256()
    for p in files:
        h.update(p.name.encode() + b"\0" + sha256_file(p).encode())
    return {"name": folder.name, "sha256": h.hexdigest(), "files": [p.name for p in files]}


def _check_options(options: BatchOptions) -> None:
    if not options.input_path.exists():
        raise BatchInputError(f"INPUT {options.input_path} does not exist")
    if not (options.input_path.is_dir() or is_long_table(options.input_path)):
        raise BatchInputError(
            f"INPUT {options.input_path} must be a folder of meter files or a long table (.csv/.parquet)"
        )
    bad = [f for f in options.formats if f not in FORMATS]
    if bad or not options.formats:
        raise BatchInputError(f"`--formats` must be a subset of {','.join(FORMATS)}; got {','.join(options.formats)}")
    if options.households is not None and not options.households.is_file():
        raise BatchInputError(f"`--households` {options.households} does not exist")
    if options.prices is not None and not options.prices.is_file():
        raise BatchInputError(f"`--prices` {options.prices} does not exist")
    if options.input_path.is_dir() and options.out_dir.resolve().is_relative_to(options.input_path.resolve()):
        raise BatchInputError(f"`--out` {options.out_dir} must not lie inside the INPUT folder {options.input_path}")
    if options.key_file is not None and not options.pseudonymise:
        raise BatchInputError("`--key-file` is only used with `--pseudonymise`")
    if options.control_share is not None:
        check_control_share(options.control_share)
        if options.assignment_seed is None:
            raise BatchInputError(
                "`--control-share` needs `--seed N` (an integer recorded with the run, so that the "
                "assignment can be reproduced)"
            )
    elif options.assignment_seed is not None:
        raise BatchInputError("`--seed` is only used with `--control-share`")


def _job_config(options: BatchOptions, pseudo: Pseudonymiser | None, letter_date: str) -> dict:
    """What must be equal for ``--resume`` to continue a run (no secrets, no times)."""
    return {
        "state_version": STATE_VERSION,
        "input": str(options.input_path.resolve()),
        "households": str(options.households.resolve()) if options.households else None,
        "formats": list(options.formats),
        "read_options": [
            options.read_options.tz,
            options.read_options.holiday_region,
            options.read_options.label,
            options.read_options.id_col,
            options.read_options.time_col,
            options.read_options.value_col,
        ],
        "seeds_dir": str(options.seeds_dir.resolve()) if options.seeds_dir else None,
        "brand_dir": str(options.brand_dir.resolve()) if options.brand_dir else None,
        "prices": str(options.prices.resolve()) if options.prices else None,
        "pseudonymise": pseudo is not None,
        "key_check": pseudo.key_check() if pseudo else None,
        "letter_date": letter_date,
        "estimate_year": options.estimate_year,
        "control_share": options.control_share,
        "assignment_seed": options.assignment_seed,
        # as given (the default's latest moves with the date; a run resumed tomorrow is the same job)
        "plausible_period": list(options.period_options) if any(options.period_options) else None,
    }


def _progress(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="hh", file=sys.stderr, disable=not enabled, mininterval=0.5, smoothing=0.1)


class BatchOutputError(AdvisorError):
    """The output folder cannot be written (disk full, permissions): the run stops, resumable."""


def run_batch(options: BatchOptions) -> BatchReport:
    """Run (or resume) a batch job; see the module docstring.

    While it writes, the run holds ``OUT/.lock``; a second run into the same folder is refused.

    Raises
    ------
    AdvisorError
        Bad usage or input that stops the whole run (exit status 2 in the CLI), another run
        holding the lock, or an OS error writing the outputs (:class:`BatchOutputError`; every
        file is written atomically, so ``--resume`` continues). Broken households do not raise:
        they are listed in ``errors.csv``.
    """
    _check_options(options)
    pseudo = Pseudonymiser(load_key(options.key_file)) if options.pseudonymise else None
    created = not options.out_dir.exists()
    try:
        options.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchOutputError(f"cannot create the output folder {options.out_dir}: {_os_reason(exc)}") from None
    lock = RunLock(options.out_dir)
    lock.acquire()
    try:
        return _run_locked(options, pseudo)
    except OSError as exc:
        raise BatchOutputError(
            f"the run stopped: {_os_reason(exc)}. Every file written so far is complete; fix the cause "
            f"(e.g. free disk space) and continue with the same command plus `--resume`"
        ) from None
    except Exception as exc:
        if not _is_duckdb_io_error(exc):
            raise
        # DuckDB reports a full disk or a file-size limit as its own IOException, not OSError
        reason = " ".join(str(exc).split())[:300]
        raise BatchOutputError(
            f"the run stopped writing summary.duckdb: {reason}. Every file written so far is complete; fix "
            "the cause (e.g. free disk space) and continue with the same command plus `--resume`"
        ) from None
    finally:
        lock.release()
        if created and options.out_dir.is_dir() and not any(options.out_dir.iterdir()):
            options.out_dir.rmdir()  # a run refused before writing anything leaves no folder


def _is_duckdb_io_error(exc: BaseException) -> bool:
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency
        return False
    return isinstance(exc, duckdb.IOException)


def _os_reason(exc: OSError) -> str:
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    what = exc.strerror or type(exc).__name__
    where = f" ({exc.filename})" if exc.filename else ""
    hint = " - the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
    return f"{what}{f' [{name}]' if name else ''}{where}{hint}"


def _resume_changes(state: RunState, the_plan, options: BatchOptions, pseudo) -> tuple[str, ...]:
    """Compare the input files' sha256 with those of the run being resumed.

    A changed META.csv or long table is refused (it may affect every household); for a folder,
    exactly the households whose meter files changed, appeared or vanished are computed again.
    Returns their keys.
    """
    current = dict(the_plan.input_files)
    saved = state.input_hashes()
    if saved is None:  # a run made before input hashes were kept: keep them from now on
        state.write_input_hashes(current)
        return ()
    changed = {n for n in set(saved) | set(current) if saved.get(n) != current.get(n)}
    if not changed:
        return ()
    meta_name = options.households.name if options.households else None
    if the_plan.input_kind == "table" or (meta_name and meta_name in changed):
        which = "META.csv (`--households`)" if meta_name in changed else f"the long table {options.input_path.name}"
        raise BatchInputError(
            f"`--resume`: {which} changed since the run in {options.out_dir} began (sha256 differs); its results "
            "would mix old and new data. Start a new run with another `--out`"
        )

    def out_name(label: str) -> str:
        return pseudo.pseudonym(label) if pseudo else label

    affected = tuple(
        sorted(i.key for i in the_plan.items if any(out_name(s.label) in changed for s in i.sources))
    )
    for key in affected:
        state.forget(key)
    state.write_input_hashes(current)
    return affected


def _run_locked(options: BatchOptions, pseudo: Pseudonymiser | None) -> BatchReport:
    t_start = time.perf_counter()
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    out = options.out_dir
    state = RunState(out)
    if state.exists():
        if not options.resume:
            raise BatchInputError(
                f"output folder {out} holds a previous batch run; pass `--resume` to continue it or choose a new folder"
            )
        saved = state.config()
        letter_date = saved["letter_date"]
        if options.letter_date and options.letter_date != letter_date:
            raise BatchInputError(
                f"`--resume`: the run in {out} dates its letters {letter_date}; got `--letter-date` {options.letter_date}"
            )
        expected = _job_config(options, pseudo, letter_date)
        diff = sorted(k for k in expected if expected[k] != saved.get(k))
        if diff:
            raise BatchInputError(f"`--resume`: this run differs from the one in {out} in {', '.join(diff)}")
        remove_temporaries(out)
    else:
        if out.exists() and any(p.name != LOCK_NAME for p in out.iterdir()):
            raise BatchInputError(f"output folder {out} is not empty and holds no batch run")
        letter_date = options.letter_date or dt.date.today().isoformat()
        state.init(_job_config(options, pseudo, letter_date))
    stages: dict[str, float] = {}

    # ---- plan
    t0 = time.perf_counter()
    prestart(options.engine)  # the workers' imports overlap the planning and the split
    partitions = None
    if is_long_table(options.input_path):
        cols = table_columns(options.input_path, options.read_options)
        validate_ids(options.input_path, options.read_options)
        partitions = partition_map(options.input_path, state.partitions_dir, cols, pseudo, options.engine.n_workers)
    the_plan, _ = plan(options.input_path, options.households, pseudo, partitions, options.read_options)
    changed: tuple[str, ...] = ()
    if options.resume:
        changed = _resume_changes(state, the_plan, options, pseudo)
    elif state.input_hashes() is None:
        state.write_input_hashes(dict(the_plan.input_files))
    done = state.done_rows()
    if partitions is not None and any(i.key not in done for i in the_plan.items):
        split_long_table(
            options.input_path,
            state.partitions_dir,
            cols,
            partitions,
            the_plan.input_files[0][1],  # a table plan lists the table first
            threads=options.engine.n_workers,
        )
    if not the_plan.items:
        raise BatchInputError(f"INPUT {options.input_path} holds no households")
    from advisor.assessment import AssessmentSettings
    from advisor.seeds import load_seeds

    seeds = load_seeds(options.seeds_dir)
    k_anon = max(int(seeds.value("evaluation.k_anonymity")), MIN_PEER_GROUP_SIZE)
    prices = None
    if options.prices is not None:
        from advisor.ingest.prices import read_day_ahead_prices

        prices = read_day_ahead_prices(options.prices)
    estimate_year = options.estimate_year or int(letter_date[:4]) - 1
    brand = load_brand(options.brand_dir)
    notice = privacy_notice(seeds, brand, letter_date, evaluation=options.control_share is not None, k=k_anon)
    settings = BatchSettings(
        read_options=options.read_options,
        seeds=seeds,
        formats=tuple(options.formats),
        letter_date=letter_date,
        estimate_year=estimate_year,
        brand=brand,
        pseudonymiser=pseudo,
        privacy=notice,
        assessment_settings=AssessmentSettings(seeds=seeds, prices=prices, as_of=letter_date),
        table_decimal_comma=partitions is not None and csv_decimal_comma(options.input_path),
    )
    stages["plan"] = time.perf_counter() - t0

    items_by_key = {i.key: i for i in the_plan.items}

    # ---- pass 1: key figures for peer groups
    peers = {}
    assignment = None
    if possible_peer_groups(the_plan.items, k_anon) or options.control_share is not None:
        figures = state.key_figures()
        todo = [i for i in the_plan.items if i.key not in figures and i.key not in done]
        with _progress(len(todo), "pass 1/2 key figures", options.progress) as bar:
            crash = lambda item, msg: KeyFigures(item.key, STATUS_ERROR, error=msg, error_stage="worker")  # noqa: E731
            for kf in map_unordered(key_figures, todo, settings, options.engine, crash):
                stages["pass1"] = stages.get("pass1", 0.0) + kf.seconds
                state.write_key_figures(kf)
                figures[kf.key] = kf
                if kf.status == STATUS_ERROR:
                    row = empty_row(items_by_key[kf.key])
                    row.update(status=STATUS_ERROR, error_stage=kf.error_stage, error=kf.error)
                    state.write_result(HouseholdResult(kf.key, row))
                bar.update(1)
        peers = build_peer_groups(the_plan.items, figures, k_anon)
        done = state.done_rows()
        if options.control_share is not None:
            assignment = state.assignment()
            if assignment is None:
                assignment = make_assignment(the_plan.items, figures, seeds, options)
                state.write_assignment(assignment)
            the_plan = replace(the_plan, items=with_groups(the_plan.items, assignment))
            items_by_key = {i.key: i for i in the_plan.items}
            atomic_write_bytes(out / "assignment.parquet", parquet_bytes(assignment_frame(assignment, figures)))
    settings = replace(settings, peers=peers)

    # ---- pass 2: letters and rows
    todo = [i for i in the_plan.items if i.key not in done]
    n_processed = 0
    with _progress(len(todo), "pass 2/2 letters", options.progress) as bar:
        for result in map_unordered(process_household, todo, settings, options.engine, crashed_result):
            for k, v in result.timings.items():
                stages[k] = stages.get(k, 0.0) + v
            t0 = time.perf_counter()
            state.write_result(result)
            stages["write"] = stages.get("write", 0.0) + time.perf_counter() - t0
            n_processed += 1
            bar.update(1)

    # ---- portfolio outputs (always rebuilt from the row files)
    t0 = time.perf_counter()
    # the households' winter profiles are summed per postal area in one pass (memory per area)
    areas = accumulate(
        (g["area"], g["before_kw"], g["after_kw"], g["changed"])
        for d in state.iter_documents()
        if d["row"]["household"] in items_by_key and d["row"]["status"] == "ok" and (g := d.get("grid_profile"))
    )
    grid = k_anonymous_peaks(areas, k_anon)
    write_grid_peaks(out, grid)
    documents = [
        {k: v for k, v in d.items() if k != "grid_profile"}
        for d in state.iter_documents()
        if d["row"]["household"] in items_by_key
    ]
    summary = summary_frame([d["row"] for d in documents])
    write_tables(out, summary, forecast_frame(documents))
    fc = aggregate_forecast([d.get("monthly_kwh") for d in documents if d["row"]["status"] == "ok"])
    title = settings.brand.name
    atomic_write_text(out / "portfolio.html", render_portfolio(summary, fc, peers, title, seeds, k_anon, notice.retention_until, grid=grid))
    n_flagged = write_energy_poverty_list(out, state.dir, documents)
    stages["portfolio"] = time.perf_counter() - t0

    if state.partitions_dir.exists() and all(k in state.done_rows() for k in items_by_key):
        shutil.rmtree(state.partitions_dir)  # data minimisation: the split copy is no longer needed
    counts = summary["status"].value_counts()
    report = BatchReport(
        n_households=len(summary),
        n_ok=int(counts.get("ok", 0)),
        n_error=int(counts.get("error", 0)),
        n_skipped=int(counts.get("skipped", 0)),
        n_processed=n_processed,
        seconds=time.perf_counter() - t_start,
        stage_seconds=stages,
        out_dir=out,
        changed=changed,
        n_insufficient_data=int(counts.get("insufficient_data", 0)),
        power=power_of(assignment, seeds) if assignment is not None else None,
        privacy_missing=notice.missing,
        n_energy_poverty=n_flagged,
        retention_until=notice.retention_until.isoformat(),
    )
    _write_manifest(out, options, the_plan, seeds, letter_date, started, report)
    return report


def _write_manifest(out, options, the_plan, seeds, letter_date, started, report) -> None:
    import json

    from advisor import __version__

    previous = {}
    p = out / "manifest.json"
    if options.resume and p.exists():
        previous = json.loads(p.read_text(encoding="utf-8"))
    runs = previous.get("runs", []) + [
        {
            "started_utc": started,
            "finished_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "resumed": bool(options.resume),
            "households_processed": report.n_processed,
            "recomputed_changed_input": list(report.changed),
            "seconds": round(report.seconds, 3),
            "stage_seconds": {k: round(v, 3) for k, v in sorted(report.stage_seconds.items())},
        }
    ]
    import pandas as pd

    manifest = {
        "advisor_version": __version__,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "command": list(options.command),
        "input": {
            "kind": the_plan.input_kind,
            "files": [{"name": n, "sha256": h} for n, h in the_plan.input_files],
            "n_households": report.n_households,
        },
        "model": _model_fingerprint(),
        "seeds": {"version": seeds.version, "override": str(options.seeds_dir) if options.seeds_dir else None},
        "prices": {"name": options.prices.name, "sha256": sha256_file(options.prices)} if options.prices else None,
        "options": {
            "engine": options.engine.kind,
            "workers": options.engine.workers,
            "scheduler": options.engine.scheduler,
            "formats": list(options.formats),
            "pseudonymised": options.pseudonymise,
            "tz": options.read_options.tz,
            "holiday_region": options.read_options.holiday_region,
        },
        "letter_date": letter_date,
        "counts": {
            "ok": report.n_ok,
            "error": report.n_error,
            "skipped": report.n_skipped,
            "insufficient_data": report.n_insufficient_data,
        },
        "control_group": control_group_manifest(RunState(out).assignment(), report.power),
        "energy_poverty": None
        if report.n_energy_poverty is None
        else {"n_flagged": report.n_energy_poverty, "list": "energy_poverty.csv", "keys": "energy_poverty_keys.csv"},
        "retention": {
            "personal_data_until": report.retention_until,
            "purge_command": f"advisor batch --purge {out}",
            "privacy_texts_missing": list(report.privacy_missing),
        },
        "outputs_sha256": {
            name: sha256_file(out / name)
            for name in ("summary.parquet", "summary.csv", "errors.csv", "portfolio.html", "assignment.parquet")
            if (out / name).exists()
        },
        "runs": runs,
        "note": "Only `runs` (times, timings) and the bytes of summary.duckdb differ between an "
        "uninterrupted run and a killed-and-resumed one; every other output is byte-identical.",
    }
    atomic_write_text(p, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
