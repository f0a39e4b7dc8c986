"""Altair-Diagramme der Vergleich-Seite: Choroplethe (Altair-geoshape), Rangfolge, Bedarf/Angebot, Zeitreihe.

Alle vier hängen an einer gemeinsamen Auswahl `gebiet` (Klick nimmt ein Gebiet in den Vergleich auf oder heraus,
Doppelklick hebt auf); die Seite setzt den Anfangswert aus „Gebiete vergleichen“. Gewählte Gebiete haben in allen
Diagrammen dieselbe Farbe (Legende an der Zeitreihe), ihre Namen stehen an Punkten und Linienenden; sind es
höchstens `DIREKT` Gebiete, tragen alle Farbe und Namen. Zahlen deutsch (Vega-Locale `DEUTSCH` in der Konfiguration
des Diagramms: Streamlit reicht Vega-Embed-Optionen wie `formatLocale` nicht durch, `config.locale` schon).
Daten gehen als Datenwerte an Vega-Lite, nie als Text in eine Vorlage.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import altair as alt
import geopandas as gpd
import pandas as pd

from analysen.ausgleich import BIVARIAT_FARBEN

GEDIMMT = 0.3
BREITE, HOEHE = 330, 300
DIREKT = 10  # bis zu so vielen Gebieten stehen die Namen direkt an Punkten und Linien
UEBRIGE = "übrige Gebiete"
ALLE = "alle Gebiete"
GRAU = "#9aa0a6"
# Farben der verglichenen Gebiete (Tableau 10: unterscheidbar, auch in Graustufen verschieden hell)
FARBEN = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
          "#bab0ac")
HOECHSTENS = 6  # so viele Gebiete lassen sich nebeneinander vergleichen (Farben bleiben unterscheidbar)

# Deutsches Zahlen- und Datumsformat für Vega (d3-format/d3-time-format): 1.234,5 und „März 2024“
DEUTSCH = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]},
    "time": {
        "dateTime": "%A, %e. %B %Y, %X", "date": "%d.%m.%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
        "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                   "November", "Dezember"],
        "shortMonths": ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
    },
}


def deutsch(diagramm: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Setzt das deutsche Zahlen- und Datumsformat (Dezimalkomma, Tausenderpunkt, deutsche Monate)."""
    return diagramm.configure(locale=DEUTSCH)


@dataclass(frozen=True)
class Vergleichsfarben:
    """Welche Farbe jedes Gebiet trägt: gewählte (oder bei wenigen Gebieten alle) eine eigene, der Rest grau."""

    domain: list[str]
    range: list[str]
    beschriftet: frozenset[str]

    def gruppe(self, gebiet: str) -> str:
        if gebiet in self.beschriftet:
            return gebiet
        return UEBRIGE if UEBRIGE in self.domain else ALLE

    def skala(self) -> alt.Scale:
        return alt.Scale(domain=self.domain, range=self.range)


def vergleichsfarben(gebiete: list[str], gewaehlt: list[str]) -> Vergleichsfarben:
    """Gewählte Gebiete in eigenen Farben, die übrigen grau; ohne Wahl bei höchstens `DIREKT` Gebieten alle farbig."""
    gewaehlt = [g for g in dict.fromkeys(gewaehlt) if g in gebiete]
    if gewaehlt:
        farben = [FARBEN[i % len(FARBEN)] for i in range(len(gewaehlt))]
        rest = [UEBRIGE] if len(gewaehlt) < len(gebiete) else []
        return Vergleichsfarben([*gewaehlt, *rest], [*farben, *([GRAU] * len(rest))], frozenset(gewaehlt))
    if len(gebiete) <= DIREKT:
        return Vergleichsfarben(list(gebiete), [FARBEN[i % len(FARBEN)] for i in range(len(gebiete))],
                                frozenset(gebiete))
    return Vergleichsfarben([ALLE], ["#2c7fb8"], frozenset())


def _auswahl(gewaehlt: list[str]) -> alt.Parameter:
    return alt.selection_point(name="gebiet", fields=["gebiet"], on="click", clear="dblclick", toggle="true",
                               value=[{"gebiet": g} for g in gewaehlt] if gewaehlt else alt.Undefined)


def _deckkraft(sel: alt.Parameter) -> alt.ValueWithCondition:
    return alt.condition(sel, alt.value(1.0), alt.value(GEDIMMT))


