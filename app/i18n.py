"""Texts of the household app in German (default) and English.

``translator(lang)`` returns ``t(key, **values)``; a key missing in English falls back to German,
a key missing everywhere shows the key itself (so a test can spot it).
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = {"de": "Deutsch", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    # ---- navigation and sidebar
    "nav.start": {"de": "Start", "en": "Start"},
    "nav.overview": {"de": "Überblick", "en": "Overview"},
    "nav.forecast": {"de": "Prognose", "en": "Forecast"},
    "nav.solar": {"de": "Solar", "en": "Solar"},
    "nav.recommendations": {"de": "Empfehlungen", "en": "Recommendations"},
    "nav.report": {"de": "Bericht", "en": "Report"},
    "sidebar.demo": {
        "de": "Daten: **Demo-Haushalt** (synthetisch erzeugt, keine echten Messdaten).",
        "en": "Data: **demo household** (synthetic, not measured data).",
    },
    "sidebar.upload": {"de": "Daten: Ihre Datei **{label}**.", "en": "Data: your file **{label}**."},
    "sidebar.estimated": {
        "de": "Daten: **geschätzter** Lastgang aus Ihren Angaben.",
        "en": "Data: **estimated** load curve from your figures.",
    },
    "sidebar.privacy": {
        "de": "Ihre Daten bleiben nur in dieser Sitzung im Arbeitsspeicher; nichts wird gespeichert oder versendet.",
        "en": "Your data stays in this session's memory only; nothing is stored or sent anywhere.",
    },
    "common.not_available": {
        "de": "**Noch nicht verfügbar:** {what} ist in dieser Version noch nicht eingebaut.",
        "en": "**Not yet available:** {what} is not built into this version yet.",
    },
    "common.failed": {
        "de": "{what} konnte für diese Daten nicht berechnet werden. {hint}",
        "en": "{what} could not be computed for these data. {hint}",
    },
    "common.failed_hint": {
        "de": "Prüfen Sie die Angaben auf der Startseite oder versuchen Sie eine andere Datei.",
        "en": "Check your answers on the Start page or try another file.",
    },
    "common.how": {"de": "So wurde das berechnet", "en": "How this was computed"},
    "common.synthetic_note": {
        "de": "Sie sehen den **Demo-Haushalt**: ein synthetisch erzeugter 3-Personen-Haushalt (Haus in Herne), "
        "keine echten Messdaten. Eigene Daten laden Sie auf der Startseite.",
        "en": "You are looking at the **demo household**: a synthetic 3-person household (house in Herne), "
        "not measured data. Load your own data on the Start page.",
    },
    "common.estimated_note": {
        "de": "Dieser Lastgang ist **geschätzt** (BDEW-Standardlastprofil H25 auf Ihren Verbrauch skaliert), nicht gemessen. "
        "Zahlen zu Tageszeiten und Spitzen sind deshalb nur typisch, nicht Ihre eigenen.",
        "en": "This load curve is **estimated** (BDEW standard load profile H25 scaled to your consumption), not measured. "
        "Figures about times of day and peaks are therefore typical, not your own.",
    },
    "common.yes": {"de": "ja", "en": "yes"},
    "common.no": {"de": "nein", "en": "no"},
    "common.unknown": {"de": "weiß nicht / keine Angabe", "en": "don't know / not given"},
    # ---- start page
    "start.title": {
        "de": "Energie-Advisor: Ihr Stromverbrauch verständlich",
        "en": "Energie-Advisor: your electricity use, explained",
    },
    "start.intro": {
        "de": "Laden Sie Ihre Zählerdaten hoch (oder geben Sie Ihren Jahresverbrauch an) und beantworten Sie ein paar Fragen. "
        "Sie sehen dann, wofür Ihr Strom draufgeht, was die nächsten Monate kosten, was Solar bringen würde und "
        "welche Maßnahmen am meisten sparen.",
        "en": "Upload your meter data (or enter your annual consumption) and answer a few questions. You will see where "
        "your electricity goes, what the coming months will cost, what solar would bring and which measures save most.",
    },
    "start.source": {"de": "1. Ihre Verbrauchsdaten", "en": "1. Your consumption data"},
    "start.tab_upload": {"de": "Datei hochladen", "en": "Upload a file"},
    "start.tab_estimate": {
        "de": "Kein Smart Meter? Jahresverbrauch oder Zählerstände",
        "en": "No smart meter? Annual consumption or readings",
    },
    "start.tab_demo": {"de": "Demo-Haushalt", "en": "Demo household"},
    "start.upload_label": {"de": "Zählerdaten-Datei", "en": "Meter data file"},
    "start.upload_help": {
        "de": "Lastgang-Export Ihres Netzbetreibers oder Messstellenbetreibers: CSV oder Excel aus dem Kundenportal, "
        "MSCONS, Smart-Meter-Gateway-XML (TRuDI), Green Button; auch als .zip oder .gz. Höchstens 20 MB.",
        "en": "Load-curve export from your grid or metering operator: portal CSV or Excel, MSCONS, smart-meter-gateway "
        "XML (TRuDI), Green Button; also zipped (.zip/.gz). At most 20 MB.",
    },
    "start.upload_ok": {"de": "Datei **{label}** gelesen.", "en": "File **{label}** read."},
    "start.upload_error": {
        "de": "Diese Datei konnte nicht gelesen werden.",
        "en": "This file could not be read.",
    },
    "start.upload_error_detail": {
        "de": "Was das Einleseprogramm gefunden hat: {message}",
        "en": "What the importer found: {message}",
    },
    "start.upload_error_todo": {
        "de": "**Was Sie tun können:** Laden Sie den Lastgang (Viertelstunden- oder Stundenwerte) direkt aus dem Portal "
        "Ihres Netz- oder Messstellenbetreibers herunter, ohne ihn in Excel zu bearbeiten. Dateien mit mehreren Zählern "
        "bitte auf einen Zähler beschränken. Ohne Lastgang können Sie auch Ihren Jahresverbrauch von der Rechnung eingeben "
        "(zweiter Reiter).",
        "en": "**What you can do:** download the load curve (15-minute or hourly values) straight from your grid or "
        "metering operator's portal, without editing it in Excel. Limit files with several meters to one meter. Without a "
        "load curve you can also enter your annual consumption from the bill (second tab).",
    },
    "start.upload_unexpected": {
        "de": "Beim Lesen ist ein unerwarteter Fehler aufgetreten. Die Datei wurde verworfen.",
        "en": "An unexpected problem occurred while reading. The file was discarded.",
    },
    "start.reading": {"de": "Datei wird gelesen …", "en": "Reading the file …"},
    "start.estimate_what": {
        "de": "Die Schätzung aus Jahresverbrauch oder Zählerständen",
        "en": "The estimate from an annual consumption or readings",
    },
    "start.estimate_ok": {"de": "Lastgang geschätzt.", "en": "Load curve estimated."},
    "start.estimate_error": {"de": "Das passt noch nicht: {message}", "en": "That does not fit yet: {message}"},
    "start.readings_too_few": {
        "de": "Bitte mindestens zwei Zählerstände mit Datum eingeben.",
        "en": "Please enter at least two readings with dates.",
    },
    "start.annual_label": {
        "de": "Jahresverbrauch laut Stromrechnung [kWh]",
        "en": "Annual consumption from your bill [kWh]",
    },
    "start.annual_year": {
        "de": "Für welches Jahr soll der Lastgang gelten?",
        "en": "Which year should the curve cover?",
    },
    "start.annual_button": {"de": "Lastgang schätzen", "en": "Estimate load curve"},
    "start.readings_intro": {
        "de": "Oder: mindestens zwei abgelesene Zählerstände mit Datum (z. B. von den letzten Rechnungen).",
        "en": "Or: at least two meter readings with their dates (e.g. from your last bills).",
    },
    "start.readings_date": {"de": "Datum", "en": "Date"},
    "start.readings_value": {"de": "Zählerstand [kWh]", "en": "Meter reading [kWh]"},
    "start.readings_button": {"de": "Aus Zählerständen schätzen", "en": "Estimate from readings"},
    "start.estimate_how": {
        "de": "Ohne Smart Meter kennen wir nur die Summe. Wir verteilen sie mit dem BDEW-Standardlastprofil H25 "
        "(2025, über demandlib) auf Viertelstunden; alle Werte sind als *geschätzt* markiert.",
        "en": "Without a smart meter only the total is known. We spread it over quarter-hours with the BDEW standard "
        "load profile H25 (2025, via demandlib); every value is flagged *estimated*.",
    },
    "start.demo_text": {
        "de": "Der Demo-Haushalt ist **synthetisch erzeugt** (ein Jahr in Viertelstunden, 3 Personen, Haus in Herne, mit "
        "ungeregelter Heizungsumwälzpumpe). Er zeigt, was die App kann, ohne dass Sie Daten hochladen.",
        "en": "The demo household is **synthetic** (one year of quarter-hours, 3 persons, a house in Herne, with an "
        "uncontrolled heating circulation pump). It shows what the app does without uploading anything.",
    },
    "start.demo_button": {"de": "Demo-Haushalt laden", "en": "Load demo household"},
    "start.household": {"de": "2. Ihr Haushalt", "en": "2. Your household"},
    "start.household_intro": {
        "de": "Alle Angaben sind freiwillig. Was Sie offen lassen, bleibt unbekannt: wir setzen keine Annahmen ein.",
        "en": "Every answer is optional. What you leave open stays unknown: we assume nothing.",
    },
    "q.persons": {"de": "Personen im Haushalt", "en": "Persons in the household"},
    "q.dwelling": {"de": "Wohnform", "en": "Dwelling"},
    "q.dwelling.house": {"de": "Haus", "en": "House"},
    "q.dwelling.apartment": {"de": "Wohnung", "en": "Apartment"},
    "q.tenure": {"de": "Eigentum oder Miete", "en": "Owner or tenant"},
    "q.tenure.owner": {"de": "Eigentümer", "en": "Owner"},
    "q.tenure.tenant": {"de": "Mieter", "en": "Tenant"},
    "q.hot_water": {"de": "Warmwasser", "en": "Hot water"},
    "q.hot_water.electric": {
        "de": "elektrisch (Durchlauferhitzer, Boiler)",
        "en": "electric (instantaneous heater, boiler)",
    },
    "q.hot_water.other": {
        "de": "anders (Gas, Öl, Fernwärme, Wärmepumpe der Heizung)",
        "en": "other (gas, oil, district heat, heating heat pump)",
    },
    "q.heating": {"de": "Heizung", "en": "Heating"},
    "q.heating.heat_pump": {"de": "Wärmepumpe", "en": "Heat pump"},
    "q.heating.night_storage": {"de": "Nachtspeicherheizung", "en": "Night-storage heating"},
    "q.heating.other": {"de": "andere (Gas, Öl, Fernwärme …)", "en": "other (gas, oil, district heat …)"},
    "q.ev": {"de": "Elektroauto, das zu Hause lädt", "en": "Electric car charged at home"},
    "q.existing_pv": {"de": "Vorhandene Solaranlage [kWp] (0 = keine)", "en": "Existing solar system [kWp] (0 = none)"},
    "q.postal_code": {"de": "Postleitzahl", "en": "Postal code"},
    "q.roof": {"de": "Dach für Solar", "en": "Roof for solar"},
    "q.roof_tilt": {"de": "Dachneigung [°]", "en": "Roof tilt [°]"},
    "q.roof_azimuth": {
        "de": "Ausrichtung [°] (90 Ost, 180 Süd, 270 West)",
        "en": "Orientation [°] (90 east, 180 south, 270 west)",
    },
    "q.roof_area": {"de": "Nutzbare Dachfläche [m²]", "en": "Usable roof area [m²]"},
    "q.balcony": {"de": "Balkon (für ein Balkonkraftwerk)", "en": "Balcony (for plug-in solar)"},
    "q.low_income": {
        "de": "Geringes Einkommen / Sozialleistungen (kostenloser Stromspar-Check)",
        "en": "Low income / social benefits (free Stromspar-Check)",
    },
    "q.price": {
        "de": "Ihr Arbeitspreis [ct/kWh] (leer = Durchschnitt)",
        "en": "Your energy price [ct/kWh] (empty = average)",
    },
    "q.base_fee": {
        "de": "Ihr Grundpreis [€/Jahr] (leer = Durchschnitt)",
        "en": "Your base fee [€/year] (empty = average)",
    },
    "q.save": {"de": "Angaben übernehmen", "en": "Save answers"},
    "q.saved": {"de": "Angaben übernommen.", "en": "Answers saved."},
    "q.invalid": {"de": "Eine Angabe passt nicht: {message}", "en": "One answer does not fit: {message}"},
    "start.summary": {"de": "3. Ihre Daten auf einen Blick", "en": "3. Your data at a glance"},
    "sum.period": {"de": "Zeitraum", "en": "Period"},
    "sum.interval": {"de": "Messintervall", "en": "Interval"},
    "sum.interval_value": {"de": "{minutes} Minuten", "en": "{minutes} minutes"},
    "sum.energy": {"de": "Verbrauch im Zeitraum", "en": "Consumption in the period"},
    "sum.values": {"de": "Werte", "en": "Values"},
    "sum.missing": {"de": "fehlend: {n}", "en": "missing: {n}"},
    "sum.substituted": {"de": "Ersatzwerte", "en": "Substitute values"},
    "sum.quality": {"de": "Datenqualität", "en": "Data quality"},
    "sum.quality_help": {
        "de": "0–100 %: Abdeckung des Zeitraums, Ersatzwerte und Lücken. Unter 70 % sind alle Kennzahlen unsicher.",
        "en": "0–100%: coverage of the period, substitute values and gaps. Below 70% every figure is uncertain.",
    },
    "sum.coverage_help": {
        "de": "Anteil der Intervalle mit Wert (die ausführliche Qualitätsbewertung kommt mit der Verbrauchsanalyse).",
        "en": "Share of intervals with a value (the full quality score comes with the consumption analysis).",
    },
    "sum.format": {"de": "Format: {format} · Zähler: {meter}", "en": "Format: {format} · meter: {meter}"},
    "sum.conversions": {"de": "Umrechnungen beim Einlesen", "en": "Conversions on import"},
    "sum.warnings": {"de": "Hinweise zu den Daten", "en": "Notes on the data"},
    "sum.daily_title": {"de": "Verbrauch pro Tag", "en": "Consumption per day"},
    "sum.daily_how": {
        "de": "Summe der {minutes}-Minuten-Werte je Kalendertag (Ortszeit Europe/Berlin; Umstellungstage mit 23 bzw. 25 Stunden "
        "korrekt). Tage mit fehlenden Werten zeigen nur die vorhandenen Werte.",
        "en": "Sum of the {minutes}-minute values per calendar day (local time Europe/Berlin; DST days with 23 or 25 hours "
        "handled). Days with missing values show only the values present.",
    },
    "sum.next": {
        "de": "Weiter zum **Überblick** in der Seitenleiste.",
        "en": "Go on to the **Overview** in the sidebar.",
    },
}


def text(key: str, lang: str = "de", **values: object) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry.get("de") or key
    return template.format(**values) if values else template


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` bound to one language."""

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    return t


