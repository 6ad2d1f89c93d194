"""Can the reader property tests fail? Inject one defect at a time and see which test catches it.

For each defect below this script copies the package ``advisor/`` into a scratch folder, applies one
text substitution to one source file (the substitution must match exactly once, so a defect that no
longer applies to today's code is reported, not silently skipped), and runs
``tests/test_ingest_properties.py`` against the copy in a subprocess with a wall-clock limit. A
defect is *caught* when at least one property test fails; the failing tests are printed. The
unmodified copy runs first and must pass.

    python benchmarks/fuzz_mutants.py            # all defects, default profile
    python benchmarks/fuzz_mutants.py --only xxe_open_parser,infinite_loop

Prints one line per defect and exits 1 when a defect is missed or the clean run fails.
On two shared cores each run takes 15-60 s (the whole list: about 10 minutes).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = "tests/test_ingest_properties.py"
LIMIT_S = 600


@dataclass(frozen=True)
class Defect:
    name: str
    what: str
    edits: tuple[tuple[str, str, str], ...]  # (file under advisor/, exact old text, new text)


DEFECTS = (
    Defect(
        "no_exception_wrapping",
        "reader exceptions no longer wrapped into LoadCurveError",
        (("ingest/__init__.py", "_UNFORESEEN = _unforeseen()", "_UNFORESEEN = ()"),),
    ),
    Defect(
        "no_line_cap",
        "CSV line-length cap removed",
        (("ingest/csv.py", "MAX_LINE_CHARS = 10_000", "MAX_LINE_CHARS = 10**15"),),
    ),
    Defect(
        "xxe_open_parser",
        "SMGW/ESPI XML parsed by the standard library parser (DTDs and entities accepted)",
        (
            (
                "ingest/smgw.py",
                "return SafeET.fromstring(raw, forbid_dtd=True)",
                'return __import__("xml.etree.ElementTree", fromlist=["x"]).fromstring(raw)',
            ),
        ),
    ),
    Defect(
        "no_bomb_limits",
        "decompression ratio and size limits disabled",
        (
            ("ingest/__init__.py", "MAX_COMPRESSION_RATIO = 200", "MAX_COMPRESSION_RATIO = 10**9"),
            ("ingest/__init__.py", "MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024", "MAX_DECOMPRESSED_BYTES = 2**40"),
        ),
    ),
    Defect(
        "mscons_over_5000_chars",
        "MSCONS segments after the first 5,000 characters silently dropped",
        (("ingest/mscons.py", "        segments.append(seg)\n", "        if start <= 5000:\n            segments.append(seg)\n"),),
    ),
    Defect(
        "wh_factor_csv",
        "wrong Wh factor in the portal-CSV reader (1e-4 instead of 1e-3)",
        (("ingest/csv.py", '{"kWh": 1.0, "Wh": 1e-3, "MWh": 1e3}', '{"kWh": 1.0, "Wh": 1e-4, "MWh": 1e3}'),),
    ),
    Defect(
        "wh_factor_mscons",
        "wrong WHR factor in MSCONS",
        (("ingest/mscons.py", '"WHR": ("energy", 1e-3)', '"WHR": ("energy", 1e-4)'),),
    ),
    Defect(
        "wh_factor_smgw",
        "wrong Wh factor in SMGW XML",
        (("ingest/smgw.py", "UOM_TO_KWH = {72: 1e-3}", "UOM_TO_KWH = {72: 1e-4}"),),
    ),
    Defect(
        "wh_factor_espi",
        "wrong Wh factor in Green Button",
        (("ingest/espi.py", "UOM_TO_KWH = {72: 1e-3}", "UOM_TO_KWH = {72: 1e-4}"),),
    ),
    Defect(
        "one_hour_shift_csv",
        "portal-CSV times shifted by one hour on the way to UTC",
        (
            (
                "ingest/csv.py",
                'idx_utc = pd.DatetimeIndex(start_ns.astype("datetime64[ns]")).tz_localize("UTC")',
                'idx_utc = pd.DatetimeIndex(start_ns.astype("datetime64[ns]")).tz_localize("UTC") + pd.Timedelta(hours=1)',
            ),
        ),
    ),
    Defect(
        "offset_sign_mscons",
        "MSCONS DTM offsets (?+01/?+02) applied with the wrong sign",
        (("ingest/mscons.py", "ts = (ts - timedelta(minutes=minutes))", "ts = (ts + timedelta(minutes=minutes))"),),
    ),
    Defect(
        "infinite_loop",
        "MSCONS element splitter does not advance past a release character",
        (("ingest/mscons.py", "            i += 2\n            continue\n", "            continue\n"),),
    ),
    Defect(
        "stated_zone_ignored",
        "time zone stated in a column name (UTC, MEZ) ignored",
        (("ingest/timezones.py", "    z = zone_of_text(text)\n    if z is None", "    z = None\n    if z is None"),),
    ),
    Defect(
        "no_plausible_period",
        "plausible-period window widened to 1800 (a 1900 row accepted)",
        (("loadcurve.py", 'PLAUSIBLE_EARLIEST = "2000-01-01"', 'PLAUSIBLE_EARLIEST = "1800-01-01"'),),
    ),
    Defect(
        "empty_id_joins_previous",
        "long-table rows with an empty id no longer refused",
        (("ingest/tabular.py", "    if empty.any():\n        pos = offset", "    if False:\n        pos = offset"),),
    ),
    Defect(
        "no_recursion_guard",
        "recursion guards removed (dispatcher and inexogy JSON)",
        (
            ("ingest/__init__.py", "    except RecursionError:\n", "    except ZeroDivisionError:\n"),
            ("ingest/discovergy.py", "    except RecursionError:\n", "    except ZeroDivisionError:\n"),
        ),
    ),
)


def _copy_with(defect: Defect | None, into: Path) -> None:
    shutil.copytree(REPO / "advisor", into / "advisor", ignore=shutil.ignore_patterns("__pycache__"))
    for rel, old, new in defect.edits if defect else ():
        path = into / "advisor" / rel
        text = path.read_text(encoding="utf-8")
        n = text.count(old)
        if n != 1:
            raise SystemExit(f"defect {defect.name}: {old!r} found {n} times in advisor/{rel}; update this script")
        path.write_text(text.replace(old, new), encoding="utf-8")


def run_one(defect: Defect | None, extra: list[str]) -> tuple[bool, list[str], float]:
    """(tests passed, failing test names, seconds). Runs in the scratch folder: ``python -m`` puts
    the working directory first on sys.path, so the copy (not the checkout) is imported."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        _copy_with(defect, Path(tmp))
        env = {**os.environ, "PYTHONPATH": tmp, "PYTHONDONTWRITEBYTECODE": "1"}
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", str(REPO / TESTS), *extra]
        t = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=LIMIT_S)
        except subprocess.TimeoutExpired:
            return False, [f"(no result within {LIMIT_S} s: the suite hung)"], time.perf_counter() - t
        secs = time.perf_counter() - t
        out = proc.stdout + proc.stderr
        if f"{Path(tmp)}/advisor" not in _imported_from(tmp, env):
            raise SystemExit("the scratch copy was not imported; check PYTHONPATH handling")
        failed = sorted(set(re.findall(r"FAILED \S+::(\w+)", out)))
        if proc.returncode not in (0, 1):
            failed = failed or [f"(pytest exit {proc.returncode})"]
        return proc.returncode == 0, failed, secs


