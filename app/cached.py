"""The app's one door to ``advisor``: cached calls and the few session-state keys.

Pages never import ``advisor`` themselves; they call the functions here and render.

Caching and privacy
-------------------
``st.cache_data`` is shared by **all** sessions of the server. Every cached function therefore
takes the household's ``data_key`` first: ``"upload:<sha256 of the file bytes>"``,
``"estimate:<sha256 of the entered figures>"`` or ``"demo:<version>"``, plus the parameters that
change the result. The household's curve itself is passed as an underscore argument (not hashed):
only a session that holds exactly the same bytes can ever hit the same entry, and it would compute
the same result anyway. Entries are kept in memory only (never persisted), at most
``MAX_ENTRIES`` per function and ``TTL_S`` seconds; the delete button of the report page clears a
household's entries at once (:func:`forget_household`).

Session state (per browser tab)
-------------------------------
``lang``        ``"de"`` or ``"en"`` (the sidebar switch).
``hh``          :class:`HouseholdData`: the current curve, where it came from and its data key.
``household``   :class:`advisor.household.Household`: the answers to the household questions.
``_cache_keys`` list of ``(function name, args)`` cached for this household (for deletion).
``upload_meters`` ``(data key of the file, file name, curves)`` of the last upload (meter picker).
``prices``      :class:`PriceData` of an uploaded day-ahead price file (dynamic-tariff comparison).

Day-ahead prices
----------------
The dynamic-tariff comparison needs hourly day-ahead prices. A household may upload a SMARD
export (:func:`use_price_upload`); an operator may set ``ADVISOR_PRICES_FILE`` (or the CLI's
``ADVISOR_PRICES``) to a local price file that every session uses unless it uploads its own.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from advisor.errors import AdvisorError, LoadCurveError
from advisor.formatting import LANGUAGES
from advisor.household import Household
from advisor.loadcurve import LoadCurve
from advisor.settings import HouseholdSettings, operator_prices_path, prepared_curve, resolve_settings
from advisor.texts import Message

TTL_S = 3600
MAX_ENTRIES = 16
DEMO_KEY = "demo:v1"
#: Environment variables naming an operator's local day-ahead price file (first one set wins).
#: Fewest hourly prices accepted (one week): fewer cannot stand for a year of prices.
MIN_PRICE_HOURS = 7 * 24


def error_text(exc: BaseException) -> str:
    """What a refusal says, kept as its Message (rendered per language by the page with
    :func:`advisor.texts.localize`): ``LoadCurveError.message`` with its where-prefix, else the
    error's first argument (a :class:`TariffError` carries a Message), else ``str(exc)``."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    if exc.args and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


# ---------------------------------------------------------------------- session state
@dataclass(frozen=True)
class HouseholdData:
    """The load curve the app currently works on.

    Attributes
    ----------
    data_key
        Cache key of this household's data (see module docstring).
    source
        ``"demo"``, ``"upload"`` or ``"estimate"``.
    label
        File name of an upload, or a short description.
    curve
        The load curve (energy per interval [kWh]).
    """

    data_key: str
    source: str
    label: str
    curve: LoadCurve = field(repr=False)

    @property
    def is_synthetic(self) -> bool:
        return self.source == "demo"

    @property
    def is_estimated(self) -> bool:
        return self.source == "estimate" or self.curve.is_estimated


def available(module: str) -> bool:
    """True when ``advisor.<module>`` exists (core modules land one by one)."""
    try:
        return importlib.util.find_spec(f"advisor.{module}") is not None
    except ModuleNotFoundError:
        return False


def language() -> str:
    """The session's language (``de`` unless switched)."""
    lang = st.session_state.get("lang", "de")
    return lang if lang in LANGUAGES else "de"


def current() -> HouseholdData:
    """The session's household data; the synthetic demo household until something else is chosen."""
    hh = st.session_state.get("hh")
    if hh is None:
        hh = HouseholdData(DEMO_KEY, "demo", "demo", demo_curve())
        st.session_state["hh"] = hh
    return hh


def household() -> Household:
    """The session's household answers (unknown fields None); the demo's answers for the demo."""
    h = st.session_state.get("household")
    if h is None:
        h = demo_answers() if current().is_synthetic else Household()
        st.session_state["household"] = h
    return h


def set_household(answers: Household) -> None:
    st.session_state["household"] = answers