# ---- Überblick (overview)
TEXTS.update(
    {
        "ov.what": {"de": "Die Verbrauchsanalyse", "en": "The consumption analysis"},
        "ov.key_figures": {"de": "Kennzahlen", "en": "Key figures"},
        "ov.annual_kwh": {"de": "Jahresverbrauch", "en": "Annual consumption"},
        "ov.method.measured_full_year": {
            "de": "Gemessen: Summe des letzten vollständigen Jahres.",
            "en": "Measured: sum of the last complete year.",
        },
        "ov.method.full_year_gaps_filled_h25": {
            "de": "Ein Jahr mit kleinen Lücken; die Lücken mit dem BDEW-Profil H25 ergänzt (Unsicherheit etwa ±{pct} %).",
            "en": "One year with small gaps, filled with the BDEW H25 profile (uncertainty about ±{pct}%).",
        },
        "ov.method.annualised_h25": {
            "de": "Weniger als ein Jahr Daten: mit dem BDEW-Profil H25 auf ein Jahr hochgerechnet (Unsicherheit etwa ±{pct} %).",
            "en": "Less than a year of data: scaled up to a year with the BDEW H25 profile (uncertainty about ±{pct}%).",
        },
        "ov.annual_eur": {"de": "Stromkosten pro Jahr", "en": "Electricity cost per year"},
        "ov.annual_eur_help": {
            "de": "Fester Tarif: Arbeitspreis {price} plus Grund- und Messpreis {fee} pro Jahr (Ihr Preis, sonst der Durchschnitt aus seeds/).",
            "en": "Fixed tariff: energy price {price} plus base and meter fee {fee} per year (your price, else the average from seeds/).",
        },
        "ov.base_load": {"de": "Grundlast", "en": "Base load"},
        "ov.base_load_year": {"de": "≈ {kwh} pro Jahr", "en": "≈ {kwh} per year"},
        "ov.base_load_help": {
            "de": "Was nachts dauerhaft läuft: 10-%-Perzentil der Stundenmittel zwischen 0 und 5 Uhr.",
            "en": "What runs all night: 10th percentile of the hourly means between 0 and 5 a.m.",
        },
        "ov.peak": {"de": "Höchste Leistung", "en": "Peak power"},
        "ov.peak_help": {
            "de": "Höchster {minutes}-Minuten-Mittelwert der Leistung und wann er auftrat.",
            "en": "Highest {minutes}-minute mean power and when it occurred.",
        },
        "ov.stromspiegel": {"de": "Stromspiegel-Klasse", "en": "Stromspiegel class"},
        "ov.percentile": {"de": "{pct}. Perzentil", "en": "{pct}th percentile"},
        "ov.stromspiegel_help": {
            "de": "Effizienzklasse A (sparsam) bis G im Vergleich mit Haushalten gleicher Größe und Wohnform (co2online, Stromspiegel 2025). "
            "Perzentil: so viel Prozent der vergleichbaren Haushalte verbrauchen weniger (aus den Klassengrenzen modelliert, nicht veröffentlicht).",
            "en": "Efficiency class A (frugal) to G compared with households of the same size and dwelling (co2online, Stromspiegel 2025). "
            "Percentile: this share of comparable households uses less (modelled from the class bounds, not published).",
        },
        "ov.stromspiegel_compare": {
            "de": "Klasse **{cls}**: vergleichbare Haushalte ({group}) verbrauchen im Schnitt {avg} pro Jahr.",
            "en": "Class **{cls}**: comparable households ({group}) use {avg} per year on average.",
        },
        "ov.stromspiegel_none": {"de": "Keine Stromspiegel-Klasse: {reason}", "en": "No Stromspiegel class: {reason}"},
        "ov.stromspiegel_missing": {
            "de": "Keine Stromspiegel-Klasse: dafür brauchen wir Personenzahl und Wohnform (Startseite).",
            "en": "No Stromspiegel class: it needs the number of persons and the dwelling (Start page).",
        },
        "ov.quality_line": {
            "de": "Datenqualität {score} ({label}), {days} Tage mit Messwerten.",
            "en": "Data quality {score} ({label}), {days} days with values.",
        },
        "ov.quality.good": {"de": "gut", "en": "good"},
        "ov.quality.fair": {"de": "mittel", "en": "fair"},
        "ov.quality.poor": {"de": "schwach", "en": "poor"},
        "ov.quality_poor": {
            "de": "Die Datenqualität ist schwach (viele Lücken, kurzer Zeitraum oder auffällig viele Nullwerte): alle Zahlen sind unsicher.",
            "en": "Data quality is poor (many gaps, a short period or many zero readings): every figure is uncertain.",
        },
        "ov.key_how": {
            "de": "Aus Ihrem Lastgang in Ortszeit (Europe/Berlin, Feiertage NRW). Jahresverbrauch gemessen oder mit dem BDEW-Profil H25 "
            "hochgerechnet; Grundlast = 10-%-Perzentil der nächtlichen Stundenmittel (0–5 Uhr); Kosten mit Ihrem Preis oder dem "
            "Durchschnittspreis (BDEW 2026).",
            "en": "From your load curve in local time (Europe/Berlin, NRW holidays). Annual consumption measured or scaled up with the BDEW "
            "H25 profile; base load = 10th percentile of the night-time hourly means (0–5 a.m.); cost with your price or the average "
            "price (BDEW 2026).",
        },
        "ov.tab_heatmap": {"de": "Jahresbild (Heatmap)", "en": "Year at a glance (heatmap)"},
        "ov.tab_profiles": {"de": "Tagesverläufe", "en": "Daily profiles"},
        "ov.tab_months": {"de": "Monate", "en": "Months"},
        "ov.tab_signatures": {"de": "Erkannte Geräte", "en": "Detected devices"},
        "ov.heatmap_how": {
            "de": "Jede Spalte ist ein Tag, jede Zeile eine Uhrzeit ({minutes}-Minuten-Raster, Ortszeit); die Farbe ist die mittlere "
            "Leistung in kW (hell = hoch). Am Umstellungstag im März fehlt die Stunde 2–3 Uhr, im Oktober ist die doppelte Stunde gemittelt.",
            "en": "Each column is a day, each row a time of day ({minutes}-minute grid, local time); the colour is the mean power in kW "
            "(light = high). On the March DST day the hour 2–3 a.m. is missing; in October the repeated hour is averaged.",
        },
        "ov.season": {"de": "Jahreszeit", "en": "Season"},
        "ov.season.winter": {"de": "Winter", "en": "Winter"},
        "ov.season.transition": {"de": "Übergangszeit", "en": "Spring/autumn"},
        "ov.season.summer": {"de": "Sommer", "en": "Summer"},
        "ov.daytype.weekday": {"de": "Werktag", "en": "Weekday"},
        "ov.daytype.saturday": {"de": "Samstag", "en": "Saturday"},
        "ov.daytype.sunday_holiday": {"de": "Sonn- und Feiertag", "en": "Sunday/holiday"},
        "ov.profiles_how": {
            "de": "Mittlere Leistung je Uhrzeit über alle Tage dieser Art und Jahreszeit (Jahreszeiten wie im BDEW-Profil; Feiertage NRW). Tage: {counts}.",
            "en": "Mean power per time of day over all days of this type and season (seasons as in the BDEW profile; NRW holidays). Days: {counts}.",
        },
        "ov.months_how": {
            "de": "Summe der Messwerte je Kalendermonat (Ortszeit). Schraffierte Monate sind unvollständig (weniger als 95 % der Werte).",
            "en": "Sum of the values per calendar month (local time). Hatched months are incomplete (less than 95% of the values).",
        },
        "ov.sig.name": {"de": "Gerät / Verhalten", "en": "Device / behaviour"},
        "ov.sig.state": {"de": "Ergebnis", "en": "Result"},
        "ov.sig.confidence": {"de": "Sicherheit", "en": "Confidence"},
        "ov.sig.kwh": {"de": "Verbrauch pro Jahr", "en": "Use per year"},
        "ov.sig.evidence": {"de": "Hinweise in den Daten", "en": "Evidence in the data"},
        "ov.sig.found": {"de": "erkannt", "en": "detected"},
        "ov.sig.not_found": {"de": "nicht erkannt", "en": "not detected"},
        "ov.sig.not_assessable": {"de": "mit diesen Daten nicht prüfbar", "en": "cannot be checked with these data"},
        "ov.signatures_how": {
            "de": "Typische Muster im Lastgang (z. B. gleichmäßige 40–100 W in der Heizperiode = ungeregelte Umwälzpumpe; lange Blöcke "
            "mit 3,7–11 kW = Elektroauto). Ab 50 % Sicherheit gilt ein Muster als erkannt.",
            "en": "Typical patterns in the load curve (e.g. a steady 40–100 W all heating season = uncontrolled circulation pump; long "
            "blocks of 3.7–11 kW = electric car). From 50% confidence a pattern counts as detected.",
        },
        "sig.ev_charging": {"de": "Elektroauto-Laden", "en": "EV charging"},
        "sig.night_storage_heating": {"de": "Nachtspeicherheizung", "en": "Night-storage heating"},
        "sig.heat_pump": {"de": "Wärmepumpe", "en": "Heat pump"},
        "sig.circulation_pump": {"de": "Heizungsumwälzpumpe", "en": "Heating circulation pump"},
        "sig.standby_floor": {"de": "Dauerverbrauch (Standby)", "en": "Always-on (standby)"},
        "sig.own_pv": {"de": "Eigene Solaranlage", "en": "Own solar system"},
        "sig.instantaneous_water_heater": {
            "de": "Elektrischer Durchlauferhitzer",
            "en": "Electric instantaneous water heater",
        },
        "sig.dynamic_tariff": {"de": "Verbrauch nach Börsenpreis", "en": "Use following market prices"},
    }
)

