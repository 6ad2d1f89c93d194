"""Dispatcher rules: user-named columns route to the long-table reader; make_load_curve speed path."""

import json

import numpy as np
import pandas as pd
import pytest

from advisor.cli import main
from advisor.ingest import ReadOptions, read_load_curves
from advisor.loadcurve import Quality, make_load_curve


def _long_csv(tmp_path):
    ts = pd.date_range("2024-05-01", periods=8, freq="30min", tz="UTC")
    rows = ["kunde,zeit,menge"]
    for cust, scale in (("A1", 0.1), ("B2", 0.2)):
        rows += [f"{cust},{t.isoformat()},{scale}" for t in ts]
    p = tmp_path / "export.csv"
    p.write_text("\n".join(rows) + "\n")
    return p


def test_user_named_columns_read_as_long_table(tmp_path):
    p = _long_csv(tmp_path)
    curves = read_load_curves(p, ReadOptions(id_col="kunde", time_col="zeit", value_col="menge"))
    assert sorted(c.meta.meter_id for c in curves) == ["A1", "B2"]
    totals = {c.meta.meter_id: c.total_kwh for c in curves}
    assert totals["A1"] == pytest.approx(0.8) and totals["B2"] == pytest.approx(1.6)


def test_cli_id_col_options(tmp_path, capsys):
    p = _long_csv(tmp_path)
    rc = main(["ingest", str(p), "--id-col", "kunde", "--time-col", "zeit", "--value-col", "menge", "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert [o["n_intervals"] for o in out] == [8, 8]


def test_make_load_curve_keeps_quality_and_marks_gaps():
    idx = pd.date_range("2024-10-27", periods=6, freq="15min", tz="Europe/Berlin").delete(2)
    q = pd.Series(["measured", "substituted", "measured", "filled", "measured"], index=idx)
    c = make_load_curve(pd.Series([0.1, 0.2, np.nan, 0.4, 0.5], index=idx), quality=q)
    assert list(c.quality.astype(str)) == ["measured", "substituted", "missing", "missing", "filled", "measured"]
    assert c.count(Quality.SUBSTITUTED) == 1 and c.missing_intervals == 2


def test_unforeseen_reader_failure_is_reported_as_bad_input(monkeypatch):
    """A reader bug on odd input surfaces as LoadCurveError naming the format, not as IndexError."""
    from advisor.errors import LoadCurveError
    from advisor.ingest import mscons

    def broken(raw, options, source):
        raise IndexError("list index out of range")

    monkeypatch.setattr(mscons, "sniff", lambda head, name: head.startswith(b"UNA"))
    monkeypatch.setattr(mscons, "parse", broken)
    with pytest.raises(LoadCurveError, match=r"x\.txt: unreadable mscons content \(IndexError\)") as caught:
        read_load_curves(b"UNA:+.? 'UNB+UNOC:3+1:500+2:500+240202:1250+R++TL'", name="x.txt")
    # the exception's own text may quote file content (personal data): only its type is named
    assert "list index out of range" not in str(caught.value)
