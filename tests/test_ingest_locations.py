"""Files with several metering locations (issue 17): never summed, refused naming the locations
unless one is chosen (``--location ID`` / ``ReadOptions(meter_id=...)``); the plausible period
from ``--earliest`` / ``--latest`` or the seeds on every command that reads a meter file.

The files are generated here with known values per location (the recipe is in ``interchange``)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from advisor.cli import main
from advisor.errors import LoadCurveError
from advisor.ingest import (
    MultipleLocationsError,
    ReadOptions,
    list_locations,
    locations,
    read_load_curve,
    read_load_curves,
)
from advisor.ingest.canonical import write_curves_parquet

LOC_A = "DE0001111111111111111111111111111"
LOC_B = "DE0002222222222222222222222222222"
LOC_PV = "DE0003333333333333333333333333333"


def interchange(locs: dict[str, float], days: int = 40, obis: dict[str, str] | None = None, sep: str = "\n") -> bytes:
    """One MSCONS message per location: hourly values ``base + 0.05 * (hour mod 7)`` kWh from
    2024-01-01 00:00 UTC for ``days`` days; ``obis`` per location (default 1-1:1.29.0, import)."""
    obis = obis or {}
    segs = ["UNB+UNOC:3+9900000000001:500+9900000000002:500+240101:0000+R1++TL"]
    start = pd.Timestamp("2024-01-01", tz="UTC")
    for n, (loc, base) in enumerate(locs.items(), 1):
        msg = [f"UNH+{n}+MSCONS:D:04B:UN:2.4c", "BGM+Z48+X1+9", "UNS+D", "NAD+DP", f"LOC+172+{loc}", "LIN+1",
               f"PIA+5+{obis.get(loc, '1-1?:1.29.0')}:SRW"]
        for i in range(days * 24):
            s = start + pd.Timedelta(hours=i)
            e = s + pd.Timedelta(hours=1)
            msg += [f"QTY+220:{base + 0.05 * (i % 7):.3f}:KWH", f"DTM+163:{s:%Y%m%d%H%M}?+00:303",
                    f"DTM+164:{e:%Y%m%d%H%M}?+00:303"]
        msg.append(f"UNT+{len(msg) + 1}+{n}")
        segs += msg
    segs.append(f"UNZ+{len(locs)}+R1")
    return ("UNA:+.? '" + sep + sep.join(s + "'" for s in segs)).encode("latin-1")


def expected_kwh(base: float, days: int = 40) -> float:
    i = np.arange(days * 24)
    return float(np.round(base + 0.05 * (i % 7), 3).sum())


# --- the library -----------------------------------------------------------------------------
def test_two_locations_are_refused_naming_both_and_never_summed():
    raw = interchange({LOC_A: 0.2, LOC_B: 0.4})
    with pytest.raises(MultipleLocationsError) as info:
        read_load_curve(raw, name="ic.txt")
    assert info.value.locations == [LOC_A, LOC_B]
    assert LOC_A in str(info.value) and LOC_B in str(info.value) and "--location" in str(info.value)
    assert isinstance(info.value, LoadCurveError)
    b = read_load_curve(raw, ReadOptions(meter_id=LOC_B), name="ic.txt")
    assert b.meta.meter_id == LOC_B and b.total_kwh == pytest.approx(expected_kwh(0.4))


def test_feed_in_of_its_own_location_stays_with_the_one_household():
    """A PV plant's own Marktlokation (export only) next to the consumption location is one household."""
    raw = interchange({LOC_A: 0.2, LOC_PV: 0.1}, obis={LOC_PV: "1-1?:2.29.0"})
    assert list_locations(raw, name="ic.txt") == [LOC_A]
    c = read_load_curve(raw, name="ic.txt")
    assert c.meta.meter_id == LOC_A and c.meta.feed_in_kwh == pytest.approx(expected_kwh(0.1))


@pytest.mark.parametrize("sep", ["", "\n", "\r\n"])
def test_list_locations_agrees_with_the_full_read(sep, tmp_path):
    locs = {f"DE{i:031d}": 0.1 * (i + 1) for i in range(4)}
    raw = interchange(locs, days=3, sep=sep)
    assert list_locations(raw, name="x.txt") == list(locs) == locations(read_load_curves(raw, name="x.txt"))
    # canonical Parquet of several meters: from its metadata alone
    write_curves_parquet(read_load_curves(raw, name="x.txt"), tmp_path / "c.parquet")
    assert list_locations(tmp_path / "c.parquet") == list(locs)
    # formats without a cheap listing say so (None); bad input is not an error here
    assert list_locations(b"Datum;Wert\n01.01.2024 00:00;1\n", name="a.csv") is None
    assert list_locations(b"UNA:+.? 'UNB+garbage", name="m.txt") in (None, [])


def test_meter_id_skips_the_other_locations_values():
    """Reading one location of an interchange does not parse (or fail on) the others' values."""
    raw = interchange({LOC_A: 0.2, LOC_B: 1.4})
    broken = raw.replace(b"QTY+220:1.400:KWH", b"QTY+220:x:KWH", 1)  # a value of B's only
    with pytest.raises(LoadCurveError, match="not a number"):
        read_load_curves(broken, name="ic.txt")
    [a] = read_load_curves(broken, ReadOptions(meter_id=LOC_A), name="ic.txt")
    assert a.total_kwh == pytest.approx(expected_kwh(0.2))
    with pytest.raises(LoadCurveError, match="no curve for meter 'nope'"):
        read_load_curves(broken, ReadOptions(meter_id="nope"), name="ic.txt")