# ---- Prognose (forecast)
TEXTS.update(
    {
        "fc.what": {
            "de": "Die Prognose der nächsten Tage (Standardmodell in models/)",
            "en": "The forecast of the next days (default model in models/)",
        },
        "fc.year_what": {
            "de": "Die 12-Monats-Prognose (Standardmodell in models/)",
            "en": "The 12-month projection (default model in models/)",
        },
        "fc.days_title": {"de": "Die nächsten Tage", "en": "The next days"},
        "fc.horizon": {"de": "Zeitraum", "en": "Horizon"},
        "fc.horizon.24h": {"de": "nächster Tag", "en": "next day"},
        "fc.horizon.7d": {"de": "nächste 7 Tage", "en": "next 7 days"},
        "fc.origin": {
            "de": "Die Prognose beginnt am Ende Ihrer Daten: **{origin}**.",
            "en": "The forecast starts at the end of your data: **{origin}**.",
        },
        "fc.cold_start": {
            "de": "Weniger als 14 Tage Daten: das ist das BDEW-Standardprofil, auf Ihren bisherigen Verbrauch skaliert, keine persönliche Prognose. Die Bänder sind breit.",
            "en": "Fewer than 14 days of data: this is the BDEW standard profile scaled to your consumption so far, not a personal forecast. The bands are wide.",
        },
        "fc.kwh_per_interval": {"de": "kWh je {minutes} Minuten", "en": "kWh per {minutes} minutes"},
        "fc.band": {"de": "80-%-Band (P10–P90)", "en": "80% band (P10–P90)"},
        "fc.p50": {"de": "Erwartung (Median)", "en": "Expected (median)"},
        "fc.history": {"de": "Gemessen (letzte 7 Tage)", "en": "Measured (last 7 days)"},
        "fc.how.lightgbm": {
            "de": "Ein LightGBM-Modell, trainiert auf vielen echten Haushalten, sagt aus Ihren letzten Wochen (Tageszeit, Wochentag, Feiertage NRW, "
            "Verbrauch der Vortage) jede Stunde voraus. Das Band ist so kalibriert, dass der echte Verbrauch in etwa 8 von 10 Stunden darin liegt.",
            "en": "A LightGBM model trained on many real households predicts every hour from your last weeks (time of day, weekday, NRW holidays, "
            "consumption of the previous days). The band is calibrated so that the real consumption lies within it in about 8 of 10 hours.",
        },
        "fc.how.cold_start_bdew_h25": {
            "de": "BDEW-Standardlastprofil H25, auf Ihren bisherigen Verbrauch skaliert; die Bänder stammen aus der Streuung vieler Haushalte.",
            "en": "BDEW standard load profile H25 scaled to your consumption so far; the bands come from the spread of many households.",
        },
        "fc.year_title": {
            "de": "Die nächsten 12 Monate und Ihr Abschlag",
            "en": "The next 12 months and your instalment",
        },
        "fc.year_kwh": {"de": "Verbrauch nächste 12 Monate", "en": "Consumption next 12 months"},
        "fc.year_bill": {"de": "Stromrechnung nächste 12 Monate", "en": "Electricity bill next 12 months"},
        "fc.range": {"de": "{lo} bis {hi}", "en": "{lo} to {hi}"},
        "fc.abschlag": {"de": "Vorschlag monatlicher Abschlag", "en": "Suggested monthly instalment"},
        "fc.abschlag_help": {
            "de": "Die erwartete Jahresrechnung geteilt durch 12, auf volle Euro aufgerundet.",
            "en": "The expected annual bill divided by 12, rounded up to whole euros.",
        },
        "fc.year_how": {
            "de": "Monatssummen aus dem an Ihre vollständigen Tage angepassten BDEW-Profil H25; P10–P90 aus der Streuung echter Monatssummen "
            "vieler Haushalte (nicht aus Viertelstunden-Bändern aufsummiert). Rechnung = Verbrauch × {price} + Grundpreis {fee}.",
            "en": "Monthly totals from the BDEW H25 profile fitted to your complete days; P10–P90 from the spread of real monthly totals of "
            "many households (not summed from interval bands). Bill = consumption × {price} + base fee {fee}.",
        },
    }
)