def _farbe(f: Vergleichsfarben, *, legende: bool) -> alt.Color:
    return alt.Color("vergleich:N", scale=f.skala(), sort=f.domain,
                     legend=alt.Legend(title="Gebiete", orient="bottom", columns=2, labelLimit=230,
                                       symbolType="stroke", symbolStrokeWidth=3) if legende else None)


def diagramme(geo: gpd.GeoDataFrame, tabelle: pd.DataFrame, zeit: pd.DataFrame, *, achse: str, nenner: str,
              gewaehlt: list[str] | None = None, bivariat: bool = False) -> alt.VConcatChart:
    """Vier verbundene Diagramme. `geo`: Geometrie (EPSG:4326) mit Spalten gebiet, wert, hinweis[, bivariat_farbe];
    `tabelle`: gebiet, wert, beschriftung, bedarfsindex, versorgungsindex, hinweis; `zeit`: gebiet, jahr, wert.
    `gewaehlt`: Gebiete, die nebeneinander verglichen werden (eigene Farbe, Namen an Punkten und Linien)."""
    gewaehlt = [g for g in dict.fromkeys(gewaehlt or []) if g in set(tabelle["gebiet"])]
    f = vergleichsfarben(list(tabelle["gebiet"]), gewaehlt)
    tabelle = tabelle.assign(vergleich=tabelle["gebiet"].map(f.gruppe))
    zeit = zeit.assign(vergleich=zeit["gebiet"].map(f.gruppe))
    sel = _auswahl(gewaehlt)
    with warnings.catch_warnings():  # dieselbe Auswahl in allen vier Diagrammen ist gewollt
        warnings.filterwarnings("ignore", message=".*deduplicated selection parameter.*")
        # eigene Farbskalen: die Karte färbt nach Wert, die anderen nach Gebiet (gleiche Farben über Domain/Range)
        oben = alt.hconcat(_karte(geo, sel, achse=achse, nenner=nenner, bivariat=bivariat),
                           _rangfolge(tabelle, sel, f, achse=achse, nenner=nenner)).resolve_scale(color="independent")
        unten = alt.hconcat(_streuung(tabelle, sel, f),
                            _zeitreihe(zeit, sel, f, achse=achse, nenner=nenner)).resolve_scale(color="independent")
        diagramm = alt.vconcat(oben, unten).resolve_scale(color="independent")
        return deutsch(diagramm).configure_title(anchor="start")


def _karte(geo: gpd.GeoDataFrame, sel: alt.Parameter, *, achse: str, nenner: str, bivariat: bool) -> alt.Chart:
    tip = [alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("wert:Q", title=achse, format=",.2f"),
           alt.Tooltip("hinweis:N", title="Hinweis")]
    if bivariat:
        farbe = alt.Color("bivariat_farbe:N", scale=None)
        tip = [alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("bivariat_text:N", title="Bedarf × Versorgung")]
        titel = "Bedarf × Versorgung (Terzile, bivariat)"
    else:
        farbe = alt.Color("wert:Q", title=achse, scale=alt.Scale(scheme="orangered"),
                          legend=alt.Legend(orient="bottom", titleLimit=380, format=",.4~f"))
        titel = achse
    return (alt.Chart(_geodaten(geo)).mark_geoshape(stroke="#333333")
            .encode(color=farbe, opacity=_deckkraft(sel), tooltip=tip,
                    strokeWidth=alt.condition(sel, alt.value(2.5), alt.value(0.6)),
                    description=alt.Description("gebiet:N"))
            .project(type="mercator").add_params(sel)
            .properties(name="karte", width=BREITE, height=HOEHE,
                        title=alt.Title(f"Karte: {titel}", subtitle=nenner)))


