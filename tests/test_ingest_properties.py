"""Property tests over the readers (issue 17 #12): known truth in, the same truth out; hostile input in,
a clear refusal out — within a hard per-example deadline.

Every example builds a load curve we know (UTC start, 15/30/60-min step, Wh values, sizes from a few
intervals to well over 5,000 characters of file) and writes it the way each format writes it: portal
CSV (local time with ``Einheit;Wh``, ``Zeitstempel (UTC)`` with kWh and decimal comma, ``Von;Bis``),
MSCONS (UTC or local offsets, KWH or WHR, release characters), SMGW XML (cumulative Wh register,
mixed offsets), Green Button (epoch seconds, newest first) and long tables (several households).
Reading it back must give exactly the curve we wrote. The hostile properties: XML with any DTD or
entity (internal, external ``SYSTEM`` to a local file, parameter, billion laughs) is refused and
never quotes the file it pointed to; a compressed file that expands beyond the ratio is refused as a
bomb before it is parsed; an over-long CSV line is refused naming its line; an empty id in a long
table is refused naming its line; a 1900 row is set aside with a warning; deep JSON, damaged own
Parquet and mutated large files raise only ``LoadCurveError``.

Which test catches which injected defect, measured with ``benchmarks/fuzz_mutants.py`` (copies the
package, injects one defect at a time, runs this file; 2026-12-03: 16 of 16 caught, the clean copy
passes; table in docs/reliability.md):

* removed exception wrapping ........... test_unforeseen_reader_fault_is_a_loadcurveerror_quoting_nothing
  (no fuzzed input reaches an unforeseen exception today, so the fault is injected)
* removed line cap ..................... test_overlong_line_is_refused_naming_its_line
* XXE-open parser ...................... test_xml_with_any_dtd_or_entity_is_refused
* disabled bomb limits ................. test_compression_bomb_is_refused_before_parsing
* MSCONS segments past 5,000 characters  test_mscons_roundtrip, the leap-year test
* wrong Wh factor (csv, mscons, smgw, espi, one at a time)  the roundtrip test of that reader, the leap-year test
* 1-hour shift (csv); offset sign (mscons)  test_portal_csv_roundtrip / test_mscons_roundtrip, the leap-year test
* infinite loop in the MSCONS splitter . every MSCONS example fails at the hard deadline (no hang)
* stated zone (UTC/MEZ) ignored ........ test_portal_csv_roundtrip (``Zeitstempel (UTC)`` layout)
* plausible-period window removed ...... test_1900_row_is_set_aside_with_a_warning
* empty id joins the previous household  test_empty_long_table_id_is_refused_naming_its_line
* recursion guards removed ............. test_deep_json_raises_only_loadcurveerror

Sizes: the default profile (50 examples per property) runs in ~30 s on two shared cores;
``ADVISOR_FUZZ_PROFILE=long`` (``benchmarks/fuzz_readers.py``) runs 600 per property.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import signal
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from advisor.errors import LoadCurveError
from advisor.ingest import ReadOptions, read_load_curves
from advisor.loadcurve import Direction

settings.register_profile(
    "default", max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "long", max_examples=600, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
# benchmarks/fuzz_mutants.py: the same examples without shrinking (a caught defect is reported
# at once instead of being minimised over many slow examples)
settings.register_profile("mutants", parent=settings.get_profile("default"), phases=(Phase.explicit, Phase.reuse, Phase.generate))
settings.load_profile(os.environ.get("ADVISOR_FUZZ_PROFILE", "default"))

# A hard deadline per example (SIGALRM interrupts a reader stuck in a Python loop; Hypothesis's own
# `deadline` only measures an example after it has finished, so it cannot stop a hang). Generous
# for two shared cores: the largest example reads in well under a second when alone.
HARD_DEADLINE_S = float(os.environ.get("ADVISOR_FUZZ_DEADLINE_S", "20"))
BERLIN = "Europe/Berlin"


class ReaderHang(BaseException):
    """A reader exceeded the per-example hard deadline (a BaseException, so that no reader's
    ``except Exception`` and no wrapping into LoadCurveError can swallow it)."""


@contextlib.contextmanager
def hard_deadline(seconds: float = HARD_DEADLINE_S):
    if not hasattr(signal, "setitimer"):
        yield
        return

    def _raise(signum, frame):
        raise ReaderHang(f"reader did not finish within {seconds:g} s (hang or super-linear time)")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def read(raw: bytes, name: str, options: ReadOptions | None = None, *, deadline_s: float = HARD_DEADLINE_S):
    with hard_deadline(deadline_s):
        return read_load_curves(raw, options, name=name)


def refusal(raw: bytes, name: str, options: ReadOptions | None = None) -> LoadCurveError:
    with hard_deadline():
        try:
            curves = read_load_curves(raw, options, name=name)
        except LoadCurveError as exc:
            return exc
    raise AssertionError(f"expected a refusal, got {len(curves)} curve(s)")


def only_loadcurveerror(raw: bytes, name: str, options: ReadOptions | None = None) -> None:
    with hard_deadline():
        try:
            curves = read_load_curves(raw, options, name=name)
        except LoadCurveError:
            return
    assert curves and all(c.n_intervals > 0 for c in curves)


# --- known truth ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Truth:
    start: pd.Timestamp  # UTC, interval start of the first value
    step: int  # minutes
    wh: np.ndarray  # whole Wh per interval

    @property
    def starts(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=len(self.wh), freq=f"{self.step}min")

    @property
    def kwh(self) -> np.ndarray:
        return self.wh / 1000.0


@st.composite
def truths(draw, steps=(15, 30, 60), max_n=1500):
    step = draw(st.sampled_from(steps))
    # small files, and files far over 5,000 characters (a year-scale MSCONS is 2.5 MB)
    n = draw(st.one_of(st.integers(2, 40), st.integers(200, max_n)))
    k = draw(st.integers(0, (3 * 365 * 24 * 60) // step))
    start = pd.Timestamp("2022-01-01", tz="UTC") + pd.Timedelta(minutes=step * k)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    top = int(6000 * step / 60)  # up to 6 kW average: a household
    wh = rng.integers(0, top + 1, n)
    wh[rng.random(n) < 0.05] = 0  # some zero readings
    return Truth(start, step, wh)


def assert_same(curve, truth: Truth, what: str) -> None:
    got = curve.energy_kwh
    idx = got.index.tz_convert("UTC")
    assert curve.interval_minutes == truth.step, what
    assert len(got) == len(truth.wh), f"{what}: {len(got)} intervals read, {len(truth.wh)} written"
    first_bad = np.flatnonzero(idx != truth.starts)
    assert not first_bad.size, f"{what}: interval {first_bad[0]} starts {idx[first_bad[0]]}, written {truth.starts[first_bad[0]]}"
    assert np.allclose(got.to_numpy(dtype=float), truth.kwh, rtol=0, atol=1e-9), f"{what}: values differ"


def _local(t: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return t.tz_convert(BERLIN)


# --- renderers --------------------------------------------------------------------------------
def portal_local_wh(t: Truth) -> bytes:
    """German portal: Zählpunkt/Einheit lines, Datum;Uhrzeit;Wert in Berlin time, Wh, start-labelled."""
    loc = _local(t.starts)
    rows = "".join(f"{s:%d.%m.%Y};{s:%H:%M};{v};W;\n" for s, v in zip(loc, t.wh, strict=True))
    return ("Zählpunkt;DE0001234567890000000000000000001;\nEinheit;Wh;\nDatum;Uhrzeit;Wert;Status;\n" + rows).encode(
        "cp1252"
    )


def portal_utc_kwh(t: Truth) -> bytes:
    """Naive UTC wall times stated in the column name; kWh with decimal comma."""
    rows = "".join(f"{s:%Y-%m-%d %H:%M};{v / 1000:.4f}\n".replace(".", ",") for s, v in zip(t.starts, t.wh, strict=True))
    return ("Zeitstempel (UTC);Verbrauch [kWh]\n" + rows).encode()


def portal_von_bis_wh(t: Truth) -> bytes:
    """Von;Bis in Berlin wall time with UTC offsets (the October hour unambiguous), Wh."""
    loc = _local(t.starts)
    end = _local(t.starts + pd.Timedelta(minutes=t.step))
    rows = "".join(
        f"{a.isoformat()};{b.isoformat()};{v}\n" for a, b, v in zip(loc, end, t.wh, strict=True)
    )
    return ("Von;Bis;Verbrauch [Wh]\n" + rows).encode()


PORTAL = {"local-wh": portal_local_wh, "utc-kwh": portal_utc_kwh, "von-bis-wh": portal_von_bis_wh}


def mscons(t: Truth, *, unit: str, offsets: str, sep: str) -> bytes:
    def stamp(ts: pd.Timestamp) -> str:
        if offsets == "utc":
            return f"{ts:%Y%m%d%H%M}?+00:303"
        lt = ts.tz_convert(BERLIN)
        return f"{lt:%Y%m%d%H%M}?+{int(lt.utcoffset().total_seconds() // 3600):02d}:303"

    segs = ["UNB+UNOC:3+9900000000001:500+9900000000002:500+240101:0000+R1++TL", "UNH+1+MSCONS:D:04B:UN:2.4c",
            "BGM+Z48+X1+9", "UNS+D", "NAD+DP", "LOC+172+DE0001234567890000000000000000001", "LIN+1",
            "PIA+5+1-1?:1.29.0:SRW"]
    step = pd.Timedelta(minutes=t.step)
    for s, v in zip(t.starts, t.wh, strict=True):
        q = f"{v / 1000:.3f}:KWH" if unit == "KWH" else f"{v}:WHR"
        segs += [f"QTY+220:{q}", f"DTM+163:{stamp(s)}", f"DTM+164:{stamp(s + step)}"]
    n_msg = len(segs) - 1 + 1  # UNH .. UNT
    segs += [f"UNT+{n_msg}+1", "UNZ+1+R1"]
    return ("UNA:+.? '" + sep + sep.join(s + "'" for s in segs)).encode("latin-1")


def smgw(t: Truth, *, offsets: str, ten: int) -> bytes:
    """Cumulative import register (OBIS 1-0:1.8.0, Wh x 10^ten) at every interval boundary."""
    register = np.concatenate([[12_345_000], 12_345_000 + np.cumsum(t.wh)])
    times = pd.date_range(t.start, periods=len(register), freq=f"{t.step}min")
    out = []
    for i, (ts, r) in enumerate(zip(times, register, strict=True)):
        iso = ts.strftime("%Y-%m-%dT%H:%M:%SZ") if offsets == "utc" or (offsets == "mixed" and i % 3 == 0) else ts.tz_convert(BERLIN).isoformat()
        out.append(
            f"<IntervalReading><espi:value>{int(r) // 10**ten}</espi:value><timePeriod><duration>0</duration>"
            f"<start>{iso}</start></timePeriod><statusPTB>0</statusPTB></IntervalReading>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><UsagePoints xmlns="http://vde.de/AR_2418-6.xsd" xmlns:espi="http://naesb.org/espi">'
        "<UsagePoint><usagePointId>DE0001234567890000000000000000001</usagePointId><MeterReading><Meter><meterId>1EMH0001</meterId>"
        f"</Meter><ReadingType><espi:powerOfTenMultiplier>{ten}</espi:powerOfTenMultiplier><espi:uom>72</espi:uom><scaler>0</scaler>"
        f"<obisCode>0100010800ff</obisCode></ReadingType><IntervalBlock>{''.join(out)}</IntervalBlock></MeterReading>"
        "</UsagePoint></UsagePoints>"
    ).encode()


def espi(t: Truth, *, order: str) -> bytes:
    epoch = ((t.starts - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)).tolist()
    pairs = list(zip(epoch, t.wh.tolist(), strict=True))
    if order == "newest-first":
        pairs.reverse()
    readings = "".join(
        f"<IntervalReading><timePeriod><duration>{t.step * 60}</duration><start>{s}</start></timePeriod>"
        f"<value>{v}</value></IntervalReading>"
        for s, v in pairs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        '<link href="RetailCustomer/1/UsagePoint/1/MeterReading/01/ReadingType/01" rel="self"/><content>'
        '<ReadingType xmlns="http://naesb.org/espi"><powerOfTenMultiplier>0</powerOfTenMultiplier><uom>72</uom>'
        "</ReadingType></content></entry><entry>"
        '<link rel="up" href="RetailCustomer/1/UsagePoint/1/MeterReading/01/IntervalBlock"/>'
        '<link rel="related" href="RetailCustomer/1/UsagePoint/1/MeterReading/01/ReadingType/01"/>'
        f'<content><IntervalBlock xmlns="http://naesb.org/espi">{readings}</IntervalBlock></content></entry></feed>'
    ).encode()


def long_table(households: dict[str, Truth], *, naive_local: bool) -> bytes:
    rows = []
    for hid, t in households.items():
        stamps = (
            [f"{s:%Y-%m-%d %H:%M:%S}" for s in _local(t.starts)] if naive_local else [f"{s:%Y-%m-%dT%H:%M:%SZ}" for s in t.starts]
        )
        rows += [f"{hid},{s},{v / 1000:.3f}" for s, v in zip(stamps, t.wh, strict=True)]
    return ("household_id,timestamp,kwh\n" + "\n".join(rows) + "\n").encode()


def _crosses_october_change(t: Truth) -> bool:
    offset = (_local(t.starts).tz_localize(None) - t.starts.tz_localize(None)).asi8
    return bool((np.diff(offset) < 0).any())


# --- known truth in, the same truth out ---------------------------------------------------------
# Naive Berlin wall times that touch the repeated October hour without crossing it: a file that
# starts at the second 02:00 (the winter copy; read one hour early and with a gap before the
# shared resolver), one that ends inside the first copy, and one entirely inside it (undecidable:
# refused). Found as the cause of a one-off failure of test_long_table_roundtrip (2026-12-03):
# about 1 in 100 runs of 50 examples draws such a household; the long-table reader refused it,
# which the property did not expect, and the portal CSV reader placed the winter copy in summer time.
OCTOBER_EDGES = {
    "starts in the winter copy": Truth(pd.Timestamp("2023-10-29 01:00", tz="UTC"), 15, np.arange(1, 30) * 10),
    "ends in the summer copy": Truth(pd.Timestamp("2023-10-28 20:00", tz="UTC"), 15, np.arange(1, 20) * 10),
    "inside, each once": Truth(pd.Timestamp("2024-10-27 00:15", tz="UTC"), 15, np.array([10, 20, 30])),
    "starts in the winter copy, hourly": Truth(pd.Timestamp("2022-10-30 01:00", tz="UTC"), 60, np.arange(1, 9) * 100),
}


def _inside_repeated_hour_only(t: Truth) -> bool:
    """Every naive Berlin wall time of ``t`` is in the repeated October hour, each once."""
    local = _local(t.starts)
    naive = local.tz_localize(None)
    summer = naive.tz_localize(BERLIN, ambiguous=np.ones(len(naive), bool))
    winter = naive.tz_localize(BERLIN, ambiguous=np.zeros(len(naive), bool))
    return bool((summer != winter).all() and naive.is_unique)


def _read_naive_local(raw: bytes, name: str, t: Truth, options=None):
    """Curves of a naive-local rendering of ``t``, or None after the clear refusal that a file
    entirely inside the repeated hour must get."""
    if _inside_repeated_hour_only(t):
        exc = refusal(raw, name, options)
        assert "repeated" in str(exc) or "ambiguous" in str(exc), str(exc)
        return None
    return read(raw, name, options)


@given(t=truths(), kind=st.sampled_from(sorted(PORTAL)))
@example(t=OCTOBER_EDGES["starts in the winter copy"], kind="local-wh")
@example(t=OCTOBER_EDGES["ends in the summer copy"], kind="local-wh")
@example(t=OCTOBER_EDGES["inside, each once"], kind="local-wh")
@example(t=OCTOBER_EDGES["starts in the winter copy, hourly"], kind="local-wh")
def test_portal_csv_roundtrip(t, kind):
    """Catches: wrong Wh factor (csv), 1-hour shift (csv local times), stated UTC zone ignored,
    a file starting in the repeated October hour placed in the wrong copy."""
    if kind == "local-wh":
        # naive Berlin wall times repeat in October; their order decides, tested in test_ingest_csv
        assume(not _crosses_october_change(t))
        curves = _read_naive_local(PORTAL[kind](t), f"{kind}.csv", t, ReadOptions(label="start"))
        if curves is None:
            return
        [c] = curves
    else:
        [c] = read(PORTAL[kind](t), f"{kind}.csv", ReadOptions(label="start"))
    assert c.direction is Direction.IMPORT
    assert_same(c, t, kind)


@given(t=truths(), unit=st.sampled_from(["KWH", "WHR"]), offsets=st.sampled_from(["utc", "local"]), sep=st.sampled_from(["", "\n", "\r\n"]))
def test_mscons_roundtrip(t, unit, offsets, sep):
    """Catches: MSCONS defects past 5,000 characters, wrong WHR factor, 1-hour shift in DTM offsets,
    a loop over release characters that never advances (hard deadline)."""
    [c] = read(mscons(t, unit=unit, offsets=offsets, sep=sep), "lastgang.txt")
    assert c.meta.meter_id == "DE0001234567890000000000000000001"
    assert_same(c, t, f"mscons {unit} {offsets}")


@given(t=truths(steps=(15, 60)), offsets=st.sampled_from(["utc", "local", "mixed"]), ten=st.sampled_from([0, 1]))
def test_smgw_roundtrip(t, offsets, ten):
    """Catches: wrong Wh factor / power of ten (smgw), offset handling shifted by an hour."""
    if ten:
        t = Truth(t.start, t.step, (t.wh // 10) * 10)  # a register in 10 Wh steps
    [c] = read(smgw(t, offsets=offsets, ten=ten), "trudi.xml")
    assert_same(c, t, f"smgw {offsets} 10^{ten}")


@given(t=truths(steps=(15, 60)), order=st.sampled_from(["oldest-first", "newest-first"]))
def test_green_button_roundtrip(t, order):
    """Catches: wrong Wh factor (espi), epoch seconds misread."""
    [c] = read(espi(t, order=order), "green_button.xml", ReadOptions(tz="UTC"))
    assert_same(c, t, f"espi {order}")


@given(ts=st.lists(truths(steps=(15, 30), max_n=400), min_size=1, max_size=3), naive_local=st.booleans())
@example(ts=[OCTOBER_EDGES["starts in the winter copy"], OCTOBER_EDGES["ends in the summer copy"]], naive_local=True)
@example(ts=[OCTOBER_EDGES["inside, each once"]], naive_local=True)
def test_long_table_roundtrip(ts, naive_local):
    """Catches: rows given to the wrong household, wrong kWh factor, local/UTC shifts in long tables,
    a household starting or ending in the repeated October hour (refused before 2026-12-03)."""
    households = {f"HH-{i:03d}": t for i, t in enumerate(ts)}
    if naive_local:
        assume(not any(_crosses_october_change(t) for t in ts))
        if any(_inside_repeated_hour_only(t) for t in ts):
            # undecidable: refused naming the household (read_load_curves fails as a whole)
            exc = refusal(long_table(households, naive_local=True), "portfolio.csv")
            assert "cannot be placed" in str(exc), str(exc)
            return
    curves = read(long_table(households, naive_local=naive_local), "portfolio.csv")
    got = {c.meta.meter_id: c for c in curves}
    assert sorted(got) == sorted(households)
    for hid, t in households.items():
        assert_same(got[hid], t, hid)


# --- hostile input: a clear refusal ---------------------------------------------------------------
@st.composite
def doctypes(draw, secret_path: str):
    kind = draw(st.sampled_from(["internal", "external", "parameter", "laughs", "empty", "public"]))
    root = draw(st.sampled_from(["UsagePoints", "feed"]))
    if kind == "internal":
        return f'<!DOCTYPE {root} [<!ENTITY v "{draw(st.integers(0, 9999))}">]>', "&v;"
    if kind == "external":
        return f'<!DOCTYPE {root} [<!ENTITY v SYSTEM "file://{secret_path}">]>', "&v;"
    if kind == "parameter":
        return f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "file://{secret_path}"> %p;]>', ""
    if kind == "laughs":
        depth, width = draw(st.integers(2, 9)), draw(st.integers(2, 10))
        ents = ['<!ENTITY l0 "7">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * width}">' for i in range(1, depth + 1)]
        return f"<!DOCTYPE {root} [{''.join(ents)}]>", f"&l{depth};"
    if kind == "public":
        return f'<!DOCTYPE {root} PUBLIC "-//X//Y" "file://{secret_path}">', ""
    return f"<!DOCTYPE {root}>", ""


@given(t=truths(steps=(15,), max_n=300), data=st.data(), fmt=st.sampled_from(["smgw", "espi"]))
def test_xml_with_any_dtd_or_entity_is_refused(tmp_path_factory, t, data, fmt):
    """Catches: an XXE-open parser (DTDs or entities accepted, a local file read into the curve)."""
    secret = tmp_path_factory.mktemp("xxe") / "secret.txt"
    secret.write_text("4711")
    doctype, ref = data.draw(doctypes(str(secret)))
    raw = smgw(t, offsets="utc", ten=0) if fmt == "smgw" else espi(t, order="oldest-first")
    head, body = raw.split(b"?>", 1)
    tag = b"<espi:value>" if fmt == "smgw" else b"<value>"
    body = body.replace(tag, tag + ref.encode(), 1)
    exc = refusal(head + b"?>" + doctype.encode() + body, f"{fmt}.xml")
    assert "DTD" in exc.reason or "entit" in exc.reason, exc.reason
    assert "4711" not in exc.message


@given(n_lines=st.integers(30_000, 250_000), how=st.sampled_from(["gzip", "zip"]))
def test_compression_bomb_is_refused_before_parsing(n_lines, how):
    """Catches: disabled decompression limits (ratio/size) — a gzip or zip that expands over 200x."""
    line = b"01.06.2024;00:00;0,125;W;\n"
    payload = b"Datum;Uhrzeit;Wert [kWh];Status;\n" + line * n_lines
    if how == "gzip":
        raw, name = gzip.compress(payload, compresslevel=9), "export.csv.gz"
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("export.csv", payload)
        raw, name = buf.getvalue(), "export.zip"
    assume(len(payload) > 200 * len(raw) + (1 << 20))
    exc = refusal(raw, name)
    assert "bomb" in exc.reason, exc.reason


@given(t=truths(steps=(15, 60), max_n=400), data=st.data(), width=st.integers(10_001, 300_000))
def test_overlong_line_is_refused_naming_its_line(t, data, width):
    """Catches: a removed line-length cap (a 60 MB line used to be split and scanned cell by cell)."""
    raw = portal_utc_kwh(t).decode()
    lines = raw.split("\n")
    k = data.draw(st.integers(1, len(lines) - 2))
    lines[k] = lines[k] + ";" + "9" * width
    exc = refusal("\n".join(lines).encode(), "export.csv")
    assert exc.line == k + 1 and "characters long" in exc.reason, (exc.line, exc.reason)


@given(ts=st.lists(truths(steps=(15,), max_n=300), min_size=2, max_size=3), data=st.data(), blank=st.sampled_from(["", " ", "\t"]))
def test_empty_long_table_id_is_refused_naming_its_line(ts, data, blank):
    """Catches: a row without id silently joining the previous household (or vanishing as repeated)."""
    raw = long_table({f"HH-{i}": t for i, t in enumerate(ts)}, naive_local=False).decode().split("\n")
    k = data.draw(st.integers(1, len(raw) - 2))
    raw[k] = blank + raw[k][raw[k].index(",") :]
    exc = refusal("\n".join(raw).encode(), "portfolio.csv")
    assert exc.line == k + 1 and "empty household id" in exc.reason, (exc.line, exc.reason)


@given(t=truths(steps=(15, 60), max_n=400), data=st.data(), year=st.sampled_from([1900, 1970, 1999]))
def test_1900_row_is_set_aside_with_a_warning(t, data, year):
    """Catches: a removed plausible-period window (one mistyped row made a 3-day file 124 years long)."""
    assume(len(t.wh) >= 10)
    lines = portal_utc_kwh(t).decode().split("\n")
    k = data.draw(st.integers(1, len(lines) - 2))
    lines[k] = f"{year}" + lines[k][4:]
    [c] = read("\n".join(lines).encode(), "export.csv", ReadOptions(label="start"))
    assert c.start >= pd.Timestamp("2000-01-01", tz="UTC") and c.end <= t.starts[-1] + pd.Timedelta(minutes=t.step)
    assert any(str(year) in w for w in c.meta.warnings), c.meta.warnings


@given(depth=st.integers(900, 200_000), opener=st.sampled_from(["[", '{"a":']), where=st.sampled_from(["values", "top"]))
def test_deep_json_raises_only_loadcurveerror(depth, opener, where):
    """Catches: a removed recursion guard (RecursionError escaped as exit 1)."""
    closer = "]" if opener == "[" else "}"
    deep = opener * depth + "1" + closer * depth
    text = f'[{{"time": 1704064500000, "values": {deep}}}]' if where == "values" else deep
    exc = refusal(text.encode(), "readings.json")
    assert exc.message


def _canonical_parquet(tmp_path_factory, t: Truth) -> bytes:
    from advisor.ingest.canonical import write_curves_parquet

    [c] = read(portal_utc_kwh(t), "x.csv", ReadOptions(label="start"))
    path = tmp_path_factory.mktemp("own") / "c.parquet"
    write_curves_parquet([c], path)
    return path.read_bytes()


_META_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=30),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@given(t=truths(steps=(15,), max_n=200), data=st.data())
def test_damaged_own_parquet_raises_only_loadcurveerror(tmp_path_factory, t, data):
    """Our own Parquet with altered metadata fields or flipped bytes: only LoadCurveError.

    Catches: removed exception wrapping (pyarrow and type errors escaped as exit 1 or a native abort)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    raw = _canonical_parquet(tmp_path_factory, t)
    table = pq.read_table(io.BytesIO(raw))
    md = dict(table.schema.metadata or {})
    key = next(k for k in md if b"advisor" in k.lower())
    info = json.loads(md[key])
    how = data.draw(st.sampled_from(["field", "bytes", "column"]))
    if how == "field":
        field = data.draw(st.sampled_from(sorted(_flatten(info))))
        _set(info, field, data.draw(_META_VALUES))
        md[key] = json.dumps(info).encode()
        buf = io.BytesIO()
        pq.write_table(table.replace_schema_metadata(md), buf)
        out = buf.getvalue()
    elif how == "column":
        name = data.draw(st.sampled_from(table.column_names))
        i = table.column_names.index(name)
        junk = pa.array([data.draw(st.sampled_from(["x", "", "1e999"]))] * len(table))
        buf = io.BytesIO()
        pq.write_table(table.set_column(i, name, junk).replace_schema_metadata(md), buf)
        out = buf.getvalue()
    else:
        b = bytearray(raw)
        for _ in range(data.draw(st.integers(1, 6))):
            pos = data.draw(st.integers(max(0, len(b) - 4000), len(b) - 9))  # footer: metadata and schema
            b[pos] = data.draw(st.integers(0, 255))
        out = bytes(b)
    only_loadcurveerror(out, "own.parquet")


