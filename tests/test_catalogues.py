"""The one text system: catalogues complete in German and English, placeholders consistent,
Turkish honest about its review status, one formatter, Message codes that survive pickle/JSON."""

from __future__ import annotations

import json
import pickle
import re
import string
import tomllib
from pathlib import Path

import pytest

from advisor import texts
from advisor.formatting import formatter
from advisor.texts import Message

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "advisor" / "locale"


def _fields(template) -> set[str]:
    templates = template if isinstance(template, tuple) else (template,)
    out = set()
    for t in templates:
        for _, name, spec, _ in string.Formatter().parse(t):
            if name is not None:
                out.add(f"{name}:{spec or ''}")
    return out


def _sample(spec: str):
    if spec.startswith(("date", "datetime", "month")):
        import pandas as pd

        return pd.Timestamp("2024-03-05 14:30", tz="Europe/Berlin")
    if spec.startswith(("eur", "ct", "pct", "%", "+", "d", "kwh", "kw", "w", ".")):
        return 1234.5 if not spec.startswith("%") else 0.355
    return "Beispiel"


def _params(template) -> dict:
    params = {}
    for f in _fields(template):
        name, spec = f.split(":", 1)
        params[name] = 2 if name == "n" else _sample(spec)
    return params


def test_catalogue_files_parse_and_have_honest_headers():
    for lang in ("de", "en", "tr"):
        cat = texts.catalogue(lang)
        assert cat.entries, lang
        assert cat.duplicates == [], cat.duplicates
        for name, header in cat.headers.items():
            assert header.get("Language") == lang, (lang, name)
            assert "Plural-Forms" in header, (lang, name)
    for po in (LOCALE / "tr" / "LC_MESSAGES").glob("*.po"):
        head = po.read_text(encoding="utf-8")[:600]
        assert "NOT yet reviewed" in head or "Reviewed by" in head, po.name


def test_every_code_has_german_and_english():
    de, en = texts.codes("de"), texts.codes("en")
    assert sorted(en - de) == [], "codes without German"
    assert sorted(de - en) == [], "codes without English"
    assert len(de) > 300


def test_placeholders_agree_across_languages():
    bad = []
    for code in texts.codes("de"):
        ref = _fields(texts.catalogue("de").get(code))
        for lang in ("en", "tr"):
            other = texts.catalogue(lang).get(code)
            if other is not None and {f.split(":")[0] for f in _fields(other)} != {f.split(":")[0] for f in ref}:
                bad.append((code, lang))
    assert bad == []


def test_every_code_renders_in_german_without_fallback_or_leftover_braces():
    de = texts.catalogue("de")
    with texts.record_fallbacks() as seen:
        for code in sorted(de.entries):
            out = texts.render(code, "de", _params(de.get(code)))
            assert out and out != code, code
            assert not re.search(r"\{[a-z_]+[:}]", out), (code, out)
    assert seen == []


def test_missing_code_is_recorded_and_shown_as_code():
    with texts.record_fallbacks() as seen:
        assert texts.render("no.such.code", "de") == "no.such.code"
    assert seen == [("no.such.code", "de", None)]


def test_turkish_falls_back_to_german_not_english_and_says_so():
    """Turkish is complete now; the fallback is checked by taking one entry out of the loaded catalogue."""
    code = "quality.complete"
    tr = texts.catalogue("tr")
    saved = tr.entries.pop(code)
    try:
        with texts.record_fallbacks() as seen:
            out = texts.render(code, "tr")
        assert out == texts.render(code, "de") != texts.render(code, "en")
        assert seen and seen[0][2] == "de"
    finally:
        tr.entries[code] = saved
    assert texts.render(code, "tr") == saved


