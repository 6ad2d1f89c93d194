"""Batch reports for Stadtwerke: thousands of households, one letter each, a portfolio view.

``advisor batch INPUT --out DIR`` (see :mod:`advisor.cli.batch` and ``docs/batch.md``). The
modules, one concept each:

* :mod:`~advisor.batch.inputs`: folder of meter files or long table + META.csv -> work items;
* :mod:`~advisor.batch.split`: a long table split once into per-household Parquet partitions;
* :mod:`~advisor.batch.curves`: a household's curve (several meters summed, or estimated);
* :mod:`~advisor.batch.process`: the per-household function (same on every engine);
* :mod:`~advisor.batch.engine`: local process pool or Dask, bounded in flight;
* :mod:`~advisor.batch.outputs`: atomic writes, done markers, summary, errors, CSV safety;
* :mod:`~advisor.batch.portfolio`: peer groups, aggregated forecast, the portfolio page;
* :mod:`~advisor.batch.privacy`: keyed-hash pseudonymisation;
* :mod:`~advisor.batch.run`: the orchestration of a run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.batch.engine import EngineSpec
    from advisor.batch.run import BatchOptions, BatchReport, run_batch

__all__ = ["BatchOptions", "BatchReport", "EngineSpec", "run_batch"]

# Loaded on first use, so that importing one submodule (the forkserver's first preload,
# advisor.batch.lifeline) does not pull in the whole batch (~9 s on a busy machine, during which
# the forkserver was not yet tied to the driver).
_LAZY = {"EngineSpec": "advisor.batch.engine", "BatchOptions": "advisor.batch.run",
         "BatchReport": "advisor.batch.run", "run_batch": "advisor.batch.run"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'advisor.batch' has no attribute {name!r}")
