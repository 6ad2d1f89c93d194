"""The household report (and the Stadtwerk's letter) as HTML and PDF.

:func:`render_report` fills the Jinja2 templates in ``advisor/templates/report/`` (German and
English) from a :class:`~advisor.assessment.HouseholdAssessment`; charts are small static SVGs
(the month bars written by hand, the day profile with matplotlib's Agg backend) inlined as data
URIs, so neither a browser nor a network is needed. :func:`write_report` writes the HTML and a PDF made from the same HTML with WeasyPrint,
each atomically (temporary file, then rename).

German reports use German number and date formats (``1.234,5 kWh``, ``24.11.2026``). Every EUR
and kWh figure names its basis (measured, simulated, estimate) and the assumptions table lists
every seed value with its source and date.

The ``letter`` variant is what the batch sends: an address block, a mail-merge key, the
Stadtwerk's letterhead (:class:`Brand`) and an optional peer comparison.
"""

from __future__ import annotations

import base64
import io
import math
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from advisor import texts
from advisor.errors import AdvisorError
from advisor.formatting import formatter
from advisor.signatures import DEVICE_WITH, device_questions

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "report"
VARIANTS = ("report", "letter")
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LOGO_URI = re.compile(r"^data:image/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=\s]+$")


class ReportError(AdvisorError, ValueError):
    """A report cannot be rendered or written (bad branding, unknown variant …)."""


@dataclass(frozen=True)
class Brand:
    """The Stadtwerk's letterhead.

    Attributes
    ----------
    name
        Sender name shown in the header (``"Stadtwerke Herne AG"``).
    sender_lines
        Sender address lines (return address above the recipient).
    logo_data_uri
        Logo as ``data:image/png|jpeg|svg+xml;base64,…`` (no remote URLs: no network at run time).
    primary_color
        Accent colour ``#rrggbb``.
    footer_lines
        Footer text (contact, register, data-protection officer …).
    contact
        Phone/e-mail line for questions.
    """

    name: str = "Energie-Advisor"
    sender_lines: tuple[str, ...] = ()
    logo_data_uri: str | None = None
    primary_color: str = "#1f5f8b"
    footer_lines: tuple[str, ...] = ()
    contact: str | None = None

    def __post_init__(self) -> None:
        if not _HEX_COLOR.match(self.primary_color):
            raise ReportError(f"`primary_color` must be '#rrggbb'; got {self.primary_color!r}.")
        if self.logo_data_uri is not None and not _LOGO_URI.match(self.logo_data_uri):
            raise ReportError("`logo_data_uri` must be a base64 data URI of a PNG, JPEG or SVG image (no remote URLs).")


@dataclass(frozen=True)
class Address:
    """Recipient of a letter.

    Attributes
    ----------
    lines
        Address lines (name, street, postal code and town).
    key
        Mail-merge key (customer or pseudonymous household id) printed small on the letter.
    salutation
        Opening line; None: a neutral one in the report's language.
    """

    lines: tuple[str, ...] = ()
    key: str | None = None
    salutation: str | None = None


# ---------------------------------------------------------------------------------- formats
def _fmt(language: str):
    """The template's number helpers, all through the one formatter (:mod:`advisor.formatting`)."""
    f = formatter(language)

    def num(x: Any, decimals: int = 0) -> str:
        return f.number(x, decimals)

    def eur(x: Any, decimals: int = 0) -> str:
        return f.eur(x, decimals)

    def kwh(x: Any, decimals: int = 0) -> str:
        return f.kwh(x, decimals)

    def pct(x: Any, decimals: int = 0) -> str:
        return f.percent(x, decimals)

    def date(x: Any, tz: str = "Europe/Berlin") -> str:
        return f.date(x, tz)

    def years(x: Any) -> str:
        v = _f(x)
        if v is None:
            return f.number(None)
        if v == 0:
            return texts.render("unit.immediate", language)
        return texts.render("unit.years_short", language, {"value": f.number(v, 1)})

    def value(x: Any) -> str:
        if isinstance(x, bool):
            return texts.render("common.yes" if x else "common.no", language)
        if isinstance(x, (int, float)):
            return f.number(float(x), 4 if abs(float(x)) < 1 else 2).rstrip("0").rstrip(",.") or "0"
        return str(x)

    def gettext(code: str, **params: Any) -> str:
        return texts.render(code, language, params)

    def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
        return texts.render(singular, language, {"n": n, **params})

    return {
        "num": num,
        "eur": eur,
        "kwh": kwh,
        "pct": pct,
        "date": date,
        "years": years,
        "value": value,
        "tx": lambda v: texts.localize(v, language),
        "field": lambda obj, name: texts.localized(obj, name, language),
        "loc": lambda v: str(texts.localize(v, language)),
        "cite": lambda v: texts.source_text(v if isinstance(v, str) else str(v), language),  # a Message is a str
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
    }


