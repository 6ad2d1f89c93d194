"""``advisor evaluate`` at portfolio scale (issue 19: 10,000 households in under a minute): on the
Parquet fast path no per-household pandas row access, and the same estimate as before."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from advisor.batch import EngineSpec
from advisor.evaluate.run import EvaluateOptions, run_evaluation
from advisor.ingest import ReadOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_evaluate  # noqa: E402


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evaluate_scale")
    frame = bench_evaluate.make_run(tmp / "run", 300)
    bench_evaluate.make_after(tmp / "after.parquet", frame, 40, 60)
    return tmp


def _evaluate(tmp):
    return run_evaluation(
        EvaluateOptions(
            run_dir=tmp / "run",
            after=tmp / "after.parquet",
            read_options=ReadOptions(tz="Europe/Berlin"),
            engine=EngineSpec(workers=1),
        )
    )


def test_no_row_by_row_pandas_access_per_household(run, monkeypatch):
    def refuse(self, *a, **k):
        raise AssertionError("row-by-row DataFrame access per household")

    monkeypatch.setattr(pd.DataFrame, "iterrows", refuse)
    calls = []
    original = pd.core.indexing._LocIndexer.__getitem__

    def counting(self, key):
        calls.append(1)
        return original(self, key)

    monkeypatch.setattr(pd.core.indexing._LocIndexer, "__getitem__", counting)
    result = _evaluate(run)
    assert result.estimate.overall.n_treatment + result.estimate.overall.n_control == 300
    assert len(calls) < 50  # a handful of frame-wide selections, not one per household


def test_the_known_saving_is_recovered(run):
    e = _evaluate(run).estimate.overall
    assert e.ci_low_pct <= 100 * bench_evaluate.SAVING <= e.ci_high_pct
