"""Dienst Einrichtungen auf SQLite und PostGIS: Regeln, deutsche Meldungen, Rechte, Konflikte, Schließen."""

from datetime import date

import pytest
import shapely
from sqlalchemy import func, select

from daten import dienste
from daten import modelle as m
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste.ausnahmen import DublettenWarnung
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler
from daten.politik import SYSTEM, Akteur

ADMIN = Akteur("admin", "admin")
LENKUNG = Akteur("lenkung", "lenkungsgruppe")


def _anlegen(w, akteur, stadtteil="Neustadt", **kw):  # noqa: ANN001, ANN202
    werte = {"name": "Kita Regenbogen", "art": "kita", "traeger_art": "frei"} | kw
    punkt = werte.pop("punkt", None) or w.mitte(stadtteil)
    return dienste.ausfuehren(w.engine, akteur, de.lege_einrichtung_an, kommune=w.kommune, punkt=punkt, **werte)


def _lies(w, eid):  # noqa: ANN001, ANN202
    with sitzung(w.engine, akteur=None) as s:
        e = s.get(m.Einrichtung, eid)
        return e, e.stadtteil.name, e.stadtteil.sozialraum_id


def test_anlegen_ordnet_stadtteil_und_sozialraum_aus_der_geometrie_zu(welt):
    tl = welt.tl("Drais, Lerchenberg, Marienborn")
    e = _anlegen(welt, tl, "Lerchenberg", zielgruppen=["Kinder 0–6", "Kinder 0–6", " "], angebote="Frühstück\n\nSport",
                 kapazitaet=45.0, gueltig_von=date(2025, 8, 1))
    gespeichert, stadtteil, sr = _lies(welt, e.id)
    assert stadtteil == "Lerchenberg" and sr == welt.sozialraum["Drais, Lerchenberg, Marienborn"]
    assert gespeichert.zielgruppen == ["Kinder 0–6"] and gespeichert.angebote == ["Frühstück", "Sport"]
    assert gespeichert.kapazitaet == 45 and gespeichert.version == 1
    assert gespeichert.bestaetigt_am == date.today() and gespeichert.bestaetigt_von == "tl"


def test_punkt_ausserhalb_der_stadt_wird_abgelehnt(welt):
    with pytest.raises(EingabeFehler, match="außerhalb des Stadtgebiets"):
        _anlegen(welt, ADMIN, punkt=shapely.Point(13.4, 52.5))  # Berlin
    with sitzung(welt.engine, akteur=None) as s:
        assert s.scalar(select(func.count()).select_from(m.Einrichtung)) == 0


def test_teamleitung_darf_nicht_im_fremden_sozialraum_anlegen_admin_schon(welt):
    tl = welt.tl("Mombach")
    with pytest.raises(RechteFehler, match="Sozialraum Neustadt.*pflegen Sie nur Mombach"):
        _anlegen(welt, tl, "Neustadt")
    assert _anlegen(welt, ADMIN, "Neustadt").id


def test_unbekannte_art_und_traegerart_nennen_die_erlaubten_werte(welt):
    with pytest.raises(EingabeFehler, match=r"„zoo“ ist unbekannt\. Erlaubt: asd \(ASD-Dienststelle\), kita"):
        _anlegen(welt, ADMIN, art="zoo")
    with pytest.raises(EingabeFehler, match=r"Trägerart „kirchlich“ ist unbekannt\. Erlaubt: staedtisch"):
        _anlegen(welt, ADMIN, traeger_art="kirchlich")
    with pytest.raises(EingabeFehler, match="Name“ ist leer"):
        _anlegen(welt, ADMIN, name="   ")
    with pytest.raises(EingabeFehler, match="liegt vor „gültig von“"):
        _anlegen(welt, ADMIN, gueltig_von=date(2026, 1, 1), gueltig_bis=date(2025, 1, 1))


def test_dublette_warnt_mit_dem_bestehenden_eintrag_und_laesst_sich_bestaetigen(welt):
    erste = _anlegen(welt, ADMIN, name="Städtische Kita Regenbogen", adresse="Hauptstr. 1")
    nah = welt.mitte("Neustadt", dx=0.0003)  # etwa 21 m östlich
    with pytest.raises(DublettenWarnung) as w:
        _anlegen(welt, ADMIN, name="Kita Regenbogen", punkt=nah)
    (d,) = w.value.dubletten
    assert d.id == erste.id and d.adresse == "Hauptstr. 1" and 15 < d.abstand_m < 30
    assert "Städtische Kita Regenbogen" in str(w.value)
    # anderer Name, andere Art oder weiter weg: keine Warnung
    _anlegen(welt, ADMIN, name="Kita Sonnenblume", punkt=nah)
    _anlegen(welt, ADMIN, name="Kita Regenbogen", art="kijukuz", punkt=nah)
    _anlegen(welt, ADMIN, name="Kita Regenbogen", punkt=welt.mitte("Neustadt", dx=0.001))  # ~70 m
    zweite = _anlegen(welt, ADMIN, name="Kita Regenbogen", punkt=nah, trotz_dublette=True)
    assert zweite.id != erste.id


