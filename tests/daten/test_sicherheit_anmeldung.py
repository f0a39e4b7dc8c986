"""Issue 6, Punkte 11–12: Anmeldung (argon2id, Sperren, gleiche Behandlung unbekannter Konten, Zeitüberschreitung)
und Fehlerseiten ohne Geheimnisse."""

import hashlib
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from daten import konten
from daten import modelle as m
from daten.db import erstelle_engine, maskiere_url, sitzung
from daten.fehler import AnmeldeFehler
from daten.konten import anmelden
from daten.laden import initialisiere
from daten.passwort import braucht_neuen_hash, hash_passwort, pruefe_passwort
from daten.politik import SYSTEM
from tests.daten.test_cli import rk
from tests.seiten.hilfen import angezeigt

WURZEL = Path(__file__).resolve().parents[2]
PW = "ein-langes-Passwort-2026"
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path, kommune):
    e = erstelle_engine(f"sqlite:///{tmp_path / 'a.db'}")
    initialisiere(e, kommune)
    with sitzung(e, akteur=SYSTEM) as s:
        s.add(m.Benutzer(login="anna", anzeigename="Anna", rolle="jugendhilfeplanung", passwort_hash=hash_passwort(PW)))
    yield e
    e.dispose()


def _setze_hash(engine, login, h):
    with sitzung(engine, akteur=SYSTEM) as s:
        s.scalar(select(m.Benutzer).where(m.Benutzer.login == login)).passwort_hash = h


def _hash(engine, login):
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(m.Benutzer.passwort_hash).where(m.Benutzer.login == login))


def _scrypt(pw: str) -> str:
    salz = b"0123456789abcdef"
    return f"scrypt$16384$8$1${salz.hex()}${hashlib.scrypt(pw.encode(), salt=salz, n=2**14, r=8, p=1).hex()}"


def test_argon2id_und_alter_scrypt_hash_wird_bei_anmeldung_ersetzt(engine):
    assert _hash(engine, "anna").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    _setze_hash(engine, "anna", _scrypt(PW))
    assert braucht_neuen_hash(_hash(engine, "anna"))
    a = anmelden(engine, "anna", PW, demo_modus=False, jetzt=T0)
    assert (a.login, a.rolle, a.anzeigename) == ("anna", "jugendhilfeplanung", "Anna")
    neu = _hash(engine, "anna")
    assert neu.startswith("$argon2id$") and not braucht_neuen_hash(neu) and pruefe_passwort(PW, neu)
    schwach = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$0jNe2cTG7LJqGQ6fJKsWMw"  # zu schwache Parameter
    assert braucht_neuen_hash(schwach)


@pytest.mark.parametrize("kaputt", [
    "", "irgendwas", "scrypt$x$8$1$zz$00", "scrypt$16384$8$1$nichthex$00", "scrypt$99999999999$8$1$00$00",
    "scrypt$16384$8", "$argon2id$v=19$m=65536,t=3,p=4$kaputt", "$argon2id$", "$2b$12$abcdefghijklmnopqrstuv",
])
def test_kaputter_hash_ist_ablehnung_nie_ausnahme(engine, kaputt):
    assert pruefe_passwort(PW, kaputt) is False
    _setze_hash(engine, "anna", kaputt)
    with pytest.raises(AnmeldeFehler, match="falsch"):
        anmelden(engine, "anna", PW, demo_modus=False, client="k", jetzt=T0)


def test_sperre_nach_fuenf_fehlversuchen_mit_wachsender_wartezeit(engine, caplog):
    caplog.set_level(logging.WARNING, logger="ressourcenkarte.anmeldung")
    for _ in range(4):
        with pytest.raises(AnmeldeFehler, match="falsch"):
            anmelden(engine, "anna", "nein", demo_modus=False, client="c1", jetzt=T0)
    with pytest.raises(AnmeldeFehler, match="falsch"):
        anmelden(engine, "anna", "nein", demo_modus=False, client="c2", jetzt=T0)  # 5. Fehlversuch → Sperre
    with pytest.raises(AnmeldeFehler, match="in 30 Sekunden") as info:  # auch das richtige Passwort wartet
        anmelden(engine, "anna", PW, demo_modus=False, client="c3", jetzt=T0)
    assert info.value.warten_s == 30
    assert anmelden(engine, "anna", PW, demo_modus=False, client="c3", jetzt=T0 + timedelta(seconds=31))
    # Nach Erfolg beginnt die Kontozählung neu
    with pytest.raises(AnmeldeFehler, match="falsch"):
        anmelden(engine, "anna", "nein", demo_modus=False, client="c4", jetzt=T0 + timedelta(seconds=32))
    assert any("gesperrt" in r.getMessage() and "konto:anna" in r.getMessage() for r in caplog.records)
    assert any("fehlgeschlagen" in r.getMessage() for r in caplog.records)
    with sitzung(engine, akteur=None) as s:
        sperre = s.scalars(select(m.Aenderung).where(m.Aenderung.aktion == "sperre")).all()
    assert [z.nachher["schluessel"] for z in sperre] == ["konto:anna"]