def household_from_answers(answers: dict[str, Any], previous: Household | None = None) -> Household:
    """Build a :class:`Household` from the form's answers (price entered in ct/kWh).

    Coordinates are kept from ``previous`` while the postal code stays the same.

    Raises
    ------
    AdvisorError
        An answer is out of range.
    """
    mapping = dict(answers)
    price_ct = mapping.pop("price_ct_per_kwh", None)
    mapping["price_eur_per_kwh"] = None if price_ct is None else price_ct / 100.0
    if previous is not None and previous.has_location and previous.postal_code == mapping.get("postal_code"):
        mapping["latitude"], mapping["longitude"] = previous.latitude, previous.longitude
    return Household.from_mapping(mapping)


def price_ct(h: Household) -> float | None:
    """The household's own price in ct/kWh for the form (None if not given)."""
    return None if h.price_eur_per_kwh is None else round(h.price_eur_per_kwh * 100.0, 2)


def quality(hh: HouseholdData, h: Household) -> tuple[float, bool]:
    """Data-quality score 0..1 and whether it is the analysis' full score (else: coverage)."""
    if available("analysis"):
        try:
            return float(analysis(hh, h).data_quality.score), True
        except Exception:  # noqa: BLE001 - fall back to the plain coverage
            pass
    return hh.curve.coverage, False


def demo_answers() -> Household:
    """The demo household's answers: a 3-person house in Herne (what ``demo_household`` models)."""
    return Household(
        persons=3,
        dwelling="house",
        tenure="owner",
        hot_water="other",
        heating="other",
        ev=False,
        postal_code="44623",
        balcony=False,
    )


def _set_data(hh: HouseholdData) -> None:
    old = st.session_state.get("hh")
    if old is not None and old.data_key != hh.data_key:
        _forget_cache()
        for key in [k for k in st.session_state if str(k).startswith("q_")]:
            del st.session_state[key]  # the form shows the new household's answers
    st.session_state["hh"] = hh


def use_demo() -> HouseholdData:
    hh = HouseholdData(DEMO_KEY, "demo", "demo", demo_curve())
    _set_data(hh)
    st.session_state["household"] = demo_answers()
    return hh


def use_upload(raw: bytes, name: str) -> HouseholdData:
    """Read an uploaded meter file (bytes) and make its (first) consumption curve the session's
    household; a file with several consumption curves offers them in :func:`upload_meters`.

    Raises
    ------
    LoadCurveError
        The importer refused the file (the message says what and where).
    """
    sha = hashlib.sha256(raw).hexdigest()
    key = f"upload:{sha}"
    hh = st.session_state.get("hh")
    if hh is not None and hh.data_key.split("#")[0] == key:
        return hh
    curves = read_upload(key, name, _raw=raw)
    st.session_state["upload_meters"] = (key, name, curves)
    st.session_state.pop("meter_pick", None)
    new = _use_meter(0)
    _remember("read_upload", (key, name))
    return new


def upload_meters() -> tuple[LoadCurve, ...]:
    """The consumption curves of the current upload (more than one: the user picks a meter)."""
    hh = st.session_state.get("hh")
    meters = st.session_state.get("upload_meters")
    if hh is None or meters is None or hh.data_key.split("#")[0] != meters[0]:
        return ()
    return meters[2]


def meter_index() -> int:
    """Index of the current upload's curve among :func:`upload_meters` (0 for a single curve)."""
    key = current().data_key
    return int(key.split("#")[1]) if "#" in key else 0


def choose_meter(index: int) -> HouseholdData:
    """Make curve ``index`` of the current multi-meter upload the session's household."""
    if index == meter_index():
        return current()
    return _use_meter(index)


def _use_meter(index: int) -> HouseholdData:
    key, name, curves = st.session_state["upload_meters"]
    old = st.session_state.get("hh")
    data_key = key if len(curves) == 1 else f"{key}#{index}"
    new = HouseholdData(data_key, "upload", name, curves[index])
    _set_data(new)
    _remember("read_upload", (key, name))  # the file's entry stays tied to this household
    if st.session_state.get("household") is not None and old_was_demo(old):
        st.session_state["household"] = Household()
    return new


def old_was_demo(hh: HouseholdData | None) -> bool:
    return hh is not None and hh.is_synthetic


def use_estimate(kind: str, params: dict[str, Any]) -> HouseholdData:
    """Make an estimated curve (annual consumption or meter readings) the session's household."""
    canon = json.dumps({"kind": kind, **params}, sort_keys=True, default=str)
    key = "estimate:" + hashlib.sha256(canon.encode()).hexdigest()
    curve = estimate_curve(key, canon)
    _remember("estimate_curve", (key, canon))
    label = kind
    old = st.session_state.get("hh")
    new = HouseholdData(key, "estimate", label, curve)
    _set_data(new)
    if old_was_demo(old):
        st.session_state["household"] = Household()
    return new


