"""Altair-Diagramme der Vergleich-Seite: Choroplethe (Altair-geoshape), Rangfolge, Bedarf/Angebot, Zeitreihe.

Alle vier hängen an einer gemeinsamen Auswahl `gebiet` (Klick wählt, Doppelklick hebt auf); die Seite setzt den
Anfangswert aus der Gebietsauswahl. Daten gehen als Datenwerte an Vega-Lite, nie als Text in eine Vorlage.
"""

from __future__ import annotations

import warnings

import altair as alt
import geopandas as gpd
import pandas as pd

from analysen.ausgleich import BIVARIAT_FARBEN

GEDIMMT = 0.3
BREITE, HOEHE = 330, 300


def _auswahl(gebiet: str | None) -> alt.Parameter:
    return alt.selection_point(name="gebiet", fields=["gebiet"], on="click", clear="dblclick",
                               value=[{"gebiet": gebiet}] if gebiet else alt.Undefined)


def _deckkraft(sel: alt.Parameter) -> alt.ValueWithCondition:
    return alt.condition(sel, alt.value(1.0), alt.value(GEDIMMT))


def diagramme(geo: gpd.GeoDataFrame, tabelle: pd.DataFrame, zeit: pd.DataFrame, *, achse: str, nenner: str,
              gebiet: str | None, bivariat: bool = False) -> alt.VConcatChart:
    """Vier verbundene Diagramme. `geo`: Geometrie (EPSG:4326) mit Spalten gebiet, wert, hinweis[, bivariat_farbe];
    `tabelle`: gebiet, wert, beschriftung, bedarfsindex, versorgungsindex, hinweis; `zeit`: gebiet, jahr, wert."""
    sel = _auswahl(gebiet)
    tip = [alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("wert:Q", title=achse, format=".2f"),
           alt.Tooltip("hinweis:N", title="Hinweis")]
    if bivariat:
        farbe = alt.Color("bivariat_farbe:N", scale=None)
        tip = [alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("bivariat_text:N", title="Bedarf × Versorgung")]
        titel = "Bedarf × Versorgung (Terzile, bivariat)"
    else:
        farbe = alt.Color("wert:Q", title=achse, scale=alt.Scale(scheme="orangered"),
                          legend=alt.Legend(orient="bottom", titleLimit=380))
        titel = achse
    karte = (alt.Chart(_geodaten(geo)).mark_geoshape(stroke="#333333")
             .encode(color=farbe, opacity=_deckkraft(sel), tooltip=tip,
                     strokeWidth=alt.condition(sel, alt.value(2.5), alt.value(0.6)),
                     description=alt.Description("gebiet:N"))
             .project(type="mercator").add_params(sel)
             .properties(width=BREITE, height=HOEHE, title=alt.Title(f"Karte: {titel}", subtitle=nenner)))
    balken = (alt.Chart(tabelle).mark_bar()
              .encode(y=alt.Y("beschriftung:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
                      x=alt.X("wert:Q", title=achse), color=alt.value("#d94801"), opacity=_deckkraft(sel),
                      tooltip=tip, description=alt.Description("gebiet:N"))
              .add_params(sel)
              .properties(width=BREITE, height=HOEHE, title=alt.Title(f"Rangfolge: {achse}", subtitle=nenner)))
    streu = (alt.Chart(tabelle).mark_circle(size=140, color="#2c7fb8")
             .encode(x=alt.X("bedarfsindex:Q", title="Bedarfsindex (Standardabweichungen; hoch = hoher Bedarf)"),
                     y=alt.Y("versorgungsindex:Q", title="Versorgungsindex (Standardabweichungen; hoch = gut)"),
                     opacity=_deckkraft(sel), description=alt.Description("gebiet:N"),
                     tooltip=[alt.Tooltip("gebiet:N", title="Gebiet"),
                              alt.Tooltip("bedarfsindex:Q", title="Bedarfsindex", format=".2f"),
                              alt.Tooltip("versorgungsindex:Q", title="Versorgungsindex", format=".2f")])
             .add_params(sel)
             .properties(width=BREITE, height=HOEHE, title=alt.Title(
                 "Bedarf gegen Angebot", subtitle="rechts unten: hoher Bedarf, geringe Versorgung")))
    linie = (alt.Chart(zeit).mark_line(point=True, color="#636363")
             .encode(x=alt.X("jahr:O", title="Jahr"), y=alt.Y("wert:Q", title=achse), detail="gebiet:N",
                     opacity=_deckkraft(sel), strokeWidth=alt.condition(sel, alt.value(3.5), alt.value(1.0)),
                     description=alt.Description("gebiet:N"),
                     tooltip=[alt.Tooltip("gebiet:N", title="Gebiet"), alt.Tooltip("jahr:O", title="Jahr"),
                              alt.Tooltip("wert:Q", title=achse, format=".2f")])
             .add_params(sel)
             .properties(width=BREITE, height=HOEHE, title=alt.Title(f"Zeitreihe: {achse}", subtitle=nenner)))
    with warnings.catch_warnings():  # dieselbe Auswahl in allen vier Diagrammen ist gewollt
        warnings.filterwarnings("ignore", message=".*deduplicated selection parameter.*")
        return alt.vconcat(alt.hconcat(karte, balken), alt.hconcat(streu, linie)).configure_title(anchor="start")


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
