"""Issue 6, Punkte 5–10: Rechte und Änderungsprotokoll halten auf jedem Weg durch die Sitzung der Datenschicht."""

import ast
from datetime import date
from pathlib import Path

import pytest
import shapely
from sqlalchemy import delete, func, insert, select, text, update

from daten import modelle as m
from daten import repository as repo
from daten.db import erstelle_engine, sitzung, systemsitzung
from daten.fehler import RechteFehler
from daten.laden import initialisiere
from daten.passwort import hash_passwort
from daten.politik import SYSTEM, Akteur, darf_protokoll_lesen
from daten.protokolle import lesbare_sitzungen, protokoll_uebersicht, protokollpunkte, sitzung_lesen
from tests.daten.test_cli import rk

WURZEL = Path(__file__).resolve().parents[2]
PUNKT = shapely.Point(8.25, 50.0)


@pytest.fixture
def db(leere_db, kommune):
    """Zwei Sozialräume (Neustadt, Mombach) mit je einer Einrichtung, ein Netzwerk in Mombach, eine Sitzung
    mit Fallbesprechung in Mombach."""
    engine = erstelle_engine(leere_db)
    initialisiere(engine, kommune)
    with sitzung(engine, akteur=SYSTEM) as s:
        sr = {x.name: x for x in s.scalars(select(m.Sozialraum))}
        st = {x.sozialraum_id: x for x in s.scalars(select(m.Stadtteil))}
        neu, mom = sr["Neustadt"], sr["Mombach"]
        e_neu = m.Einrichtung(schluessel="n1", name="Kita Neustadt", art="kita", traeger_art="frei",
                              stadtteil=st[neu.id], geometrie=PUNKT, zielgruppen=["Kinder"])
        e_mom = m.Einrichtung(schluessel="m1", name="Kita Mombach", art="kita", traeger_art="frei",
                              stadtteil=st[mom.id], geometrie=PUNKT)
        netz = m.Netzwerk(schluessel="netz", name="Netz Mombach", status="besteht", sozialraum=mom, mitglieder=[e_mom])
        sz = m.Sitzung(schluessel="sz", sozialraum=mom, datum=date(2026, 3, 3), status="protokolliert")
        sz.punkte.append(m.Protokollpunkt(frage=3, handlungsebene="fallspezifisch",
                                          text="Fallbesprechung (anonymisiert) zu Schulabsentismus",
                                          fallbesprechung=True, anonymisiert=True, bezug=[e_mom]))
        s.add_all([e_neu, e_mom, netz, sz])
        s.add(m.Benutzer(login="echt", anzeigename="Echt", rolle="admin", passwort_hash=hash_passwort("x" * 12)))
    ids = {"neu": neu.id, "mom": mom.id, "st_neu": st[neu.id].id, "e_neu": e_neu.id, "e_mom": e_mom.id,
           "netz": netz.id, "sz": sz.id, "punkt": sz.punkte[0].id}
    yield engine, ids
    engine.dispose()


def tl(ids, wo="neu"):
    return Akteur(f"tl-{wo}", "teamleitung", ids[wo])


def _anzahl_audit(engine):
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(func.count()).select_from(m.Aenderung))


# --- 5. Herausziehen aus einem fremden Sozialraum ---------------------------------------------------------
def test_fremde_einrichtung_in_eigenen_sozialraum_ziehen_abgelehnt(db):
    engine, ids = db
    with pytest.raises(RechteFehler, match="alter oder neuer"), sitzung(engine, akteur=tl(ids)) as s:
        e = s.get(m.Einrichtung, ids["e_mom"])
        e.stadtteil_id, e.name = ids["st_neu"], "umgehängt"
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids)) as s:  # über die Beziehung statt den FK
        s.get(m.Einrichtung, ids["e_mom"]).stadtteil = s.get(m.Stadtteil, ids["st_neu"])
    with sitzung(engine, akteur=None) as s:
        assert s.get(m.Einrichtung, ids["e_mom"]).name == "Kita Mombach"
    with sitzung(engine, akteur=tl(ids)) as s:  # der legitime Weg bleibt offen
        s.get(m.Einrichtung, ids["e_neu"]).kapazitaet = 77


def test_eigene_einrichtung_in_fremden_sozialraum_schieben_abgelehnt(db):
    engine, ids = db
    with sitzung(engine, akteur=None) as s:
        st_mom = s.scalar(select(m.Stadtteil.id).where(m.Stadtteil.sozialraum_id == ids["mom"]))
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids)) as s:
        s.get(m.Einrichtung, ids["e_neu"]).stadtteil_id = st_mom


