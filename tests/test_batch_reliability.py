"""Batch under hostile input and faults (issue 17): no file content in outputs, links and special
files skipped, control characters and field lengths, the OUT/.lock, --resume with changed input,
disk full, and workers that die with their driver. Each test fails on the code before issue 17."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from advisor.batch.outputs import RunLock
from advisor.batch.privacy import clean_text, redact_content
from advisor.cli import main
from advisor.synthetic import SyntheticSpec, synthetic_household

REPO = Path(__file__).resolve().parents[1]
LETTER_DATE = "2026-11-24"
PERSONAL = "Kunde: Erika Mustermann, Musterweg 5"
SECRET = "TOP-SECRET-SYSTEM-LINE"


def run_cli(*args) -> int:
    return main(["batch", *map(str, args), "--no-progress", "--workers", "1", "--letter-date", LETTER_DATE])


def _good_csv(path: Path, seed: int = 1, bump: float = 0.0) -> None:
    e = synthetic_household(SyntheticSpec(year=2024, interval_minutes=60, seed=seed)).curve.energy_kwh
    e = e[e.index < pd.Timestamp("2024-03-01", tz="Europe/Berlin")] + bump
    df = pd.DataFrame({"timestamp": e.index.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"), "kwh": e.to_numpy()})
    df.to_csv(path, index=False)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A folder with one good household (hostile META fields), a broken file that starts with
    personal data, a symlink to a 'system' file and a FIFO; one run into OUT."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "in"
    folder.mkdir()
    _good_csv(folder / "h1.csv")
    (folder / "kunde.csv").write_text(PERSONAL + "\n\x01\x02 garbage ;;;\n", encoding="utf-8")
    system = root / "system.txt"
    system.write_text(SECRET + "\n")
    (folder / "link.csv").symlink_to(system)
    os.mkfifo(folder / "pipe.csv")
    meta = root / "META.csv"
    pd.DataFrame(
        {
            "household_id": ["h1"],
            "file": ["h1.csv"],
            "name": ["Erika \u202eMustermann"],
            "street": ["Musterweg " + "5" * 100_000],
            "city": ["Herne\u200f"],
        }
    ).to_csv(meta, index=False)
    out = root / "out"
    code = run_cli(folder, "--out", out, "--households", meta)
    return root, folder, meta, out, code


def _all_output_text(out: Path) -> str:
    parts = []
    for p in out.rglob("*"):
        if p.is_file() and p.suffix in (".csv", ".html", ".json"):
            parts.append(p.read_text(encoding="utf-8", errors="replace"))
    parts.append(pd.read_parquet(out / "summary.parquet").to_csv())
    return "\n".join(parts)


def test_broken_file_message_quotes_no_file_content(hostile):
    """The review: an importer message quoting 'Kunde: Erika …, Musterweg 5' landed in errors.csv."""
    _, _, _, out, code = hostile
    assert code == 3
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors["household"]) == ["kunde"]
    text = _all_output_text(out)
    assert "Erika Mustermann, Musterweg" not in text and "Kunde:" not in text
    import duckdb

    con = duckdb.connect(str(out / "summary.duckdb"), read_only=True)
    try:
        dump = con.execute("SELECT string_agg(message, ' ') FROM errors").fetchone()[0]
    finally:
        con.close()
    assert "Erika" not in dump


def test_symlink_and_fifo_skipped_with_reason_never_read(hostile):
    _, _, _, out, _ = hostile
    s = pd.read_parquet(out / "summary.parquet").set_index("household")
    assert s.loc["link", "status"] == "skipped" and "symbolic link" in s.loc["link", "skipped_reason"]
    assert s.loc["pipe", "status"] == "skipped" and "not a regular file" in s.loc["pipe", "skipped_reason"]
    assert SECRET not in _all_output_text(out)


def test_bidi_controls_stripped_and_fields_capped_in_letter(hostile):
    _, _, _, out, _ = hostile
    letter = (out / "letters" / "h1.html").read_text(encoding="utf-8")
    assert "\u202e" not in letter and "\u200f" not in letter
    assert "ErikaMustermann" in letter or "Erika Mustermann" in letter
    assert "5" * 200 not in letter
    assert len(letter.encode()) < 100_000  # the review: a 100,000-character street gave a 111 kB letter


def test_lock_is_released_and_a_second_run_is_refused(hostile, tmp_path, capsys):
    root, folder, meta, out, _ = hostile
    assert not (out / ".lock").exists()
    with RunLock(out):
        assert run_cli(folder, "--out", out, "--households", meta, "--resume") == 2
    err = capsys.readouterr().err
    assert "another batch run" in err and f"pid {os.getpid()}" in err


def test_resume_recomputes_exactly_the_changed_household(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    _good_csv(folder / "a.csv", seed=1)
    _good_csv(folder / "b.csv", seed=2)
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out) == 0
    before = pd.read_parquet(out / "summary.parquet").set_index("household")
    rows_b = (out / ".state" / "rows" / "b.json").read_bytes()
    _good_csv(folder / "a.csv", seed=1, bump=0.05)  # the meter file of a changes
    capsys.readouterr()
    assert run_cli(folder, "--out", out, "--resume") == 0
    err = capsys.readouterr().err
    assert "recomputed 1 households (a)" in err
    after = pd.read_parquet(out / "summary.parquet").set_index("household")
    assert after.loc["a", "annual_kwh"] > before.loc["a", "annual_kwh"]
    assert (out / ".state" / "rows" / "b.json").read_bytes() == rows_b  # b not recomputed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"][-1]["recomputed_changed_input"] == ["a"]
    from advisor.batch.inputs import sha256_file

    assert {f["name"]: f["sha256"] for f in manifest["input"]["files"]}["a.csv"] == sha256_file(folder / "a.csv")


def test_resume_refuses_changed_meta_or_table(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    _good_csv(folder / "a.csv")
    meta = tmp_path / "META.csv"
    meta.write_text("household_id,file,persons\na,a.csv,2\n")
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, "--households", meta) == 0
    meta.write_text("household_id,file,persons\na,a.csv,4\n")
    assert run_cli(folder, "--out", out, "--households", meta, "--resume") == 2
    assert "META.csv" in capsys.readouterr().err


def test_disk_full_ends_with_exit_2_clear_message_and_resumes(tmp_path, monkeypatch, capsys):
    import advisor.batch.outputs as outputs

    folder = tmp_path / "in"
    folder.mkdir()
    _good_csv(folder / "a.csv")
    out = tmp_path / "out"
    real = outputs.atomic_write_bytes

    def full(path, data):
        if path.name == "summary.parquet":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(outputs, "atomic_write_bytes", full)
    assert run_cli(folder, "--out", out) == 2
    err = capsys.readouterr().err
    assert "disk is full" in err and "--resume" in err and "Internal error" not in err
    assert not (out / ".lock").exists()
    monkeypatch.setattr(outputs, "atomic_write_bytes", real)
    assert run_cli(folder, "--out", out, "--resume") == 0
    assert (out / "summary.parquet").exists()


def test_redaction_keeps_our_short_hints():
    assert redact_content("value '1,2' uses ',' as decimal mark; found 'Kunde: Erika'") == (
        "value '1,2' uses ',' as decimal mark; found '…'"
    )
    assert clean_text("a\u202eb\u2066c\x00d\te", 200) == "abcd e"
    assert len(clean_text("x" * 10_000)) == 200


_DRIVER = textwrap.dedent(
    """
    import sys, time
    from advisor.batch.engine import EngineSpec, map_unordered

    def slow(item, settings):
        print("working", flush=True)
        time.sleep(float(settings))
        return item

    if __name__ == "__main__":
        kind = sys.argv[2] if len(sys.argv) > 2 else "local"
        for r in map_unordered(slow, range(4), sys.argv[1], EngineSpec(kind=kind, workers=2)):
            pass
        print("done", flush=True)
    """
)


def _descendants(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        p, pp = map(int, line.split())
        children.setdefault(pp, []).append(p)
    found, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for p in pids:
        try:
            os.kill(p, 0)
        except ProcessLookupError:
            continue
        try:
            state = Path(f"/proc/{p}/stat").read_text().split()[2]
        except OSError:
            continue
        if state != "Z":
            alive.add(p)
    return alive



def _assert_gone(seen: set[int], why: str, wait_s: float = 15.0) -> None:
    """Every process of ``seen`` has ended within ``wait_s`` seconds."""
    deadline = time.time() + wait_s
    while _alive(seen) and time.time() < deadline:
        time.sleep(0.2)
    assert not _alive(seen), f"still running after the driver {why}: {sorted(_alive(seen))}"


def _reap(proc: subprocess.Popen) -> None:
    """Kill the driver and whatever it left (a failed test must not leave processes behind)."""
    if proc.poll() is None:
        proc.kill()
    for p in _alive(_descendants(proc.pid)):
        os.kill(p, signal.SIGKILL)

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux only")
@pytest.mark.parametrize(
    "how,engine",
    [
        ("sigkill", "local"),
        ("normal_exit", "local"),
        pytest.param("sigkill", "dask", marks=pytest.mark.slow),
        pytest.param("normal_exit", "dask", marks=pytest.mark.slow),
    ],
)
def test_forkserver_resource_tracker_and_workers_die_with_the_driver(tmp_path, how, engine):
    """The review: 42 s after SIGKILL of the driver its forkserver, resource tracker and workers
    still ran; `make test` left a forkserver and a resource tracker behind. Dask: the LocalCluster's
    worker processes watch a pipe from the driver (distributed's parent-alive pipe) and exit when it
    closes; measured 0.2 s after SIGKILL."""
    script = tmp_path / "driver.py"
    script.write_text(_DRIVER)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    sleep = "60" if how == "sigkill" else "0.1"
    proc = subprocess.Popen(
        [sys.executable, str(script), sleep, engine], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    try:
        deadline = time.time() + 120
        seen: set[int] = set()
        while time.time() < deadline:
            line = proc.stdout.readline()
            seen |= _descendants(proc.pid)
            if line.startswith("working") or not line:
                break
        time.sleep(0.5)
        seen |= _descendants(proc.pid)
        assert seen, "the driver started no helper processes"
        if how == "sigkill":
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=120)
        _assert_gone(seen, "ended")
    finally:
        _reap(proc)


def test_not_a_household_gets_no_letter(tmp_path):
    """Issue 17 #11: an MSCONS file with its unit stated and ~300 kW values is read (not refused)
    and flagged; batch writes no household letter for it."""
    from test_ingest_reliability import _mscons

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mfh.txt").write_bytes(_mscons(":KWH", peak=75.5).replace(b"1.5:KWH", b"12.5:KWH"))
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out) == 0
    s = pd.read_parquet(out / "summary.parquet").set_index("household")
    assert s.loc["mfh", "status"] == "skipped" and "not a household" in s.loc["mfh", "skipped_reason"]
    assert not (out / "letters" / "mfh.html").exists()


def test_long_table_inside_the_folder_is_refused_not_summed_into_one_letter(tmp_path):
    """Found with /work/shared/data as a folder: the 60-household LCL table was read as one household
    (the 60 curves summed; refused only because the sum passed 50 kW). Three households whose sum
    stays plausible got one 'ok' letter for all three."""
    folder = tmp_path / "in"
    folder.mkdir()
    parts = []
    for i in range(3):
        _good_csv(tmp_path / f"h{i}.csv", seed=i + 1)
        parts.append(pd.read_csv(tmp_path / f"h{i}.csv").assign(household_id=f"K-{i}"))
    pd.concat(parts).to_csv(folder / "portfolio.csv", index=False)
    _good_csv(folder / "single.csv", seed=7)
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out) == 3
    s = pd.read_parquet(out / "summary.parquet").set_index("household")
    assert s.loc["single", "status"] == "ok"
    assert s.loc["portfolio", "status"] == "error"
    assert "long table of 3 households" in s.loc["portfolio", "error"]
    assert not (out / "letters" / "portfolio.html").exists()


@pytest.mark.shared_data
def test_batch_over_every_shared_data_file_never_crashes_and_names_where(tmp_path):
    """Every file of ../shared/data (meter files, price files, metadata, READMEs, the LCL long
    table) in one INPUT folder: exit 3 (some households fail), no internal error, each refusal
    names its file, and the position (line, segment or timestamp) where the reader found one."""
    from shared_data import SHARED_DATA, shared_path

    shared_path()
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(SHARED_DATA.rglob("*")):
        if p.is_file():
            try:
                os.link(p, folder / p.name)  # a hard link: batch skips symlinks
            except OSError:
                (folder / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out) == 3
    s = pd.read_parquet(out / "summary.parquet").set_index("household")
    assert len(s) == len(list(folder.iterdir()))
    ok = set(s.index[s["status"] != "error"])  # ok, or too short for a letter (insufficient_data)
    assert {"MSCONS_TL_SAMPLE01", "IF_Adapter_TRuDI_DatenTAF7_With_Gaps", "intervals_APUC000000_electric"} <= ok
    errors = pd.read_csv(out / "errors.csv").set_index("household")
    assert set(errors.index) == set(s.index) - ok
    for hid, row in errors.iterrows():
        msg = row["message"]
        assert row["stage"] == "read", (hid, row["stage"], msg)
        assert "Internal error" not in msg and "Traceback" not in msg, msg
        assert msg.startswith(hid), msg  # the file is named first
    positioned = {
        "README": "line 19",  # the quoted field that runs on
        "SMARD_Grosshandelspreise_2023_2024_Stunde_original": "line 1",
        "de_lu_day_ahead_hourly_2023_2024_smard": "line 1",
        "h2nguyen_mscons-message-example": "segment 25",
    }
    for hid, where in positioned.items():
        assert where in errors.loc[hid, "message"], errors.loc[hid, "message"]
    assert "long table of 60 households" in errors.loc["lcl_60hh_2013_30min", "message"]


def test_duckdb_write_error_ends_with_exit_2_clear_message_and_resumes(tmp_path, monkeypatch, capsys):
    """Re-check 2026-12-03 (`ulimit -f`): DuckDB reports a file-size limit or a full disk as its own
    IOException, which ended the run as "Internal error (IOException)", exit 1."""
    import duckdb

    import advisor.batch.outputs as outputs

    folder = tmp_path / "in"
    folder.mkdir()
    _good_csv(folder / "a.csv")
    out = tmp_path / "out"
    real = outputs.write_duckdb

    def full(path, tables):
        raise duckdb.IOException(f'Could not write file "{path}": No space left on device')

    monkeypatch.setattr(outputs, "write_duckdb", full)
    assert run_cli(folder, "--out", out) == 2
    err = capsys.readouterr().err
    assert "summary.duckdb" in err and "--resume" in err and "Internal error" not in err
    monkeypatch.setattr(outputs, "write_duckdb", real)
    assert run_cli(folder, "--out", out, "--resume") == 0
    assert (out / "summary.duckdb").exists()


def test_the_forkserver_is_tied_to_the_driver_before_the_heavy_imports():
    """Re-check 2026-12-03: the forkserver's first preload, advisor.batch.lifeline, imported the
    whole batch package first (~9 s on the busy machine); a driver killed in that window left the
    forkserver and resource tracker running until the rest of the preload was done (> 5 s)."""
    code = (
        "import sys, time; t = time.perf_counter(); import advisor.batch.lifeline; "
        "print(int('advisor.batch.run' in sys.modules), int('advisor.batch.engine' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.stdout.split() == ["0", "0"], out.stderr
    from advisor.batch import BatchOptions, EngineSpec, run_batch  # the package API still works

    assert callable(run_batch) and BatchOptions and EngineSpec


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux only")
@pytest.mark.parametrize("workers", [1, 2])
def test_prestarted_forkserver_dies_with_the_driver(tmp_path, workers):
    """`prestart` (the forkserver's imports overlap the planning) starts the forkserver for a local
    pool only, and the driver killed during the planning leaves nothing running."""
    code = (
        "import sys, time; from advisor.batch.engine import EngineSpec, prestart; "
        f"prestart(EngineSpec(kind='local', workers={workers})); print('planning', flush=True); time.sleep(60)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        assert proc.stdout.readline().startswith("planning")
        time.sleep(1.0)
        seen = _descendants(proc.pid)
        if workers == 1:
            assert not seen, "one worker runs in the driver: no forkserver"
            return
        assert seen, "no forkserver was started"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        _assert_gone(seen, "was killed")
    finally:
        _reap(proc)
