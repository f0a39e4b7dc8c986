"""Eine Regel, ein Ort: die erklärte Politik (daten/politik.py) und ihre Durchsetzung durch die Datenbank
(daten/schutz.py) – auf SQLite und PostGIS.

- Matrix Rolle × Tabelle × Aktion aus der Erklärung, über den ORM-Weg einer Sitzung.
- Text-Anweisungen jeder Art (UPDATE, DELETE, INSERT, in einer CTE, mit Kommentaren und Anführungszeichen in
  Literalen, Dollar-Quoting auf PostgreSQL) werden für jede geschützte Tabelle abgelehnt; nichts ändert sich.
- Jede Prüfung vergleicht mit der gespeicherten Zeile: ein verfälschter Zustand im Speicher (`expire`,
  `set_committed_value`) hilft nicht.
- PostgreSQL: Zeilenrichtlinien halten auch für eine Anwendungsrolle, die nicht Eigentümerin ist, an der
  Datenschicht vorbei (rohe Verbindung).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from daten import modelle as m
from daten import politik
from daten.db import sitzung, systemsitzung
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler
from daten.politik import SYSTEM, Akteur, Ziel
from daten.schutz import postgres_regeln
from tests.daten.test_sicherheit_rechte import db, tl  # noqa: F401  (Fixture: zwei Sozialräume)


class _Zurueck(Exception):
    """Beendet eine Sitzung ohne Speichern (Rollback)."""


@pytest.fixture
def welt(db):  # noqa: F811
    """Die Fixture `db` plus eine genehmigte Maßnahme, ein Budget, ein Stufenbeschluss, eine versendete Sitzung
    mit Protokollpunkt und eine Hospitation – alles in Mombach."""
    engine, ids = db
    with sitzung(engine, akteur=SYSTEM) as s:
        mom = s.get(m.Sozialraum, ids["mom"])
        sz = s.get(m.Sitzung, ids["sz"])
        x = m.Massnahme(schluessel="mx", sozialraum=mom, titel="Elternkurs", art="fallunspezifisch",
                        kosten_geplant=500.0, status="genehmigt", genehmigt=True, genehmigt_von="tl-mom",
                        genehmigt_am=date(2026, 3, 4), jahr=2026)
        b = m.Budget(sozialraum=mom, jahr=2026, kategorie="fallunspezifisch", betrag_eur=5000.0)
        st = m.Stufenbeschluss(sozialraum_id=mom.id, stufe=1, gueltig_ab=date(2026, 1, 1), beschluss="Start")
        vs = m.Sitzung(schluessel="vs", sozialraum=mom, datum=date(2026, 2, 2), status="versendet",
                       protokoll_login="mitglied-mom", versendet_von="tl-mom", versendet_am=datetime(2026, 2, 9))
        vs.punkte.append(m.Protokollpunkt(frage=1, handlungsebene="fallspezifisch", text="Versendeter Punkt"))
        sz.protokoll_login = "anderes-mitglied"
        s.add_all([x, b, st, vs])
        s.flush()
        h = m.Hospitation(von_id=ids["e_mom"], nach_id=ids["e_neu"], datum=date(2026, 4, 1), anzahl_personen=1)
        s.add(h)
    ids |= {"massnahme": x.id, "budget": b.id, "stufe": st.id, "versendet": vs.id, "vpunkt": vs.punkte[0].id,
            "hospitation": h.id}
    return engine, ids


def _anzahlen(engine) -> dict[str, int]:
    with sitzung(engine, akteur=None) as s:
        return {t: s.scalar(select(func.count()).select_from(m.Basis.metadata.tables[t]))
                for t in politik.TABELLEN}


def _summe_namen(engine) -> str:
    with sitzung(engine, akteur=None) as s:
        return "|".join(s.scalars(select(m.Einrichtung.name).order_by(m.Einrichtung.id)))


# --------------------------------------------------------------------------------------------- Erklärung
def test_jede_tabelle_ist_erklaert_und_jede_rolle_bekannt():
    assert set(politik.TABELLEN) == set(m.Basis.metadata.tables)
    for t in politik.TABELLEN.values():
        for rolle, rechte in t.rechte.items():
            assert rolle in politik.ROLLEN, (t.name, rolle)
            assert set(rechte) <= set(politik.AKTIONEN) and set(rechte.values()) <= {politik.ALLE, politik.EIGENER}
        if t.weg is not None and t.weg.eltern is not None:
            assert t.weg.eltern in politik.TABELLEN
    for aktion, rechte in politik.FACHRECHTE.items():
        assert set(rechte) <= set(politik.ROLLEN), aktion


def test_darf_beantwortet_umfang_beider_seiten():
    tl_neu = Akteur("t", "teamleitung", 1)
    assert politik.darf(tl_neu, "aendern", Ziel("einrichtung", 1))
    assert not politik.darf(tl_neu, "aendern", Ziel("einrichtung", 2))
    assert not politik.darf(tl_neu, "aendern", Ziel("einrichtung", None))
    assert not politik.darf(tl_neu, "anlegen", Ziel("budget", 1))
    assert politik.darf(Akteur("j", "jugendhilfeplanung"), "anlegen", Ziel("budget", 7))
    assert not politik.darf(None, "aendern", Ziel("einrichtung", 1))
    assert not politik.darf(Akteur("l", "lenkungsgruppe"), "aendern", Ziel("einrichtung", 1))
    assert politik.darf(Akteur("a", "admin"), "loeschen", Ziel("aenderung", None))  # Admin: Politik ja, DB nein
    assert politik.nur_lesen(None) and politik.nur_lesen(Akteur("l", "lenkungsgruppe"))
    assert not politik.nur_lesen(Akteur("m", "mitglied", 1))
    assert politik.darf_protokoll_lesen(Akteur("m", "mitglied", 1), 1)
    assert not politik.darf_protokoll_lesen(Akteur("m", "mitglied", 1), 2)
    assert not politik.darf_protokoll_lesen(Akteur("l", "lenkungsgruppe"), 1)


def test_keine_rollennamen_ausserhalb_der_politik():
    """Rollen werden nur in daten/politik.py verglichen (ast: Vergleich mit einem Rollennamen als Konstante)."""
    import ast
    from pathlib import Path

    wurzel = Path(__file__).resolve().parents[2]
    treffer = []
    for pfad in sorted([*wurzel.glob("*.py"), *(p for d in ("daten", "karte", "analysen", "seiten", "befehle",
                                                             "berichte") for p in (wurzel / d).rglob("*.py"))]):
        if pfad.name == "politik.py" or "migrationen" in pfad.parts:
            continue
        for knoten in ast.walk(ast.parse(pfad.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.Compare):
                teile = [knoten.left, *knoten.comparators]
                konstanten = {k.value for t in teile for k in ast.walk(t) if isinstance(k, ast.Constant)}
                attribute = {getattr(t, "attr", "") for t in teile for t in ast.walk(t)}
                if konstanten & set(politik.ROLLEN) and "rolle" in attribute:
                    treffer.append(f"{pfad.relative_to(wurzel)}:{knoten.lineno}")
    assert not treffer


# --------------------------------------------------------------------------------------------- Matrix
ORM_TABELLEN = [n for n, t in politik.TABELLEN.items() if n not in ("aenderung",)
                and any(getattr(c, "__tablename__", None) == n for c in m.Basis.registry._class_registry.values())]


def _klasse(tabelle: str):
    return next(c for c in m.Basis.registry._class_registry.values() if getattr(c, "__tablename__", None) == tabelle)


def _versuche(engine, akteur, tabelle: str, datensatz_id, aktion: str) -> str:
    """'ok' (Rechte erlaubt, ggf. fachlich abgelehnt) oder 'verweigert' (Rechteprüfung der Politik)."""
    klasse = _klasse(tabelle)
    try:
        with sitzung(engine, akteur=akteur) as s:
            obj = s.get(klasse, datensatz_id)
            if aktion == "aendern":
                spalte = next(a.key for a in inspect(klasse).column_attrs
                              if not a.columns[0].primary_key and a.key != "version")
                flag_modified(obj, spalte)
            elif aktion == "loeschen":
                s.delete(obj)
            else:
                neu = klasse(**{a.key: getattr(obj, a.key) for a in inspect(klasse).column_attrs
                                if not a.columns[0].primary_key and a.key != "version"})
                for a in inspect(klasse).column_attrs:
                    if a.columns[0].unique and isinstance(getattr(neu, a.key), str):
                        setattr(neu, a.key, getattr(neu, a.key) + "-" + uuid.uuid4().hex[:6])
                s.add(neu)
            s.flush()
            raise _Zurueck
    except RechteFehler as exc:
        return "verweigert" if "Keine Berechtigung" in str(exc) else "ok"
    except (_Zurueck, EingabeFehler, KonfliktFehler):
        return "ok"
    except Exception as exc:  # noqa: BLE001 - Integritätsfehler u. ä. kommen erst nach der Rechteprüfung
        if "Keine Berechtigung" in str(exc):
            return "verweigert"
        return "ok"


def test_matrix_rolle_tabelle_aktion_aus_der_erklaerung(welt):
    engine, ids = welt
    zeilen = {}
    with sitzung(engine, akteur=None) as s:
        for t in ORM_TABELLEN:
            erste = s.scalars(select(_klasse(t))).first()
            if erste is not None:
                zeilen[t] = (inspect(erste).identity[0], politik.sozialraum_gespeichert(s, t, erste.id))
    assert {"einrichtung", "netzwerk", "sitzung", "protokollpunkt", "massnahme", "budget", "stufenbeschluss",
            "hospitation", "benutzer"} <= set(zeilen)
    abweichungen = []
    for t, (datensatz_id, sr) in sorted(zeilen.items()):
        for rolle in politik.ROLLEN:
            andere = ids["neu"] if sr == ids["mom"] else ids["mom"]
            for eigener in {sr, andere}:
                akteur = Akteur(f"x-{rolle}", rolle, eigener)
                for aktion in politik.AKTIONEN:
                    erwartet = politik.darf(akteur, aktion, Ziel(t, sr))
                    ist = _versuche(engine, akteur, t, datensatz_id, aktion) == "ok"
                    if erwartet != ist:
                        abweichungen.append((t, rolle, eigener == sr, aktion, erwartet, ist))
    assert not abweichungen
    assert len(zeilen) * len(politik.ROLLEN) * len(politik.AKTIONEN) >= 100


# --------------------------------------------------------------------------------------------- Text-SQL
def _text_anweisungen(tabelle: str, postgres: bool) -> list[str]:
    q = f'"{tabelle}"'
    spalte = next(iter(m.Basis.metadata.tables[tabelle].columns)).name
    anweisungen = [
        f"UPDATE {tabelle} SET {spalte} = {spalte}",
        f"DELETE FROM {tabelle}",
        f"INSERT INTO {tabelle} SELECT * FROM {tabelle}",
        f"WITH x AS (SELECT 1) UPDATE {q} SET {spalte} = {spalte}",
        f"SELECT 1 /* ' */; DELETE FROM {tabelle} -- '",
        f"UPDATE {tabelle} SET {spalte} = {spalte} WHERE '--' <> '/*' OR 1 = 1 /* ; select 1 */",
        f"/* nur lesen */ delete from {q} where 'it''s' = 'it''s'",
    ]
    if postgres:
        anweisungen += [
            f"UPDATE {tabelle} SET {spalte} = {spalte} WHERE E'\\'; --' <> ''",
            f"WITH x AS (DELETE FROM {tabelle} RETURNING 1) SELECT count(*) FROM x",
            f"SELECT $$ ' $$; DELETE FROM {tabelle}",
            f"UPDATE {tabelle} SET {spalte} = {spalte} WHERE $a$--$a$ <> $b$'$b$",
        ]
    else:
        anweisungen += [f"WITH x AS (SELECT 1) DELETE FROM [{tabelle}] WHERE `{spalte}` IS NOT NULL OR 1"]
    return anweisungen


@pytest.mark.parametrize("akteur", [None, Akteur("lg", "lenkungsgruppe"), Akteur("adm", "admin"), SYSTEM],
                         ids=["ohne", "lenkungsgruppe", "admin", "system_als_person"])
def test_text_anweisungen_jeder_art_werden_verweigert(welt, akteur):
    engine, ids = welt
    postgres = engine.dialect.name == "postgresql"
    vorher, namen = _anzahlen(engine), _summe_namen(engine)
    with sitzung(engine, akteur=None) as s:
        audit_vorher = s.scalar(select(func.max(m.Aenderung.id)))
    tabellen = [t for t in politik.TABELLEN if "." not in t]
    geprueft = 0
    for tabelle in tabellen:
        for sql in _text_anweisungen(tabelle, postgres):
            for weg in ("execute", "driver"):
                with pytest.raises((RechteFehler, EingabeFehler)), sitzung(engine, akteur=akteur) as s:
                    if weg == "execute":
                        s.execute(text(sql))
                    else:
                        s.connection().exec_driver_sql(sql.replace("%", "%%"))
                geprueft += 1
    assert geprueft >= len(tabellen) * 14
    assert _anzahlen(engine) == vorher and _summe_namen(engine) == namen
    with sitzung(engine, akteur=None) as s:
        assert s.scalar(select(func.max(m.Aenderung.id))) == audit_vorher


@pytest.mark.parametrize("leere_db", ["sqlite"], indirect=True)
def test_sqlite_rohe_verbindung_einer_person_schreibt_nicht(welt):
    """Am Ereignis vorbei (rohe DB-API-Verbindung der Sitzung): der SQLite-Autorisierer verweigert."""
    engine, ids = welt
    assert engine.dialect.name == "sqlite"  # PostgreSQL: Zeilenrichtlinien-Test unten
    import sqlite3

    with sitzung(engine, akteur=tl(ids, "mom")) as s:
        s.scalar(select(func.count()).select_from(m.Einrichtung))
        roh = s.connection().connection.dbapi_connection
        for sql in ("UPDATE einrichtung SET name = 'x'", "DELETE FROM aenderung", "UPDATE aenderung SET benutzer='x'",
                    "INSERT INTO benutzer (login, anzeigename, rolle, demo, gesperrt, version) "
                    "VALUES ('boss', 'b', 'admin', 0, 0, 1)", "DROP TRIGGER aenderung_kein_aendern",
                    "PRAGMA foreign_keys = OFF", "ATTACH DATABASE ':memory:' AS x"):
            with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
                roh.execute(sql)
    with sitzung(engine, akteur=None) as s:
        assert "x" not in set(s.scalars(select(m.Einrichtung.name)))


def test_systemsitzung_kann_aenderung_nicht_aendern_auch_nicht_per_text(welt):
    engine, _ids = welt
    for sql in ("UPDATE aenderung SET benutzer = 'x'", "DELETE FROM aenderung WHERE id > 0",
                "WITH x AS (SELECT 1) DELETE FROM \"aenderung\""):
        with pytest.raises(RechteFehler, match="unveränderlich"), systemsitzung(engine, grund="t") as s:
            s.execute(text(sql))


# --------------------------------------------------------------------------------------------- Gespeicherte Zeile
def test_fremde_einrichtung_verschieben_trotz_set_committed_value(welt):
    engine, ids = welt
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids, "neu")) as s:
        e = s.get(m.Einrichtung, ids["e_mom"])
        set_committed_value(e, "stadtteil_id", ids["st_neu"])  # „war schon immer bei uns“
        e.name = "Umbenannt"
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids, "neu")) as s:
        e = s.get(m.Einrichtung, ids["e_mom"])
        s.expire(e, ["stadtteil_id"])
        e.stadtteil_id = ids["st_neu"]
    assert "Umbenannt" not in _summe_namen(engine)


def test_fremde_einrichtung_umbenennen_nach_expire(welt):
    engine, ids = welt
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids, "neu")) as s:
        e = s.get(m.Einrichtung, ids["e_mom"])
        s.expire(e)
        e.name = "Gekapert"
    assert "Gekapert" not in _summe_namen(engine)


def test_mitglied_erhoeht_kosten_genehmigter_massnahme_trotz_falschem_status_im_speicher(welt):
    engine, ids = welt
    mitglied = Akteur("mitglied-mom", "mitglied", ids["mom"])
    with pytest.raises(RechteFehler), sitzung(engine, akteur=mitglied) as s:
        x = s.get(m.Massnahme, ids["massnahme"])
        set_committed_value(x, "status", "beantragt")
        set_committed_value(x, "genehmigt", False)
        x.kosten_geplant = 5000.0
    with sitzung(engine, akteur=None) as s:
        assert s.get(m.Massnahme, ids["massnahme"]).kosten_geplant == 500.0


def test_fremde_massnahme_loeschen_und_stufenbeschluss_aendern_trotz_verfaelschtem_sozialraum(welt):
    engine, ids = welt
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids, "neu")) as s:
        x = s.get(m.Massnahme, ids["massnahme"])
        set_committed_value(x, "sozialraum_id", ids["neu"])
        s.delete(x)
    with pytest.raises(RechteFehler), sitzung(engine, akteur=tl(ids, "neu")) as s:
        b = s.get(m.Stufenbeschluss, ids["stufe"])
        set_committed_value(b, "sozialraum_id", ids["neu"])
        b.beschluss = "Gekapert"
    with sitzung(engine, akteur=None) as s:
        assert s.get(m.Massnahme, ids["massnahme"]) is not None
        assert s.get(m.Stufenbeschluss, ids["stufe"]).beschluss == "Start"


def test_versendetes_protokoll_bleibt_trotz_falschem_status_im_speicher(welt):
    engine, ids = welt
    for akteur in (tl(ids, "mom"), Akteur("mitglied-mom", "mitglied", ids["mom"])):
        with pytest.raises((RechteFehler, EingabeFehler)), sitzung(engine, akteur=akteur) as s:
            vs = s.get(m.Sitzung, ids["versendet"])
            set_committed_value(vs, "status", "protokolliert")
            s.get(m.Protokollpunkt, ids["vpunkt"]).text = "Nachträglich geändert"
    with sitzung(engine, akteur=None) as s:
        assert s.get(m.Protokollpunkt, ids["vpunkt"]).text == "Versendeter Punkt"


def test_protokollfuehrung_im_speicher_vorgetaeuscht(welt):
    engine, ids = welt
    fremd = Akteur("mitglied-mom", "mitglied", ids["mom"])  # nicht die Protokollführung von sz
    with pytest.raises(RechteFehler), sitzung(engine, akteur=fremd) as s:
        sz = s.get(m.Sitzung, ids["sz"])
        set_committed_value(sz, "protokoll_login", "mitglied-mom")
        s.get(m.Protokollpunkt, ids["punkt"]).text = "Fallbesprechung (anonymisiert), ergänzt"
    # die echte Protokollführung darf (Gegenprobe)
    echt = Akteur("anderes-mitglied", "mitglied", ids["mom"])
    with sitzung(engine, akteur=echt) as s:
        s.get(m.Protokollpunkt, ids["punkt"]).text = "Fallbesprechung (anonymisiert), ergänzt"


def test_eingefrorene_felder_beider_seiten(welt):
    """Versendete Sitzung: Datum fest (R8); genehmigte Maßnahme: die Teamleitung darf, ein Mitglied nicht (R10)."""
    engine, ids = welt
    with pytest.raises(RechteFehler, match="versendet"), sitzung(engine, akteur=tl(ids, "mom")) as s:
        s.get(m.Sitzung, ids["versendet"]).beginn = "10:00"
    with sitzung(engine, akteur=tl(ids, "mom")) as s:
        s.get(m.Massnahme, ids["massnahme"]).durchfuehrung = "KiJuKuZ"
    with pytest.raises(RechteFehler), sitzung(engine, akteur=Akteur("mm", "mitglied", ids["mom"])) as s:
        s.get(m.Massnahme, ids["massnahme"]).durchfuehrung = "Verein"
    with sitzung(engine, akteur=None) as s:
        assert s.get(m.Massnahme, ids["massnahme"]).durchfuehrung == "KiJuKuZ"


# --------------------------------------------------------------------------------------------- PostgreSQL
def test_richtlinien_entstehen_aus_der_erklaerung():
    sql = "\n".join(postgres_regeln())
    for t in politik.TABELLEN:
        assert f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY" in sql
    assert "rk_darf('einrichtung', 'aendern', (SELECT rk_w0.sozialraum_id FROM stadtteil rk_w0 WHERE rk_w0.id = " \
           "einrichtung.stadtteil_id))" in sql
    assert "('budget', 'anlegen', 'jugendhilfeplanung', 'alle')" in sql
    assert "('einrichtung', 'anlegen', 'teamleitung', 'eigener')" in sql
    assert "'lenkungsgruppe'" not in sql.split("INSERT INTO rk_recht")[1].split(";")[0]


def _app_rolle(engine) -> str:
    """Eine Anwendungsrolle ohne Eigentum und ohne Superuser-Rechte (wie im Betrieb) und ihre URL."""
    with engine.begin() as c:
        c.execute(text("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rk_app_test') THEN "
                       "CREATE ROLE rk_app_test LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$"))
        c.execute(text("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rk_app_test"))
        c.execute(text("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO rk_app_test"))
    return make_url(engine.url).set(username="rk_app_test").render_as_string(hide_password=False)


@pytest.mark.postgis
@pytest.mark.parametrize("leere_db", ["postgis"], indirect=True)
def test_postgres_zeilenrichtlinien_an_der_datenschicht_vorbei(welt):
    engine, ids = welt
    assert engine.dialect.name == "postgresql"  # SQLite: Autorisierer-Test oben
    roh = create_engine(_app_rolle(engine))
    try:
        def als(rolle: str, sr: int | None, sql: str) -> int:
            with roh.begin() as c:
                c.execute(text("SELECT set_config('rk.rolle', :r, true), set_config('rk.sozialraum', :s, true), "
                               "set_config('rk.login', 'x', true)"), {"r": rolle, "s": "" if sr is None else str(sr)})
                return c.execute(text(sql)).rowcount

        # Teamleitung Neustadt: nur die eigene Einrichtung, auch mit Text-SQL an der Datenschicht vorbei
        assert als("teamleitung", ids["neu"], "UPDATE einrichtung SET kapazitaet = 5") == 1
        assert als("teamleitung", ids["neu"], "DELETE FROM netzwerk") == 0
        assert als("lenkungsgruppe", None, "UPDATE einrichtung SET kapazitaet = 6") == 0
        assert als("", None, "UPDATE massnahme SET kosten_geplant = 1") == 0
        assert als("mitglied", ids["mom"], "UPDATE budget SET betrag_eur = 1") == 0
        assert als("jugendhilfeplanung", None, "UPDATE budget SET betrag_eur = betrag_eur") == 1
        from sqlalchemy.exc import DBAPIError

        with pytest.raises((DBAPIError, RechteFehler)):  # in einen fremden Sozialraum verschieben
            als("teamleitung", ids["neu"], f"UPDATE einrichtung SET stadtteil_id = (SELECT id FROM stadtteil "
                                           f"WHERE sozialraum_id = {ids['mom']} LIMIT 1)")
        with pytest.raises((DBAPIError, RechteFehler)):  # sich selbst zur Administration machen
            als("mitglied", ids["mom"], "INSERT INTO benutzer (login, anzeigename, rolle, demo, gesperrt, version) "
                                        "VALUES ('boss', 'b', 'admin', false, false, 1)")
        with pytest.raises((DBAPIError, RechteFehler)):  # fremde Zeile im Änderungsprotokoll
            als("teamleitung", ids["neu"], "INSERT INTO aenderung (benutzer, tabelle, aktion) "
                                           "VALUES ('jemand', 'x', 'anlegen')")
        # Änderungsprotokoll: keine Richtlinie für UPDATE/DELETE (keine Zeile sichtbar), TRUNCATE ohne Recht
        assert als("admin", None, "UPDATE aenderung SET benutzer = 'x'") == 0
        assert als("system", None, "DELETE FROM aenderung") == 0
        with pytest.raises((DBAPIError, RechteFehler)):
            als("system", None, "TRUNCATE aenderung")
    finally:
        roh.dispose()
    with sitzung(engine, akteur=None) as s:
        kap = {e.id: e.kapazitaet for e in s.scalars(select(m.Einrichtung))}
        assert kap[ids["e_neu"]] == 5 and kap[ids["e_mom"]] != 5
        assert s.scalar(select(func.count()).select_from(m.Netzwerk)) == 1
        assert s.scalar(select(m.Benutzer).where(m.Benutzer.login == "boss")) is None
        assert s.scalar(select(func.count()).where(m.Aenderung.benutzer == "x")) == 0
        assert s.scalar(select(func.count()).select_from(m.Aenderung)) > 0


@pytest.mark.postgis
@pytest.mark.parametrize("leere_db", ["postgis"], indirect=True)
def test_postgres_lesende_sitzung_ist_read_only_transaktion(welt):
    """Wer nichts schreiben darf, bekommt eine READ-ONLY-Transaktion: auch rohe Anweisungen schreiben nicht."""
    engine, ids = welt
    assert engine.dialect.name == "postgresql"

    def nur_lesen(akteur) -> str:
        with sitzung(engine, akteur=akteur) as s:
            s.scalar(select(func.count()).select_from(m.Einrichtung))
            return s.connection().connection.dbapi_connection.execute("SHOW transaction_read_only").fetchone()[0]

    assert nur_lesen(Akteur("lg", "lenkungsgruppe")) == "on" and nur_lesen(None) == "on"
    assert nur_lesen(tl(ids, "neu")) == "off"
    with pytest.raises(Exception, match="read-only transaction"), sitzung(engine, akteur=None) as s:
        s.scalar(select(func.count()).select_from(m.Einrichtung))
        s.connection().connection.dbapi_connection.execute("UPDATE einrichtung SET name = 'x'")
    assert "x" not in _summe_namen(engine).split("|")


# --------------------------------------------------------------------------------------------- Ein Weg
def _aufrufe(pfad, name: str):
    import ast

    for k in ast.walk(ast.parse(pfad.read_text(encoding="utf-8"))):
        if isinstance(k, ast.Call) and getattr(k.func, "id", getattr(k.func, "attr", None)) == name:
            yield k


def test_seiten_schreiben_nur_ueber_den_einstieg_der_dienste():
    """Seiten öffnen Sitzungen nur zum Lesen (akteur=None); geschrieben wird über daten.dienste.ausfuehren."""
    from pathlib import Path

    wurzel = Path(__file__).resolve().parents[2]
    dateien = [wurzel / "streamlit_app.py", *sorted((wurzel / "seiten").rglob("*.py"))]
    schreibend = [f"{d.name}:{k.lineno}" for d in dateien for k in _aufrufe(d, "sitzung")
                  if not any(kw.arg == "akteur" and isinstance(kw.value, ast_const()) and kw.value.value is None
                             for kw in k.keywords)]
    assert not schreibend
    assert sum(1 for d in dateien for _ in _aufrufe(d, "ausfuehren")) >= 10


def ast_const():
    import ast

    return ast.Constant


def test_berichtsdaten_lesen_protokolle_nur_mit_leserecht(welt, kommune):
    """Der Bericht liest Protokolltexte über den einen Leser: die Lenkungsgruppe bekommt keine, ein Mitglied
    nur die seines Gremiums, die Jugendhilfeplanung alle."""
    from daten.berichtsdaten import lade_berichtsdaten

    engine, ids = welt
    def punkte(akteur):
        return set(lade_berichtsdaten(engine, kommune, akteur=akteur).protokollpunkte["id"])
    alle = punkte(Akteur("j", "jugendhilfeplanung"))
    assert alle == {ids["punkt"], ids["vpunkt"]}
    assert punkte(Akteur("lg", "lenkungsgruppe")) == set() and punkte(None) == set()
    assert punkte(Akteur("m", "mitglied", ids["mom"])) == alle
    assert punkte(Akteur("m", "mitglied", ids["neu"])) == set()


def test_statuswerte_im_code_sind_erklaert():
    """Jeder Status, mit dem der Code vergleicht, steht in den erklärten Wertemengen (daten/werte.py): ein Status,
    den ein Modul umbenennt, lässt keinen Vergleich mit dem alten Namen stehen (so zählte der Bericht 0 umgesetzte
    Maßnahmen)."""
    import ast
    from pathlib import Path

    from daten import werte
    from daten.dienste.empfehlungen import STATUS as EMPFEHLUNG_STATUS

    erklaert = {*werte.SITZUNG_STATUS, *werte.MASSNAHME_STATUS, *werte.NETZWERK_STATUS, *werte.EINRICHTUNG_STAND,
                *EMPFEHLUNG_STATUS}
    wurzel = Path(__file__).resolve().parents[2]
    fremd = []
    for pfad in sorted(p for d in ("daten", "karte", "analysen", "seiten", "berichte", "befehle")
                       for p in (wurzel / d).rglob("*.py")):
        if "migrationen" in pfad.parts:
            continue
        for k in ast.walk(ast.parse(pfad.read_text(encoding="utf-8"))):
            if isinstance(k, ast.Compare):
                teile = [k.left, *k.comparators]
            elif isinstance(k, ast.Call) and getattr(k.func, "attr", "") == "isin":
                teile = [k.func.value, *k.args]
            else:
                continue
            def ist_status(t: ast.AST) -> bool:
                return (isinstance(t, ast.Subscript) and getattr(t.slice, "value", None) == "status") or (
                    isinstance(t, ast.Attribute) and t.attr == "status")

            if not any(ist_status(t) for t in teile):
                continue
            werte_hier = {x.value for t in teile if not ist_status(t) for x in ast.walk(t)
                          if isinstance(x, ast.Constant) and isinstance(x.value, str)}
            fremd += [f"{pfad.relative_to(wurzel)}:{k.lineno} {w!r}" for w in sorted(werte_hier - erklaert)]
    assert not fremd


def test_dienste_folgen_einer_konvention():
    """Jedes Verb in daten/dienste/ heißt `verb(session, akteur, *, …)`: nach `akteur` nur Schlüsselwörter."""
    import ast
    from pathlib import Path

    wurzel = Path(__file__).resolve().parents[2]
    verben, abweichend = 0, []
    for pfad in sorted((wurzel / "daten" / "dienste").glob("*.py")):
        for f in ast.parse(pfad.read_text(encoding="utf-8")).body:
            if isinstance(f, ast.FunctionDef) and not f.name.startswith("_"):
                namen = [a.arg for a in f.args.args]
                if namen[1:2] == ["akteur"]:
                    verben += 1
                    if namen[:2] != ["session", "akteur"] or len(namen) > 2 or f.args.vararg:
                        abweichend.append(f"{pfad.name}:{f.name}")
    assert verben >= 30 and not abweichend
    # ausserhalb von daten/dienste/ gibt es keine Schreib-Verben mehr
    for alt in ("daten/gremium/sitzungen.py", "daten/gremium/massnahmen.py", "daten/empfehlungen.py"):
        assert not (wurzel / alt).exists()


def test_einstieg_meldet_verletzte_datenbankregel_deutsch(welt):
    """Eine Regel, die nur die Datenbank kennt (Budget je Sozialraum, Jahr und Kategorie nur einmal), kommt über
    den Einstieg der Dienste als deutsche Meldung an – nicht als IntegrityError."""
    from daten import dienste

    engine, ids = welt

    def doppelt(session, akteur):  # noqa: ANN001, ANN202
        session.add(m.Budget(sozialraum_id=ids["mom"], jahr=2026, kategorie="fallunspezifisch", betrag_eur=1.0))

    with pytest.raises(EingabeFehler, match="widerspricht einer Regel der Datenbank"):
        dienste.ausfuehren(engine, Akteur("j", "jugendhilfeplanung"), doppelt)
    with sitzung(engine, akteur=None) as s:
        assert s.scalar(select(func.count()).select_from(m.Budget)) == 1


# Je Weg zum Sozialraum ein Fall: der Fremdschlüssel wird im Speicher auf den eigenen Sozialraum „umgebogen“
# (set_committed_value) oder vergessen (expire), dann ein harmloses Feld geändert. Verglichen wird mit der
# gespeicherten Zeile: abgelehnt, nichts gespeichert.
FAELSCHUNGEN = [
    ("einrichtung", "e_mom", "stadtteil_id", "st_neu", "name", "Gekapert"),
    ("netzwerk", "netz", "sozialraum_id", "neu", "name", "Gekapert"),
    ("massnahme", "massnahme", "sozialraum_id", "neu", "titel", "Gekapert"),
    ("stufenbeschluss", "stufe", "sozialraum_id", "neu", "beschluss", "Gekapert"),
    ("hospitation", "hospitation", "von_id", "e_neu", "zweck", "Gekapert"),
    ("sitzung", "sz", "sozialraum_id", "neu", "protokollfuehrung", "Gekapert"),
    ("protokollpunkt", "punkt", "sitzung_id", None, "text", "Gekapert"),
]


@pytest.mark.parametrize("weise", ["set_committed_value", "expire"])
@pytest.mark.parametrize(("tabelle", "schluessel", "fk", "eigen", "feld", "wert"), FAELSCHUNGEN,
                         ids=[f[0] for f in FAELSCHUNGEN])
def test_gefaelschter_sozialraum_im_speicher_hilft_nicht(welt, weise, tabelle, schluessel, fk, eigen, feld, wert):
    engine, ids = welt
    klasse = _klasse(tabelle)
    with sitzung(engine, akteur=SYSTEM) as s:  # eine Sitzung in Neustadt als Ziel für den Protokollpunkt
        neu_sz = m.Sitzung(schluessel=f"neu-{tabelle}-{weise}", sozialraum_id=ids["neu"], datum=date(2026, 3, 3),
                           status="durchgefuehrt")
        s.add(neu_sz)
    ziel = neu_sz.id if eigen is None else ids[eigen]
    for akteur in (tl(ids, "neu"), Akteur("mitglied-neu", "mitglied", ids["neu"])):
        with pytest.raises(RechteFehler), sitzung(engine, akteur=akteur) as s:
            obj = s.get(klasse, ids[schluessel])
            if weise == "set_committed_value":
                set_committed_value(obj, fk, ziel)
            else:
                s.expire(obj, [fk])
                setattr(obj, fk, ziel)
            setattr(obj, feld, wert)
    with sitzung(engine, akteur=None) as s:
        obj = s.get(klasse, ids[schluessel])
        assert getattr(obj, feld) != wert and getattr(obj, fk) != ziel