def test_wartezeit_waechst_und_ist_gedeckelt():
    assert [konten._wartezeit(n, 5) for n in (4, 5, 6, 7)] == [0, 30, 60, 120]
    assert konten._wartezeit(40, 5) == konten.WARTEN_HOECHSTENS_S


def test_unbekanntes_konto_wird_wie_bekanntes_behandelt(engine, monkeypatch):
    geprueft = []
    echt = konten.pruefe_passwort
    monkeypatch.setattr(konten, "pruefe_passwort", lambda pw, h: geprueft.append(h) or echt(pw, h))
    for _ in range(5):
        with pytest.raises(AnmeldeFehler, match="^Benutzername oder Passwort ist falsch.$"):
            anmelden(engine, "niemand", "nein", demo_modus=False, client=f"x{_}", jetzt=T0)
    assert geprueft and all(h == konten._attrappe() and h.startswith("$argon2id$") for h in geprueft)
    with pytest.raises(AnmeldeFehler, match="Sekunden"):  # dieselbe Sperre wie bei einem echten Konto
        anmelden(engine, "niemand", "nein", demo_modus=False, client="y", jetzt=T0)


def test_sperre_je_client_ueber_verschiedene_konten(engine):
    for i in range(konten.CLIENT_GRENZE):
        with pytest.raises(AnmeldeFehler, match="falsch"):
            anmelden(engine, f"raten{i}", "nein", demo_modus=False, client="10.0.0.9", jetzt=T0)
    with pytest.raises(AnmeldeFehler, match="Sekunden"):
        anmelden(engine, "anna", PW, demo_modus=False, client="10.0.0.9", jetzt=T0)
    assert anmelden(engine, "anna", PW, demo_modus=False, client="10.0.0.10", jetzt=T0).login == "anna"


def test_inaktive_und_demo_konten(engine):
    with sitzung(engine, akteur=SYSTEM) as s:
        s.add(m.Benutzer(login="demo1", anzeigename="D", rolle="mitglied", demo=True,
                         passwort_hash=hash_passwort("demo")))
        s.scalar(select(m.Benutzer).where(m.Benutzer.login == "anna")).aktiv = False
    with pytest.raises(AnmeldeFehler, match="falsch"):
        anmelden(engine, "anna", PW, demo_modus=True, client="a", jetzt=T0)
    with pytest.raises(AnmeldeFehler, match="falsch"):
        anmelden(engine, "demo1", "demo", demo_modus=False, client="b", jetzt=T0)
    assert anmelden(engine, "demo1", "demo", demo_modus=True, client="c", jetzt=T0).login == "demo1"


