"""The forecasting notebooks run top to bottom on a few real households; outputs stay cleared in git."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from shared_data import REPO, shared_path

NOTEBOOKS = ["forecast_explore_households.ipynb", "forecast_retrain_evaluate.ipynb"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_outputs_are_cleared(name):
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(REPO / "notebooks" / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_on_small_data(name, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    data = shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")
    monkeypatch.setenv("ADVISOR_NB_HOUSEHOLDS", "6")
    monkeypatch.setenv("ADVISOR_SHARED_DATA", str(Path(data).parents[1]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(REPO / "notebooks" / name, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(REPO / "notebooks")}}
    )
    client.execute(env=dict(os.environ))
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