def test_package_data_ships_the_catalogues():
    cfg = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = cfg["tool"]["setuptools"]["package-data"]["advisor"]
    files = sorted(p.relative_to(REPO / "advisor") for p in LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert files
    for f in files:
        assert any(f.match(p) for p in patterns), f
    deps = " ".join(cfg["project"]["dependencies"])
    assert "babel" in deps
    assert re.search(r"^babel==", (REPO / "constraints.txt").read_text(), re.M | re.I)


# ---------------------------------------------------------------------------- formatter
@pytest.mark.parametrize(
    "lang, number, money, share, day",
    [
        ("de", "1.234,5", "1.234 €", "35,5 %", "24.11.2026"),
        ("en", "1,234.5", "€1,234", "35.5%", "24 Nov 2026"),
        ("tr", "1.234,5", "€1.234", "%35,5", "24 Kas 2026"),
    ],
)
def test_one_formatter_per_language(lang, number, money, share, day):
    f = formatter(lang)
    assert f.number(1234.5, 1) == number
    assert f.eur(1234.4) == money
    assert f.percent(0.355, 1) == share
    assert f.date("2026-11-24") == day


@pytest.mark.parametrize("lang", ["de", "en", "tr"])
def test_no_negative_zero_and_missing_dash(lang):
    f = formatter(lang)
    assert not f.number(-0.04, 1).startswith("-")
    assert not f.eur(-0.2).startswith("-")
    assert not f.percent(-0.0001, 1).startswith("-")
    assert f.number(-1.5, 1).startswith("-")
    for bad in (None, float("nan"), float("inf"), "x"):
        assert f.number(bad) == "–" and f.eur(bad) == "–"
    assert f.csv_number(None) == ""


def test_csv_numbers_are_rounded_and_ungrouped():
    assert formatter("de").csv_number(1803.4029999999998) == "1803,403"
    assert formatter("de").csv_number(1803.4029999999998, 1) == "1803,4"
    assert formatter("en").csv_number(1234567.891, 2) == "1234567.89"
    assert formatter("de").csv_separator == ";" and formatter("en").csv_separator == ","


def test_message_params_are_formatted_in_the_target_language():
    m = Message("app.sum.missing", n=1234)
    assert str(m) == "missing: 1,234"
    assert m.text("de") == "fehlend: 1.234"
    assert texts.format_value(11.25, "de", ".1") == "11,2" or texts.format_value(11.25, "de", ".1") == "11,3"
    assert texts.format_value(0.355, "de", "%.1") == "35,5 %"
    assert texts.format_value(2024, "de", "d") == "2024"
    assert texts.format_value(2024, "de") == "2.024"


def test_plural_forms():
    assert Message("unit.half_years", n=1).text("de") == "1 Halbjahr"
    assert Message("unit.half_years", n=3).text("de") == "3 Halbjahre"
    assert str(Message("unit.days", n=1)) == "1 day"
    assert Message("unit.days", n=5).text("tr") == "5 gün"


def test_message_survives_pickle_json_and_copy():
    import copy

    m = Message("app.sum.missing", n=7)
    back = pickle.loads(pickle.dumps(m))
    assert isinstance(back, Message) and back.code == m.code and back.params == {"n": 7} and back == m
    assert copy.deepcopy(m) is m
    assert json.loads(json.dumps({"w": m})) == {"w": "missing: 7"}
    assert m.to_dict() == {"code": "app.sum.missing", "data": {"n": 7}}
    assert texts.localize(m.to_dict(), "de") == "fehlend: 7"


def test_text_fields_for_json_outputs():
    out = texts.text_fields("warnings", [Message("app.sum.missing", n=2)])
    assert out["warnings"] == ["missing: 2"] and out["warnings_de"] == ["fehlend: 2"]
    assert out["warnings_en"] == ["missing: 2"]
    assert out["warnings_code"] == [{"code": "app.sum.missing", "data": {"n": 2}}]


def test_join_keeps_every_language():
    j = texts.join([Message("common.yes"), Message("common.no")], " / ")
    assert str(j) == "yes / no" and j.text("de") == "ja / nein"


# ---------------------------------------------------------------------------- report and letter
_BANNED_DE = (
    "1th ",
    "EUR/yr",
    "seeds/",
    "dynamic_tariff:",
    "no day-ahead",
    "decoded as",
    "mit elektrische ",
    "1 Halbjahre",
    "Kuehl",
    " fuer ",
    "saving_share",
    "tariffs.",
    "tariff_components.",
)


_UMLAUT_SLIPS = ("Kuehl", " fuer ")


@pytest.fixture(scope="module")
def german_documents():
    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.household import Household
    from advisor.report import render_report
    from advisor.seeds import load_seeds
    from advisor.synthetic import SyntheticSpec, synthetic_household

    demo = synthetic_household(SyntheticSpec(seed=1))
    s = AssessmentSettings(seeds=load_seeds(), parts=("tariffs", "recommendations"))
    a = assess_household(demo.curve, Household(persons=3, dwelling="house", tenure="owner", hot_water="electric"), s)
    out = {}
    with texts.record_fallbacks() as seen:
        for variant in ("report", "letter"):
            out[variant] = render_report(a, "de", variant=variant, charts=False)
    return out, seen


def _demo_assessment(seed: int, household, **settings):
    """The assessment of synthetic demo household ``seed`` with the shipped seeds."""
    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.seeds import load_seeds
    from advisor.synthetic import SyntheticSpec, synthetic_household

    demo = synthetic_household(SyntheticSpec(seed=seed))
    return assess_household(demo.curve, household, AssessmentSettings(seeds=load_seeds(), **settings))


def _visible_text(html: str, sources: bool = True) -> str:
    import html as h

    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    if not sources:  # the cited sources (titles of publications) are quoted as published
        body = re.sub(r'<(span|td) class="src">.*?</\1>', " ", body, flags=re.S)
    return h.unescape(re.sub(r"<[^>]+>", " ", body))


def test_german_report_and_letter_use_no_fallback(german_documents):
    _, seen = german_documents
    assert seen == [], seen


@pytest.mark.parametrize("variant", ["report", "letter"])
def test_german_report_and_letter_have_none_of_the_reported_slips(german_documents, variant):
    html = german_documents[0][variant]
    text, without_sources = _visible_text(html), _visible_text(html, sources=False)
    found = [b for b in _BANNED_DE if b in (text if b in _UMLAUT_SLIPS else without_sources)]
    assert found == []


def test_turkish_letter_renders_with_turkish_words_and_german_core_fallback():
    from advisor.household import Household
    from advisor.report import render_report

    a = _demo_assessment(2, Household(persons=2, dwelling="apartment"), parts=("recommendations",))
    with texts.record_fallbacks() as seen:
        html = render_report(a, "tr", variant="letter", charts=False)
    assert 'lang="tr"' in html and "Kişisel enerji kontrolünüz" in html and "Saygılarımızla" in html
    letter_codes = {c for c, lang, used in seen if c.startswith("letter.")}
    assert letter_codes == set()  # every letter word is Turkish; only core texts fall back (to German)
    assert all(used == "de" for _, _, used in seen)


@pytest.mark.parametrize("variant", ["report", "letter"])
def test_german_documents_cite_their_sources_in_german(german_documents, variant):
    html = german_documents[0][variant]
    cited = " ".join(re.findall(r'<span class="src">(.*?)</span>', html, flags=re.S))
    assert cited
    for slip in ("seeds/", " via ", " per household", " costs about", " saved per ", "incl. installation"):
        assert slip not in cited, slip


def test_source_text_translates_seed_sources_and_keeps_a_stadtwerks_own():
    from advisor.measures import measure_catalog
    from advisor.seeds import load_seeds

    cat = measure_catalog(load_seeds())
    for m in cat.values():  # every seeded measure source has a German text, the date kept
        de = texts.source_text(m.cite(), "de")
        assert de != m.cite() and de.endswith(f" ({m.date})"), m.measure_id
        assert "seeds/" not in texts.source_text(m.cite(), "en")
    assert texts.source_text(cat["standby"].source, "de").startswith("Umweltbundesamt: Standby kostet")
    own = "Stadtwerke Herne, eigene Kundenbefragung 2026"  # a source written in an override stays as written
    assert texts.source_text(own, "de") == own and texts.source_text(f"{own} (2026)", "tr") == f"{own} (2026)"


# ---------------------------------------------------------------------------- issue 13: no *_de twins left
#: Domains whose codes replaced the ``*_de`` twin fields and the importer's reverse translation:
#: each must be complete in German, English and Turkish (Turkish unreviewed, but never missing).
_CONVERTED = ("economics.po", "pv.po", "forecast.po", "savings.po", "importer.po", "signatures.po", "measures.po",
              "electrify.po", "privacy.po", "energy_poverty.po", "sources.po", "portfolio.po", "quality.po")  # fmt: skip


@pytest.mark.parametrize("domain", _CONVERTED)
def test_converted_domains_are_complete_in_every_language(domain):
    de = {c for c, f in texts.catalogue("de").sources.items() if f == domain}
    assert de, domain
    for lang in ("en", "tr"):
        missing = sorted(c for c in de if c not in texts.codes(lang))
        assert missing == [], (domain, lang, missing[:5])


def test_no_twin_fields_left_in_the_converted_modules():
    import dataclasses

    from advisor import analysis, economics, forecast, loadcurve, pv, savings, signatures

    twins = []
    for mod in (analysis, economics, forecast, loadcurve, pv, savings, signatures):
        for obj in vars(mod).values():
            if dataclasses.is_dataclass(obj) and getattr(obj, "__module__", "") == mod.__name__:
                twins += [f"{obj.__name__}.{f.name}" for f in dataclasses.fields(obj) if f.name.endswith("_de")]
    assert twins == []
    from advisor.errors import LoadCurveError

    assert not hasattr(LoadCurveError("x"), "message_de")


@pytest.fixture(scope="module")
def full_german_report():
    """The German report of a household with every part (PV economics, forecast, tariffs,
    recommendations, signatures): the new codes are all rendered."""
    from advisor.household import Household
    from advisor.report import render_report

    a = _demo_assessment(
        3, Household(persons=4, dwelling="house", tenure="owner", hot_water="electric", postal_code="44623")
    )
    with texts.record_fallbacks() as seen:
        html = render_report(a, "de", variant="report", charts=False)
    return a, html, seen


def test_full_german_report_has_no_fallback_and_german_assumption_sources(full_german_report):
    a, html, seen = full_german_report
    assert seen == [], seen[:5]
    table = html[html.index('table class="small assumptions"') :]
    sources = " ".join(re.findall(r'<td class="src">(.*?)</td>', table, flags=re.S))
    assert sources
    for english in ("Assumption:", "Price cap", "via Statista", "standard rate", "stated by the household",
                    "Turnkey", "network fees", "remuneration for"):  # fmt: skip
        assert english not in sources, english
    text = _visible_text(html, sources=False)
    for english in ("feed-in", "capped", "price rising", "intervals", "days of data", "Monthly totals"):
        assert english not in text, english


def test_assumption_sources_ending_in_a_parenthesis_are_translated():
    src = (
        "Miele data via Berliner Zeitung 2022-09 (washer eco 0.9 vs 1.4 kWh/cycle, 140 cycles; dishwasher eco "
        "0.5-0.6 vs 1.1 kWh/cycle, 185 cycles); Verbraucherzentrale Rheinland-Pfalz via rhaonline.de (20-40 % less)"
    )
    assert texts.source_text(src, "de").startswith("Miele-Angaben")
    assert texts.source_text(f"{src} (2022)", "de").endswith("(2022)")


def test_portfolio_page_in_german_and_english():
    import datetime as dt

    import pandas as pd

    from advisor.batch.portfolio import render_portfolio

    summary = pd.DataFrame(
        {
            "household": [f"h{i}" for i in range(25)],
            "status": ["ok"] * 25,
            "annual_kwh": [2500.0 + 40 * i for i in range(25)],
            "savings_potential_eur": [50.0 + i for i in range(25)],
            "savings_potential_kwh": [100.0 + i for i in range(25)],
            "top_measure": ["standby"] * 25,
            "stromspiegel_class": ["C"] * 25,
            "letter_html": ["x.html"] * 25,
            "letter_pdf": [None] * 25,
            "data_source": ["measured"] * 25,
        }
    )
    with texts.record_fallbacks() as seen:
        de = render_portfolio(summary, None, {}, "Stadtwerke Herne", k=20, retention_until=dt.date(2028, 11, 24))
        en = render_portfolio(summary, None, {}, "Stadtwerke Herne", k=20, language="en")
        tr = render_portfolio(summary, None, {}, "Stadtwerke Herne", k=20, language="tr")
    assert seen == []  # Turkish included: no entry falls back to German
    assert 'lang="tr"' in tr and "portföy özeti" in tr and "Haneler" in tr
    assert 'lang="de"' in de and "Portfolio-Übersicht" in de and "24.11.2028" in de and "Haushalte" in de
    assert 'lang="en"' in en and "portfolio overview" in en and "Households" in en
    for german in ("Haushalte", "Einsparpotenzial", "Verbrauch", "Prognose"):
        assert german not in _visible_text(en), german


def test_every_seed_source_a_report_or_the_electrify_page_shows_has_german():
    from advisor import assessment
    from advisor.measures import measure_catalog
    from advisor.seeds import load_seeds

    seeds = load_seeds()
    keys = [*assessment.BASE_ASSUMPTIONS, *assessment.TARIFF_ASSUMPTIONS, *assessment.PV_ASSUMPTIONS]
    keys += [k for k in seeds.values if k.startswith("electrify.")]
    sources = {seeds.values[k].source for k in keys if k in seeds.values}
    sources |= {m.source for m in measure_catalog(seeds).values()}
    english = sorted(s for s in sources if texts.source_text(s, "de") == s)
    assert english == [], english[:3]


def test_turkish_report_words_are_turkish_and_measures_follow():
    """The full Turkish report: no report word falls back; the measures' own texts are Turkish too."""
    from advisor.household import Household
    from advisor.report import render_report

    a = _demo_assessment(
        2, Household(persons=2, dwelling="apartment", language="tr"), language="tr", parts=("recommendations",)
    )
    with texts.record_fallbacks() as seen:
        html = render_report(a, "tr", variant="report", charts=True)
    assert 'lang="tr"' in html and texts.render("report.title", "tr") in html
    assert {c for c, _, _ in seen if c.startswith(("report.", "letter.", "measures."))} == set()
    import html as h

    for r in a.recommendations:
        assert r.title("tr") in h.unescape(html) and r.title("de") not in h.unescape(html)


def test_household_language_tr_is_accepted_everywhere():
    from advisor.assessment import AssessmentSettings
    from advisor.household import Household
    from advisor.seeds import load_seeds

    assert Household(language="tr").language == "tr"
    assert AssessmentSettings(seeds=load_seeds(), language="tr").language == "tr"
    with pytest.raises(Exception, match="de, en, tr"):
        Household(language="fr")


@pytest.mark.parametrize("lang, word", [("de", "Personen-Haushalte"), ("en", "person households"), ("tr", "kişilik")])
def test_peer_group_label_in_the_letter_language(lang, word):
    from advisor.batch.process import PeerGroup

    g = PeerGroup(persons=2, dwelling="apartment", n_households=25, annual_kwh_sorted=tuple(range(1000, 3500, 100)))
    assert word in g.describe(lang) and "2" in g.describe(lang)


# ---------------------------------------------------------------------------- issue 13: importer refusals as codes
#: ``LoadCurveError`` raises that may keep an English text: programming errors only (Python code passed
#: a wrong type; no meter file can cause them, so no household reads them).
_PROGRAMMING_ERRORS = {
    ("loadcurve.py", "`energy_kwh` must be a pandas Series"),
    ("loadcurve.py", "the index must be a DatetimeIndex of interval starts; got "),
    ("loadcurve.py", "expected a LoadCurve; got "),
    ("loadcurve.py", "LoadCurve index must be a tz-aware DatetimeIndex"),
    ("loadcurve.py", "LoadCurve data must have columns `energy_kwh` and `quality`"),
    ("weather.py", "`stamp` must be one of "),  # ingest/weather.py: arguments of the readers, not file content
    ("weather.py", "`region` must be 1..15; got "),
}


#: Refusals a file can cause: meter, temperature and price files, and the weather files (DWD TRY/CDC, PVGIS).
_REFUSALS = ("LoadCurveError", "TemperatureError", "TariffError", "WeatherError")


def _literal_text(node) -> str | None:
    """The text of a string literal / f-string (its constant parts), else None."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):  # "a" + f"b"
        left, right = _literal_text(node.left), _literal_text(node.right)
        return None if left is None and right is None else (left or "") + (right or "")
    return None


def _importer_sources():
    files = sorted((REPO / "advisor" / "ingest").glob("*.py"))
    return files + [REPO / "advisor" / "loadcurve.py", REPO / "advisor" / "errors.py"]


def test_no_english_only_refusal_left_in_the_importer():
    """Every ``LoadCurveError`` (and temperature/price-file refusal) a file can cause says a code
    (German on a German page); a plain ``raise LoadCurveError("...")`` / f-string fails here unless it
    is a listed programming error."""
    import ast

    plain, allowed_seen = [], set()
    for path in _importer_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in _REFUSALS and node.args):
                continue
            text = _literal_text(node.args[0])
            if text is None:
                continue
            key = next((k for k in _PROGRAMMING_ERRORS if k[0] == path.name and text.startswith(k[1])), None)
            if key:
                allowed_seen.add(key)
            else:
                plain.append(f"{path.name}:{node.lineno}: {text[:60]}")
    assert plain == [], plain
    assert allowed_seen == _PROGRAMMING_ERRORS  # the allow-list holds nothing stale


def test_no_english_only_reader_note_left():
    """Reader warnings and conversion notes (``warn.append(...)``, ``notes.append(...)``,
    ``conversions=(...)``) are codes too: a string literal appended to them fails here."""
    import ast

    plain = []
    for path in _importer_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("append", "insert")
            ):
                target = ast.unparse(node.func.value).lower()
                if any(w in target for w in ("warn", "note", "conversion", "hint")):
                    plain += [f"{path.name}:{node.lineno}" for a in node.args if _literal_text(a)]
            if isinstance(node, ast.keyword) and node.arg in ("warnings", "conversions"):
                elts = node.value.elts if isinstance(node.value, (ast.Tuple, ast.List)) else [node.value]
                plain += [f"{path.name}:{e.lineno}" for e in elts if _literal_text(e)]
                for e in elts:  # meta.conversions + ("text",)
                    if isinstance(e, ast.BinOp) and isinstance(e.right, (ast.Tuple, ast.List)):
                        plain += [f"{path.name}:{x.lineno}" for x in e.right.elts if _literal_text(x)]
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.right, ast.Tuple)
                and "conversions" in ast.unparse(node.left)
            ):
                plain += [f"{path.name}:{x.lineno}" for x in node.right.elts if _literal_text(x)]
    assert plain == [], plain


def test_every_literal_importer_code_has_german_english_and_turkish():
    """``Message("ingest.…")`` codes written in the readers exist in every catalogue (a typo would
    show the bare code on the page)."""
    import ast

    used = set()
    for path in _importer_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message" and node.args:
                code = node.args[0]
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    used.add(code.value)
                elif isinstance(code, ast.IfExp):
                    used |= {c.value for c in (code.body, code.orelse) if isinstance(c, ast.Constant)}
    assert len(used) > 250, len(used)
    for lang in ("de", "en", "tr"):
        missing = sorted(c for c in used if c not in texts.codes(lang))
        assert missing == [], (lang, missing[:8])


@pytest.mark.parametrize("lang", ["de", "en", "tr"])
def test_a_share_between_0_and_1_never_reads_as_0_or_100_percent(lang):
    from advisor.formatting import formatter

    f = formatter(lang)
    assert "100" not in f.percent(0.99989) and f.percent(0.99989).startswith(">")
    assert f.percent(0.00011, 1).startswith("<") and "0,1" in f.percent(0.00011, 1).replace(".", ",")
    assert f.percent(1.0) == f.percent(1.0 - 0.0) and "100" in f.percent(1.0)
    assert "<" not in f.percent(0.0) and ">" not in f.percent(1.0)
    assert f.percent(0.355, 1).replace(".", ",").count("35,5") == 1


def test_london_year_reads_in_its_own_time_zone_and_with_honest_completeness():
    """A London household's 2013 (two half-hour gaps) ends on 31.12.2013 in its own time zone, and
    'complete' does not say 100 % next to missing values."""
    import pandas as pd

    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.household import Household
    from advisor.report import render_report
    from advisor.seeds import load_seeds
    from tests.conftest import london_curve, shared_path

    data = pd.read_parquet(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"))
    curve = london_curve(data, "MAC000003")
    a = assess_household(curve, Household(persons=2), AssessmentSettings(seeds=load_seeds(), parts=()))
    text = _visible_text(render_report(a, "de", charts=False))
    assert "01.01.2013 – 31.12.2013" in text
    assert "Vollständigkeit 100 %" not in text and "Vollständigkeit > 99 %" in text
    assert "hochgerechnet" not in text  # a measured year with two filled half-hours is not extrapolated


def test_german_reports_of_real_households_read_clean():
    """A population check, not one hand-picked case: the German reports of 8 real London years have
    no English word outside the cited sources, no raw value (nan/None/{…}), no kWh with two
    decimals, no exclusive period end and no word falling back to another language."""
    import pandas as pd

    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.household import Household
    from advisor.report import render_report
    from advisor.seeds import load_seeds
    from tests.conftest import london_curve, shared_path

    data = pd.read_parquet(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"))
    seeds = load_seeds()
    bad = {
        "english": r"\b(the|and|with|per year|household|measured|estimate|not computed)\b",
        "raw": r"\bnan\b|\bNone\b|\binf\b|[{}]",
        "two-decimal kWh": r"\d,\d\d kWh(?! je)",
        "exclusive end": r"– 01\.01\.2014",
    }
    found = []
    for i, lclid in enumerate(data["lclid"].unique()[::7][:8]):
        curve = london_curve(data, lclid)
        hh = Household(persons=1 + i % 4, dwelling=("apartment", "house")[i % 2], tenure="owner")
        a = assess_household(curve, hh, AssessmentSettings(seeds=seeds))
        with texts.record_fallbacks() as seen:
            text = _visible_text(render_report(a, "de", charts=False), sources=False)
        found += [(lclid, "fallback", c) for c, _, _ in seen]
        for name, rx in bad.items():
            found += [(lclid, name, text[max(0, m.start() - 60) : m.end() + 30]) for m in re.finditer(rx, text)]
    assert found == []


def test_conditional_measures_are_marked_where_they_are_ranked_after_the_others():
    """Measures that depend on missing answers rank after the others (measures.py); the report and the
    letter say so at the measure, so 'sorted by savings' is not contradicted by the order."""
    from advisor.household import Household
    from advisor.report import render_report

    a = _demo_assessment(3, Household(persons=3, dwelling="house"))
    cond = [r for r in a.recommendations if r.conditional]
    assert cond and all(not r.conditional for r in a.recommendations[: len(a.recommendations) - len(cond)])
    mark = texts.render("report.conditional_mark", "de")
    for variant in ("report", "letter"):
        text = _visible_text(render_report(a, "de", variant=variant, charts=False))
        shown = [r for r in (a.recommendations if variant == "report" else a.recommendations[:3])]
        for r in shown:
            assert (f"{r.title('de')} ({mark})" in text) == r.conditional, (variant, r.measure_id)