def _flatten(d: dict, prefix: str = "") -> list[str]:
    out = []
    for k, v in d.items():
        path = f"{prefix}{k}"
        out.append(path)
        if isinstance(v, dict):
            out += _flatten(v, path + ".")
    return out


def _set(d: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for p in parents:
        d = d[p]
    d[last] = value


# --- mutated large files: nothing but LoadCurveError, never a hang ---------------------------------
@given(
    t=truths(steps=(15, 60), max_n=1200),
    fmt=st.sampled_from(["mscons", "smgw", "espi", "portal", "table"]),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 60), st.binary(max_size=16)), min_size=1, max_size=6),
)
def test_mutated_large_files_raise_only_loadcurveerror(t, fmt, cuts):
    raw = bytearray(
        {
            "mscons": lambda: mscons(t, unit="KWH", offsets="local", sep="\n"),
            "smgw": lambda: smgw(t, offsets="mixed", ten=0),
            "espi": lambda: espi(t, order="newest-first"),
            "portal": lambda: portal_local_wh(t),
            "table": lambda: long_table({"A": t}, naive_local=False),
        }[fmt]()
    )
    for frac, length, insert in cuts:
        pos = int(frac * (len(raw) - 1))
        raw[pos : pos + length] = insert
    only_loadcurveerror(bytes(raw), f"mutated.{ {'mscons': 'txt', 'smgw': 'xml', 'espi': 'xml'}.get(fmt, 'csv') }")