TEXTS.update(
    {
        "ov.per_capita": {
            "de": "Pro Person: {kwh} pro Jahr (Durchschnitt NRW: {nrw} pro Person).",
            "en": "Per person: {kwh} per year (NRW average: {nrw} per person).",
        },
        "ov.stromspiegel_dominated": {
            "de": "Keine Stromspiegel-Klasse: eine Wärmepumpe, Nachtspeicherheizung oder ein E-Auto würde den Vergleich verzerren (Details: {reason}).",
            "en": "No Stromspiegel class: a heat pump, night-storage heating or an EV would distort the comparison (details: {reason}).",
        },
        "group.persons": {"de": "{n} Personen", "en": "{n} persons"},
        "group.person": {"de": "1 Person", "en": "1 person"},
        "group.hot_water.electric": {"de": "mit elektrischem Warmwasser", "en": "with electric hot water"},
        "group.hot_water.other": {"de": "ohne elektrisches Warmwasser", "en": "without electric hot water"},
    }
)

# ---- Solar
TEXTS.update(
    {
        "pv.what": {"de": "Die Solarberechnung", "en": "The solar calculation"},
        "pv.intro": {
            "de": "Was würde eine Solaranlage auf Ihrem Dach – oder ein Balkonkraftwerk – mit **Ihrem** Verbrauch bringen? "
            "Gerechnet wird Viertelstunde für Viertelstunde auf Ihrem eigenen Lastgang.",
            "en": "What would solar on your roof – or a balcony system – bring with **your** consumption? "
            "It is computed quarter-hour by quarter-hour on your own load curve.",
        },
        "pv.kind": {"de": "Anlage", "en": "System"},
        "pv.kind.roof": {"de": "Dach", "en": "Roof"},
        "pv.kind.balcony": {"de": "Balkon (Steckersolargerät)", "en": "Balcony (plug-in solar)"},
        "pv.orientation": {"de": "Ausrichtung", "en": "Orientation"},
        "pv.orient.S": {"de": "Süd", "en": "South"},
        "pv.orient.SE": {"de": "Südost", "en": "South-east"},
        "pv.orient.SW": {"de": "Südwest", "en": "South-west"},
        "pv.orient.E": {"de": "Ost", "en": "East"},
        "pv.orient.W": {"de": "West", "en": "West"},
        "pv.orient.EW": {"de": "Ost/West (halb, halb)", "en": "East/west (half each)"},
        "pv.kwp": {"de": "Größe [kWp]", "en": "Size [kWp]"},
        "pv.tilt": {"de": "Neigung [°]", "en": "Tilt [°]"},
        "pv.battery": {"de": "Batteriespeicher", "en": "Battery"},
        "pv.no_battery": {"de": "keiner", "en": "none"},
        "pv.module_wp": {
            "de": "Modulleistung [Wp] (Wechselrichter 800 VA)",
            "en": "Module power [Wp] (inverter 800 VA)",
        },
        "pv.mount": {"de": "Montage", "en": "Mounting"},
        "pv.mount.90": {"de": "senkrecht am Geländer (90°)", "en": "vertical on the railing (90°)"},
        "pv.mount.30": {"de": "aufgeständert (30°)", "en": "on a stand (30°)"},
        "pv.computing": {
            "de": "Ertrag und Eigenverbrauch werden berechnet …",
            "en": "Computing yield and self-consumption …",
        },
        "pv.results": {"de": "Ergebnis auf Ihrem Lastgang", "en": "Result on your load curve"},
        "pv.yield": {"de": "Jahresertrag", "en": "Annual yield"},
        "pv.specific": {"de": "{v} kWh je kWp", "en": "{v} kWh per kWp"},
        "pv.self_consumption": {"de": "Eigenverbrauchsanteil", "en": "Self-consumption share"},
        "pv.self_consumption_help": {
            "de": "Anteil des Solarstroms, den Sie selbst nutzen (der Rest geht ins Netz).",
            "en": "Share of the solar power you use yourself (the rest goes to the grid).",
        },
        "pv.autarky": {"de": "Autarkiegrad", "en": "Autarky"},
        "pv.autarky_help": {
            "de": "Anteil Ihres Verbrauchs, den die Anlage deckt.",
            "en": "Share of your consumption the system covers.",
        },
        "pv.savings": {"de": "Ersparnis im ersten Jahr", "en": "Savings in the first year"},
        "pv.savings_help": {
            "de": "Nicht gekaufter Netzstrom plus Einspeisevergütung (EEG) minus Wartung.",
            "en": "Grid electricity not bought plus feed-in tariff (EEG) minus maintenance.",
        },
        "pv.investment": {"de": "Investition (0 % MwSt.)", "en": "Investment (0% VAT)"},
        "pv.payback": {"de": "Amortisation", "en": "Payback"},
        "pv.payback_help": {
            "de": "Jahre, bis die Ersparnisse (mit Preissteigerung und Alterung der Module) die Investition zurückgezahlt haben.",
            "en": "Years until the savings (with price escalation and module ageing) have repaid the investment.",
        },
        "pv.never": {"de": "nicht in der Lebensdauer", "en": "not within the lifetime"},
        "pv.location_default": {
            "de": "Standort unbekannt: gerechnet für Herne (51,54° N, 7,22° O). Mit Ihrer Postleitzahl auf der Startseite wird es genauer.",
            "en": "Location unknown: computed for Herne (51.54° N, 7.22° E). Your postal code on the Start page makes it more precise.",
        },
        "pv.filled": {
            "de": "Ihre Daten decken kein ganzes Jahr: {share} des Jahres wurden mit dem BDEW-Profil H25 ergänzt.",
            "en": "Your data do not cover a whole year: {share} of the year was completed with the BDEW H25 profile.",
        },
        "pv.sizing": {"de": "Welche Größe passt?", "en": "Which size fits?"},
        "pv.size_axis.roof": {"de": "Anlagengröße [kWp]", "en": "System size [kWp]"},
        "pv.size_axis.balcony": {"de": "Modulleistung [kWp]", "en": "Module power [kWp]"},
        "pv.sweep.no_battery": {"de": "ohne Batterie", "en": "without battery"},
        "pv.sweep.with_battery": {"de": "mit Batterie", "en": "with battery"},
        "pv.sweep.savings_axis": {"de": "Ersparnis pro Jahr [€]", "en": "Savings per year [€]"},
        "pv.how": {
            "de": "Wetter: DWD-Testreferenzjahr (TRY 2010) der Region, auf die heutige Einstrahlung skaliert; Modulertrag mit pvlib (Perez-Modell, "
            "Modultemperatur, 14 % Verluste, Wechselrichter-Begrenzung). Eigenverbrauch und Batterie je Viertelstunde auf Ihrem Lastgang; "
            "Preise, EEG-Vergütung und Kosten aus seeds/ mit Quelle und Datum. Die gepunktete Linie ist Ihre Auswahl.",
            "en": "Weather: the DWD test reference year (TRY 2010) of the region, scaled to today's irradiation; module output with pvlib (Perez "
            "model, module temperature, 14% losses, inverter limit). Self-consumption and battery per quarter-hour on your load curve; prices, "
            "EEG feed-in tariff and costs from seeds/ with source and date. The dotted line is your choice.",
        },
        "pv.assumptions": {"de": "Annahmen im Detail", "en": "Assumptions in detail"},
    }
)

