"""Forecast features: the fast NaN quantiles equal numpy's (the speed-up of `advisor train` changes no feature)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from advisor.features import _nan_quantiles


@pytest.mark.parametrize("seed", range(5))
def test_nan_quantiles_are_identical_to_numpy(seed):
    # Oracle: numpy's own nanquantile (linear method), compared bit for bit, with ties, NaN
    # patterns of every density, all-NaN columns and single-value columns.
    rng = np.random.default_rng(seed)
    a = rng.gamma(1.0, 0.3, size=(28, 3000))
    a[rng.random(a.shape) < rng.uniform(0.0, 0.9)] = np.nan
    a[:, :40] = np.nan
    a[:27, 40:70] = np.nan
    a = np.round(a, int(rng.integers(1, 4)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanquantile(a, [0.25, 0.5, 0.75], axis=0)
    got = _nan_quantiles(a, (0.25, 0.5, 0.75))
    for e, g in zip(expected, got, strict=True):
        assert np.array_equal(e, g, equal_nan=True)