def test_hard_deadline_stops_a_hanging_reader(monkeypatch):
    """The deadline itself can fail: a reader stuck in a loop is reported, not waited for."""
    import advisor.ingest.mscons as m

    def stuck(text, sc):
        while True:
            pass

    monkeypatch.setattr(m, "split_segments", stuck)
    t = Truth(pd.Timestamp("2024-06-01", tz="UTC"), 15, np.array([1, 2, 3]))
    with pytest.raises(ReaderHang), hard_deadline(0.5):
        read_load_curves(mscons(t, unit="KWH", offsets="utc", sep=""), name="m.txt")


# --- faults nobody foresaw: still a LoadCurveError that quotes nothing ------------------------------
_FAULT_SITES = {
    # format -> helpers its reader calls through a module-level name (so a patch takes effect)
    "portal": ("advisor.ingest.csv", ("interpret_table", "make_load_curve", "_localise")),
    "mscons": ("advisor.ingest.mscons", ("split_elements", "parse_dtm", "parse_number", "_build_curves", "make_load_curve")),
    "smgw": ("advisor.ingest.smgw", ("_int", "_timestamp", "curve_from_register", "make_load_curve")),
    "espi": ("advisor.ingest.espi", ("_int", "_reading_type", "make_load_curve")),
    "table": ("advisor.ingest.tabular", ("household_curve", "_times_utc", "_regular_curve")),
}


