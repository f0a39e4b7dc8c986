"""Pflege-Seite und Startseite in AppTest: anlegen, bearbeiten, Konflikt, Verlauf, Rechte, „stimmt noch“."""

from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import karte  # noqa: F401 - das Paket laden, bevor eine Seite aus seiten/ läuft (dort gibt es auch karte.py)
from daten import dienste
from daten import modelle as m
from daten.config import lade_kommune
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste import netzwerke as dn
from daten.politik import Akteur
from tests.seiten.hilfen import angezeigt, demo_kopie, ohne_fehler, seite


@pytest.fixture
def db(monkeypatch, demo_sqlite_url, tmp_path):
    """Eigene Kopie der Demo-Datenbank je Test (die Seite schreibt)."""
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        yield engine


def _akteur(engine, login: str) -> Akteur:  # noqa: ANN001
    with sitzung(engine, akteur=None) as s:
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == login))
        return Akteur(b.login, b.rolle, b.sozialraum_id)


def _seite(engine, login: str | None, datei: str = "seiten/pflege.py", reiter: str | None = None) -> AppTest:  # noqa: ANN001
    """Seite angemeldet starten; `reiter` öffnet einen Reiter der Pflege-Seite (nur der offene wird gebaut)."""
    at = seite(datei, _akteur(engine, login) if login else None)
    if reiter is not None:
        at.session_state["pflege_reiter"] = reiter
    return at.run()


def _punkt_in(engine, stadtteil: str):  # noqa: ANN001, ANN202
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(m.Stadtteil).where(m.Stadtteil.name == stadtteil)).geometrie.representative_point()


def _neu(at: AppTest, engine, name: str = "Kita Testwiese", stadtteil: str = "Neustadt") -> AppTest:  # noqa: ANN001
    p = _punkt_in(engine, stadtteil)
    at.radio(key="neu0_quelle").set_value("koordinaten").run()
    at.text_input(key="neu0_koord").input(f"{p.y:.6f}; {p.x:.6f}").run()
    # was erkannt wurde, steht vor dem Speichern da (nie still geraten)
    texte = [angezeigt(c.value) for c in at.caption]
    assert any(t.startswith("Erkannt als WGS84 (EPSG:4326): Breite") and stadtteil in t for t in texte), texte
    at.text_input(key="neu0_name").input(name)
    at.selectbox(key="neu0_art").set_value("kita")
    at.selectbox(key="neu0_tart").set_value("frei")
    at.number_input(key="neu0_kap").set_value(30)
    return next(b for b in at.button if b.label == "Einrichtung anlegen").click().run()


def _vor_der_stadt(engine, stadtteil: str, meter: float):  # noqa: ANN001, ANN202
    """Ein Punkt `meter` senkrecht vor dem Stadtrand des Stadtteils (EPSG:4326), gemessen in EPSG:25832 an der
    gespeicherten Grenze (Kanten gerade in Grad, darum vor dem Umrechnen fein unterteilt)."""
    import shapely
    import shapely.ops

    from daten.geometrie import nach_metrisch, nach_wgs84

    with sitzung(engine, akteur=None) as s:
        teile = {st.name: nach_metrisch(shapely.segmentize(st.geometrie, 0.0001), crs_metrisch=25832)
                 for st in s.scalars(select(m.Stadtteil))}
    stadt = shapely.union_all(list(teile.values()))
    c = teile[stadtteil].centroid
    rand = shapely.ops.nearest_points(stadt.exterior, c)[0]
    assert teile[stadtteil].exterior.distance(rand) < 0.01  # der Stadtrand gehört hier zu diesem Stadtteil
    dx, dy = rand.x - c.x, rand.y - c.y
    f = meter / (dx * dx + dy * dy) ** 0.5
    aussen = shapely.Point(rand.x + dx * f, rand.y + dy * f)
    assert stadt.distance(aussen) == pytest.approx(meter, abs=0.5)
    return nach_wgs84(aussen, crs_metrisch=25832)