def _rangfolge(tabelle: pd.DataFrame, sel: alt.Parameter, f: Vergleichsfarben, *, achse: str,
               nenner: str) -> alt.Chart:
    tip = [alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("wert:Q", title=achse, format=",.2f"),
           alt.Tooltip("hinweis:N", title="Hinweis")]
    return (alt.Chart(tabelle).mark_bar()
            .encode(y=alt.Y("beschriftung:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
                    x=alt.X("wert:Q", title=achse, axis=alt.Axis(format=",.4~f")), color=_farbe(f, legende=False),
                    opacity=_deckkraft(sel), tooltip=tip, description=alt.Description("gebiet:N"))
            .add_params(sel)
            .properties(name="rangfolge", width=BREITE, height=HOEHE,
                        title=alt.Title(f"Rangfolge: {achse}", subtitle=nenner)))


def _streuung(tabelle: pd.DataFrame, sel: alt.Parameter, f: Vergleichsfarben) -> alt.LayerChart:
    basis = alt.Chart(tabelle).encode(
        x=alt.X("bedarfsindex:Q", title="Bedarfsindex (Standardabweichungen; hoch = hoher Bedarf)",
                axis=alt.Axis(format=",.1~f")),
        y=alt.Y("versorgungsindex:Q", title="Versorgungsindex (Standardabweichungen; hoch = gut)",
                axis=alt.Axis(format=",.1~f")))
    null = pd.DataFrame({"null": [0.0]})
    mitte_x = alt.Chart(null).mark_rule(color="#767676", strokeDash=[4, 4]).encode(x="null:Q")
    mitte_y = alt.Chart(null).mark_rule(color="#767676", strokeDash=[4, 4]).encode(y="null:Q")
    punkte = basis.mark_circle(size=140, stroke="#ffffff", strokeWidth=1).encode(
        color=_farbe(f, legende=False), opacity=_deckkraft(sel), description=alt.Description("gebiet:N"),
        tooltip=[alt.Tooltip("gebiet:N", title="Gebiet"),
                 alt.Tooltip("bedarfsindex:Q", title="Bedarfsindex", format=",.2f"),
                 alt.Tooltip("versorgungsindex:Q", title="Versorgungsindex", format=",.2f")]
    ).add_params(sel).properties(name="streuung")
    namen = basis.transform_filter(alt.FieldOneOfPredicate(field="gebiet", oneOf=sorted(f.beschriftet))).mark_text(
        align="left", dx=9, fontSize=11, color="#1f2933").encode(text="gebiet:N", opacity=_deckkraft(sel))
    return alt.layer(mitte_x, mitte_y, punkte, namen).properties(
        width=BREITE, height=HOEHE,
        title=alt.Title("Bedarf gegen Angebot", subtitle="rechts unten: hoher Bedarf, geringe Versorgung"))


def _zeitreihe(zeit: pd.DataFrame, sel: alt.Parameter, f: Vergleichsfarben, *, achse: str,
               nenner: str) -> alt.LayerChart:
    basis = alt.Chart(zeit).encode(x=alt.X("jahr:O", title="Jahr", axis=alt.Axis(labelAngle=0)),
                                   y=alt.Y("wert:Q", title=achse, axis=alt.Axis(format=",.4~f")))
    linien = basis.mark_line(point=True).encode(
        color=_farbe(f, legende=True), detail="gebiet:N", opacity=_deckkraft(sel),
        strokeWidth=alt.condition(alt.FieldOneOfPredicate(field="gebiet", oneOf=sorted(f.beschriftet)),
                                  alt.value(2.5), alt.value(1.0)),
        description=alt.Description("gebiet:N"),
        tooltip=[alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("jahr:O", title="Jahr"),
                 alt.Tooltip("wert:Q", title=achse, format=",.2f")]).add_params(sel).properties(name="zeitreihe")
    letzte = zeit[zeit["gebiet"].isin(f.beschriftet) & zeit["wert"].notna()]
    letzte = letzte[letzte["jahr"] == letzte.groupby("gebiet")["jahr"].transform("max")]
    werte = zeit["wert"].dropna()
    spanne = float(werte.max() - werte.min()) if len(werte) else 0.0
    letzte = letzte.assign(name_y=entzerre(letzte["wert"], abstand=spanne * ZEILE_PX / HOEHE))
    # Namen am Linienende, so weit auseinandergeschoben, dass sie sich nicht überdecken (gleiche y-Skala)
    # dunkle Schrift (Kontrast 4,5:1 auch bei hellen Linienfarben); welche Linie, zeigt Lage und Legende
    namen = alt.Chart(letzte).mark_text(align="left", dx=6, fontSize=11, color="#1f2933").encode(
        x="jahr:O", y="name_y:Q", text="gebiet:N", opacity=_deckkraft(sel))
    return alt.layer(linien, namen).properties(width=BREITE, height=HOEHE,
                                                title=alt.Title(f"Zeitreihe: {achse}", subtitle=nenner))


ZEILE_PX = 13  # Mindestabstand zweier Namen am Linienende in Pixeln (Schrift 11 px)


def entzerre(werte: pd.Series, *, abstand: float) -> pd.Series:
    """Lagen für Beschriftungen: benachbarte Namen mindestens `abstand` auseinander, so nah am Wert wie möglich.

    Namen, die sich überdecken würden, bilden eine Gruppe, die gleichmäßig verteilt um den Mittelwert ihrer Werte
    steht; Gruppen, die dann zusammenstoßen, verschmelzen (wie bei Linienbeschriftungen in der Kartografie üblich).
    """
    if werte.empty or abstand <= 0:
        return werte.astype(float)
    reihe = werte.astype(float).sort_values(kind="stable")
    gruppen: list[list[float]] = [[v] for v in reihe]

    def unten(g: list[float]) -> float:
        return sum(g) / len(g) - (len(g) - 1) * abstand / 2

    verschmolzen = True
    while verschmolzen:
        verschmolzen = False
        for i in range(len(gruppen) - 1):
            if unten(gruppen[i + 1]) < unten(gruppen[i]) + len(gruppen[i]) * abstand - 1e-12:
                gruppen[i:i + 2] = [gruppen[i] + gruppen[i + 1]]
                verschmolzen = True
                break
    lagen = [unten(g) + k * abstand for g in gruppen for k in range(len(g))]
    return pd.Series(lagen, index=reihe.index).reindex(werte.index)


def _geodaten(geo: gpd.GeoDataFrame) -> alt.Data:
    """GeoJSON-Features mit den Eigenschaften auf oberster Ebene (so liest Vega sie), als Datenwerte."""
    import json

    import numpy as np

    werte = []
    for feature, (_, zeile) in zip(json.loads(geo.geometry.to_json())["features"], geo.iterrows(), strict=True):
        eigenschaften = {k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                         for k, v in zeile.drop(labels="geometry").items()}
        werte.append({"type": "Feature", "geometry": feature["geometry"], **eigenschaften})
    return alt.Data(values=werte)


def bivariat_legende() -> pd.DataFrame:
    """Textfassung der bivariaten Farben."""
    stufen = {"1": "niedrig", "2": "mittel", "3": "hoch"}
    return pd.DataFrame([{"Klasse": k, "Bedarf": stufen[k[1]], "Versorgung": stufen[k[3]], "Farbe": f}
                         for k, f in BIVARIAT_FARBEN.items()])


# Die vier Felder des Streudiagramms: Bedarf über/unter dem Mittel (x = 0), Versorgung über/unter dem Mittel (y = 0)
QUADRANTEN = (
    (True, False, "Rechts unten – Bedarf über, Versorgung unter dem Durchschnitt",
     "hier fehlt am ehesten Angebot; zuerst prüfen"),
    (True, True, "Rechts oben – Bedarf und Versorgung über dem Durchschnitt",
     "der hohe Bedarf ist gut versorgt; Angebot halten"),
    (False, False, "Links unten – Bedarf und Versorgung unter dem Durchschnitt",
     "wenig Angebot bei geringem Bedarf; beobachten"),
    (False, True, "Links oben – Bedarf unter, Versorgung über dem Durchschnitt",
     "gut versorgt bei geringem Bedarf"),
)


def quadranten(tabelle: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    """(Überschrift, Deutung, Gebiete mit Indexwerten) je Feld des Streudiagramms, aus den Daten.

    Bedarf „über dem Durchschnitt“ heißt Bedarfsindex > 0, Versorgung „über dem Durchschnitt“ Versorgungsindex ≥ 0
    (beide standardisiert: 0 = Mittel der Gebiete). Gebiete ohne einen der beiden Indizes fehlen. Innerhalb eines
    Feldes zuerst die mit dem größten Abstand zwischen Bedarf und Versorgung.
    """
    t = tabelle.dropna(subset=["bedarfsindex", "versorgungsindex"])
    t = t.assign(abstand=t["bedarfsindex"] - t["versorgungsindex"]).sort_values(["abstand", "gebiet"],
                                                                                ascending=[False, True])
    felder = []
    for hoch, gut, titel, deutung in QUADRANTEN:
        teil = t[((t["bedarfsindex"] > 0) == hoch) & ((t["versorgungsindex"] >= 0) == gut)]
        felder.append((titel, deutung, [f"{r.gebiet} (Bedarf {_z(r.bedarfsindex)}, Versorgung "
                                        f"{_z(r.versorgungsindex)})" for r in teil.itertuples()]))
    return felder


def _z(x: float) -> str:
    """Indexwert deutsch mit Vorzeichen und zwei Stellen: „+1,20“, „-0,80“, „0,00“."""
    text = f"{abs(float(x)):.2f}".replace(".", ",")
    return text if text == "0,00" else ("-" if x < 0 else "+") + text
