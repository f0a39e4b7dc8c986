"""Issue 6, kritische Punkte 2–4: Werte aus der Konfiguration, Demo-Konten, Demo nur in leere Datenbanken.

(Punkt 1, Vorlagen-Injektion, prüfen die Tests von karte/ und seiten/.)
"""

from datetime import date

import pytest
import shapely
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from daten import modelle as m
from daten.db import erstelle_engine, sitzung, systemsitzung
from daten.fehler import AnmeldeFehler, EingabeFehler
from daten.konten import anmelden
from daten.laden import initialisiere
from daten.politik import SYSTEM, Akteur
from daten.werte import MASSNAHME_STATUS, SITZUNG_STATUS
from tests.daten.test_cli import rk

QUADRAT = shapely.box(8.20, 49.95, 8.30, 50.05)
ADMIN_PW = "Rk-Bar-Geheim-2026!"


@pytest.fixture
def db(leere_db, kommune):
    engine = erstelle_engine(leere_db)
    initialisiere(engine, kommune)
    with sitzung(engine, akteur=SYSTEM) as s:
        for st in s.scalars(select(m.Stadtteil)):
            st.geometrie = QUADRAT
        sr = s.scalar(select(m.Sozialraum).where(m.Sozialraum.name == "Neustadt"))
        st_id = s.scalar(select(m.Stadtteil.id).where(m.Stadtteil.sozialraum_id == sr.id))
        s.add(m.Einrichtung(schluessel="e1", name="Kita Eins", art="kita", traeger_art="frei", stadtteil_id=st_id,
                            geometrie=shapely.Point(8.25, 50.0)))
        sz = m.Sitzung(schluessel="s1", sozialraum_id=sr.id, datum=date(2026, 3, 3), status="durchgefuehrt")
        s.add(sz)
    yield engine, sr.id, st_id
    engine.dispose()


def _tl(sr_id):
    return Akteur("tl", "teamleitung", sr_id)


# --- 2. Werte aus Konfiguration und festen Mengen ---------------------------------------------------------
def _neu(sr_id, st_id, sz_id, wer, **werte):
    basis = {
        "einrichtung": lambda: m.Einrichtung(schluessel="x", name="X", art="kita", traeger_art="frei",
                                             stadtteil_id=st_id, geometrie=shapely.Point(8.25, 50.0)),
        "punkt": lambda: m.Protokollpunkt(sitzung_id=sz_id, frage=1, handlungsebene="fallspezifisch", text="t"),
        "massnahme": lambda: m.Massnahme(schluessel="m", sozialraum_id=sr_id, titel="T", art="fallunspezifisch",
                                         jahr=2026, status="beantragt"),
        "sitzung": lambda: m.Sitzung(schluessel="s2", sozialraum_id=sr_id, datum=date(2026, 5, 5)),
        "netzwerk": lambda: m.Netzwerk(schluessel="n", name="N", status="besteht", sozialraum_id=sr_id),
        "budget": lambda: m.Budget(sozialraum_id=sr_id, jahr=2026, kategorie="fallunspezifisch", betrag_eur=1.0),
    }[wer]()
    for k, v in werte.items():
        setattr(basis, k, v)
    return basis


@pytest.mark.parametrize(("wer", "feld", "wert", "erlaubt"), [
    ("einrichtung", "art", "{{7*7}}", "kita"),
    ("einrichtung", "traeger_art", "privat", "staedtisch"),
    ("punkt", "handlungsebene", "irgendwie", "falluebergreifend"),
    ("punkt", "frage", 9, "1 bis 8"),
    ("punkt", "frage", 0, "1 bis 8"),
    ("massnahme", "beschlussvorlage", "9999/2099", "1470/2012"),
    ("massnahme", "art", "sonstiges", "fortbildung_supervision"),
    ("massnahme", "status", "abgeschlossen", "umgesetzt"),
    ("sitzung", "status", "durchgeführt", "durchgefuehrt"),
    ("netzwerk", "status", "vielleicht", "soll entwickelt werden"),
    ("budget", "kategorie", "kaffee", "fortbildung_supervision"),
])
def test_unbekannte_werte_werden_mit_deutscher_liste_abgelehnt(db, wer, feld, wert, erlaubt):
    engine, sr_id, st_id = db
    with sitzung(engine, akteur=None) as s:
        sz_id = s.scalar(select(m.Sitzung.id))
    # Budgets setzt die Jugendhilfeplanung (R10: die Teamleitung beobachtet sie nur)
    wer_schreibt = Akteur("jhp", "jugendhilfeplanung") if wer == "budget" else _tl(sr_id)
    with pytest.raises(EingabeFehler) as info, sitzung(engine, akteur=wer_schreibt) as s:
        s.add(_neu(sr_id, st_id, sz_id, wer, **{feld: wert}))
    meldung = str(info.value)
    assert f"Feld '{feld}'" in meldung and "nicht erlaubt" in meldung and erlaubt in meldung
    with sitzung(engine, akteur=wer_schreibt) as s:  # der gültige Wert geht durch
        s.add(_neu(sr_id, st_id, sz_id, wer))