def test_netzwerk_und_protokollpunkt_umhaengen_abgelehnt(db):
    engine, ids = db
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids)) as s:
        s.get(m.Netzwerk, ids["netz"]).sozialraum_id = ids["neu"]
    with sitzung(engine, akteur=tl(ids)) as s:
        eigene = m.Sitzung(schluessel="eigen", sozialraum_id=ids["neu"], datum=date(2026, 4, 4))
        s.add(eigene)
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids)) as s:
        s.get(m.Protokollpunkt, ids["punkt"]).sitzung_id = eigene.id


# --- 6. Sammlungen ------------------------------------------------------------------------------------------
def test_mitglieder_aendern_braucht_recht_und_wird_protokolliert(db):
    engine, ids = db
    for akteur in (None, tl(ids), Akteur("lg", "lenkungsgruppe")):
        with pytest.raises(RechteFehler), sitzung(engine, akteur=akteur) as s:
            n = s.get(m.Netzwerk, ids["netz"])  # Verweis halten: die Sitzung hält Objekte nur schwach
            n.mitglieder.clear()
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids)) as s:  # über die Gegenseite
        e = s.get(m.Einrichtung, ids["e_neu"])
        e.netzwerke.append(s.get(m.Netzwerk, ids["netz"]))
    with sitzung(engine, akteur=None) as s:
        assert [e.id for e in s.get(m.Netzwerk, ids["netz"]).mitglieder] == [ids["e_mom"]]
    with sitzung(engine, akteur=tl(ids, "mom")) as s:
        n = s.get(m.Netzwerk, ids["netz"])
        n.mitglieder.append(s.get(m.Einrichtung, ids["e_neu"]))
    with sitzung(engine, akteur=None) as s:
        n = s.get(m.Netzwerk, ids["netz"])
        zeile = s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "netzwerk")
                          .order_by(m.Aenderung.id.desc())).first()
    assert n.version == 2
    assert zeile.aktion == "aendern" and zeile.benutzer == "tl-mom"
    assert zeile.vorher["mitglieder"] == [ids["e_mom"]]
    assert zeile.nachher["mitglieder"] == sorted([ids["e_mom"], ids["e_neu"]])


def test_bezuege_eines_protokollpunkts_geprueft_und_protokolliert(db):
    engine, ids = db
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids)) as s:
        p = s.get(m.Protokollpunkt, ids["punkt"])
        p.bezug = [s.get(m.Einrichtung, ids["e_neu"])]
    with sitzung(engine, akteur=tl(ids, "mom")) as s:
        p = s.get(m.Protokollpunkt, ids["punkt"])
        p.bezug.clear()
    with sitzung(engine, akteur=None) as s:
        p = s.get(m.Protokollpunkt, ids["punkt"])
        zeile = s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "protokollpunkt")
                          .order_by(m.Aenderung.id.desc())).first()
    assert p.version == 2 and zeile.vorher["bezug"] == [ids["e_mom"]] and zeile.nachher["bezug"] == []


# --- 7. Sammel- und Text-Anweisungen ------------------------------------------------------------------------
SAMMEL = {
    "orm_update": lambda s: s.execute(update(m.Einrichtung).values(kapazitaet=999)),
    "orm_delete": lambda s: s.execute(delete(m.Netzwerk)),
    "orm_insert": lambda s: s.execute(insert(m.Reflexion).values(jahr=2026)),
    "text_update": lambda s: s.execute(text("UPDATE einrichtung SET kapazitaet = 998")),
    "text_kommentar": lambda s: s.execute(text("/* nur lesen */ update einrichtung set kapazitaet = 997")),
    "verbindung": lambda s: s.connection().execute(text("DELETE FROM netzwerk_mitglied")),
    "cte": lambda s: s.execute(text("WITH x AS (SELECT 1) UPDATE einrichtung SET kapazitaet = 996")),
    "zwei_anweisungen": lambda s: s.execute(text("SELECT 1; DELETE FROM netzwerk")),
    "bulk_save": lambda s: s.bulk_insert_mappings(m.Reflexion, [{"jahr": 2026, "version": 1}]),
}


@pytest.mark.parametrize("weg", sorted(SAMMEL))
@pytest.mark.parametrize("rolle", ["lenkungsgruppe", "admin"])
def test_sammel_und_text_dml_nur_fuer_das_system(db, weg, rolle):
    engine, ids = db
    vorher = _anzahl_audit(engine)
    meldung = "nur eine SQL-Anweisung" if weg == "zwei_anweisungen" and engine.dialect.name == "sqlite" \
        else "nur dem System"
    with pytest.raises(RechteFehler, match=meldung), sitzung(engine, akteur=Akteur("x", rolle)) as s:
        SAMMEL[weg](s)
    with pytest.raises(RechteFehler), sitzung(engine, akteur=SYSTEM) as s:  # auch SYSTEM außerhalb systemsitzung
        SAMMEL[weg](s)
    with sitzung(engine, akteur=None) as s:
        assert s.scalar(select(func.max(m.Einrichtung.kapazitaet))) is None
        assert s.scalar(select(func.count()).select_from(m.Netzwerk)) == 1
        assert s.scalar(select(func.count()).select_from(m.Reflexion)) == 0
    assert _anzahl_audit(engine) == vorher


