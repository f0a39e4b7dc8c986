"""Vergleichstabelle auf den Demo-Daten: Zeilen je Ebene, z-Werte und Index aus den Rohspalten nachrechenbar,
Anteile der Sozialräume nach eigener Bezugsgruppe, Jahr und Einrichtungsart zählen."""

import io

import numpy as np
import pandas as pd
import pytest

from analysen.angebot import bevoelkerungspunkte
from analysen.vergleich import ungleichheit, vergleiche
from daten.berichtsdaten import tabelle_als_csv
from daten.demo import demo_jahre
from daten.fehler import EingabeFehler

JAHR = demo_jahre().vorjahr  # jüngstes Indikatorjahr der Demo (mit heute geladen)


@pytest.fixture(scope="module")
def v(berichtsdaten, kommune):
    d = berichtsdaten
    punkte = bevoelkerungspunkte(d.stadtteile, crs_metrisch=kommune.crs_metrisch)
    return vergleiche(d.indikatoren, d.einrichtungen, kommune, jahr=JAHR, punkte=punkte,
                      budgets=d.budgets, netzwerke=d.netzwerke)


def test_zeilen_und_spalten(v, kommune):
    t = v.tabelle
    assert (t["ebene"] == "Stadtteil").sum() == 15 and (t["ebene"] == "Sozialraum").sum() == 10
    schluessel = [i.merkmal for i in kommune.bedarfsindex.indikatoren]
    assert [c for c in t if c.startswith("z_")] == [f"z_{k}" for k in schluessel]
    assert {"bedarfsindex", "bedarfsklasse", "statusklasse", "dynamikklasse", "versorgungsindex", "ausgleichsbedarf",
            "kita_plaetze_je_kind", "budget_je_kind_eur", "versorgt_kita"} <= set(t.columns)
    assert t.columns.get_loc("bedarfsindex") < t.columns.get_loc("summe_gewichtet")
    assert v.vergleichsjahr == JAHR - kommune.bedarfsindex.dynamik_abstand_jahre == JAHR - 2


def test_index_aus_den_rohspalten_nachrechenbar(v, kommune):
    for ebene in ("Stadtteil", "Sozialraum"):
        t = v.ebene(ebene)
        summe = 0
        for i in kommune.bedarfsindex.indikatoren:
            x = t[i.merkmal]
            assert np.allclose((x - x.mean()) / x.std(ddof=0), t[f"z_{i.merkmal}"])
            summe = summe + i.gewicht * t[f"z_{i.merkmal}"]
        assert np.allclose((summe - summe.mean()) / summe.std(ddof=0), t["bedarfsindex"])


def test_sozialraum_anteil_nach_eigener_bezugsgruppe(v, berichtsdaten):
    ind = berichtsdaten.indikatoren
    sr = "Drais, Lerchenberg, Marienborn"
    j = ind[(ind["jahr"] == JAHR) & (ind["sozialraum"] == sr)].pivot_table(index="stadtteil", columns="merkmal",
                                                                           values="wert")
    kinder = j["einwohner_u6"] + j["einwohner_6_14"]
    erwartet = (j["sgb2_quote_u15"] * kinder).sum() / kinder.sum()
    assert v.ebene("Sozialraum").loc[sr, "sgb2_quote_u15"] == pytest.approx(erwartet)
    mit_einwohnern = (j["sgb2_quote_u15"] * j["einwohner"]).sum() / j["einwohner"].sum()
    assert abs(erwartet - mit_einwohnern) > 1e-6  # der Unterschied ist messbar


def test_jahr_zaehlt(berichtsdaten, kommune):
    d = berichtsdaten
    a = vergleiche(d.indikatoren, d.einrichtungen, kommune, jahr=JAHR - 1).ebene("Stadtteil")
    b = vergleiche(d.indikatoren, d.einrichtungen, kommune, jahr=JAHR).ebene("Stadtteil")
    assert not np.allclose(a["einwohner"], b["einwohner"])
    ind = d.indikatoren
    assert b.loc["Mombach", "einwohner"] == ind[(ind["jahr"] == JAHR) & (ind["stadtteil"] == "Mombach") &
                                                (ind["merkmal"] == "einwohner")]["wert"].iloc[0]
    with pytest.raises(EingabeFehler, match="1999"):
        vergleiche(d.indikatoren, d.einrichtungen, kommune, jahr=1999)


def test_einrichtungsart_zaehlt(berichtsdaten, kommune):
    d = berichtsdaten
    ein = d.einrichtungen.copy()
    kita_vorher = vergleiche(d.indikatoren, ein, kommune, jahr=JAHR).ebene("Sozialraum")["kita_plaetze"]
    ein.loc[ein["art"] == "grundschule", "kapazitaet"] = 1000  # Schulplätze sind keine Kita-Plätze
    ein.loc[ein["art"] == "kijukuz", "art"] = "verein"
    nachher = vergleiche(d.indikatoren, ein, kommune, jahr=JAHR).ebene("Sozialraum")
    assert (nachher["kita_plaetze"] == kita_vorher).all()
    assert (nachher["anzahl_kijukuz"] == 0).all()


def test_csv_fuer_deutsches_excel(v):
    roh = tabelle_als_csv(v.tabelle)
    assert roh.startswith("\ufeff".encode())
    kopf, erste = roh.decode("utf-8-sig").splitlines()[:2]
    assert kopf.startswith('"ebene";"gebiet";"sozialraum";"jahr";') and "," in erste.split(";")[4 + 5]
    zurueck = pd.read_csv(io.BytesIO(roh), sep=";", decimal=",", encoding="utf-8-sig")
    assert np.allclose(zurueck["bedarfsindex"], v.tabelle["bedarfsindex"])


def test_ungleichheit(kommune, v):
    u = ungleichheit(v.tabelle, kommune).set_index("kennzahl")
    assert 0 <= u.loc["kita_plaetze_je_kind", "gini"] < 1 and u.loc["kita_plaetze_je_kind", "gebiete"] == 10