def test_aendern_auf_unbekannten_wert_abgelehnt_und_indikatorschluessel(db):
    engine, sr_id, st_id = db
    with pytest.raises(EingabeFehler, match="Erlaubt sind: asd, kita"), sitzung(engine, akteur=_tl(sr_id)) as s:
        s.scalar(select(m.Einrichtung)).art = "bunker"
    with pytest.raises(EingabeFehler, match="einwohner_u6"), sitzung(engine, akteur=SYSTEM) as s:
        s.add(m.Indikatorwert(stadtteil_id=st_id, jahr=2025, merkmal="erfunden", wert=1.0))
    with sitzung(engine, akteur=None) as s:
        assert s.scalar(select(m.Einrichtung.art)) == "kita"


def test_systemsitzung_prueft_auch_sammel_einfuegungen(db):
    engine, sr_id, _st = db
    with pytest.raises(EingabeFehler, match="Zeile 2.*status"), systemsitzung(engine, grund="Import") as s:
        s.execute(insert(m.Netzwerk), [
            {"schluessel": "a", "name": "A", "status": "besteht", "sozialraum_id": sr_id},
            {"schluessel": "b", "name": "B", "status": "kaputt", "sozialraum_id": sr_id},
        ])
    with pytest.raises(EingabeFehler, match="status"), systemsitzung(engine, grund="Import") as s:
        s.execute(insert(m.Netzwerk).values(schluessel="c", name="C", status="kaputt", sozialraum_id=sr_id))


def test_datenbank_check_haelt_feste_mengen_auch_ohne_datenschicht(db):
    engine, sr_id, _st = db
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE sitzung SET status = 'irgendwas'"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO netzwerk (schluessel, name, status, sozialraum_id, version) "
                          "VALUES ('z', 'Z', 'unklar', :sr, 1)"), {"sr": sr_id})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO protokollpunkt (sitzung_id, frage, handlungsebene, text, fallbesprechung, "
                          "anonymisiert, schweigepflichtentbindung, version) "
                          "SELECT id, 0, 'fallspezifisch', 't', false, false, false, 1 FROM sitzung"))


def test_demo_nutzt_nur_erlaubte_statuswerte(demo_engine):
    with sitzung(demo_engine, akteur=None) as s:
        assert set(s.scalars(select(m.Sitzung.status).distinct())) <= set(SITZUNG_STATUS)
        assert set(s.scalars(select(m.Massnahme.status).distinct())) <= set(MASSNAHME_STATUS)
        assert "durchgefuehrt" in set(s.scalars(select(m.Sitzung.status).distinct()))


# --- 3. Demo-Konten überleben den Echtbetrieb nicht -------------------------------------------------------
def test_demo_konten_sind_markiert_und_im_echtbetrieb_gesperrt(tmp_path, kommune):
    engine = erstelle_engine(f"sqlite:///{tmp_path / 'd.db'}")
    initialisiere(engine, kommune, demo=True)
    with sitzung(engine, akteur=None) as s:
        konten = {b.login: b.demo for b in s.scalars(select(m.Benutzer))}
    assert len(konten) == 24 and all(konten.values())
    assert anmelden(engine, "tl01", "demo", demo_modus=True).rolle == "teamleitung"
    with pytest.raises(AnmeldeFehler):  # Kennzeichen wirkt schon vor dem nächsten init
        anmelden(engine, "tl01", "demo", demo_modus=False, client="a")
    erg = initialisiere(engine, kommune, admin_passwort=ADMIN_PW, demo_modus=False)
    assert erg.admin_passwort == "geändert" and len(erg.demo_konten_gesperrt) == 23
    for login in ("admin", "jhp", "tl01"):
        with pytest.raises(AnmeldeFehler, match="falsch"):
            anmelden(engine, login, "demo", demo_modus=False, client=f"c-{login}")
    assert anmelden(engine, "admin", ADMIN_PW, demo_modus=False, client="b").rolle == "admin"
    # Rotation: neues Passwort gilt, altes nicht mehr
    assert initialisiere(engine, kommune, admin_passwort=ADMIN_PW + "x", demo_modus=False).admin_passwort == "geändert"
    with pytest.raises(AnmeldeFehler):
        anmelden(engine, "admin", ADMIN_PW, demo_modus=False, client="d")
    assert anmelden(engine, "admin", ADMIN_PW + "x", demo_modus=False, client="d").login == "admin"
    assert initialisiere(engine, kommune, admin_passwort=ADMIN_PW + "x", demo_modus=False).admin_passwort is None