def _unforeseen_types():
    import zlib

    import pyarrow as pa

    return (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, ZeroDivisionError,
            UnicodeDecodeError, AssertionError, pa.ArrowInvalid, pa.ArrowTypeError, EOFError, zlib.error)


def _make(exc_type, text: str) -> BaseException:
    if exc_type is UnicodeDecodeError:
        return UnicodeDecodeError("utf-8", text.encode(), 0, 1, text)
    return exc_type(text)


@given(
    t=truths(steps=(15, 60), max_n=300),
    fmt=st.sampled_from(sorted(_FAULT_SITES)),
    data=st.data(),
    exc_type=st.sampled_from(_unforeseen_types()),
)
def test_unforeseen_reader_fault_is_a_loadcurveerror_quoting_nothing(t, fmt, data, exc_type):
    """Fault injection: one reader helper raises an exception no check foresaw (its text quotes the
    file, as pandas/pyarrow messages do). The caller gets a LoadCurveError that names the exception
    type only — exit 2, not a traceback; no file content in the message.

    Catches: removed exception wrapping in the dispatcher (no input found by the fuzzers reaches
    an unforeseen exception today — 4,000 mutated files and 3,000 Parquet type combinations with
    the wrapping removed — so the guard is proved by injecting the fault, not by waiting for one)."""
    import importlib

    module, helpers = _FAULT_SITES[fmt]
    mod = importlib.import_module(module)
    name = data.draw(st.sampled_from(helpers))
    fire_on = data.draw(st.integers(1, 3))
    raw = {
        "portal": lambda: portal_utc_kwh(t),
        "mscons": lambda: mscons(t, unit="KWH", offsets="utc", sep="\n"),
        "smgw": lambda: smgw(t, offsets="utc", ten=0),
        "espi": lambda: espi(t, order="oldest-first"),
        "table": lambda: long_table({"A": t}, naive_local=False),
    }[fmt]()
    original = getattr(mod, name)
    calls = []

    def faulty(*args, **kwargs):
        calls.append(1)
        if len(calls) == fire_on:
            raise _make(exc_type, "Kunde: Erika Mustermann, Musterweg 5")
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(mod, name, faulty)
        with hard_deadline():
            try:
                read_load_curves(raw, ReadOptions(label="start") if fmt == "portal" else None, name=f"f.{fmt}")
            except LoadCurveError as exc:
                caught = exc
            else:
                assume(False)  # the helper was called fewer than fire_on times
    assert calls, f"{module}.{name} was never called: the fault site list is stale"
    assert "Erika" not in caught.message and "Musterweg" not in caught.message, caught.message
    assert exc_type.__name__ in caught.message or "unreadable" in caught.message, caught.message