def test_knapp_vor_der_stadt_gilt_die_toleranz_der_kommune(db):
    """Dieselbe Regel wie beim Import: bis 100 m vor dem Stadtrand der nächste Stadtteil (mit Hinweis), weiter
    draußen abgelehnt – mit Punkt, Abstand und nächstem Stadtteil."""
    at = _seite(db, "tl01")
    at.radio(key="neu0_quelle").set_value("koordinaten").run()
    p = _vor_der_stadt(db, "Neustadt", 99)
    at.text_input(key="neu0_koord").input(f"{p.y:.7f}; {p.x:.7f}").run()
    ohne_fehler(at)
    texte = [angezeigt(c.value) for c in at.caption]
    assert any("– Neustadt (Sozialraum Neustadt)" in t and "sondern 99,0 m daneben" in t
               and "gehört zum nächsten Stadtteil Neustadt" in t for t in texte), texte
    p = _vor_der_stadt(db, "Neustadt", 101)
    at.text_input(key="neu0_koord").input(f"{p.y:.7f}; {p.x:.7f}").run()
    assert any("liegt außerhalb des Stadtgebiets: 101,0 m vom nächsten Stadtteil Neustadt entfernt, mehr als die "
               "erlaubten 100 m" in angezeigt(c.value) for c in at.caption), [angezeigt(c.value) for c in at.caption]


def _einrichtung(engine, name: str) -> m.Einrichtung:  # noqa: ANN001
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(m.Einrichtung).where(m.Einrichtung.name == name))


def test_teamleitung_legt_per_koordinaten_an(db):
    at = _seite(db, "tl01")
    ohne_fehler(at)
    assert [t.label for t in at.tabs] == ["Neue Einrichtung", "Einrichtung bearbeiten", "Netzwerke", "Zu prüfen"]
    at = _neu(at, db)
    ohne_fehler(at)
    assert any("wurde angelegt" in angezeigt(s.value) for s in at.success)
    e = _einrichtung(db, "Kita Testwiese")
    assert e is not None and e.kapazitaet == 30 and e.bestaetigt_von == "tl01"


def test_koordinaten_ausserhalb_und_fremder_sozialraum_werden_abgelehnt(db):
    at = _seite(db, "tl01")
    at = _neu(at, db, stadtteil="Mombach")
    assert any("Keine Berechtigung" in e.value and "Mombach" in e.value for e in at.error)
    assert _einrichtung(db, "Kita Testwiese") is None
    at.text_input(key="neu0_koord").input("52,52; 13,40").run()
    assert any("keiner Lesart in der Nähe" in e.value for e in at.error)


def test_bearbeiten_konflikt_nebeneinander_und_erneut_anwenden(db):
    at = _seite(db, "tl01")
    at = _neu(at, db)
    e = _einrichtung(db, "Kita Testwiese")
    at.selectbox(key="pflege_wahl").set_value(e.id).run()
    ohne_fehler(at)
    schluessel = f"e{e.id}v1"
    at.number_input(key=f"{schluessel}_kap").set_value(44)
    # inzwischen speichert jemand anderes
    dienste.ausfuehren(db, Akteur("kollegin", "teamleitung", _akteur(db, "tl01").sozialraum_id),
                       de.aendere_einrichtung, einrichtung_id=e.id, version=1, kommune=lade_kommune(), kapazitaet=35,
                       adresse="Neue Straße 5")
    at = at.button(key=f"{schluessel}_speichern").click().run()
    assert any("inzwischen von kollegin" in angezeigt(w.value) for w in at.warning)
    vergleich = at.table[0].value
    zeile = vergleich[vergleich["Feld"] == "Kapazität"].iloc[0]
    assert (zeile["Ihr Ausgangsstand"], zeile["Jetzt gespeichert (andere Person)"], zeile["Ihre Eingabe"]) == \
        ("30", "35", "44")
    assert _einrichtung(db, "Kita Testwiese").kapazitaet == 35  # nichts still überschrieben
    at = at.button(key="konflikt_anwenden").click().run()
    ohne_fehler(at)
    gespeichert = _einrichtung(db, "Kita Testwiese")
    assert (gespeichert.kapazitaet, gespeichert.adresse, gespeichert.version) == (44, "Neue Straße 5", 3)