def test_init_im_echtbetrieb_sagt_was_gesperrt_wurde(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    assert rk("init", "--demo", url=url).returncode == 0
    r = rk("init", url=url, env={"RESSOURCENKARTE_DEMO": "false", "RESSOURCENKARTE_ADMIN_PASSWORT": ADMIN_PW})
    assert r.returncode == 0, r.stderr
    assert "23 Demo-Konten gesperrt" in r.stdout and "tl01" in r.stdout and "'admin'" in r.stdout
    assert "fiktive Demo-Daten" in r.stdout
    assert ADMIN_PW not in r.stdout + r.stderr


# --- 4. init --demo lässt echte Daten in Ruhe ---------------------------------------------------------------
def test_init_demo_verweigert_datenbank_mit_echten_daten(leere_db, kommune):
    engine = erstelle_engine(leere_db)
    initialisiere(engine, kommune, admin_passwort=ADMIN_PW)
    amtlich = shapely.box(8.2, 49.99, 8.21, 50.0)
    with sitzung(engine, akteur=SYSTEM) as s:
        st = s.scalar(select(m.Stadtteil).order_by(m.Stadtteil.id))
        st.geometrie, st.quelle = amtlich, "amtlich"
    with pytest.raises(EingabeFehler, match=r"1 Stadtteil-Geometrien.*eigene Datenbank"):
        initialisiere(engine, kommune, demo=True)
    with sitzung(engine, akteur=None) as s:
        st = s.scalar(select(m.Stadtteil).order_by(m.Stadtteil.id))
        assert st.quelle == "amtlich" and st.geometrie.equals(amtlich)
        assert s.scalar(select(m.Einrichtung.id)) is None
        assert not s.scalar(select(m.Kommune.demo_geladen))
        assert list(s.scalars(select(m.Benutzer.login))) == ["admin"]
    engine.dispose()


def test_init_demo_in_leere_datenbank_mit_admin_geht_und_ist_wiederholbar(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    assert rk("init", url=url, env={"RESSOURCENKARTE_ADMIN_PASSWORT": ADMIN_PW}).returncode == 0
    eins = rk("init", "--demo", url=url)
    assert eins.returncode == 0 and "Demo-Daten geladen" in eins.stdout, eins.stderr
    zwei = rk("init", "--demo", url=url)
    assert zwei.returncode == 0 and "schon geladen" in zwei.stdout


def test_init_demo_verweigert_ueber_cli_mit_einer_zeile(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    assert rk("init", url=url).returncode == 0
    engine = erstelle_engine(url)
    with sitzung(engine, akteur=SYSTEM) as s:
        s.scalar(select(m.Stadtteil)).geometrie = QUADRAT
    engine.dispose()
    r = rk("init", "--demo", url=url)
    assert r.returncode == 1 and r.stderr.startswith("Fehler: Die Datenbank enthält bereits eigene Daten")
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_migration_0002_uebernimmt_bestehende_datenbank(leere_db, kommune):
    """Eine Datenbank im Stand 0001 mit alten Statuswerten und Demo-Konten: nach init ist alles erhalten,
    Statuswerte umgeschrieben, Demo-Konten gekennzeichnet – und (SQLite) keine Kindzeile per CASCADE verloren."""
    from alembic import command
    from alembic.config import Config

    from daten.db import MIGRATIONEN

    engine = erstelle_engine(leere_db)
    if engine.dialect.name == "sqlite":
        from daten.db import pruefe_verbindung

        pruefe_verbindung(engine, anlegen=True)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONEN))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO kommune (name, demo_geladen) VALUES ('Landeshauptstadt Mainz', true)"))
        conn.execute(text("INSERT INTO sozialraum (kommune_id, name, reihenfolge, stufe, version) "
                          "SELECT id, 'Neustadt', 0, 1, 1 FROM kommune"))
        conn.execute(text("INSERT INTO sitzung (schluessel, sozialraum_id, datum, status, teilnehmende, version) "
                          "SELECT 's', id, '2025-03-03', 'durchgeführt', '[]', 1 FROM sozialraum"))
        conn.execute(text("INSERT INTO protokollpunkt (sitzung_id, frage, handlungsebene, text, fallbesprechung, "
                          "anonymisiert, schweigepflichtentbindung, version) "
                          "SELECT id, 2, 'fallspezifisch', 'bleibt', false, false, false, 1 FROM sitzung"))
        conn.execute(text("INSERT INTO massnahme (schluessel, sozialraum_id, sitzung_id, titel, art, kosten_geplant, "
                          "genehmigt, status, jahr, version) SELECT 'm', sozialraum_id, id, 'T', 'fallunspezifisch', "
                          "1, true, 'laufend', 2025, 1 FROM sitzung"))
        conn.execute(text("INSERT INTO benutzer (login, anzeigename, passwort_hash, rolle, aktiv, version) "
                          "VALUES ('tl01', 'Teamleitung ASD Neustadt (Demo)', 'scrypt$x', 'teamleitung', true, 1)"))
    initialisiere(engine, kommune)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM sitzung")).scalar() == "durchgefuehrt"
        assert conn.execute(text("SELECT status FROM massnahme")).scalar() == "genehmigt"
        assert conn.execute(text("SELECT text FROM protokollpunkt")).scalar() == "bleibt"
        assert conn.execute(text("SELECT demo FROM benutzer WHERE login = 'tl01'")).scalar()
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE sitzung SET status = 'kaputt'"))
    engine.dispose()