#: Languages a report or letter can be written in. Core texts not yet in the catalogues (measure
#: titles and explanations, signature labels) are shown in German in a Turkish letter, the same
#: fallback the catalogue uses (tr -> de).
REPORT_LANGUAGES = ("de", "en", "tr")


def _assumption_helpers(language: str, recs) -> dict[str, Any]:
    """Household words for the assumptions table: a seed key becomes its catalogue label
    (``assumption.<key>``), a measure row the measure's title, a unit and a catalogue parameter
    list (``saving_share=0.04``) their catalogue wording."""
    f = formatter(language)
    titles = {f"measures.{r.measure_id}": r.title(language) for r in recs}

    def label(prefix: str, key: str) -> str:
        code = f"{prefix}{key}"
        out = texts.render(code, language)
        return key if out == code else out

    def name(key: str) -> str:
        return titles.get(key) or label("assumption.", str(key))

    def unit(u: Any) -> str:
        return label("assumption.unit.", str(u)) if u not in (None, "") else ""

    def value(v: Any) -> str:
        if isinstance(v, str) and v in ("measured", "simulated", "estimate"):
            return texts.render(f"report.basis_short.{v}", language)
        if isinstance(v, str) and "=" in v:
            parts = []
            for item in v.split(";"):
                k, _, x = item.strip().partition("=")
                try:
                    parts.append(texts.render(f"assumption.param.{k}", language, {"v": float(x)}))
                except ValueError:
                    parts.append(item.strip())
            return "; ".join(parts)
        if isinstance(v, bool):
            return texts.render("common.yes" if v else "common.no", language)
        if isinstance(v, (int, float)):
            return f.number(float(v), 4 if abs(float(v)) < 1 else 2).rstrip("0").rstrip(",.") or "0"
        return str(v)

    return {"assumption_name": name, "assumption_unit": unit, "assumption_value": value}


def _f(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


# ---------------------------------------------------------------------------------- charts
def _svg_uri(fig) -> str:
    import matplotlib

    buf = io.StringIO()
    # text as <text> (not glyph paths): smaller and about twice as fast
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "advisor"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    data = buf.getvalue()
    return "data:image/svg+xml;base64," + base64.b64encode(data.encode("utf-8")).decode("ascii")


def _figure(width_in: float = 6.4, height_in: float = 2.0):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=72)
    fig.subplots_adjust(left=0.09, right=0.99, bottom=0.14, top=0.96)
    ax = fig.add_subplot(1, 1, 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.yaxis.set_major_locator(_locator())
    return fig, ax


def _locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=4)


