"""Frische: Stufen, Liste der fälligen Einträge je Rolle und Sozialraum, Spalte `frische` im Repository."""

from datetime import date

import pytest

from daten import dienste
from daten import modelle as m
from daten import repository as repo
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste import frische
from daten.dienste import netzwerke as dn
from daten.politik import SYSTEM, Akteur

HEUTE = date(2026, 11, 25)


@pytest.mark.parametrize(("tag", "monate", "erwartet"), [
    (date(2026, 11, 25), 12, date(2025, 11, 25)),
    (date(2026, 3, 31), 1, date(2026, 2, 28)),
    (date(2024, 3, 31), 1, date(2024, 2, 29)),
    (date(2026, 1, 15), 13, date(2024, 12, 15)),
])
def test_monate_zurueck(tag, monate, erwartet):
    assert frische.monate_zurueck(tag, monate) == erwartet


@pytest.mark.parametrize(("bestaetigt", "stufe"), [
    (date(2026, 11, 1), "aktuell"), (date(2025, 12, 1), "bald fällig"), (date(2025, 11, 25), "bald fällig"),
    (date(2025, 11, 24), "überfällig"), (None, "überfällig"),
])
def test_frische_stufe(bestaetigt, stufe):
    assert frische.frische_stufe(bestaetigt, heute=HEUTE, monate=12) == stufe


def _einrichtung(w, stadtteil, name, bestaetigt, **kw):  # noqa: ANN001, ANN202
    e = dienste.ausfuehren(w.engine, SYSTEM, de.lege_einrichtung_an, kommune=w.kommune, name=name, art="kita",
                           traeger_art="frei", punkt=w.mitte(stadtteil, dx=len(name) * 0.001), **kw)
    with sitzung(w.engine, akteur=SYSTEM) as s:
        s.get(m.Einrichtung, e.id).bestaetigt_am = bestaetigt
    return e.id


def test_faellige_eintraege_je_rolle(welt):
    alt = _einrichtung(welt, "Mombach", "Alt", date(2025, 1, 1))
    _einrichtung(welt, "Mombach", "Frisch", date(2026, 10, 1))
    _einrichtung(welt, "Mombach", "Geschlossen", date(2020, 1, 1), gueltig_bis=date(2026, 1, 1))
    nie = _einrichtung(welt, "Mombach", "Nie bestätigt", None)
    fremd = _einrichtung(welt, "Neustadt", "Fremd", date(2024, 1, 1))
    n = dienste.ausfuehren(welt.engine, SYSTEM, dn.lege_netzwerk_an, name="AG", status="besteht",
                           sozialraum_id=welt.sozialraum["Mombach"])
    with sitzung(welt.engine, akteur=SYSTEM) as s:
        s.get(m.Netzwerk, n.id).bestaetigt_am = date(2025, 6, 1)
    with sitzung(welt.engine, akteur=None) as s:
        tl = frische.faellige_eintraege(s, welt.tl("Mombach"), monate=12, heute=HEUTE)
        admin = frische.faellige_eintraege(s, Akteur("a", "admin"), monate=12, heute=HEUTE)
        lenkung = frische.faellige_eintraege(s, Akteur("l", "lenkungsgruppe"), monate=12, heute=HEUTE)
        kurz = frische.faellige_eintraege(s, welt.tl("Mombach"), monate=24, heute=HEUTE)
    assert [(f.tabelle, f.id) for f in tl] == [("einrichtung", nie), ("einrichtung", alt), ("netzwerk", n.id)]
    assert {f.id for f in admin if f.tabelle == "einrichtung"} == {nie, alt, fremd}
    assert lenkung == []
    assert [f.id for f in kurz] == [nie]  # Einstellung 24 Monate: nur der nie bestätigte
    # ein Klick „stimmt noch“ nimmt den Eintrag von der Liste
    f = tl[1]
    dienste.ausfuehren(welt.engine, welt.tl("Mombach"), de.bestaetige_einrichtung, einrichtung_id=f.id,
                       version=f.version)
    with sitzung(welt.engine, akteur=None) as s:
        danach = frische.faellige_eintraege(s, welt.tl("Mombach"), monate=12)
    assert ("einrichtung", alt) not in [(x.tabelle, x.id) for x in danach] and len(danach) == 2


def test_repository_liefert_spalte_frische(welt):
    _einrichtung(welt, "Mombach", "Alt", date(2020, 1, 1))
    _einrichtung(welt, "Mombach", "Neu", date.today())
    with sitzung(welt.engine, akteur=None) as s:
        gdf = repo.einrichtungen(session=s, kommune=welt.kommune)
    assert dict(zip(gdf["name"], gdf["frische"], strict=True)) == {"Alt": "überfällig", "Neu": "aktuell"}
    assert "bestaetigt_am" in gdf.columns