# ---- Empfehlungen (recommendations)
TEXTS.update(
    {
        "rec.what": {"de": "Die Empfehlungen", "en": "The recommendations"},
        "rec.intro": {
            "de": "Die Maßnahmen, die Ihnen am meisten Geld sparen, zuerst. Wo möglich aus Ihrem eigenen Lastgang berechnet, sonst aus "
            "einem Katalog mit Quellen (dann als Schätzung gekennzeichnet).",
            "en": "The measures that save you the most money first. Computed from your own load curve where possible, otherwise from a "
            "catalog with sources (then marked as an estimate).",
        },
        "rec.computing": {"de": "Empfehlungen werden berechnet …", "en": "Computing recommendations …"},
        "rec.none": {
            "de": "Für Ihren Haushalt haben wir keine lohnende Maßnahme gefunden.",
            "en": "We found no worthwhile measure for your household.",
        },
        "rec.axis": {"de": "Ersparnis pro Jahr [€]", "en": "Savings per year [€]"},
        "rec.how": {
            "de": "Ersparnis = eingesparte kWh × Ihr Strompreis (oder Tarifvergleich auf Ihrem Lastgang); CO₂ mit dem UBA-Faktor für den deutschen "
            "Strommix; Amortisation = Investition ÷ Ersparnis pro Jahr. Sich ausschließende Maßnahmen (z. B. Dach- und Balkon-PV) werden nicht doppelt gezählt.",
            "en": "Savings = kWh saved × your electricity price (or a tariff comparison on your load curve); CO₂ with the UBA factor of the "
            "German mix; payback = investment ÷ savings per year. Measures that exclude each other (e.g. roof and balcony PV) are not counted twice.",
        },
        "rec.eur": {"de": "€ pro Jahr", "en": "€ per year"},
        "rec.kwh": {"de": "kWh pro Jahr", "en": "kWh per year"},
        "rec.co2": {"de": "CO₂ pro Jahr", "en": "CO₂ per year"},
        "rec.investment": {"de": "Investition", "en": "Investment"},
        "rec.free": {"de": "keine", "en": "none"},
        "rec.payback": {"de": "Amortisation", "en": "Payback"},
        "rec.immediately": {"de": "sofort", "en": "immediately"},
        "rec.basis": {
            "de": "Grundlage: {basis} · Sicherheit: {confidence}",
            "en": "Basis: {basis} · confidence: {confidence}",
        },
        "rec.sources": {"de": "Quellen", "en": "Sources"},
        "rec.unavailable": {
            "de": "Was in diese Bewertung nicht einfließen konnte",
            "en": "What could not go into this assessment",
        },
    }
)