def month_chart(analysis, language: str = "de", color: str = "#1f5f8b") -> str | None:
    """Bar chart of the energy per local month [kWh] as an SVG data URI (None without months).

    Drawn as a small hand-written SVG (no matplotlib: this chart is in every batch letter, and
    matplotlib took most of a letter's rendering time): one bar per month (the last 24), the month
    names below, four round y ticks with light grid lines, each bar's value as its tooltip. Text
    is dark grey on white; the bar colour is the brand colour, darkened if needed until it has a
    3:1 contrast against white (WCAG 2.1, 1.4.11 non-text contrast).
    """
    months = getattr(analysis, "month_kwh", None)
    if months is None or len(months) == 0:
        return None
    names = formatter(language).month_names()
    m = months.tail(24)
    labels = []
    for k in m.index:
        try:
            labels.append(names[pd.Period(str(k), freq="M").month - 1])
        except ValueError:
            labels.append(str(k))
    svg = bar_chart_svg(
        labels,
        [float(v) for v in m["energy_kwh"].to_numpy(dtype=float)],
        unit="kWh",
        language=language,
        color=color,
        title=texts.render("report.months_chart", language),
        x_title=texts.render("report.axis.month", language),
        y_title=texts.render("report.axis.month_kwh", language),
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _nice_step(top: float, nbins: int = 5) -> float:
    """The smallest step of 1, 2, 2.5, 5 × 10^k with ``top / step <= nbins``."""
    if not (top > 0 and math.isfinite(top)):
        return 1.0
    k = math.floor(math.log10(top / nbins))
    for mult in (1.0, 2.0, 2.5, 5.0, 10.0, 20.0):
        step = mult * 10.0**k
        if top / step <= nbins + 1e-9:
            return step
    return 10.0 ** (k + 2)


def _luminance(hex_color: str) -> float:
    def channel(c: int) -> float:
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def accessible_color(hex_color: str, min_contrast: float = 3.0) -> str:
    """``hex_color`` darkened in 10 % steps until its contrast ratio against white is at least
    ``min_contrast`` (WCAG relative luminance)."""
    color = hex_color.lower()
    for _ in range(40):
        if 1.05 / (_luminance(color) + 0.05) >= min_contrast:
            return color
        r, g, b = (int(int(color[i : i + 2], 16) * 0.9) for i in (1, 3, 5))
        color = f"#{r:02x}{g:02x}{b:02x}"
    return color


def bar_chart_svg(
    labels: list[str],
    values: list[float],
    *,
    unit: str,
    language: str = "de",
    color: str = "#1f5f8b",
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    width_px: int = 460,
    height_px: int = 144,
) -> str:
    """A bar chart as a self-contained SVG document (deterministic text; NaN values draw no bar).

    ``y_title`` (default: the unit) stands rotated beside the y axis, ``x_title`` below the labels.
    """
    from html import escape

    ink, grid = "#333333", "#d9d9d9"
    bar_color = accessible_color(color)
    left, right, top, bottom = 46.0, 6.0, 8.0, 30.0 if x_title else 20.0
    x0, x1, y_top, y_base = left, width_px - right, top, height_px - bottom
    finite = [v for v in values if math.isfinite(v)]
    vmax = max([v for v in finite if v > 0], default=0.0)
    step = _nice_step(vmax)
    n_ticks = max(1, math.ceil(vmax / step - 1e-9)) if vmax > 0 else 4
    y_max = step * n_ticks

    def y_of(v: float) -> float:
        return y_base - (y_base - y_top) * max(0.0, v) / y_max

    decimals = 0 if step >= 1 else 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" '
        f'viewBox="0 0 {width_px} {height_px}" role="img" font-family="DejaVu Sans, Arial, sans-serif">',
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    out.append(f'<rect width="{width_px}" height="{height_px}" fill="#ffffff"/>')
    for i in range(n_ticks + 1):
        v = step * i
        y = y_of(v)
        out.append(f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" stroke="{grid}" stroke-width="0.8"/>')
        out.append(
            f'<text x="{x0 - 4:.1f}" y="{y + 3:.1f}" font-size="8" text-anchor="end" fill="{ink}">'
            f"{escape(formatter(language).number(v, decimals))}</text>"
        )
    out.append(
        f'<text x="10" y="{(y_top + y_base) / 2:.1f}" font-size="8" text-anchor="middle" fill="{ink}" '
        f'transform="rotate(-90 10 {(y_top + y_base) / 2:.1f})">{escape(y_title or unit)}</text>'
    )
    if x_title:
        out.append(
            f'<text x="{(x0 + x1) / 2:.1f}" y="{height_px - 2:.1f}" font-size="8" text-anchor="middle" '
            f'fill="{ink}">{escape(x_title)}</text>'
        )
    n = max(1, len(values))
    slot = (x1 - x0) / n
    bar_w = 0.7 * slot
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        cx = x0 + slot * (i + 0.5)
        if math.isfinite(v) and v > 0:
            y = y_of(v)
            value_text = f"{label}: {formatter(language).number(v, 0)} {unit}"
            out.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{y_base - y:.1f}" '
                f'fill="{bar_color}"><title>{escape(value_text)}</title></rect>'
            )
        out.append(
            f'<text x="{cx:.1f}" y="{y_base + 11:.1f}" font-size="7" text-anchor="middle" fill="{ink}">'
            f"{escape(label)}</text>"
        )
    out.append(
        f'<line x1="{x0:.1f}" y1="{y_base:.1f}" x2="{x1:.1f}" y2="{y_base:.1f}" stroke="{ink}" stroke-width="0.8"/>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _number_formatter(language: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: formatter(language).number(v, 0))


def day_chart(analysis, language: str = "de", color: str = "#1f5f8b") -> str | None:
    """Typical weekday power [W] in winter and summer over the day, as an SVG data URI."""
    prof = getattr(analysis, "daily_profiles", None)
    if prof is None or prof.empty:
        return None
    fig, ax = _figure()
    drawn = 0
    for season, style in (("winter", "-"), ("summer", "--")):
        col = (season, "weekday")
        if col not in prof.columns or prof[col].isna().all():
            continue
        y = prof[col].to_numpy() * 1000.0
        ax.plot(range(len(y)), y, style, color=color, lw=1.4, label=texts.render(f"report.season.{season}", language))
        drawn += 1
    if not drawn:
        return None
    n = len(prof.index)
    ticks = list(range(0, n + 1, max(1, n // 4)))
    ax.set_xticks(ticks, [f"{int(24 * t / n):02d}:00" for t in ticks], fontsize=7)
    ax.set_ylabel(texts.render("report.axis.power_w", language), fontsize=8)
    ax.set_xlabel(texts.render("report.axis.time", language), fontsize=8)
    ax.legend(fontsize=7, frameon=False)
    ax.yaxis.set_major_formatter(_number_formatter(language))
    return _svg_uri(fig)


# ---------------------------------------------------------------------------------- render
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Words come from the gettext catalogues (advisor/locale, domain "report"); the callables are
    # bound per render to the report's language (passed in the context, see _fmt), so one cached
    # environment serves every language and thread.
    env.install_null_translations(newstyle=False)
    return env


_ENV = None


def _env():
    global _ENV  # noqa: PLW0603 - a cached, read-only template environment
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def _last_interval_start(an) -> Any:
    """Start of the curve's last interval (its day is the period's inclusive last day)."""
    if an is None or getattr(an, "end", None) is None:
        return None
    minutes = getattr(an, "interval_minutes", None) or 15
    return an.end - pd.Timedelta(minutes=minutes)


def render_report(
    assessment,
    language: str | None = None,
    *,
    variant: str = "report",
    brand: Brand | None = None,
    address: Address | None = None,
    peers: dict[str, Any] | None = None,
    charts: bool = True,
    electrification=None,
    privacy: Any = None,
    candidates=(),
) -> str:
    """Render the assessment as an HTML document.

    Parameters
    ----------
    assessment
        :class:`~advisor.assessment.HouseholdAssessment`.
    language
        ``"de"`` or ``"en"``; default: the assessment's language.
    variant
        ``"report"`` (full household report) or ``"letter"`` (Stadtwerk letter for the batch).
    brand
        Letterhead (:class:`Brand`); default: neutral Energie-Advisor.
    address
        Recipient (:class:`Address`) for letters.
    peers
        Optional peer comparison for letters: ``label`` (group description), ``median_kwh``
        [kWh/yr], ``percentile`` (0..100, share of peers using less), ``n`` (group size).
    charts
        Include the SVG charts (batch letters may turn them off for speed).
    electrification
        Optional :class:`~advisor.electrify.ElectrificationResult`: the report then carries the
        electrification section (heat pump / electric car on the household's curve).
    privacy
        Data-protection information for letters (:class:`advisor.batch.notice.PrivacyNotice`);
        None leaves it out.
    candidates
        The household's own electrification figures for a letter
        (:class:`~advisor.electrify.candidates.CandidateFigure`, kWh and € before/after with basis
        and sources); empty leaves the section out.

    Returns
    -------
    str
        A complete HTML document (UTF-8), with inline CSS and images.
    """
    language = language or getattr(assessment, "language", "de") or "de"
    if language not in REPORT_LANGUAGES:
        raise ReportError(f"`language` must be one of {', '.join(REPORT_LANGUAGES)}; got {language!r}.")
    if variant not in VARIANTS:
        raise ReportError(f"`variant` must be one of {VARIANTS}; got {variant!r}.")
    brand = brand or Brand()
    a = assessment
    an = a.analysis
    color = brand.primary_color
    ctx = {
        "a": a,
        "an": an,
        "lang": language,
        "brand": brand,
        "address": address or Address(),
        "peers": peers,
        "privacy": privacy,
        "recs": list(a.recommendations),
        "questions": device_questions(getattr(an, "signatures", ()), language) if an is not None else [],
        # what the curve shows as fact: confirmed devices and non-device signatures (standby floor …)
        "seen_sigs": [
            s for s in getattr(an, "signatures", ()) if s.detected and (s.confirmed or s.name not in DEVICE_WITH)
        ],
        "top_recs": list(a.recommendations)[:3],
        "tc": a.tariffs,
        "proj": a.projection,
        "pv": list(a.pv_options),
        "month_svg": month_chart(an, language, color) if charts else None,
        "day_svg": day_chart(an, language, color) if charts and variant == "report" else None,
        "created": a.created,
        # the data period's last day (the curve's end is exclusive: 01.01.2026 ends a 2025 year)
        "period_last": _last_interval_start(an),
        "fixed_total": a.tariffs.fixed.total_eur if a.tariffs is not None else None,
        # annual figures from a short period: their measured range; savings per year withheld below the minimum
        "ex": getattr(a, "extrapolation", None),
        "el": electrification if variant == "report" else None,
        "cand": list(candidates) if variant == "letter" else [],
        **_fmt(language),
        **_assumption_helpers(language, a.recommendations),
    }
    template = _env().get_template(f"{variant}.html.j2")
    return template.render(**ctx)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a report is meant to be read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: The one inline stylesheet of a report or letter. Every letter of a run carries the same one (it
#: depends on the brand only), so the PDF path parses it once per process instead of per letter.
_STYLE_TAG = re.compile(r"<style>(.*?)</style>", re.S)
_PDF_STYLESHEETS: dict[str, Any] = {}  # CSS text -> parsed weasyprint.CSS (a run has one brand: one entry)
_PDF_STYLESHEETS_MAX = 8
_PDF_FONTS: list = []  # the process's one weasyprint FontConfiguration (fontconfig set up once)


def _pdf_fetcher():
    from weasyprint.urls import URLFetcher

    # only inline data: URIs; anything else is refused (no network, no local files)
    return URLFetcher(allowed_protocols=("data",), fail_on_errors=False)


def letter_document(html: str):
    """The laid-out WeasyPrint document of an HTML report or letter (pages, boxes).

    A document with exactly one ``<style>`` element is laid out with that stylesheet parsed once
    per process and shared (with one font configuration) by every later document with the same
    stylesheet; the layout is the same as from the inline element, which is then the document's
    only author stylesheet. Only inline ``data:`` resources are loaded.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if not _PDF_FONTS:
        _PDF_FONTS.append(FontConfiguration())
    fonts = _PDF_FONTS[0]
    fetcher = _pdf_fetcher()
    styles = _STYLE_TAG.findall(html)
    if len(styles) != 1:
        return HTML(string=html, url_fetcher=fetcher).render(font_config=fonts)
    text = styles[0]
    css = _PDF_STYLESHEETS.get(text)
    if css is None:
        if len(_PDF_STYLESHEETS) >= _PDF_STYLESHEETS_MAX:
            _PDF_STYLESHEETS.clear()
        css = CSS(string=text, font_config=fonts, url_fetcher=fetcher)
        _PDF_STYLESHEETS[text] = css
    body = _STYLE_TAG.sub("", html, count=1)
    return HTML(string=body, url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes from an HTML document (WeasyPrint, see :func:`letter_document`)."""
    return letter_document(html).write_pdf()


def write_report(
    assessment,
    out_dir: str | Path,
    formats: tuple[str, ...] = ("html", "pdf"),
    *,
    language: str | None = None,
    stem: str = "report",
    **render_kwargs: Any,
) -> dict[str, Path]:
    """Write the report as HTML and/or PDF into ``out_dir`` (atomic writes).

    Returns
    -------
    dict
        Format -> path written (``report_de.html``, ``report_de.pdf`` …).
    """
    language = language or getattr(assessment, "language", "de") or "de"
    unknown = set(formats) - {"html", "pdf"}
    if unknown:
        raise ReportError(f"`formats` must be among ('html', 'pdf'); got {sorted(unknown)}.")
    html = render_report(assessment, language, **render_kwargs)
    out_dir = Path(out_dir)
    written: dict[str, Path] = {}
    if "html" in formats:
        p = out_dir / f"{stem}_{language}.html"
        _atomic_write(p, html.encode("utf-8"))
        written["html"] = p
    if "pdf" in formats:
        p = out_dir / f"{stem}_{language}.pdf"
        _atomic_write(p, html_to_pdf(html))
        written["pdf"] = p
    return written