def test_aendern_mit_veraltetem_stand_gibt_konflikt_statt_zu_ueberschreiben(welt):
    tl = welt.tl("Neustadt")
    e = _anlegen(welt, tl)
    dienste.ausfuehren(welt.engine, Akteur("andere", "teamleitung", welt.sozialraum["Neustadt"]),
                       de.aendere_einrichtung, einrichtung_id=e.id, version=1, kommune=welt.kommune, kapazitaet=30)
    with pytest.raises(KonfliktFehler, match="inzwischen von andere .* geändert.*Stand 2.*Stand 1"):
        dienste.ausfuehren(welt.engine, tl, de.aendere_einrichtung, einrichtung_id=e.id, version=1,
                           kommune=welt.kommune,
                           kapazitaet=99)
    gespeichert, *_ = _lies(welt, e.id)
    assert (gespeichert.kapazitaet, gespeichert.version) == (30, 2)


def test_aendern_jedes_feldes_und_unbekannte_felder(welt):
    e = _anlegen(welt, ADMIN)
    neu = {"name": "Kita am Park", "art": "kijukuz", "traeger_art": "staedtisch", "traeger": "Stadt Mainz",
           "adresse": "Parkweg 2", "zielgruppen": ["Jugendliche"], "angebote": ["Offener Treff"], "kapazitaet": 12,
           "gueltig_von": date(2024, 1, 1), "gueltig_bis": date(2030, 12, 31), "schliessgrund": None}
    dienste.ausfuehren(welt.engine, ADMIN, de.aendere_einrichtung, einrichtung_id=e.id, version=1,
                       kommune=welt.kommune, **neu)
    gespeichert, *_ = _lies(welt, e.id)
    assert {k: getattr(gespeichert, k) for k in neu} == neu and gespeichert.version == 2
    with pytest.raises(EingabeFehler, match="Unbekannte Felder: stadtteil_id"):
        dienste.ausfuehren(welt.engine, ADMIN, de.aendere_einrichtung, einrichtung_id=e.id, version=2,
                           kommune=welt.kommune,
                           stadtteil_id=3)


def test_verschieben_bestimmt_stadtteil_neu_und_prueft_beide_sozialraeume(welt):
    tl = welt.tl("Drais, Lerchenberg, Marienborn")
    e = _anlegen(welt, tl, "Drais")
    dienste.ausfuehren(welt.engine, tl, de.verschiebe_einrichtung, einrichtung_id=e.id, version=1,
                       kommune=welt.kommune, punkt=welt.mitte("Marienborn"))
    _, stadtteil, _ = _lies(welt, e.id)
    assert stadtteil == "Marienborn"
    with pytest.raises(RechteFehler, match="Mombach"):  # aus dem eigenen in einen fremden Sozialraum
        dienste.ausfuehren(welt.engine, tl, de.verschiebe_einrichtung, einrichtung_id=e.id, version=2,
                           kommune=welt.kommune, punkt=welt.mitte("Mombach"))
    fremd = _anlegen(welt, ADMIN, "Mombach", name="Kita Fremd")
    with pytest.raises(RechteFehler, match="Sozialraum Mombach"):  # aus fremdem Sozialraum in den eigenen holen
        dienste.ausfuehren(welt.engine, tl, de.verschiebe_einrichtung, einrichtung_id=fremd.id, version=1,
                           kommune=welt.kommune, punkt=welt.mitte("Drais"))
    with pytest.raises(EingabeFehler, match="außerhalb"):
        dienste.ausfuehren(welt.engine, tl, de.verschiebe_einrichtung, einrichtung_id=e.id, version=2,
                           kommune=welt.kommune, punkt=shapely.Point(8.0, 49.0))
    _, stadtteil, _ = _lies(welt, e.id)
    assert stadtteil == "Marienborn"


def test_schliessen_mit_datum_und_wieder_oeffnen(welt):
    tl = welt.tl("Neustadt")
    e = _anlegen(welt, tl, gueltig_von=date(2020, 1, 1))
    dienste.ausfuehren(welt.engine, tl, de.schliesse_einrichtung, einrichtung_id=e.id, version=1, zum=date(2026, 7, 31),
                       grund="Umzug")
    gespeichert, *_ = _lies(welt, e.id)
    assert (gespeichert.gueltig_bis, gespeichert.schliessgrund, gespeichert.aktiv) == (date(2026, 7, 31), "Umzug", True)
    with pytest.raises(EingabeFehler, match="liegt vor"):
        dienste.ausfuehren(welt.engine, tl, de.schliesse_einrichtung, einrichtung_id=e.id, version=2, zum=date(2019,
                                                                                                               1, 1))
    dienste.ausfuehren(welt.engine, tl, de.oeffne_einrichtung, einrichtung_id=e.id, version=2)
    gespeichert, *_ = _lies(welt, e.id)
    assert (gespeichert.gueltig_bis, gespeichert.schliessgrund) == (None, None)
    with pytest.raises(EingabeFehler, match="nicht geschlossen"):
        dienste.ausfuehren(welt.engine, tl, de.oeffne_einrichtung, einrichtung_id=e.id, version=3)