def test_lesen_mit_text_nur_wo_die_datenbank_entscheidet(db):
    """SQLite prüft jede Anweisung selbst (Autorisierer): lesender Text geht. PostgreSQL hat keinen Autorisierer:
    Text einer Person läuft dort gar nicht (Abfragen der Datenschicht gehen)."""
    engine, ids = db
    lesen = text("SELECT count(*) FROM einrichtung WHERE name <> 'update; delete'")
    with sitzung(engine, akteur=tl(ids)) as s:
        assert s.execute(select(m.Einrichtung).with_for_update()).first() is not None
    with sitzung(engine, akteur=None) as s:
        if engine.dialect.name == "sqlite":
            assert s.execute(lesen).scalar() == 2
        else:
            with pytest.raises(RechteFehler, match="nur dem System"):
                s.execute(lesen)


def test_systemsitzung_darf_sammeln_und_schreibt_zusammenfassung(db):
    engine, _ids = db
    with systemsitzung(engine, grund="Import Testdaten") as s:
        s.execute(update(m.Einrichtung).values(kapazitaet=12))
        s.execute(text("UPDATE einrichtung SET aktiv = :ja"), {"ja": True})
    with sitzung(engine, akteur=None) as s:
        z = s.scalars(select(m.Aenderung).order_by(m.Aenderung.id.desc())).first()
        assert set(s.scalars(select(m.Einrichtung.kapazitaet))) == {12}
    assert (z.aktion, z.benutzer, z.nachher["grund"]) == ("sammel", "system", "Import Testdaten")
    assert z.nachher["tabellen"]["einrichtung"]["sammel"] == 4


def test_systemsitzung_nicht_in_seiten():
    """Seiten und Einstieg schreiben nie als System (kein Import von systemsitzung)."""
    dateien = [WURZEL / "streamlit_app.py", *sorted((WURZEL / "seiten").rglob("*.py"))]
    treffer = [str(d) for d in dateien if "systemsitzung" in {
        n.id if isinstance(n, ast.Name) else getattr(n, "attr", getattr(n, "name", ""))
        for n in ast.walk(ast.parse(d.read_text(encoding="utf-8")))
        if isinstance(n, ast.Name | ast.Attribute | ast.alias)}]
    assert not treffer


# --- 8. Änderungsprotokoll nur anfügen ----------------------------------------------------------------------
@pytest.mark.parametrize("akteur", [Akteur("lg", "lenkungsgruppe"), Akteur("echt", "admin"), SYSTEM])
def test_protokollzeilen_weder_aendern_noch_loeschen(db, akteur):
    engine, _ids = db
    vorher = _anzahl_audit(engine)
    with pytest.raises(RechteFehler, match="unveränderlich"), sitzung(engine, akteur=akteur) as s:
        s.delete(s.scalars(select(m.Aenderung)).first())
    with pytest.raises(RechteFehler, match="unveränderlich"), sitzung(engine, akteur=akteur) as s:
        s.scalars(select(m.Aenderung)).first().benutzer = "jemand"
    with pytest.raises(RechteFehler, match="unveränderlich"), sitzung(engine, akteur=akteur) as s:
        s.add(m.Aenderung(benutzer="gefälscht", tabelle="x", aktion="anlegen"))
    schema = "main" if engine.dialect.name == "sqlite" else "public"
    for sql in ("DELETE FROM aenderung", "UPDATE aenderung SET benutzer = 'x'", f"DELETE FROM {schema}.aenderung",
                "WITH x AS (SELECT 1) DELETE FROM aenderung"):
        with pytest.raises(RechteFehler, match="unveränderlich"), systemsitzung(engine, grund="t") as s:
            s.execute(text(sql))
    assert _anzahl_audit(engine) == vorher


def test_wiederherstellung_darf_protokoll_als_ganzes_ersetzen(db):
    engine, _ids = db
    with systemsitzung(engine, grund="Wiederherstellung ersetzen", aenderung_ersetzen=True) as s:
        s.execute(text("DELETE FROM aenderung" if engine.dialect.name == "sqlite" else "TRUNCATE aenderung"))
    with sitzung(engine, akteur=None) as s:
        assert [z.aktion for z in s.scalars(select(m.Aenderung))] == ["sammel"]


