"""advisor batch --engine dask: the same per-household function on a dask.distributed LocalCluster
gives the same outputs, byte for byte, as the local engine."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from shared_data import shared_path

from advisor.batch import BatchOptions, EngineSpec, run_batch
from advisor.ingest import ReadOptions

LONDON = ReadOptions(tz="Europe/London", holiday_region="GB-ENG")


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    meta = pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv"))
    ids = sorted(meta.loc[meta["qc_flags"].isna(), "lclid"])[:4]
    t = pq.read_table(
        shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"), filters=[("lclid", "in", ids)]
    ).to_pandas()
    neg = t[t["lclid"] == ids[0]].head(1000).copy()
    neg["lclid"] = "BROKEN-1"
    neg.iloc[10, neg.columns.get_loc("kwh")] = -1.0
    path = tmp_path_factory.mktemp("dask") / "portfolio.parquet"
    pd.concat([t, neg]).to_parquet(path)
    return path


def _run(table, out, engine: EngineSpec):
    return run_batch(
        BatchOptions(
            input_path=table, out_dir=out, engine=engine, read_options=LONDON, letter_date="2026-11-24", progress=False
        )
    )


@pytest.mark.slow
def test_dask_engine_gives_the_same_summary_as_local(table, tmp_path):
    local = _run(table, tmp_path / "local", EngineSpec(kind="local", workers=1))
    dask = _run(table, tmp_path / "dask", EngineSpec(kind="dask", workers=2))  # LocalCluster, 2 worker processes
    assert (local.n_ok, local.n_error) == (4, 1)
    assert (dask.n_ok, dask.n_error) == (4, 1)
    assert dask.exit_code == 3
    for name in ("summary.parquet", "summary.csv", "errors.csv", "portfolio.html"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    letters = sorted(p.name for p in (tmp_path / "local").glob("letters/*"))
    assert len(letters) == 8 and letters  # HTML + PDF (the default since issue 19) == sorted(p.name for p in (tmp_path / "dask").glob("letters/*"))
    for name in letters:
        assert (tmp_path / "dask" / "letters" / name).read_bytes() == (
            tmp_path / "local" / "letters" / name
        ).read_bytes()