def test_verlauf_und_wiederherstellen(db):
    at = _seite(db, "tl01")
    at = _neu(at, db)
    e = _einrichtung(db, "Kita Testwiese")
    at.selectbox(key="pflege_wahl").set_value(e.id).run()
    at.text_input(key=f"e{e.id}v1_name").input("Kita Umbenannt")
    at = at.button(key=f"e{e.id}v1_speichern").click().run()
    ohne_fehler(at)
    assert _einrichtung(db, "Kita Umbenannt").version == 2
    verlauf = next(d.value for d in at.table if "Änderungen" in d.value.columns)
    assert list(verlauf["Aktion"]) == ["geändert", "angelegt"]
    assert "Name: Kita Testwiese → Kita Umbenannt" in verlauf["Änderungen"].iloc[0]
    at.selectbox(key=f"wh_einrichtung_{e.id}").set_value(next(iter(at.selectbox(key=f"wh_einrichtung_{e.id}").options)))
    at = at.button(key=f"wh_knopf_einrichtung_{e.id}").click().run()
    ohne_fehler(at)
    zurueck = _einrichtung(db, "Kita Testwiese")
    assert zurueck is not None and zurueck.version == 3


def test_fremde_teamleitung_sieht_nur_lesend(db):
    at = _seite(db, "tl01")
    at = _neu(at, db)
    e = _einrichtung(db, "Kita Testwiese")
    at = _seite(db, "tl10", reiter="Einrichtung bearbeiten")
    at.checkbox(key="pflege_andere").check().run()
    at.selectbox(key="pflege_wahl").set_value(e.id).run()
    ohne_fehler(at)
    assert any("Nur lesen" in angezeigt(i.value) and "Neustadt" in angezeigt(i.value) for i in at.info)
    assert at.text_input(key=f"e{e.id}v1_name").disabled
    assert not [b for b in at.button if b.key == f"e{e.id}v1_speichern"]


def test_lenkungsgruppe_hat_keine_bearbeitung(db):
    at = _seite(db, "lenkung")
    ohne_fehler(at)
    assert any("pflegen die Teamleitung" in angezeigt(i.value) for i in at.info)
    assert not at.button and not at.text_input


def test_startseite_stimmt_noch_mit_einem_klick(db):
    at = _seite(db, "tl01", "seiten/start.py")
    ohne_fehler(at)
    titel = next(h.value for h in at.subheader if h.value.startswith("Zu prüfen"))
    vorher = int(titel.rsplit("(", 1)[1].rstrip(")"))
    assert vorher > 0 and "12 Monate" in titel
    knopf = next(b for b in at.button if b.label == "Stimmt noch")
    tabelle, eid = knopf.key.split("_")[-2:]
    at = knopf.click().run()
    ohne_fehler(at)
    assert any("bestätigt" in angezeigt(s.value) for s in at.success)
    titel = next(h.value for h in at.subheader if h.value.startswith("Zu prüfen"))
    assert int(titel.rsplit("(", 1)[1].rstrip(")")) == vorher - 1
    with sitzung(db, akteur=None) as s:
        modell = m.Einrichtung if tabelle == "einrichtung" else m.Netzwerk
        assert s.get(modell, int(eid)).bestaetigt_am == date.today()


def test_netzwerk_anlegen_und_mitglieder(db):
    at = _seite(db, "tl01", reiter="Netzwerke")
    at.selectbox(key="netz_wahl").set_value(0).run()
    at.text_input(key="netzneu0_name").input("AG Neustadt neu")
    assert len(at.multiselect(key="netzneu0_mitglieder").options) > 3
    sr = _akteur(db, "tl01").sozialraum_id
    with sitzung(db, akteur=None) as s:
        ids = list(s.scalars(select(m.Einrichtung.id).join(m.Stadtteil).where(m.Stadtteil.sozialraum_id == sr)
                             .where(m.Einrichtung.gueltig_bis.is_(None)).limit(2)))
    at.multiselect(key="netzneu0_mitglieder").set_value(ids)
    at = at.button(key="netzneu0_anlegen").click().run()
    ohne_fehler(at)
    with sitzung(db, akteur=None) as s:
        n = s.scalar(select(m.Netzwerk).where(m.Netzwerk.name == "AG Neustadt neu"))
        assert n is not None and len(n.mitglieder) == 2 and n.sozialraum_id == _akteur(db, "tl01").sozialraum_id