@pytest.mark.postgis
def test_postgres_trigger_verweigert_aendern_und_loeschen(kommune):
    """Auch am ORM vorbei (rohe Verbindung) verweigert PostgreSQL UPDATE/DELETE/TRUNCATE auf aenderung."""
    from tests.conftest import loesche_postgis, postgis_datenbank

    url = postgis_datenbank()
    engine = erstelle_engine(url)
    try:
        initialisiere(engine, kommune)
        for sql in ("UPDATE aenderung SET benutzer = 'x'", "DELETE FROM aenderung", "TRUNCATE aenderung"):
            with pytest.raises(RechteFehler, match="unveränderlich"), engine.begin() as conn:
                conn.execute(text(sql))
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM aenderung")).scalar() >= 1
    finally:
        engine.dispose()
        loesche_postgis(url)


# --- 9. Leserechte -------------------------------------------------------------------------------------------
def test_protokolle_nur_fuer_den_verteiler(db):
    engine, ids = db
    with sitzung(engine, akteur=None) as s:
        assert len(protokollpunkte(session=s, akteur=Akteur("j", "jugendhilfeplanung"))) == 1
        assert len(protokollpunkte(session=s, akteur=tl(ids, "mom"))) == 1
        assert len(protokollpunkte(session=s, akteur=Akteur("mg", "mitglied", ids["mom"]))) == 1
        for wer in (tl(ids), Akteur("lg", "lenkungsgruppe"), None, Akteur("mg", "mitglied", ids["neu"])):
            assert protokollpunkte(session=s, akteur=wer).empty
            assert lesbare_sitzungen(session=s, akteur=wer) == []
            with pytest.raises(RechteFehler, match="Verteiler"):
                sitzung_lesen(session=s, akteur=wer, sitzung_id=ids["sz"])
        assert sitzung_lesen(session=s, akteur=Akteur("a", "admin"), sitzung_id=ids["sz"]).punkte[0].fallbesprechung
        uebersicht = protokoll_uebersicht(session=s)
    assert list(uebersicht.columns) == ["sozialraum", "jahr", "frage", "handlungsebene", "anzahl"]
    assert uebersicht.iloc[0].to_dict() == {"sozialraum": "Mombach", "jahr": 2026, "frage": 3,
                                            "handlungsebene": "fallspezifisch", "anzahl": 1}
    assert darf_protokoll_lesen(tl(ids, "mom"), ids["mom"]) and not darf_protokoll_lesen(tl(ids), ids["mom"])


def test_passwort_hashes_verlassen_die_datenschicht_nie(db, tmp_path):
    engine, _ids = db
    with sitzung(engine, akteur=None) as s:
        tabelle = repo.tabelle(m.Benutzer, session=s)
        zeilen = list(s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "benutzer")))
    assert "passwort_hash" not in tabelle.columns and list(tabelle["login"]) == ["echt"]
    assert zeilen and all(z.nachher["passwort_hash"] == "***" for z in zeilen)
    url = engine.url.render_as_string(hide_password=False)
    for endung in (".xlsx", ".csv", ".gpkg"):
        ziel = tmp_path / f"x{endung}"
        r = rk("export", str(ziel), url=url)
        assert r.returncode == 0 and "als System" in r.stdout, r.stderr
        assert b"argon2" not in ziel.read_bytes()


# --- 10. In-place-Änderungen an JSON-Listen ------------------------------------------------------------------
def test_listen_aenderung_an_ort_und_stelle_wird_gespeichert_und_protokolliert(db):
    engine, ids = db
    with sitzung(engine, akteur=tl(ids)) as s:
        e = s.get(m.Einrichtung, ids["e_neu"])
        e.zielgruppen.append("Jugendliche")
    with sitzung(engine, akteur=tl(ids, "mom")) as s:
        sz = s.get(m.Sitzung, ids["sz"])
        sz.teilnehmende.append({"name": "N. N.", "bereich": "ASD"})
    with sitzung(engine, akteur=None) as s:
        e = s.get(m.Einrichtung, ids["e_neu"])
        z = s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "einrichtung")
                      .order_by(m.Aenderung.id.desc())).first()
        assert s.get(m.Sitzung, ids["sz"]).teilnehmende == [{"name": "N. N.", "bereich": "ASD"}]
    assert e.zielgruppen == ["Kinder", "Jugendliche"] and e.version == 2
    assert z.vorher["zielgruppen"] == ["Kinder"] and z.nachher["zielgruppen"] == ["Kinder", "Jugendliche"]