@pytest.mark.parametrize("fmt,name", [(f, n) for f, (_, ns) in sorted(_FAULT_SITES.items()) for n in ns])
def test_fault_sites_are_called(fmt, name):
    """Keeps the fault-injection list honest: every listed helper is really called by its reader."""
    import importlib

    module, _ = _FAULT_SITES[fmt]
    mod = importlib.import_module(module)
    t = Truth(pd.Timestamp("2024-06-01", tz="UTC"), 15, np.arange(1, 9) * 10)
    raw = {
        "portal": lambda: portal_utc_kwh(t),
        "mscons": lambda: mscons(t, unit="KWH", offsets="utc", sep="\n"),
        "smgw": lambda: smgw(t, offsets="utc", ten=0),
        "espi": lambda: espi(t, order="oldest-first"),
        "table": lambda: long_table({"A": t}, naive_local=False),
    }[fmt]()
    original, calls = getattr(mod, name), []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(mod, name, lambda *a, **k: calls.append(1) or original(*a, **k))
        read(raw, f"f.{fmt}", ReadOptions(label="start") if fmt == "portal" else None)
    assert calls, f"{module}.{name} is not called when reading {fmt}"


_YEAR_FORMATS = {
    "portal-local-wh": (portal_local_wh, "a.csv", ReadOptions(label="start")),
    "portal-utc-kwh": (portal_utc_kwh, "a.csv", ReadOptions(label="start")),
    "von-bis-wh": (portal_von_bis_wh, "a.csv", None),
    "mscons": (lambda t: mscons(t, unit="WHR", offsets="local", sep="\n"), "a.txt", None),
    "smgw": (lambda t: smgw(t, offsets="mixed", ten=0), "a.xml", None),
    "espi": (lambda t: espi(t, order="newest-first"), "a.xml", None),
    "long-table": (lambda t: long_table({"A": t}, naive_local=False), "a.csv", None),
}


@pytest.mark.parametrize("fmt", sorted(_YEAR_FORMATS))
def test_a_leap_year_of_quarter_hours_reads_exactly_within_the_deadline(fmt):
    """Large input: 35,136 quarter hours of 2024 (both DST changes; 0.8-6 MB) in every format, read
    to the same truth within the hard deadline (alone on one core 0.1-2.6 s; benchmarks/fuzz_readers.py
    prints the scaling to four years)."""
    render, name, options = _YEAR_FORMATS[fmt]
    t = Truth(pd.Timestamp("2023-12-31 23:00", tz="UTC"), 15, np.random.default_rng(2024).integers(0, 1500, 35_136))
    if fmt == "portal-local-wh":
        t = Truth(pd.Timestamp("2024-01-01 23:00", tz="UTC"), 15, t.wh[: 96 * 290])  # Jan 2 .. Oct 18: no repeated hour
    [c] = read(render(t), name, options, deadline_s=3 * HARD_DEADLINE_S)
    assert_same(c, t, fmt)