def test_verschieben_per_koordinaten_bestimmt_stadtteil_neu(db):
    at = _seite(db, "tl06", reiter="Einrichtung bearbeiten")
    sr = _akteur(db, "tl06").sozialraum_id
    with sitzung(db, akteur=None) as s:
        teile = list(s.scalars(select(m.Stadtteil).where(m.Stadtteil.sozialraum_id == sr).order_by(m.Stadtteil.name)))
        e = s.scalar(select(m.Einrichtung).where(m.Einrichtung.stadtteil_id == teile[0].id)
                     .where(m.Einrichtung.gueltig_bis.is_(None)).where(m.Einrichtung.art == "spielplatz"))
        ziel = teile[1].geometrie.representative_point()
        vorher = (e.id, e.version, teile[1].id)
    eid, version, ziel_st = vorher
    at.selectbox(key="pflege_wahl").set_value(eid).run()
    k = f"e{eid}v{version}_lage"
    at.radio(key=f"{k}_quelle").set_value("koordinaten").run()
    ost_nord = _metrisch(ziel)
    at.text_input(key=f"{k}_koord").input(f"{ost_nord[0]:.1f} {ost_nord[1]:.1f}").run()  # EPSG:25832
    assert any("EPSG:25832 (Ostwert, Nordwert)" in angezeigt(c.value) for c in at.caption)
    at = at.button(key=f"e{eid}v{version}_schieben").click().run()
    ohne_fehler(at)
    with sitzung(db, akteur=None) as s:
        x = s.get(m.Einrichtung, eid)
        assert (x.stadtteil_id, x.version) == (ziel_st, version + 1)


def _metrisch(p):  # noqa: ANN001, ANN202
    from daten.geometrie import nach_metrisch

    q = nach_metrisch(p, crs_metrisch=25832)
    return q.x, q.y


def _netzwerk_mit_mitgliedern(engine, sozialraum_id: int):  # noqa: ANN001, ANN202
    """(id, version, Mitglieder-ids, ein weiteres Nicht-Mitglied im Sozialraum) eines Demo-Netzwerks."""
    with sitzung(engine, akteur=None) as s:
        n = next(n for n in s.scalars(select(m.Netzwerk).where(m.Netzwerk.sozialraum_id == sozialraum_id)
                                      .order_by(m.Netzwerk.name)) if len(n.mitglieder) >= 3)
        mitglieder = [e.id for e in n.mitglieder]
        frei = s.scalars(select(m.Einrichtung.id).join(m.Stadtteil).where(
            m.Stadtteil.sozialraum_id == sozialraum_id, m.Einrichtung.gueltig_bis.is_(None),
            m.Einrichtung.id.not_in(mitglieder + [n.koordination_id or 0])).order_by(m.Einrichtung.id)).all()
        return n.id, n.version, [i for i in mitglieder if i != n.koordination_id], frei[:2]