def _forget_cache() -> None:
    for fname, args in st.session_state.get("_cache_keys", []):
        func = _CACHED.get(fname)
        if func is not None:
            try:
                func.clear(*args)
            except Exception:  # noqa: BLE001 - clearing must never break the page
                func.clear()
    st.session_state["_cache_keys"] = []


def forget_household() -> None:
    """Delete everything of this session's household now: its cache entries and session keys.

    The session falls back to the synthetic demo household on the next run.
    """
    _forget_cache()
    for key in list(st.session_state):
        if key in (
            "hh",
            "household",
            "_cache_keys",
            "upload_seen",
            "upload",
            "upload_meters",
            "meter_pick",
            "prices",
            "price_upload",
            "price_seen",
        ) or str(key).startswith(("q_", "reading_", "annual_")):
            del st.session_state[key]


def _remember(fname: str, args: tuple) -> None:
    if args and str(args[0]).startswith(DEMO_KEY):
        return
    keys = st.session_state.setdefault("_cache_keys", [])
    if (fname, args) not in keys:
        keys.append((fname, args))


def peer_group(h: Household, t) -> str:
    """The Stromspiegel comparison group in words, e.g. "3 Personen, Haus, ohne elektrisches Warmwasser"."""
    parts = []
    if h.persons is not None:
        parts.append(
            t("group.person")
            if h.persons == 1
            else t("group.persons", n=f"{min(h.persons, 5)}{'+' if h.persons >= 5 else ''}")
        )
    if h.dwelling is not None:
        parts.append(t(f"q.dwelling.{h.dwelling}"))
    parts.append(t("group.hot_water.electric" if h.hot_water == "electric" else "group.hot_water.other"))
    return ", ".join(parts)


def household_key(h: Household) -> str:
    """Stable text of the answers (a hashable cache-key part)."""
    return json.dumps(h.to_mapping(), sort_keys=True, default=str)