def test_loeschen_nur_admin_und_nicht_bei_verweisen(welt):
    tl = welt.tl("Neustadt")
    e = _anlegen(welt, tl)
    with pytest.raises(RechteFehler, match="nur die Administration.*schließen"):
        dienste.ausfuehren(welt.engine, tl, de.loesche_einrichtung, einrichtung_id=e.id, version=1)
    ort = _anlegen(welt, ADMIN, name="ASD Neustadt", art="asd", traeger_art="staedtisch")
    with sitzung(welt.engine, akteur=SYSTEM) as s:
        s.add(m.Sitzung(schluessel="s1", sozialraum_id=welt.sozialraum["Neustadt"], datum=date(2026, 1, 1),
                        ort_id=ort.id, teilnehmende=[]))
    with pytest.raises(EingabeFehler, match="Ort von 1 Sitzung"):
        dienste.ausfuehren(welt.engine, ADMIN, de.loesche_einrichtung, einrichtung_id=ort.id, version=1)
    dienste.ausfuehren(welt.engine, ADMIN, de.loesche_einrichtung, einrichtung_id=e.id, version=1)
    with sitzung(welt.engine, akteur=None) as s:
        assert s.get(m.Einrichtung, e.id) is None
        assert s.get(m.Einrichtung, ort.id) is not None


def test_bestaetigen_setzt_nur_das_datum(welt):
    tl = welt.tl("Neustadt")
    e = _anlegen(welt, tl)
    with sitzung(welt.engine, akteur=SYSTEM) as s:
        s.get(m.Einrichtung, e.id).bestaetigt_am = date(2020, 1, 1)
    dienste.ausfuehren(welt.engine, tl, de.bestaetige_einrichtung, einrichtung_id=e.id, version=2, heute=date(2026,
                                                                                                              11, 25))
    gespeichert, *_ = _lies(welt, e.id)
    assert gespeichert.bestaetigt_am == date(2026, 11, 25) and gespeichert.name == "Kita Regenbogen"


def test_lenkungsgruppe_wird_im_dienst_und_in_der_datenschicht_abgelehnt(welt):
    e = _anlegen(welt, ADMIN)
    with pytest.raises(RechteFehler, match="Lenkungsgruppe"):
        dienste.ausfuehren(welt.engine, LENKUNG, de.aendere_einrichtung, einrichtung_id=e.id, version=1,
                           kommune=welt.kommune,
                           kapazitaet=1)
    # am Dienst vorbei direkt über das ORM: die Datenschicht lehnt ebenfalls ab
    with pytest.raises(RechteFehler), sitzung(welt.engine, akteur=LENKUNG) as s:
        s.get(m.Einrichtung, e.id).kapazitaet = 1
    with pytest.raises(RechteFehler, match="anmelden"):
        dienste.ausfuehren(welt.engine, None, de.bestaetige_einrichtung, einrichtung_id=e.id, version=1)
    gespeichert, *_ = _lies(welt, e.id)
    assert gespeichert.kapazitaet is None and gespeichert.version == 1


@pytest.mark.parametrize("zeichen", ["\x00", "\x1b", "\x7f"])
def test_steuerzeichen_werden_auf_jeder_datenbank_deutsch_abgelehnt(welt, zeichen):
    """PostgreSQL würde NUL mit einem englischen DataError ablehnen, SQLite still speichern: beide lehnen gleich ab."""
    with pytest.raises(EingabeFehler, match=r"Feld 'name': enthält das Steuerzeichen U\+00"):
        _anlegen(welt, ADMIN, name=f"Kita{zeichen}Regenbogen")
    with pytest.raises(EingabeFehler, match=r"Feld 'angebote': enthält das Steuerzeichen"):  # auch in JSON-Listen
        _anlegen(welt, ADMIN, angebote=f"Frühstück\nSport{zeichen}")
    with sitzung(welt.engine, akteur=None) as s:
        assert s.scalar(select(func.count()).select_from(m.Einrichtung)) == 0
    e = _anlegen(welt, ADMIN, name="Kita\tRegenbogen")  # Tabulator und Zeilenumbruch bleiben erlaubt
    assert e.id