@pytest.mark.parametrize("anwenden", [True, False])
def test_netzwerk_konflikt_nebeneinander_anwenden_oder_neu_laden(db, anwenden):
    """Zwei speichern dasselbe Netzwerk: die zweite sieht beide Stände nebeneinander; Anwenden legt nur ihre
    Änderungen (Name, ein Mitglied weniger) auf den neuen Stand, die der anderen (Beschreibung, neues Mitglied)
    bleiben; Neu laden verwirft ihre Eingabe. Nie still überschrieben."""
    sr = _akteur(db, "tl01").sozialraum_id
    nid, version, mitglieder, frei = _netzwerk_mit_mitgliedern(db, sr)
    at = _seite(db, "tl01", reiter="Netzwerke")
    at.selectbox(key="netz_wahl").set_value(nid).run()
    ohne_fehler(at)
    k = f"n{nid}v{version}"
    at.text_input(key=f"{k}_name").input("AG Umbenannt im Test")
    weg = mitglieder[0]
    at.multiselect(key=f"{k}_mitglieder").unselect(weg)
    # inzwischen speichert eine Kollegin: andere Beschreibung, ein Mitglied mehr
    dienste.ausfuehren(db, Akteur("kollegin", "teamleitung", sr), dn.speichere_netzwerk, netzwerk_id=nid,
                       version=version,
                       beschreibung="Von der Kollegin ergänzt", mitglieder=[*mitglieder, frei[0]])
    with sitzung(db, akteur=None) as s:
        nach_kollegin = s.get(m.Netzwerk, nid).version
    at = at.run()  # Eingaben bleiben stehen; die Seite sagt, dass inzwischen jemand gespeichert hat
    assert any("inzwischen geändert" in angezeigt(i.value) for i in at.info)
    assert at.text_input(key=f"{k}_name").value == "AG Umbenannt im Test"
    at = at.button(key=f"n{nid}_speichern").click().run()
    assert not at.exception
    assert any("kollegin" in angezeigt(w.value) for w in at.warning), [angezeigt(w.value) for w in at.warning]
    vergleich = next(t.value for t in at.table if "Feld" in t.value.columns).set_index("Feld")
    assert vergleich.loc["Name", "Ihre Eingabe"] == "AG Umbenannt im Test"
    assert vergleich.loc["Beschreibung", "Jetzt gespeichert (andere Person)"] == "Von der Kollegin ergänzt"
    assert vergleich.loc["Mitglieder", "Hinweis"] == "beide geändert"
    with sitzung(db, akteur=None) as s:  # noch nichts von tl01 gespeichert
        assert s.get(m.Netzwerk, nid).name != "AG Umbenannt im Test"
    knopf = "netz_konflikt_anwenden" if anwenden else "netz_konflikt_neu"
    at = at.button(key=knopf).click().run()
    ohne_fehler(at)
    with sitzung(db, akteur=None) as s:
        n = s.get(m.Netzwerk, nid)
        ids = {e.id for e in n.mitglieder}
        assert n.beschreibung == "Von der Kollegin ergänzt" and frei[0] in ids  # die Kollegin bleibt
        if anwenden:
            assert n.name == "AG Umbenannt im Test" and weg not in ids and n.version > nach_kollegin
            assert set(mitglieder) - {weg} <= ids
        else:
            assert n.name != "AG Umbenannt im Test" and weg in ids and n.version == nach_kollegin
    assert not [t for t in at.table if "Feld" in t.value.columns]  # Konfliktansicht weg
    assert at.text_input(key=f"n{nid}v{n.version}_name").value == n.name  # Formular zeigt den gespeicherten Stand


def test_nach_dem_anlegen_offen_unter_bearbeiten_mit_meldung_oben(db):
    at = _seite(db, "tl01")
    assert at.session_state["pflege_reiter"] == "Neue Einrichtung"
    at = _neu(at, db)
    ohne_fehler(at)
    e = _einrichtung(db, "Kita Testwiese")
    # der Reiter hat gewechselt, die neue Einrichtung ist gewählt und steht im Formular
    assert at.session_state["pflege_reiter"] == "Einrichtung bearbeiten"
    assert at.selectbox(key="pflege_wahl").value == e.id
    assert at.text_input(key=f"e{e.id}v1_name").value == "Kita Testwiese"
    assert not [t for t in at.text_input if t.key == "neu1_name"]  # „Neue Einrichtung“ ist zu (nicht gebaut)
    # die Meldung steht oben und als Einblendung (sichtbar, wie weit auch gescrollt ist) und sagt, wo der Eintrag ist
    meldung = angezeigt(at.success[0].value)
    assert "„Kita Testwiese“ wurde angelegt" in meldung and "„Einrichtung bearbeiten“" in meldung
    assert [angezeigt(t.value) for t in at.toast] == [meldung]


