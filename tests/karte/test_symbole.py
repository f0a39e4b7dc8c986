"""Kartensymbole: zweiter Kanal (Form) und 3:1-Kontrast (WCAG 1.4.11), berechnet aus den konfigurierten Farben.

Hintergründe = typische Flächenfarben jeder angebotenen Hintergrundkarte, ohne Kacheln der neutrale Grund,
darüber jede Choroplethen-Klasse (mit ihrer Deckkraft 0,7) und ein Einzugsbereich (8 %).
"""

from __future__ import annotations

import json

import pytest

from karte import baue_karte
from karte.choropleth import FARBEN, KEINE_DATEN
from karte.netze import NETZ_FARBEN
from karte.symbole import DUNKEL, HELL, kontrast, legenden_svg, luminanz, ringe, symbol_fuer
from tests.karte.conftest import entpackt

CHORO_DECKKRAFT = 0.7  # karte/flaechen.py: fillOpacity der Choroplethe
# Typische Flächenfarben der Hintergründe (gemessen an den Kacheln):
# Land, Wasser, Straße, Grün, Gebäude, Wald – und der neutrale Grund ohne Kacheln.
FLAECHENFARBEN = {
    "osm": ["#f2efe9", "#aad3df", "#ffffff", "#c8facc", "#d9d0c9", "#add19e", "#f7fabf", "#e0dfdf"],
    "basemapde": ["#f5f3ef", "#a6cae0", "#ffffff", "#d3e8c4", "#dad1c6", "#b6d6a1", "#fcd6a4"],
    "keine": ["#f3f1ec"],
}


def mische(vorne: str, hinten: str, deckkraft: float) -> str:
    """`vorne` mit `deckkraft` über `hinten` (wie eine halbtransparente Fläche auf der Karte)."""
    kanaele = [round(deckkraft * int(vorne[i:i + 2], 16) + (1 - deckkraft) * int(hinten[i:i + 2], 16))
               for i in (1, 3, 5)]
    return "#" + "".join(f"{k:02x}" for k in kanaele)


def hintergruende(kommune) -> list[str]:
    grund = [f for farben in FLAECHENFARBEN.values() for f in farben]
    choro = [mische(c, g, CHORO_DECKKRAFT) for c in [*FARBEN, KEINE_DATEN] for g in grund]
    einzug = [mische(a.farbe, g, 0.08) for a in kommune.einrichtungsarten for g in grund]
    return sorted(set(grund + choro + einzug))


def test_kontrast_nach_wcag():
    assert kontrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert kontrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert luminanz("#ffffff") == pytest.approx(1.0) and luminanz("#000000") == 0.0
    assert mische("#000000", "#ffffff", 0.5) in ("#7f7f7f", "#808080")


def test_symbole_aller_arten_mit_3_zu_1_auf_jedem_hintergrund(daten, kommune):
    """Aus der gebauten Karte: jede Art trägt die Ringe, die ihre Farbe braucht, und die Kante hält 3:1."""
    daten["einrichtungen"]["art"] = [a.schluessel for a in kommune.einrichtungsarten][:1] * len(
        daten["einrichtungen"])
    gruende = hintergruende(kommune)
    for art in kommune.einrichtungsarten:
        innen, aussen = ringe(art.farbe)
        assert kontrast(art.farbe, innen) >= 3, f"{art.schluessel}: Füllung hebt sich nicht vom Ring ab"
        for grund in gruende:  # die äußere Kante (äußerer Ring, sonst der innere) hebt sich vom Grund ab
            assert max(kontrast(aussen, grund), kontrast(innen, grund)) >= 3, (art.schluessel, grund)
    # die Karte zeichnet wirklich mit diesen Ringen (Werte aus dem Datenpaket)
    for i, art in enumerate(kommune.einrichtungsarten[:3]):
        daten["einrichtungen"]["art"] = art.schluessel
        d = next(v for v in entpackt(baue_karte(**daten, kommune=kommune)).values() if "farbe" in v)
        assert (d["farbe"], d["innen"], d["aussen"]) == (art.farbe, *ringe(art.farbe)), art.schluessel
        assert i == 0 or d["form"] is not None


def test_gremium_ring_netzknoten_und_linien_halten_3_zu_1(kommune):
    for grund in hintergruende(kommune):
        assert max(kontrast(DUNKEL, grund), kontrast(HELL, grund)) >= 3  # Kreis um Gremiumsmitglieder
        for c in NETZ_FARBEN:  # Knoten und Linien: Netzfarbe mit weißem Saum
            assert max(kontrast(c, grund), kontrast(HELL, grund)) >= 3, (c, grund)
    for c in NETZ_FARBEN:
        assert kontrast(c, HELL) >= 3, f"Netzfarbe {c} verschwindet in ihrem weißen Saum"


def test_jede_art_eine_eigene_form(kommune):
    formen = [symbol_fuer(i) for i in range(len(kommune.einrichtungsarten))]
    assert len(set(formen)) == len(formen)  # nicht nur die Farbe unterscheidet (WCAG 1.4.1)


def test_legende_zeigt_dieselbe_form(kommune):
    form, loch = symbol_fuer(9)  # zweite Runde: mit Loch
    svg = legenden_svg(form, loch, "#2166ac")
    assert loch and "<circle" in svg and 'fill="#2166ac"' in svg and 'aria-hidden="true"' in svg
    assert json.dumps(form) and form != "kreis"