# --- Dashboard: Anmeldemaske, Zeitüberschreitung, Fehlerseite ------------------------------------------------
@pytest.fixture
def app(monkeypatch, demo_sqlite_url):
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", demo_sqlite_url)
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "true")
    monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", "keine")
    monkeypatch.delenv("RESSOURCENKARTE_KOMMUNE", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield lambda: AppTest.from_file(str(WURZEL / "streamlit_app.py"), default_timeout=120)
    st.cache_resource.clear()
    st.cache_data.clear()


def _anmelden(at, login, pw):
    felder = {t.label: t for t in at.sidebar.text_input}
    felder["Benutzername"].input(login)
    felder["Passwort"].input(pw)
    next(b for b in at.sidebar.button if b.label == "Anmelden").click().run()


def test_demo_konto_im_echtbetrieb_meldet_sich_im_formular_nicht_an(app, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "false")
    monkeypatch.setenv("RESSOURCENKARTE_ADMIN_PASSWORT", "ein-langes-eigenes-Passwort")
    at = app().run()
    _anmelden(at, "admin", "demo")
    assert [angezeigt(e.value) for e in at.error] == ["Benutzername oder Passwort ist falsch."]
    assert not any("Angemeldet" in md.value for md in at.sidebar.markdown)


def test_abmeldung_nach_inaktivitaet(app, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_INAKTIV_MINUTEN", "5")
    at = app().run()
    _anmelden(at, "jhp", "demo")
    assert any("Angemeldet" in md.value for md in at.sidebar.markdown)
    at.session_state["zuletzt_aktiv"] = time.time() - 4 * 60
    at.run()
    assert at.session_state["akteur"].login == "jhp"
    at.session_state["zuletzt_aktiv"] = time.time() - 6 * 60
    at.run()
    assert not any("Angemeldet" in md.value for md in at.sidebar.markdown)
    assert any("Inaktivität" in i.value for i in at.sidebar.info)


@pytest.mark.parametrize("fall", ["kommune", "admin_passwort", "db_passwort"])
def test_kaputte_konfiguration_eine_deutsche_zeile_ohne_interna(app, monkeypatch, tmp_path, fall):
    geheim = "Sehr-Geheim-4711"
    if fall == "kommune":
        kaputt = tmp_path / "geheimer-pfad" / "kommune.yaml"
        kaputt.parent.mkdir()
        kaputt.write_text("name: [\n", encoding="utf-8")
        monkeypatch.setenv("RESSOURCENKARTE_KOMMUNE", str(kaputt))
    elif fall == "admin_passwort":
        monkeypatch.setenv("RESSOURCENKARTE_DEMO", "false")
        monkeypatch.setenv("RESSOURCENKARTE_ADMIN_PASSWORT", "kurz")
    else:
        monkeypatch.setenv("RESSOURCENKARTE_DB_URL", f"postgresql+psycopg://u:{geheim}@127.0.0.1:1/x?password={geheim}")
    at = app().run()
    assert not at.exception
    assert len(at.error) == 1
    text = at.error[0].value
    assert text.startswith("Die ") and "Administration" in text
    for verboten in (str(tmp_path), "geheimer-pfad", geheim, "Traceback", "kurz", "postgresql", ".yaml"):
        assert verboten not in text


def test_url_masken_benutzerteil_und_abfrage():
    url = "postgresql+psycopg://anna:Geheim1@db.intern:5432/rk?sslpassword=Geheim2&password=Geheim3&sslmode=require"
    maskiert = maskiere_url(url)
    assert "Geheim" not in maskiert and "sslmode=require" in maskiert and "anna:***@db.intern" in maskiert
    assert "Geheim" not in maskiere_url("postgresql://anna:Geheim1@[kaputt/x?password=Geheim2")


def test_cli_zeigt_keine_passwoerter():
    r = rk("init", url="postgresql+psycopg://anna:Geheim1@127.0.0.1:1/x?password=Geheim2")
    assert r.returncode == 1 and "nicht erreichbar" in r.stderr
    assert "Geheim" not in r.stderr + r.stdout and "anna:***@" in r.stderr
    r = rk("init", url="mysql://anna:Geheim1@[")
    assert r.returncode == 1 and "Geheim" not in r.stderr + r.stdout


@pytest.fixture(params=["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)])
def engine_beide(request, tmp_path, kommune):
    from tests.conftest import loesche_postgis, postgis_datenbank

    url = f"sqlite:///{tmp_path / 'p.db'}" if request.param == "sqlite" else postgis_datenbank()
    e = erstelle_engine(url)
    initialisiere(e, kommune)
    with sitzung(e, akteur=SYSTEM) as s:
        s.add(m.Benutzer(login="anna", anzeigename="Anna", rolle="jugendhilfeplanung", passwort_hash=hash_passwort(PW)))
    yield e
    e.dispose()
    if request.param == "postgis":
        loesche_postgis(url)


def test_gleichzeitige_fehlversuche_pruefen_hoechstens_die_grenze(engine_beide, monkeypatch):
    """40 gleichzeitige falsche Passwörter für ein Konto: höchstens KONTO_GRENZE Passwortprüfungen, keine Zählung
    geht verloren, nur deutsche Anmeldefehler; danach ist auch das richtige Passwort gesperrt."""
    from concurrent.futures import ThreadPoolExecutor

    geprueft = []
    echt = konten.pruefe_passwort
    monkeypatch.setattr(konten, "pruefe_passwort", lambda pw, h: geprueft.append(pw) or echt(pw, h))

    def versuch(i: int) -> str:
        try:
            anmelden(engine_beide, "anna", f"falsch{i}", demo_modus=False, client=f"10.1.0.{i}", jetzt=T0)
        except AnmeldeFehler as exc:
            return "falsch" if "falsch" in str(exc) else "gesperrt" if "Sekunden" in str(exc) else str(exc)
        return "angemeldet"

    with ThreadPoolExecutor(max_workers=16) as pool:
        ergebnisse = list(pool.map(versuch, range(40)))
    assert len(geprueft) == konten.KONTO_GRENZE
    assert ergebnisse.count("falsch") == konten.KONTO_GRENZE and ergebnisse.count("gesperrt") == 40 - 5
    with pytest.raises(AnmeldeFehler, match="Sekunden"):
        anmelden(engine_beide, "anna", PW, demo_modus=False, client="10.2.0.1", jetzt=T0 + timedelta(seconds=5))
    with sitzung(engine_beide, akteur=None) as s:
        sperre = s.get(m.Anmeldesperre, "konto:anna")
        assert sperre.fehlversuche == konten.KONTO_GRENZE and sperre.gesperrt_bis is not None
    # nach der Sperre: das richtige Passwort meldet an und setzt die Kontozählung zurück
    assert anmelden(engine_beide, "anna", PW, demo_modus=False, client="10.2.0.1",
                    jetzt=T0 + timedelta(seconds=31)).login == "anna"
    with sitzung(engine_beide, akteur=None) as s:
        assert s.get(m.Anmeldesperre, "konto:anna") is None


def test_grenze_genau_erreicht_und_eins_darunter(engine):
    for _ in range(konten.KONTO_GRENZE - 1):
        with pytest.raises(AnmeldeFehler, match="falsch"):
            anmelden(engine, "anna", "nein", demo_modus=False, client="c", jetzt=T0)
    # vier Fehlversuche: noch keine Sperre, das richtige Passwort meldet an
    assert anmelden(engine, "anna", PW, demo_modus=False, client="c", jetzt=T0).login == "anna"
    with sitzung(engine, akteur=None) as s:
        client = s.get(m.Anmeldesperre, "client:c")
        assert client.fehlversuche == konten.KONTO_GRENZE - 1 and client.gesperrt_bis is None  # Erfolg zählt nicht


def test_unerwarteter_fehler_bei_der_anmeldung_mit_vorfallnummer(app, monkeypatch, caplog):
    """Keine Ausnahme erreicht den Browser: eine deutsche Zeile mit Vorfallnummer, der Traceback nur im Protokoll
    unter derselben Nummer."""
    import re

    caplog.set_level(logging.ERROR, logger="ressourcenkarte.dashboard")

    def kaputt(*_a, **_k):
        raise RuntimeError("interner Zustand /srv/geheim")

    monkeypatch.setattr(konten, "anmelden", kaputt)
    at = app().run()
    _anmelden(at, "jhp", "demo")
    assert not at.exception
    fehler = [e.value for e in at.error]
    assert len(fehler) == 1 and "Vorfall" in fehler[0] and "/srv/geheim" not in fehler[0]
    nummer = re.search(r"Vorfall ([0-9A-F]{8})", fehler[0]).group(1)
    eintrag = [r for r in caplog.records if nummer in r.getMessage()]
    assert eintrag and eintrag[0].exc_info and "geheim" in str(eintrag[0].exc_info[1])


def test_unerwarteter_fehler_auf_einer_seite_mit_vorfallnummer(app, monkeypatch, caplog):
    from daten import protokolle

    caplog.set_level(logging.ERROR, logger="ressourcenkarte.dashboard")

    def kaputt(*_a, **_k):
        raise KeyError("interne_spalte")

    monkeypatch.setattr(protokolle, "punkte", kaputt)
    at = app().run()
    _anmelden(at, "tl01", "demo")
    at.switch_page("seiten/protokoll.py").run()
    assert not at.exception
    assert any("Vorfall" in e.value for e in at.error)
    assert not any("interne_spalte" in e.value for e in at.error)
    assert any(r.exc_info and "Vorfall" in r.getMessage() for r in caplog.records)
    assert any("Angemeldet" in md.value for md in at.sidebar.markdown)  # Seitenleiste bleibt bedienbar


def test_client_adresse_nur_ueber_vertraute_proxys():
    import ipaddress

    from daten.einstellungen import Einstellungen
    from daten.fehler import KonfigurationsFehler

    proxy = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/24")]
    # ohne vertraute Proxys: der Kopf wird nie gelesen, der Angreifer wählt keinen Sperrschlüssel
    assert konten.client_adresse("203.0.113.5", "1.2.3.4", []) == "203.0.113.5"
    assert konten.client_adresse(None, "1.2.3.4", []) == "127.0.0.1"
    # Gegenstelle ist kein vertrauter Proxy: Kopf ignoriert
    assert konten.client_adresse("203.0.113.5", "1.2.3.4", proxy) == "203.0.113.5"
    # über nginx (127.0.0.1): von rechts die erste nicht vertraute Adresse; was der Client vorne einträgt, zählt nicht
    assert konten.client_adresse(None, "6.6.6.6, 198.51.100.7", proxy) == "198.51.100.7"
    assert konten.client_adresse("10.0.0.3", "198.51.100.7, 10.0.0.9", proxy) == "198.51.100.7"
    assert konten.client_adresse(None, "kaputt", proxy) == "ungueltig"
    assert konten.client_adresse(None, None, proxy) == "127.0.0.1"
    assert Einstellungen(vertraute_proxys="127.0.0.1, 10.0.0.0/24").proxy_netze() == proxy
    with pytest.raises(KonfigurationsFehler, match="„localhost“ ist keine IP-Adresse"):
        Einstellungen(vertraute_proxys="localhost")