# ---- Bericht (report)
TEXTS.update(
    {
        "rep.intro": {
            "de": "Ihr Bericht zum Mitnehmen: alle Zahlen mit Annahmen und Quellen, als HTML oder PDF, und die Ergebnisse als Tabelle.",
            "en": "Your report to take away: every figure with its assumptions and sources, as HTML or PDF, and the results as a table.",
        },
        "rep.what": {"de": "Der Bericht", "en": "The report"},
        "rep.pdf_what": {"de": "Der PDF-Bericht", "en": "The PDF report"},
        "rep.csv_what": {"de": "Die Ergebnistabelle", "en": "The results table"},
        "rep.report": {"de": "Ihr Bericht als Datei", "en": "Your report as a file"},
        "rep.computing": {"de": "Bericht wird erstellt …", "en": "Preparing the report …"},
        "rep.html": {"de": "Bericht herunterladen (HTML)", "en": "Download report (HTML)"},
        "rep.make_pdf": {"de": "PDF erstellen", "en": "Create PDF"},
        "rep.pdf": {"de": "Bericht herunterladen (PDF)", "en": "Download report (PDF)"},
        "rep.report_how": {
            "de": "Derselbe Bericht, den Ihr Stadtwerk im Serienversand nutzt; erstellt auf diesem Rechner, ohne Internet.",
            "en": "The same report your Stadtwerk uses for its letters; made on this machine, without the internet.",
        },
        "rep.csv_title": {"de": "Ergebnisse als Tabelle (CSV)", "en": "Results as a table (CSV)"},
        "rep.csv": {"de": "Ergebnisse herunterladen (CSV)", "en": "Download results (CSV)"},
        "rep.csv_how": {
            "de": "Für Excel: Semikolon als Trennzeichen, Dezimalkomma, UTF-8. Textzellen, die Excel als Formel lesen würde, beginnen mit einem Apostroph.",
            "en": "Comma-separated, decimal point, UTF-8. Text cells a spreadsheet would read as a formula start with an apostrophe.",
        },
        "rep.col.section": {"de": "Bereich", "en": "Section"},
        "rep.col.item": {"de": "Kennzahl", "en": "Item"},
        "rep.col.value": {"de": "Wert", "en": "Value"},
        "rep.col.unit": {"de": "Einheit", "en": "Unit"},
        "rep.col.note": {"de": "Hinweis", "en": "Note"},
        "rep.delete_title": {"de": "Daten löschen", "en": "Delete data"},
        "rep.delete_text": {
            "de": "Ihre Daten liegen nur im Arbeitsspeicher dieser Sitzung und verfallen, wenn Sie das Fenster schließen. Mit dem Knopf "
            "löschen Sie sofort alles zu Ihrem Haushalt (Datei, Angaben, Zwischenergebnisse); danach sehen Sie wieder den Demo-Haushalt.",
            "en": "Your data live only in this session's memory and expire when you close the window. The button deletes everything about "
            "your household now (file, answers, intermediate results); afterwards you see the demo household again.",
        },
        "rep.delete": {
            "de": "Alles zu meinem Haushalt jetzt löschen",
            "en": "Delete everything about my household now",
        },
        "rep.deleted": {
            "de": "Gelöscht. Es sind keine Daten Ihres Haushalts mehr in dieser Sitzung.",
            "en": "Deleted. No data of your household remain in this session.",
        },
    }
)