# ---------------------------------------------------------------------- layout
class _MetricRow:
    """Metrics side by side that take the width of their content and wrap on narrow screens."""

    def __init__(self) -> None:
        self._row = st.container(horizontal=True, gap="medium", wrap=True)

    def metric(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("width", "content")
        return self._row.metric(*args, **kwargs)


def metric_row(n: int) -> list[_MetricRow]:
    """``n`` handles on one wrapping row of metrics (used like ``st.columns(n)``)."""
    row = _MetricRow()
    return [row] * n


def origin_note(hh: HouseholdData, t) -> None:
    """Say plainly when the data shown are synthetic (demo) or estimated (no smart meter)."""
    if hh.is_synthetic:
        st.info(t("common.synthetic_note"), icon=":material/info:")
    elif hh.is_estimated:
        st.info(t("common.estimated_note"), icon=":material/info:")


def quality_caption(hh: HouseholdData, h: Household, t, lang: str) -> None:
    """One line on the data behind the page: how complete (with the reason) and how long."""
    import formatting as fmt

    from advisor.texts import localize

    try:
        dq = analysis(hh, h).data_quality
    except Exception:  # noqa: BLE001 - fall back to the plain coverage
        st.caption(t("common.coverage_line", score=fmt.percent(hh.curve.coverage, 0, lang)))
        return
    st.caption(
        t(
            "common.data_line",
            completeness=fmt.percent(dq.completeness, 0, lang),
            reason=localize(dq.completeness_reason, lang),
            length=localize(dq.length_reason, lang),
        )
    )


# ---------------------------------------------------------------------- calling what has landed
class NotYetAvailable(Exception):
    """A core capability (module or model artifact) has not landed in this installation."""


LOG = logging.getLogger("advisor.app")


def attempt(func, *args, **kwargs) -> tuple[Any, str]:
    """Call ``func``; return ``(result, "ok")``, ``(None, "missing")`` when a part is not available
    in this installation (no model), or ``(None, "failed")`` when the core refused these data
    (an :class:`~advisor.errors.AdvisorError`, logged as a warning) or broke (any other
    exception: logged with its traceback on the server, never shown to the household)."""
    try:
        return func(*args, **kwargs), "ok"
    except NotYetAvailable as exc:
        LOG.info("%s not available: %s", getattr(func, "__name__", func), exc)
        return None, "missing"
    except AdvisorError as exc:
        LOG.warning("%s refused: %s", getattr(func, "__name__", func), exc)
        return None, "failed"
    except Exception:  # noqa: BLE001 - the page shows a friendly note, never a traceback
        LOG.exception("%s failed", getattr(func, "__name__", func))
        return None, "failed"


def note(status: str, what: str, t) -> None:
    """Show why a part of a page is missing (not yet available / could not be computed)."""
    if status == "missing":
        st.info(t("common.not_available", what=what), icon=":material/construction:")
    elif status == "failed":
        st.warning(t("common.failed", what=what, hint=t("common.failed_hint")), icon=":material/warning:")


# ---------------------------------------------------------------------- shared resources
@st.cache_resource(show_spinner=False)
def seeds():
    """The reference data from ``seeds/`` (read-only, shared)."""
    from advisor.seeds import load_seeds

    return load_seeds()


@st.cache_resource(show_spinner=False, ttl=600)
def forecaster():
    """The default LightGBM forecaster from ``models/`` (read-only, shared), or None if absent."""
    from advisor import forecast as fc

    try:
        return fc.load_forecaster(fc.default_model_dir())
    except (AdvisorError, FileNotFoundError, OSError):
        return None


# ---------------------------------------------------------------------- day-ahead prices
@dataclass(frozen=True)
class PriceData:
    """Day-ahead prices the dynamic-tariff comparison uses.

    Attributes
    ----------
    price_key
        Cache-key part: ``"prices:<sha256 of the file bytes>"``.
    label
        File name (an upload's name is shown inert, never as Markdown).
    origin
        ``"upload"`` (this session's file) or ``"operator"`` (``ADVISOR_PRICES_FILE``).
    prices
        :class:`advisor.tariffs.DayAheadPrices` (hourly [EUR/kWh], UTC index).
    """

    price_key: str
    label: str
    origin: str
    prices: Any = field(repr=False)

    @property
    def first(self) -> pd.Timestamp:
        return self.prices.price_eur_per_kwh.index[0].tz_convert("Europe/Berlin")

    @property
    def last(self) -> pd.Timestamp:
        return self.prices.price_eur_per_kwh.index[-1].tz_convert("Europe/Berlin")

    @property
    def n_hours(self) -> int:
        return int(len(self.prices.price_eur_per_kwh))


def _safe_name(name: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in str(name))
    return kept.strip()[:80] or "prices.csv"


def parse_price_bytes(raw: bytes, name: str):
    """Read a day-ahead price file (SMARD "Großhandelspreise" export or our canonical CSV) with
    the core's reader :func:`advisor.tariffs.read_day_ahead_prices`.

    The bytes are parsed in memory; nothing is written to disk.

    Raises
    ------
    advisor.tariffs.TariffError
        Empty, binary or unreadable file, or fewer than :data:`MIN_PRICE_HOURS` prices.
    """
    from advisor.ingest.prices import read_day_ahead_prices
    from advisor.tariffs import TariffError

    if not raw.strip():
        raise TariffError(Message("ingest.prices.file_empty"))
    if b"\x00" in raw[:4096]:
        raise TariffError(Message("ingest.prices.binary"))
    try:
        prices = read_day_ahead_prices(raw, name=_safe_name(name))
    except TariffError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever pandas says, it is the user's file
        raise TariffError(Message("ingest.prices.unreadable", error=type(exc).__name__)) from None
    n = len(prices.price_eur_per_kwh)
    if n < MIN_PRICE_HOURS:
        raise TariffError(Message("ingest.prices.too_few", n=n, min=MIN_PRICE_HOURS))
    source = prices.source.split("; file ")[0]
    return dataclasses.replace(prices, source=f"{source}; file {_safe_name(name)}")


@st.cache_data(show_spinner=False, max_entries=4, ttl=TTL_S)
def read_prices(price_key: str, name: str, _raw: bytes):
    """An uploaded price file, parsed (key: sha256 of the bytes)."""
    return parse_price_bytes(_raw, name)


def use_price_upload(raw: bytes, name: str) -> PriceData:
    """Make an uploaded day-ahead price file this session's prices.

    Raises
    ------
    advisor.tariffs.TariffError
        The file is not a usable price table (the message says why).
    """
    key = "prices:" + hashlib.sha256(raw).hexdigest()
    old = st.session_state.get("prices")
    if old is not None and old.price_key == key:
        return old
    data = PriceData(key, name, "upload", read_prices(key, name, _raw=raw))
    st.session_state["prices"] = data
    return data


def forget_price_upload() -> None:
    st.session_state.pop("prices", None)


@st.cache_resource(show_spinner=False, ttl=600, max_entries=2)
def _operator_prices(path: str, mtime_ns: int, size: int) -> PriceData:
    raw = Path(path).read_bytes()
    key = "prices:" + hashlib.sha256(raw).hexdigest()
    return PriceData(key, Path(path).name, "operator", parse_price_bytes(raw, Path(path).name))


def operator_prices() -> tuple[PriceData | None, str | None]:
    """The operator's prices for every session, and why they are missing if a file is configured
    but unusable (``(None, None)``: none configured)."""
    path = operator_prices_path()
    if path is None:
        return None, None
    try:
        stat = path.stat()
        return _operator_prices(str(path), stat.st_mtime_ns, stat.st_size), None
    except OSError as exc:
        return None, f"{type(exc).__name__}: {exc.strerror or exc}"
    except AdvisorError as exc:
        return None, error_text(exc)


def prices_in_use() -> PriceData | None:
    """This session's uploaded prices, else the operator's, else None (no dynamic tariff)."""
    own = st.session_state.get("prices")
    if own is not None:
        return own
    return operator_prices()[0]


# ---------------------------------------------------------------------- per-household data
@st.cache_data(show_spinner=False, max_entries=4)
def demo_curve() -> LoadCurve:
    """The synthetic demo household's curve (not measured data)."""
    from advisor.synthetic import demo_household

    return demo_household().curve


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def read_upload(data_key: str, name: str, _raw: bytes) -> tuple[LoadCurve, ...]:
    """Read an uploaded meter file with the importer (key: sha256 of the bytes).

    Returns its consumption (import) curves, or all curves when it holds no consumption curve.
    """
    from advisor.ingest import consumption_curves, read_load_curves

    curves = read_load_curves(_raw, name=name)
    return tuple(consumption_curves(curves)) or tuple(curves)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def estimate_curve(data_key: str, canon: str) -> LoadCurve:
    """An estimated curve from an annual consumption or a few meter readings."""
    from advisor.ingest import estimated

    params = json.loads(canon)
    kind = params.pop("kind")
    if kind == "annual":
        return estimated.estimate_from_annual(params["annual_kwh"], year=int(params["year"]))
    return estimated.estimate_from_readings([(day, float(value)) for day, value in params["readings"]])


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def daily_kwh(data_key: str, _curve: LoadCurve):
    """Energy per local day [kWh] (NaN for days with missing intervals)."""
    from advisor.loadcurve import daily_energy_kwh

    return daily_energy_kwh(_curve, min_coverage=0.0)


def daily(hh: HouseholdData):
    _remember("daily_kwh", (hh.data_key,))
    return daily_kwh(hh.data_key, _curve=hh.curve)


def settings(hh: HouseholdData, h: Household) -> HouseholdSettings:
    """The household's one settings object (site, holiday region, prices, fees, PV defaults), as
    ``advisor recommend`` and the batch resolve it (:func:`advisor.settings.resolve_settings`)."""
    return resolve_settings(seeds(), h, curve=hh.curve)


def prepared(hh: HouseholdData, h: Household) -> LoadCurve:
    """The curve with the household's holiday region (from its postal code)."""
    return prepared_curve(hh.curve, settings(hh, h))


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _analysis(data_key: str, hh_key: str, _curve: LoadCurve, _household: Household, _settings: HouseholdSettings):
    from advisor.analysis import analyse

    site = _settings.site
    return analyse(_curve, _household, seeds=seeds(), site=(site.latitude, site.longitude), state=site.state)


def analysis(hh: HouseholdData, h: Household):
    """:class:`advisor.analysis.LoadAnalysis` of the household (cached on data key + answers)."""
    k = household_key(h)
    hs = settings(hh, h)
    _remember("_analysis", (hh.data_key, k))
    return _analysis(hh.data_key, k, _curve=prepared_curve(hh.curve, hs), _household=h, _settings=hs)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _figures(data_key: str, hh_key: str, _curve: LoadCurve, _settings: HouseholdSettings):
    from advisor.assessment import assessment_figures

    return assessment_figures(_curve, _settings)


def figures(hh: HouseholdData, h: Household):
    """:class:`advisor.assessment.AssessmentFigures`: annual kWh, site, holiday region, prices, bill and
    specific PV yield — the same object ``advisor recommend --json`` prints as ``assessment``."""
    k = household_key(h)
    hs = settings(hh, h)
    _remember("_figures", (hh.data_key, k))
    return _figures(hh.data_key, k, _curve=prepared_curve(hh.curve, hs), _settings=hs)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _annual_cost(data_key: str, hh_key: str, annual_kwh: float, _curve: LoadCurve, _settings: HouseholdSettings):
    from advisor.tariffs import Tariff, energy_cost

    return energy_cost(_curve, Tariff.fixed(_settings), annual_kwh=annual_kwh)


def annual_cost(hh: HouseholdData, h: Household):
    """:class:`advisor.tariffs.TariffCost` of the household's fixed tariff over a year (the annual
    figure of :func:`figures`)."""
    k = household_key(h)
    hs = settings(hh, h)
    kwh = figures(hh, h).annual_kwh
    _remember("_annual_cost", (hh.data_key, k, kwh))
    return _annual_cost(hh.data_key, k, kwh, _curve=prepared_curve(hh.curve, hs), _settings=hs)


def _model():
    model = forecaster()
    if model is None:
        raise NotYetAvailable("no default forecasting model in models/")
    return model


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _forecast(data_key: str, horizon: str, region: str, _curve: LoadCurve):
    from advisor.forecast import forecast

    return forecast(_curve, horizon, model=_model())


def forecast(hh: HouseholdData, horizon: str, h: Household | None = None):
    """Forecast frame ``p10, p50, p90`` for ``horizon`` (``"24h"``, ``"7d"``, ``"12mo"``), on the
    curve with the household's holiday region."""
    region = settings(hh, h).holiday_region if h is not None else hh.curve.meta.holiday_region
    _remember("_forecast", (hh.data_key, horizon, region))
    curve = hh.curve if region == hh.curve.meta.holiday_region else hh.curve.with_meta(holiday_region=region)
    return _forecast(hh.data_key, horizon, region, _curve=curve)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _projection(
    data_key: str,
    price_eur_per_kwh: float,
    fixed_fees_eur_per_year: float,
    yoy: float | None,
    site: tuple[float, float] | None = None,
    *,
    _curve: LoadCurve,
):
    from advisor.forecast import annual_projection

    return annual_projection(
        _curve, price_eur_per_kwh, fixed_fees_eur_per_year, model=_model(), yoy_log_sd=yoy, site=site
    )


def projection(hh: HouseholdData, h: Household):
    """:class:`advisor.forecast.AnnualProjection`: next 12 months, bill (work price, base and meter
    fee from the household's settings) and suggested Abschlag."""
    hs = settings(hh, h)
    price, fees = hs.work_price_eur_per_kwh, hs.fixed_fees_eur_per_year
    site = (hs.site.latitude, hs.site.longitude)
    _remember("_projection", (hh.data_key, price, fees, hs.forecast_yoy_log_sd, site))
    return _projection(hh.data_key, price, fees, hs.forecast_yoy_log_sd, site, _curve=prepared_curve(hh.curve, hs))


def recent(hh: HouseholdData, days: int = 7):
    """The last ``days`` local days of the curve (energy per interval [kWh]) for context in charts."""
    e = hh.curve.data["energy_kwh"]
    return e[e.index >= hh.curve.end - pd.Timedelta(days=days)]


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _assessment(data_key: str, hh_key: str, price_key: str, _curve: LoadCurve, _household: Household, _prices):
    from advisor.assessment import AssessmentSettings, assess_household

    return assess_household(_curve, _household, AssessmentSettings(seeds=seeds(), prices=_prices))


def _price_key() -> tuple[str, Any]:
    p = prices_in_use()
    return ("", None) if p is None else (p.price_key, p.prices)


def assessment(hh: HouseholdData, h: Household):
    """The shared household assessment (analysis, forecast, PV, tariffs, ranked recommendations),
    with the dynamic-tariff comparison when prices are in use (:func:`prices_in_use`)."""
    k = household_key(h)
    pk, prices = _price_key()
    _remember("_assessment", (hh.data_key, k, pk))
    return _assessment(hh.data_key, k, pk, _curve=hh.curve, _household=h, _prices=prices)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _report_html(data_key: str, hh_key: str, price_key: str, lang: str, _assessment_obj) -> str:
    from advisor.report import render_report

    return render_report(_assessment_obj, lang)


def report_html(hh: HouseholdData, h: Household, lang: str) -> str:
    """The household report as one HTML document (the shared renderer, same as batch)."""
    k = household_key(h)
    pk, _ = _price_key()
    _remember("_report_html", (hh.data_key, k, pk, lang))
    return _report_html(hh.data_key, k, pk, lang, _assessment_obj=assessment(hh, h))


@st.cache_data(show_spinner=False, max_entries=4, ttl=TTL_S)
def _report_pdf(data_key: str, hh_key: str, price_key: str, lang: str, _html: str) -> bytes:
    from advisor.report import html_to_pdf

    return html_to_pdf(_html)


def report_pdf(hh: HouseholdData, h: Household, lang: str) -> bytes:
    """The report as PDF (WeasyPrint, inline resources only)."""
    k = household_key(h)
    pk, _ = _price_key()
    _remember("_report_pdf", (hh.data_key, k, pk, lang))
    return _report_pdf(hh.data_key, k, pk, lang, _html=report_html(hh, h, lang))


# ---------------------------------------------------------------------- PV on the household's curve
def region_name(region: str) -> str:
    """A holiday region in words: the Land's name for ``DE-xx`` (``Bayern``), else the code."""
    from advisor.location import STATES

    return STATES.get(region, region)


def location(h: Household) -> tuple[float, float, str]:
    """Coordinates for PV and how they were found: ``coordinates``, ``postal_code`` or
    ``stadtwerk_default`` (the Stadtwerk's default site, said so on the page)."""
    site = resolve_settings(seeds(), h).site
    return site.latitude, site.longitude, site.source


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _pv_inputs(data_key: str, lat: float, lon: float, ghi: float, _curve: LoadCurve):
    from advisor import pv as pvm
    from advisor import weather

    year_load = pvm.complete_year(_curve)
    wx = weather.typical_weather(lat, lon, year_load.energy_kwh.index, scaled=True, germany_ghi_kwh_per_m2=ghi)
    return year_load, wx


def _spec(params: dict[str, Any]):
    from advisor import pv as pvm

    if params["kind"] == "balcony":
        return pvm.BalconySpec(
            module_wp=float(params["module_wp"]),
            inverter_va=float(seeds().value("pv.balcony_max_inverter_va")),
            tilt_deg=float(params["tilt_deg"]),
            azimuth_deg=float(params["azimuth_deg"]),
            east_west=bool(params["east_west"]),
        ).to_system()
    if params["east_west"]:
        return pvm.PVSystemSpec.east_west(float(params["kwp"]), tilt_deg=float(params["tilt_deg"]))
    return pvm.PVSystemSpec.single(
        float(params["kwp"]), tilt_deg=float(params["tilt_deg"]), azimuth_deg=float(params["azimuth_deg"])
    )


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _pv(data_key: str, hh_key: str, canon: str, _curve: LoadCurve, _household: Household):
    from advisor import economics as ec
    from advisor import pv as pvm
    from advisor.pv_options import pv_options

    params = json.loads(canon)
    hs = resolve_settings(seeds(), _household, curve=_curve)
    lat, lon = hs.site.latitude, hs.site.longitude
    year_load, wx = _pv_inputs(data_key, lat, lon, hs.germany_ghi_kwh_per_m2, _curve=_curve)
    settings = ec.EconomicsSettings.from_seeds(
        seeds(), household=_household, price_eur_per_kwh=hs.work_price_eur_per_kwh
    )
    defaults = hs.pv
    spec = _spec(params)
    balcony = params["kind"] == "balcony"
    if balcony:  # the balcony sweep in the chosen orientation
        defaults = dataclasses.replace(
            defaults,
            balcony_tilt_deg=float(params["tilt_deg"]),
            balcony_azimuth_deg=float(params["azimuth_deg"]),
            balcony_east_west=bool(params["east_west"]),
        )
    # the one PV orchestration: the chosen configuration plus the sweep on the same orientation
    # (rooftop: kWp x {none, chosen battery or 5 kWh}; balcony: module power with the chosen battery)
    found = pv_options(
        year_load,
        latitude=lat,
        longitude=lon,
        economics=settings,
        defaults=defaults,
        household=_household,
        roof=not balcony,
        balcony=balcony,
        line_battery_kwh=float(params["battery_kwh"]) or 5.0,
        balcony_battery_kwh=float(params["battery_kwh"]) if balcony else 0.0,
        chosen=spec,
        chosen_battery_kwh=float(params["battery_kwh"]),
        weather=wx,
    )
    notes: list[str] = []
    if balcony:
        notes = pvm.balcony_compliance(pvm.BalconySpec(module_wp=float(params["module_wp"])), seeds())
    if balcony:
        rows = [{**found.row(o), "size": o.peak_kw, "battery_kwh": o.battery_kwh} for o in found.balcony]
    else:
        rows = [{**found.row(o), "size": o.peak_kw} for o in found.sweep]
    sweep = pd.DataFrame(rows).sort_values(["battery_kwh", "size"]).reset_index(drop=True)
    chosen = found.with_bias(found.chosen)  # to_row() carries the resolution-bias ranges
    return chosen, sweep, year_load.filled_share, year_load.method, tuple(notes)


def pv(hh: HouseholdData, h: Household, params: dict[str, Any]):
    """One PV (and battery) configuration on the household's own year and a sizing sweep.

    Returns ``(PVOption, sweep DataFrame, filled share of the year, how it was completed, notes)``.
    """
    k = household_key(h)
    canon = json.dumps(params, sort_keys=True)
    hs = settings(hh, h)
    _remember("_pv", (hh.data_key, k, canon))
    _remember("_pv_inputs", (hh.data_key, hs.site.latitude, hs.site.longitude, hs.germany_ghi_kwh_per_m2))
    return _pv(hh.data_key, k, canon, _curve=hh.curve, _household=h)


# ---------------------------------------------------------------------- electrification check
@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES, ttl=TTL_S)
def _electrify(
    data_key: str,
    hh_key: str,
    canon: str,
    price_key: str,
    _curve: LoadCurve,
    _household: Household,
    _settings: HouseholdSettings,
    _prices,
):
    import warnings

    from advisor import pv as pvm
    from advisor.electrify import (
        ElectrifyParameters,
        ElectrifyRequest,
        EVSpec,
        HeatSource,
        electrify,
        settings_arguments,
    )
    from advisor.tariffs import Tariff

    p = json.loads(canon)
    hs = _settings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the filled share is said in the result's notes
        year = pvm.complete_year(_curve, holiday_region=hs.holiday_region)
    heat = None
    if p["heat_pump"]:
        fuel = {"gas_kwh": float(p["amount"])} if p["fuel"] == "gas" else {"oil_litres": float(p["amount"])}
        heat = HeatSource(**fuel, dwelling=_household.dwelling or "house", hot_water=_household.hot_water != "electric")
    ev = None
    if p["ev"]:
        ev = EVSpec(
            float(p["km"]), wallbox_kw=float(p["wallbox_kw"]), smart=bool(p["smart"]), replaces=str(p["replaces"])
        )
    request = ElectrifyRequest(
        heat_pump=heat,
        ev=ev,
        design_flow_temp_c=float(p["flow_temp_c"]),
        owner_occupier=None if _household.tenure is None else _household.tenure == "owner",
        low_income=_household.low_income,
    )
    return electrify(
        year.energy_kwh,
        request,
        ElectrifyParameters.from_seeds(hs.seeds),
        interval_minutes=_curve.interval_minutes,
        **settings_arguments(hs),
        tz=_curve.meta.tz,
        dynamic_tariff=Tariff.dynamic(hs.seeds, _prices) if _prices is not None else None,
        has_heat_pump=_household.heating == "heat_pump",
        has_ev=bool(_household.ev),
        filled_share=year.filled_share,
    )