def _imported_from(tmp: str, env: dict) -> str:
    return subprocess.run(
        [sys.executable, "-c", "import advisor; print(advisor.__file__)"], cwd=tmp, env=env, capture_output=True, text=True
    ).stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="", help="comma-separated defect names")
    ap.add_argument("--profile", default="mutants", help="hypothesis profile of the property tests (mutants, default, long)")
    args = ap.parse_args()
    os.environ["ADVISOR_FUZZ_PROFILE"] = args.profile
    chosen = [d for d in DEFECTS if not args.only or d.name in args.only.split(",")]
    ok, failed, secs = run_one(None, [])
    print(f"{'clean copy':28s} {'passes' if ok else 'FAILS: ' + ', '.join(failed)}  ({secs:.0f} s)", flush=True)
    clean_ok, missed = ok, 0
    for d in chosen:
        ok, failed, secs = run_one(d, [])
        missed += ok
        verdict = "MISSED" if ok else "caught by " + ", ".join(failed)
        print(f"{d.name:28s} {verdict}  ({secs:.0f} s)  [{d.what}]", flush=True)
    print(f"{len(chosen) - missed} of {len(chosen)} defects caught; clean copy {'passes' if clean_ok else 'FAILS'}")
    return 0 if clean_ok and not missed else 1


if __name__ == "__main__":
    sys.exit(main())