def test_zielgruppen_aus_der_art_vorbelegt_ohne_alle_auswaehlen(db):
    from daten.config import lade_kommune

    kommune = lade_kommune()
    erwartet = {a.schluessel: list(a.zielgruppen) for a in kommune.einrichtungsarten}
    kita, andere = "kita", next(k for k, z in erwartet.items() if z and z != erwartet["kita"])
    at = _seite(db, "tl01")
    feld = at.multiselect(key="neu0_zg")
    assert feld.value == [] and feld.proto.select_all == 0  # kein „Alle auswählen“
    at.selectbox(key="neu0_art").set_value(kita).run()
    assert at.multiselect(key="neu0_zg").value == erwartet[kita] and erwartet[kita]
    at.selectbox(key="neu0_art").set_value(andere).run()  # unveränderte Vorbelegung folgt der Art
    assert at.multiselect(key="neu0_zg").value == erwartet[andere]
    eigene = [erwartet[kita][0]]
    at.multiselect(key="neu0_zg").set_value(eigene).run()  # eigene Auswahl bleibt beim Artwechsel
    at.selectbox(key="neu0_art").set_value(kita).run()
    assert at.multiselect(key="neu0_zg").value == eigene
    at.run()
    assert at.multiselect(key="neu0_zg").value == eigene


def test_karte_hoch_genug_und_nadel_an_der_geklickten_stelle(db):
    at = _seite(db, "tl01")
    from seiten import _pflege_lage as lage
    from seiten import pflege

    assert pflege.KARTE_HOEHE >= 550
    import shapely

    assert lage.nadel(None) is None
    gruppe = lage.nadel(shapely.Point(8.27, 49.99))
    marker = list(gruppe._children.values())
    assert [tuple(x.location) for x in marker] == [(49.99, 8.27), (49.99, 8.27)]
    # Klick: die Seite merkt die Stelle und zeigt sie vor dem Zeichnen der Karte (Beschreibung mit Stadtteil)
    p = _punkt_in(db, "Neustadt")
    at.session_state["pflege_karte"] = {"last_clicked": {"lat": p.y, "lng": p.x}}
    at.run()
    ohne_fehler(at)
    assert at.session_state["pflege_klick"] == (p.y, p.x)
    texte = [angezeigt(c.value) for c in at.caption]
    assert any(t.startswith("Gewählte Stelle: Breite") and "Neustadt" in t for t in texte), texte


def test_klick_ausserhalb_der_stadt_ohne_tauschrat(db):
    at = _seite(db, "tl01")
    at.session_state["pflege_karte"] = {"last_clicked": {"lat": 49.95, "lng": 8.05}}  # Rheinhessen, westlich
    at.run()
    ohne_fehler(at)
    text = next(angezeigt(c.value) for c in at.caption if angezeigt(c.value).startswith("Gewählte Stelle"))
    assert "außerhalb des Stadtgebiets" in text and "vertauscht" not in text
    assert "innerhalb des Stadtgebiets wählen" in text


def test_verlauf_zeigt_namen_statt_login(db):
    at = _seite(db, "tl01")
    at = _neu(at, db)
    ohne_fehler(at)
    e = _einrichtung(db, "Kita Testwiese")
    verlauf = next(d.value for d in at.table if "Änderungen" in d.value.columns)
    with sitzung(db, akteur=None) as s:
        name = s.scalar(select(m.Benutzer.anzeigename).where(m.Benutzer.login == "tl01"))
    assert list(verlauf["Person"]) == [name] and name != "tl01" and e.bestaetigt_von == "tl01"


def test_bestaetigen_baut_die_karte_nicht_neu_umbenennen_schon(db):
    at = _seite(db, "tl01", reiter="Einrichtung bearbeiten")
    ohne_fehler(at)
    karten = set(at.session_state["_karten"])
    eid = at.selectbox(key="pflege_wahl").value
    with sitzung(db, akteur=None) as s:
        version = s.get(m.Einrichtung, eid).version
    at = at.button(key=f"e{eid}v{version}_ok").click().run()
    ohne_fehler(at)
    assert any("bestätigt" in angezeigt(x.value) for x in at.success)
    assert set(at.session_state["_karten"]) == karten  # dieselbe Karte: nur Datum und Stand haben sich geändert
    at.text_input(key=f"e{eid}v{version + 1}_name").input("Umbenannt für die Karte")
    at = at.button(key=f"e{eid}v{version + 1}_speichern").click().run()
    ohne_fehler(at)
    assert set(at.session_state["_karten"]) != karten  # der Name steht auf der Karte: neu gebaut