def measured_days(hh: HouseholdData) -> float:
    """Days of readings in the current curve (the electrification check needs at least 14)."""
    c = hh.curve
    return float(c.data["energy_kwh"].notna().sum()) * c.interval_minutes / 1440.0


def electrify(hh: HouseholdData, h: Household, params: dict[str, Any]):
    """:class:`advisor.electrify.ElectrificationResult` for the page's choices (``params``: heat_pump,
    fuel, amount, flow_temp_c, ev, km, wallbox_kw, smart, replaces), with the dynamic tariff when
    prices are in use."""
    k = household_key(h)
    canon = json.dumps(params, sort_keys=True)
    pk, prices = _price_key()
    hs = settings(hh, h)
    _remember("_electrify", (hh.data_key, k, canon, pk))
    return _electrify(
        hh.data_key, k, canon, pk, _curve=prepared_curve(hh.curve, hs), _household=h, _settings=hs, _prices=prices
    )


_CACHED = {
    "read_upload": read_upload,
    "estimate_curve": estimate_curve,
    "daily_kwh": daily_kwh,
    "_analysis": _analysis,
    "_figures": _figures,
    "_forecast": _forecast,
    "_projection": _projection,
    "_pv": _pv,
    "_pv_inputs": _pv_inputs,
    "_annual_cost": _annual_cost,
    "_assessment": _assessment,
    "_report_html": _report_html,
    "_report_pdf": _report_pdf,
    "_electrify": _electrify,
}

__all__ = [
    "AdvisorError",
    "error_text",
    "HouseholdData",
    "LoadCurveError",
    "analysis",
    "assessment",
    "available",
    "current",
    "forecast",
    "household",
]
