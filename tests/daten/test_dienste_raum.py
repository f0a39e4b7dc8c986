"""Koordinaten lesen und Bezugssystem erkennen: aus Wertebereich und Stadtgebiet, nie still geraten."""

import pytest
import shapely

from daten.db import sitzung
from daten.dienste import raum
from daten.dienste.ausnahmen import MehrdeutigeKoordinaten
from daten.fehler import EingabeFehler
from daten.geometrie import nach_metrisch


@pytest.mark.parametrize(("text", "erwartet"), [
    ("49,9987; 8,2711", (49.9987, 8.2711)),
    ("49.9987, 8.2711", (49.9987, 8.2711)),
    ("49.9987,8.2711", (49.9987, 8.2711)),
    ("447123 5540123", (447123.0, 5540123.0)),
    ("  49,99 ; 8,27 ", (49.99, 8.27)),
])
def test_zahlenpaar_lesen(text, erwartet):
    assert raum.lies_zahlenpaar(text) == pytest.approx(erwartet)


@pytest.mark.parametrize("text", ["", "49,9987", "1 2 3", "abc; def", "49,99,8,27", "nan; 8", "inf 3"])
def test_zahlenpaar_falsch_gibt_deutsche_meldung(text):
    with pytest.raises(EingabeFehler, match="Koordinaten|Zahl"):
        raum.lies_zahlenpaar(text)


def test_alle_vier_lesarten_werden_erkannt_und_benannt(welt_sqlite):
    w = welt_sqlite
    p = w.mitte("Altstadt")
    pm = nach_metrisch(p, crs_metrisch=w.kommune.crs_metrisch)
    with sitzung(w.engine, akteur=None) as s:
        faelle = {
            f"{p.y:.6f}; {p.x:.6f}": "Breite",
            f"{p.x:.6f}; {p.y:.6f}": "Reihenfolge Länge",
            f"{pm.x:.1f} {pm.y:.1f}": "(Ostwert, Nordwert)",
            f"{pm.y:.1f} {pm.x:.1f}": "(Nordwert, Ostwert)",
        }
        for text, merkmal in faelle.items():
            d = raum.deute_koordinaten(s, text, kommune=w.kommune)
            assert merkmal in d.beschreibung, (text, d.beschreibung)
            assert nach_metrisch(d.punkt, crs_metrisch=25832).distance(pm) < 0.5
            assert raum.verorte(s, d.punkt, kommune=w.kommune).stadtteil == "Altstadt"


def test_weit_weg_oder_unpassend_wird_abgelehnt_mit_begruendung(welt_sqlite):
    w = welt_sqlite
    with sitzung(w.engine, akteur=None) as s:
        with pytest.raises(EingabeFehler, match="keiner Lesart in der Nähe.*Breite 52.5"):
            raum.deute_koordinaten(s, "52,52; 13,40", kommune=w.kommune)  # Berlin
        with pytest.raises(EingabeFehler, match="passen zu keinem Bezugssystem"):
            raum.deute_koordinaten(s, "1234 5678", kommune=w.kommune)
        with pytest.raises(EingabeFehler, match="Bezugssystem „EPSG:3857“ unbekannt"):
            raum.deute_koordinaten(s, "1 2", kommune=w.kommune, crs="EPSG:3857")
        # ausdrücklich WGS84 gewählt: Meterwerte werden nicht umgedeutet
        with pytest.raises(EingabeFehler):
            raum.deute_koordinaten(s, "447123 5540123", kommune=w.kommune, crs="EPSG:4326")


def test_mehrdeutig_wird_gefragt(welt_sqlite, monkeypatch):
    """Liegen zwei Lesarten nahe der Stadt (Breite ≈ Länge), wird nicht geraten, sondern gefragt."""
    w = welt_sqlite
    quadrat = shapely.box(8.0, 8.0, 9.0, 9.0)  # eine „Stadt“ auf der Diagonalen Breite = Länge
    monkeypatch.setattr(raum, "stadtgebiet", lambda _s: quadrat)
    with sitzung(w.engine, akteur=None) as s:
        with pytest.raises(MehrdeutigeKoordinaten) as info:
            raum.deute_koordinaten(s, "8,2; 8,6", kommune=w.kommune)
        assert len(info.value.deutungen) == 2
        assert "Bezugssystem auswählen" in str(info.value)
        eindeutig = raum.deute_koordinaten(s, "8,2; 8,6", kommune=w.kommune, crs="EPSG:4326")
    assert "Breite 8.2" in eindeutig.beschreibung


def test_ohne_stadtteilgrenzen_klare_meldung(tmp_path, kommune):
    from daten.db import erstelle_engine
    from daten.laden import initialisiere

    engine = erstelle_engine(f"sqlite:///{tmp_path / 'leer.db'}")
    initialisiere(engine, kommune)
    with sitzung(engine, akteur=None) as s, pytest.raises(EingabeFehler, match="keine Stadtteilgrenzen"):
        raum.verorte(s, shapely.Point(8.25, 50.0), kommune=kommune)
    engine.dispose()