# --- the CLI ---------------------------------------------------------------------------------
@pytest.fixture
def ic_file(tmp_path):
    p = tmp_path / "ic.txt"
    p.write_bytes(interchange({LOC_A: 0.2, LOC_B: 0.4}))
    return p


@pytest.mark.parametrize(
    "command",
    [["ingest"], ["analyse"], ["forecast"], ["savings", "--change-date", "2024-01-20"], ["recommend"]],
)
def test_cli_refuses_several_locations_with_their_list(ic_file, command, capsys):
    assert main([command[0], str(ic_file), *command[1:]]) == 2
    err = capsys.readouterr().err
    assert LOC_A in err and LOC_B in err and "--location" in err and "Traceback" not in err


def test_cli_location_picks_one_and_all_locations_lists_each(ic_file, capsys):
    assert main(["ingest", str(ic_file), "--location", LOC_B, "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["meter_id"] == LOC_B and one["energy_kwh"] == pytest.approx(expected_kwh(0.4))
    assert main(["ingest", str(ic_file), "--meter-id", LOC_A, "--json"]) == 0  # the old name still works
    assert json.loads(capsys.readouterr().out)["meter_id"] == LOC_A
    assert main(["ingest", str(ic_file), "--all-locations", "--json"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert [s["meter_id"] for s in both] == [LOC_A, LOC_B]
    assert [s["energy_kwh"] for s in both] == pytest.approx([expected_kwh(0.2), expected_kwh(0.4)])
    assert main(["analyse", str(ic_file), "--location", LOC_A, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["meter_id"] == LOC_A


# --- the plausible period on the command line ------------------------------------------------
def _csv_with_rows(tmp_path, first: str) -> object:
    rows = [f"{first};0,5"] + [f"{d:02d}.06.2024 {h:02d}:00;0,2" for d in (1, 2, 3) for h in range(24)]
    p = tmp_path / "v.csv"
    p.write_text("Datum;Verbrauch [kWh]\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_cli_earliest_and_latest_move_the_window(tmp_path, capsys):
    p = _csv_with_rows(tmp_path, "15.03.1999 00:00")
    args = ["ingest", str(p), "--json"]
    assert main(args) == 0  # default window from the seeds: the 1999 row is set aside, named
    s = json.loads(capsys.readouterr().out)
    assert s["start"].startswith("2024-06-01") and s["n_intervals"] == 72
    assert any("outside the plausible period from 2000-01-01" in w and "15.03.1999" in w for w in s["warnings"])
    assert main([*args, "--earliest", "1990-01-01"]) == 0  # now inside: read, with its gap marked missing
    s = json.loads(capsys.readouterr().out)
    assert s["start"].startswith("1999-03-15") and s["missing_intervals"] == s["n_intervals"] - 73
    # a window that ends after the first day: most rows outside, refused with the period named
    assert main([*args, "--latest", "2024-06-02"]) == 2
    assert "outside the plausible period from 2000-01-01 to before 2024-06-02" in capsys.readouterr().err
    assert main([*args, "--earliest", "1.1.2000"]) == 2
    assert "`--earliest` must be a date YYYY-MM-DD" in capsys.readouterr().err
    assert main([*args, "--earliest", "2025-01-01", "--latest", "2024-01-01"]) == 2
    assert "is empty" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["analyse", "forecast", "recommend"])
def test_other_commands_honour_the_window(tmp_path, command, capsys):
    p = _csv_with_rows(tmp_path, "15.03.1999 00:00")
    assert main([command, str(p), "--latest", "2024-06-02"]) == 2
    assert "outside the plausible period from 2000-01-01 to before 2024-06-02" in capsys.readouterr().err


def test_cli_default_window_comes_from_the_seeds(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ingest.toml").write_text(
        '[plausible_earliest]\nvalue = "2024-06-02"\nunit = "date"\nsource = "test"\ndate = "2026-12-03"\n',
        encoding="utf-8",
    )
    p = _csv_with_rows(tmp_path, "31.05.2024 23:00")
    assert main(["ingest", str(p), "--json", "--seeds", str(seeds)]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["start"].startswith("2024-06-02") and any("2024-06-02" in w for w in s["warnings"])


def test_every_file_reading_command_has_the_options():
    from typer.main import get_command

    from advisor.cli import app

    cli = get_command(app)
    for name in ("ingest", "analyse", "forecast", "savings", "pv", "recommend", "report", "batch", "evaluate"):
        opts = {o for p in cli.commands[name].params for o in p.opts}
        assert {"--earliest", "--latest"} <= opts, name
        if name not in ("batch", "evaluate"):
            assert "--location" in opts, name


def test_seeded_window_matches_the_library_default():
    """The library's fallback window (no options) is the seeds' window."""
    from advisor.loadcurve import PLAUSIBLE_AHEAD_DAYS, PLAUSIBLE_EARLIEST, plausible_window
    from advisor.seeds import load_seeds

    seeds = load_seeds()
    assert seeds.value("ingest.plausible_earliest") == PLAUSIBLE_EARLIEST
    assert seeds.value("ingest.plausible_ahead_days") == PLAUSIBLE_AHEAD_DAYS
    lo, hi = plausible_window()
    assert lo == pd.Timestamp(PLAUSIBLE_EARLIEST, tz="UTC")
    assert hi.date() == dt.datetime.now(dt.UTC).date() + dt.timedelta(days=PLAUSIBLE_AHEAD_DAYS)
