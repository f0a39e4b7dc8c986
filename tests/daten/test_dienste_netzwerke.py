"""Dienst Netzwerke: anlegen, umbenennen, Status, Mitglieder, Koordination, Konflikte – beide Backends."""

import pytest
from sqlalchemy import select

from daten import dienste
from daten import modelle as m
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste import netzwerke as dn
from daten.dienste import verlauf as dv
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler
from daten.politik import Akteur


def _einrichtungen(w, n=3):  # noqa: ANN001, ANN202
    admin = Akteur("admin", "admin")
    return [dienste.ausfuehren(w.engine, admin, de.lege_einrichtung_an, kommune=w.kommune, name=f"Einrichtung {i}",
                               art="verein", traeger_art="frei", punkt=w.mitte("Mombach", dx=0.003 * i)).id
            for i in range(n)]


def _netz(w):  # noqa: ANN001, ANN202
    with sitzung(w.engine, akteur=None) as s:
        n = s.scalar(select(m.Netzwerk))
        return n, sorted(e.id for e in n.mitglieder)


def test_netzwerk_lebenszyklus(welt):
    a, b, c = _einrichtungen(welt)
    tl = welt.tl("Mombach")
    n = dienste.ausfuehren(welt.engine, tl, dn.lege_netzwerk_an, name=" Stadtteil-AG Mombach ", status="besteht",
                           sozialraum_id=welt.sozialraum["Mombach"], mitglieder=[a, b])
    gespeichert, mitglieder = _netz(welt)
    assert gespeichert.name == "Stadtteil-AG Mombach" and mitglieder == [a, b] and gespeichert.bestaetigt_von == "tl"
    dienste.ausfuehren(welt.engine, tl, dn.aendere_netzwerk, netzwerk_id=n.id, version=1, name="AG Mombach",
                       status="soll entwickelt werden", koordination_id=c)
    gespeichert, mitglieder = _netz(welt)
    assert (gespeichert.name, gespeichert.status, gespeichert.koordination_id) == ("AG Mombach",
                                                                                   "soll entwickelt werden", c)
    assert mitglieder == [a, b, c]  # die Koordination ist Mitglied geworden
    with pytest.raises(EingabeFehler, match="koordinierende Einrichtung kann nicht entfernt"):
        dienste.ausfuehren(welt.engine, tl, dn.setze_mitglieder, netzwerk_id=n.id, version=2, weg=[c])
    dienste.ausfuehren(welt.engine, tl, dn.setze_mitglieder, netzwerk_id=n.id, version=2, weg=[a])
    gespeichert, mitglieder = _netz(welt)
    assert mitglieder == [b, c] and gespeichert.version == 3  # Mitgliederänderung erhöht den Stand
    with sitzung(welt.engine, akteur=None) as s:
        assert [e.version for e in dv.verlauf(s, "netzwerk", n.id)] == [3, 2, 1]


def test_formular_speichern_in_einer_transaktion(welt):
    a, b, c = _einrichtungen(welt)
    tl = welt.tl("Mombach")
    n = dienste.ausfuehren(welt.engine, tl, dn.lege_netzwerk_an, name="AG", status="besteht",
                           sozialraum_id=welt.sozialraum["Mombach"], mitglieder=[a], koordination_id=a)
    dienste.ausfuehren(welt.engine, tl, dn.speichere_netzwerk, netzwerk_id=n.id, version=1, mitglieder=[b, c],
                       koordination_id=b,
                       name="AG neu")
    gespeichert, mitglieder = _netz(welt)
    assert (gespeichert.name, gespeichert.koordination_id, mitglieder) == ("AG neu", b, [b, c])
    with pytest.raises(KonfliktFehler):
        dienste.ausfuehren(welt.engine, tl, dn.speichere_netzwerk, netzwerk_id=n.id, version=1, mitglieder=[a])
    assert _netz(welt)[1] == [b, c]


def test_falsche_werte_und_rechte(welt):
    (a,) = _einrichtungen(welt, 1)
    tl = welt.tl("Mombach")
    with pytest.raises(EingabeFehler, match="Status „aktiv“ ist unbekannt. Erlaubt: besteht, soll entwickelt werden"):
        dienste.ausfuehren(welt.engine, tl, dn.lege_netzwerk_an, name="X", status="aktiv",
                           sozialraum_id=welt.sozialraum["Mombach"])
    with pytest.raises(EingabeFehler, match="Nr. 9999 gibt es nicht"):
        dienste.ausfuehren(welt.engine, tl, dn.lege_netzwerk_an, name="X", status="besteht",
                           sozialraum_id=welt.sozialraum["Mombach"], mitglieder=[9999])
    with pytest.raises(RechteFehler, match="Neustadt"):
        dienste.ausfuehren(welt.engine, tl, dn.lege_netzwerk_an, name="X", status="besteht",
                           sozialraum_id=welt.sozialraum["Neustadt"])
    with pytest.raises(RechteFehler):  # stadtweite Netzwerke pflegt die Administration
        dienste.ausfuehren(welt.engine, tl, dn.lege_netzwerk_an, name="X", status="besteht", sozialraum_id=None)
    n = dienste.ausfuehren(welt.engine, tl, dn.lege_netzwerk_an, name="X", status="besteht",
                           sozialraum_id=welt.sozialraum["Mombach"], mitglieder=[a])
    with pytest.raises(RechteFehler):
        dienste.ausfuehren(welt.engine, Akteur("lenkung", "lenkungsgruppe"), dn.setze_mitglieder, netzwerk_id=n.id,
                           version=1,
                           weg=[a])
    assert _netz(welt)[1] == [a]
