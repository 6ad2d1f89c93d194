"""The one-query reader of later data (Parquet long tables) against hand-made cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from advisor.evaluate.tabular import aggregate_after, time_column_is_aware
from advisor.ingest.tabular import LongTableColumns

COLS = LongTableColumns(id="household_id", time="timestamp_utc", value="kwh")
T0 = pd.Timestamp("2026-01-01", tz="UTC")


def _rows(hid: str, n: int, minutes: int = 30, kwh: float = 0.5) -> pd.DataFrame:
    return pd.DataFrame(
        {"household_id": hid, "timestamp_utc": pd.date_range(T0, periods=n, freq=f"{minutes}min"), "kwh": kwh}
    )


@pytest.fixture
def table(tmp_path):
    n = 48 * 10  # ten days at 30 min
    parts = [_rows("complete", n), _rows("quarter", 96 * 10, 15, 0.25)]
    gap = _rows("gap", n)
    parts.append(gap.drop(index=range(100, 148)))  # one day missing
    dup = _rows("dup_and_gap", n)
    dup.loc[200, "timestamp_utc"] = dup.loc[201, "timestamp_utc"]  # a duplicate where a value is missing
    parts.append(dup)
    neg = _rows("negative", n)
    neg.loc[5, "kwh"] = -0.1
    parts.append(neg)
    nulls = _rows("nulls", n)
    nulls.loc[:47, "kwh"] = np.nan  # the first day has no values
    parts.append(nulls)
    parts.append(_rows("late", n))
    parts.append(_rows("hourly_odd", 100, 45))
    df = pd.concat(parts, ignore_index=True).sample(frac=1.0, random_state=0)  # any row order
    path = tmp_path / "after.parquet"
    df.to_parquet(path, index=False)
    return path


def test_each_case(table):
    ids = ["complete", "quarter", "gap", "dup_and_gap", "negative", "nulls", "late", "hourly_odd"]
    since = pd.Series(T0, index=ids)
    since["late"] = T0 + pd.Timedelta(days=5)
    agg = aggregate_after(table, COLS, since)
    assert agg.loc["complete", "kwh_per_day"] == pytest.approx(24.0) and agg.loc["complete", "days"] == 10
    assert agg.loc["quarter", "kwh_per_day"] == pytest.approx(24.0) and agg.loc["quarter", "days"] == 10
    assert agg.loc["gap", "days"] == 9 and agg.loc["gap", "kwh_per_day"] == pytest.approx(24.0)
    assert agg.loc["dup_and_gap", "error"] == "1 duplicated timestamps"
    assert agg.loc["negative", "error"].startswith("negative values")
    assert agg.loc["nulls", "days"] == 9 and agg.loc["nulls", "kwh_per_day"] == pytest.approx(24.0)
    assert agg.loc["late", "days"] == 5  # its own later start
    assert agg.loc["hourly_odd", "error"] == "interval length 45 min; expected 15, 30 or 60"
    assert agg.loc[["complete", "quarter", "gap", "nulls", "late"], "error"].eq("").all()


def test_only_tz_aware_parquet_takes_the_fast_way(table, tmp_path):
    assert time_column_is_aware(table, "timestamp_utc")
    naive = pd.read_parquet(table)
    naive["timestamp_utc"] = naive["timestamp_utc"].dt.tz_localize(None)
    naive.to_parquet(tmp_path / "naive.parquet", index=False)
    assert not time_column_is_aware(tmp_path / "naive.parquet", "timestamp_utc")
    naive.to_csv(tmp_path / "t.csv", index=False)
    assert not time_column_is_aware(tmp_path / "t.csv", "timestamp_utc")