TEXTS.update(
    {
        "common.quality_line": {
            "de": "Datenqualität Ihrer Daten: {score} ({label}). Alle Zahlen auf dieser Seite beruhen darauf.",
            "en": "Quality of your data: {score} ({label}). Every figure on this page rests on it.",
        },
        "common.coverage_line": {
            "de": "Abdeckung Ihrer Daten: {score} der Intervalle mit Wert.",
            "en": "Coverage of your data: {score} of the intervals have a value.",
        },
    }
)

TEXTS.update(
    {
        "pv.filled_mostly": {
            "de": "Ihre Daten decken nur einen kleinen Teil des Jahres: {share} des Jahres stammen aus dem BDEW-Standardprofil H25, "
            "auf Ihren Verbrauch skaliert. Eigenverbrauch und Autarkie sind deshalb typische, keine eigenen Werte.",
            "en": "Your data cover only a small part of the year: {share} of the year comes from the BDEW standard profile H25 scaled "
            "to your consumption. Self-consumption and autarky are therefore typical, not your own values.",
        },
    }
)

TEXTS.update(
    {
        "ov.sig.kwh_line": {"de": "≈ {kwh} pro Jahr", "en": "≈ {kwh} per year"},
        "ov.sig.english": {"de": " (Befund der Analyse, englisch)", "en": " (analysis finding)"},
    }
)

# ---- Empfehlungen: fixed vs dynamic tariff (day-ahead prices), § 14a
TEXTS.update(
    {
        "tariff.title": {"de": "Festpreis oder dynamischer Stromtarif?", "en": "Fixed price or dynamic tariff?"},
        "tariff.what": {"de": "Der Tarifvergleich", "en": "The tariff comparison"},
        "tariff.needs_prices": {
            "de": "Der Vergleich mit einem **dynamischen Stromtarif** braucht stündliche Börsenstrompreise (Day-Ahead). "
            "Laden Sie dazu unten eine Preisdatei von SMARD hoch; ohne sie zeigen wir nur Ihren Festpreis-Tarif.",
            "en": "The comparison with a **dynamic tariff** needs hourly exchange prices (day-ahead). Upload a price file "
            "from SMARD below; without one we show only your fixed-price tariff.",
        },
        "tariff.fixed": {"de": "Festpreis-Tarif", "en": "Fixed-price tariff"},
        "tariff.dynamic": {"de": "Dynamischer Tarif", "en": "Dynamic tariff"},
        "tariff.shifted": {"de": "Dynamisch mit Verschieben", "en": "Dynamic with shifting"},
        "tariff.per_year": {"de": "pro Jahr", "en": "per year"},
        "tariff.verdict_cheaper": {
            "de": "Mit Ihrem Verbrauchsmuster wäre ein dynamischer Tarif etwa **{eur} pro Jahr günstiger** als Ihr Festpreis-Tarif.",
            "en": "With your load pattern a dynamic tariff would be about **{eur} per year cheaper** than your fixed price.",
        },
        "tariff.verdict_dearer": {
            "de": "Mit Ihrem Verbrauchsmuster wäre ein dynamischer Tarif etwa **{eur} pro Jahr teurer** als Ihr Festpreis-Tarif.",
            "en": "With your load pattern a dynamic tariff would cost about **{eur} per year more** than your fixed price.",
        },
        "tariff.verdict_shift": {
            "de": "Wer flexible Verbräuche ({kwh} im Jahr) in günstige Stunden verschiebt, spart im dynamischen Tarif weitere **{eur}**.",
            "en": "Moving flexible consumption ({kwh} a year) to cheap hours saves another **{eur}** in the dynamic tariff.",
        },
        "tariff.row.energy": {"de": "Arbeitspreis (Strom)", "en": "Energy"},
        "tariff.row.avg": {"de": "Mittlerer Preis", "en": "Average price"},
        "tariff.row.base": {"de": "Grundpreis", "en": "Base fee"},
        "tariff.row.meter": {"de": "Messstelle (Zähler)", "en": "Metering (meter)"},
        "tariff.row.total": {"de": "Summe pro Jahr", "en": "Total per year"},
        "tariff.meter.mME": {"de": "moderne Messeinrichtung", "en": "modern meter"},
        "tariff.meter.iMSys": {"de": "intelligentes Messsystem", "en": "smart meter gateway"},
        "tariff.prices_line": {
            "de": "Preise: {source} · Preisjahr {year} · {first} bis {last} ({origin}).",
            "en": "Prices: {source} · price year {year} · {first} to {last} ({origin}).",
        },
        "tariff.origin.upload": {"de": "Ihre hochgeladene Datei", "en": "your uploaded file"},
        "tariff.origin.operator": {"de": "vom Betreiber dieser Seite bereitgestellt", "en": "provided by the operator of this site"},
        "tariff.shifted_year": {
            "de": "Ihre Daten liegen außerhalb der Preisdaten; wir haben dieselben Wochentage {weeks} Wochen früher genommen.",
            "en": "Your data lie outside the price data; we used the same weekdays {weeks} weeks earlier.",
        },
        "tariff.fallback": {
            "de": "{n} Intervalle ohne passenden Börsenpreis wurden mit dem mittleren Preis derselben Wochenstunde bewertet.",
            "en": "{n} intervals without a matching exchange price were priced with the mean price of the same hour of the week.",
        },
        "tariff.how": {
            "de": "Jedes Messintervall Ihres Lastgangs × Börsenpreis derselben Stunde (Day-Ahead DE-LU) plus Netzentgelt, Stromsteuer, "
            "Konzessionsabgabe, Umlagen und Aufschlag des Anbieters, dazu die Mehrwertsteuer; Grundpreis und Messstellenentgelt kommen "
            "dazu (ein dynamischer Tarif braucht ein intelligentes Messsystem). „Mit Verschieben“: ein Teil des Abendverbrauchs und "
            "das Laden eines E-Autos wandern in die günstigsten Stunden desselben Tages. Auf ein Jahr hochgerechnet; alle Werte aus "
            "seeds/ mit Quelle und Datum. Vergangene Preise sagen künftige nicht sicher voraus.",
            "en": "Each metered interval of your load curve × the exchange price of that hour (day-ahead DE-LU) plus network charge, "
            "electricity tax, concession fee, levies and the supplier's markup, plus VAT; base fee and metering fee on top (a "
            "dynamic tariff needs a smart meter gateway). 'With shifting': part of the evening use and EV charging move to the "
            "cheapest hours of the same day. Scaled to one year; every value from seeds/ with source and date. Past prices do not "
            "reliably predict future ones.",
        },
        "tariff.upload_title": {"de": "Börsenstrompreise hochladen (SMARD)", "en": "Upload exchange prices (SMARD)"},
        "tariff.upload_where": {
            "de": "So bekommen Sie die Preisdatei (kostenlos, Bundesnetzagentur): **smard.de → Marktdaten → Großhandelspreise**, "
            "Auflösung **Stunde**, einen Zeitraum von einem Jahr wählen (z. B. das Jahr Ihrer Zählerdaten), dann **Download → CSV**. "
            "Die Datei enthält nur öffentliche Marktpreise, keine Daten über Sie.",
            "en": "How to get the price file (free, Federal Network Agency): **smard.de → Marktdaten (market data) → "
            "Großhandelspreise (wholesale prices)**, resolution **hour**, choose one year (e.g. the year of your meter data), then "
            "**Download → CSV**. The file holds only public market prices, nothing about you.",
        },
        "tariff.upload_label": {"de": "Preisdatei (CSV von SMARD)", "en": "Price file (CSV from SMARD)"},
        "tariff.upload_help": {
            "de": "SMARD-Export „Großhandelspreise“ (Semikolon, Spalte „Deutschland/Luxemburg [€/MWh]“) oder eine CSV mit den "
            "Spalten timestamp_utc und price_eur_mwh. Mindestens eine Woche Stundenwerte.",
            "en": "SMARD export 'Großhandelspreise' (semicolon, column 'Deutschland/Luxemburg [€/MWh]') or a CSV with the columns "
            "timestamp_utc and price_eur_mwh. At least one week of hourly values.",
        },
        "tariff.reading": {"de": "Preisdatei wird gelesen …", "en": "Reading the price file …"},
        "tariff.upload_ok": {
            "de": "Preisdatei **{label}** gelesen: {n} Stundenpreise, {first} bis {last}.",
            "en": "Price file **{label}** read: {n} hourly prices, {first} to {last}.",
        },
        "tariff.upload_error": {
            "de": "Diese Preisdatei konnte nicht gelesen werden.",
            "en": "This price file could not be read.",
        },
        "tariff.upload_error_detail": {"de": "Grund: {message}", "en": "Reason: {message}"},
        "tariff.upload_error_todo": {
            "de": "Bitte laden Sie die CSV-Datei unverändert so hoch, wie SMARD sie liefert (Großhandelspreise, Auflösung Stunde).",
            "en": "Please upload the CSV file unchanged, as SMARD delivers it (wholesale prices, resolution hour).",
        },
        "tariff.operator_error": {
            "de": "Die vom Betreiber eingestellte Preisdatei ist nicht lesbar ({message}); laden Sie selbst eine hoch.",
            "en": "The operator's price file cannot be read ({message}); upload one yourself.",
        },
        "tariff.p14a_title": {"de": "Netzentgelt-Rabatt nach § 14a EnWG", "en": "Network-charge reduction (§ 14a EnWG)"},
        "tariff.p14a_device.heat_pump": {"de": "Wärmepumpe", "en": "heat pump"},
        "tariff.p14a_device.ev": {"de": "Wallbox (E-Auto)", "en": "wallbox (EV)"},
        "tariff.p14a_device.heat_pump+ev": {"de": "Wärmepumpe und Wallbox", "en": "heat pump and wallbox"},
        "tariff.p14a_text": {
            "de": "Für Ihre {device} kann der Netzbetreiber die Leistung im Notfall drosseln; dafür sinkt Ihr Netzentgelt. "
            "**Modul 1** (Pauschale): {m1} pro Jahr. **Modul 2** (reduziertes Netzentgelt auf einem eigenen Zähler, abzüglich "
            "dessen Kosten): {m2} pro Jahr. Für Sie lohnt sich eher **Modul {best}**.",
            "en": "The network operator may throttle your {device} in an emergency; in return your network charge drops. "
            "**Module 1** (flat): {m1} per year. **Module 2** (reduced network charge on a separate meter, minus its cost): "
            "{m2} per year. **Module {best}** is the better choice for you.",
        },
        "tariff.p14a_m2_unknown": {
            "de": "nicht schätzbar (zu wenige Sommertage zum Vergleich)",
            "en": "cannot be estimated (too few summer days to compare)",
        },
        "start.synthetic_note": {
            "de": "Sie sehen den **Demo-Haushalt**: ein synthetisch erzeugter 3-Personen-Haushalt (Haus in Herne), "
            "keine echten Messdaten. Eigene Daten laden Sie oben hoch, oder geben Sie Ihren Jahresverbrauch an.",
            "en": "You are looking at the **demo household**: a synthetic 3-person household (house in Herne), "
            "not measured data. Upload your own data above, or enter your annual consumption.",
        },
        "tariff.price_year": {"de": "Preisjahr", "en": "price year"},
        "rep.no_prices": {
            "de": "Der Vergleich mit einem dynamischen Stromtarif kommt in den Bericht, sobald Sie auf der Seite "
            "**Empfehlungen** eine Preisdatei von SMARD hochladen.",
            "en": "The comparison with a dynamic tariff goes into the report once you upload a SMARD price file on the "
            "**Recommendations** page.",
        },
        # Start page: several meters in one file
        "start.meter_pick": {"de": "Welcher Zähler?", "en": "Which meter?"},
        "start.meter_pick_help": {
            "de": "Ihre Datei enthält mehrere Verbrauchskurven (z. B. zwei Zählpunkte). Wählen Sie die, die wir auswerten sollen.",
            "en": "Your file holds several consumption curves (e.g. two metering points). Choose the one to analyse.",
        },
        "start.meter_option": {
            "de": "Zähler {meter} · {first} – {last} · {kwh}",
            "en": "Meter {meter} · {first} – {last} · {kwh}",
        },
    }
)
