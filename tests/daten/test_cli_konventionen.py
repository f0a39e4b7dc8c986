"""Konventionen der Kommandozeile (Issue 15): --version, globale Optionen auch nach dem Befehl, eine Regel für
--sozialraum in jedem Befehl, `export --help` nennt .hsds.json, Dateirechte nach umask, deutsche Daten in der
Ausgabe – und die einmal eingerichtete Protokollierung (Stufe, Format, nie ein Passwort)."""

import io
import json
import logging
import os
import re
from importlib.metadata import version

import pytest
from sqlalchemy import select

from befehle import main
from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.demo import demo_jahre
from daten.dienste.konten import sozialraum_id_von
from daten.fehler import AnmeldeFehler, EingabeFehler
from daten.konten import anmelden
from daten.laden import initialisiere
from daten.namenssuche import finde_sozialraum
from daten.passwort import hash_passwort
from daten.politik import SYSTEM
from daten.protokollierung import GESCHWAERZT, richte_ein

MAINZ = ["Neustadt", "Laubenheim, Weisenau", "Altstadt, Hartenberg/Münchfeld", "Ebersheim, Hechtsheim", "Oberstadt",
         "Drais, Lerchenberg, Marienborn", "Bretzenheim", "Gonsenheim", "Finthen (mit Layenhof)", "Mombach"]
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DEUTSCH = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")


# --------------------------------------------------------------------------------------------- --version
def test_version_aus_den_paketmetadaten(capsys):
    with pytest.raises(SystemExit) as ende:
        main(["--version"])
    assert ende.value.code == 0
    assert capsys.readouterr().out.strip() == f"ressourcenkarte {version('ressourcenkarte')}"


# --------------------------------------------------------------------------------------------- globale Optionen
def test_globale_optionen_vor_und_nach_dem_befehl(demo_sqlite_url, capsys, tmp_path):
    assert main(["--db", demo_sqlite_url, "sitzungen", "--sozialraum", "Mombach"]) == 0
    vorher = capsys.readouterr().out
    assert main(["sitzungen", "--sozialraum", "Mombach", "--db", demo_sqlite_url]) == 0
    assert capsys.readouterr().out == vorher and "Sitzungen Mombach:" in vorher
    # nach dem Befehl gewinnt die spätere Angabe; fehlt sie dort, bleibt die frühere (nicht None)
    assert main(["--db", "sqlite:////gibt/es/nicht.db", "sitzungen", "--db", demo_sqlite_url]) == 0
    capsys.readouterr()
    kaputt = tmp_path / "kaputt.yaml"
    kaputt.write_text("name: [", encoding="utf-8")
    assert main(["sitzungen", "--kommune", str(kaputt), "--db", demo_sqlite_url]) == 1
    assert "kaputt.yaml" in capsys.readouterr().err  # die Angabe nach dem Befehl wurde gelesen


def test_globale_optionen_in_verschachtelten_befehlen_und_ihrer_hilfe(capsys):
    with pytest.raises(SystemExit):
        main(["sitzung", "absage", "--help"])
    hilfe = capsys.readouterr().out
    assert "--db" in hilfe and "--kommune" in hilfe and "globale Optionen" in hilfe


# --------------------------------------------------------------------------------------------- --sozialraum
@pytest.mark.parametrize(("eingabe", "name"), [
    ("neust", "Neustadt"), ("MOMBACH", "Mombach"), ("Münchfeld", "Altstadt, Hartenberg/Münchfeld"),
    ("muenchfeld", "Altstadt, Hartenberg/Münchfeld"), ("munchfeld", "Altstadt, Hartenberg/Münchfeld"),
    ("weisenau", "Laubenheim, Weisenau"), ("finthen", "Finthen (mit Layenhof)"), ("layenhof", "Finthen (mit Layenhof)"),
    ("drais lerchenberg", "Drais, Lerchenberg, Marienborn"), ("  gonsenheim ", "Gonsenheim"),
])
def test_ein_name_fuer_jeden_befehl(eingabe, name):
    assert finde_sozialraum(eingabe, MAINZ) == name


def test_mehrdeutig_nennt_die_kandidaten_unbekannt_alle():
    with pytest.raises(EingabeFehler, match="nicht eindeutig") as info:
        finde_sozialraum("h", MAINZ)  # Hartenberg und Hechtsheim
    assert "Altstadt, Hartenberg/Münchfeld" in str(info.value) and "Ebersheim, Hechtsheim" in str(info.value)
    assert "Mombach" not in str(info.value)
    with pytest.raises(EingabeFehler, match="gibt es nicht") as info:
        finde_sozialraum("Atlantis", MAINZ)
    assert all(n in str(info.value) for n in MAINZ)
    with pytest.raises(EingabeFehler, match="gibt es nicht"):
        finde_sozialraum(" ,, ", MAINZ)
    # ein ganzer Name gewinnt gegen einen längeren, der mit ihm beginnt
    assert finde_sozialraum("Neustadt", ["Neustadt", "Neustadt-Süd"]) == "Neustadt"


def test_sitzungen_budget_bericht_und_konten_nutzen_dieselbe_regel(demo_sqlite_url, capsys, tmp_path):
    jahr = str(demo_jahre().laufend)
    assert main(["--db", demo_sqlite_url, "sitzungen", "--sozialraum", "neust"]) == 0
    assert "Sitzungen Neustadt:" in capsys.readouterr().out
    assert main(["--db", demo_sqlite_url, "budget", "--jahr", jahr, "--sozialraum", "gonsenh"]) == 0
    aus = capsys.readouterr().out
    assert f"Budget {jahr}, Gonsenheim" in aus and "Mombach" not in aus
    for befehl in (["sitzungen", "--sozialraum", "h"], ["budget", "--jahr", jahr, "--sozialraum", "h"],
                   ["bericht", "--jahr", jahr, "--art", "bereich", "--sozialraum", "h", str(tmp_path / "b.docx")]):
        assert main(["--db", demo_sqlite_url, *befehl]) == 1, befehl
        fehler = capsys.readouterr().err
        assert "nicht eindeutig" in fehler and "Hechtsheim" in fehler and "Hartenberg" in fehler, befehl
    engine = erstelle_engine(demo_sqlite_url)
    with sitzung(engine, akteur=None) as s:
        finthen = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Finthen (mit Layenhof)"))
        assert sozialraum_id_von(s, "finth") == finthen
    engine.dispose()


# --------------------------------------------------------------------------------------------- export
def test_export_hilfe_nennt_hsds(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert ".hsds.json" in capsys.readouterr().out


@pytest.mark.parametrize(("umask", "modus"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_hsds_datei_mit_rechten_nach_umask(demo_sqlite_url, tmp_path, capsys, umask, modus):
    alt = os.umask(umask)
    try:
        assert main(["--db", demo_sqlite_url, "export", str(tmp_path / "d.hsds.json")]) == 0
    finally:
        os.umask(alt)
    assert (tmp_path / "d.hsds.json").stat().st_mode & 0o777 == modus
    assert json.loads((tmp_path / "d.hsds.json").read_text(encoding="utf-8"))
    assert not list(tmp_path.glob(".*"))  # keine temporäre Datei bleibt zurück


# --------------------------------------------------------------------------------------------- Daten
def test_sitzungen_zeigt_deutsche_daten(demo_sqlite_url, capsys):
    assert main(["--db", demo_sqlite_url, "sitzungen", "--sozialraum", "Mombach"]) == 0
    aus = capsys.readouterr().out
    assert len(DEUTSCH.findall(aus)) > 5 and not ISO.findall(aus)


# --------------------------------------------------------------------------------------------- Protokollierung
@pytest.fixture
def wurzel():
    """Stufe und Handler des Wurzel-Loggers nach dem Test wie vorher."""
    w = logging.getLogger()
    stufe, handler = w.level, list(w.handlers)
    yield w
    for h in list(w.handlers):
        if h not in handler:
            w.removeHandler(h)
    w.setLevel(stufe)


@pytest.fixture
def engine(tmp_path, kommune):
    e = erstelle_engine(f"sqlite:///{tmp_path / 'a.db'}")
    initialisiere(e, kommune)
    with sitzung(e, akteur=SYSTEM) as s:
        s.add(m.Benutzer(login="anna", anzeigename="Anna", rolle="jugendhilfeplanung",
                         passwort_hash=hash_passwort("richtig-und-lang-2026")))
    yield e
    e.dispose()


def _fehlanmeldung(engine, passwort="Geheim-Falsch-4711"):
    with pytest.raises(AnmeldeFehler):
        anmelden(engine, "anna", passwort, demo_modus=False, client="10.0.0.7")


def test_fehlanmeldung_nennt_konto_nie_das_passwort(engine, wurzel, monkeypatch):
    monkeypatch.delenv("RESSOURCENKARTE_LOG_LEVEL", raising=False)
    strom = io.StringIO()
    richte_ein(strom=strom, format="text")
    _fehlanmeldung(engine)
    text = strom.getvalue()
    assert "WARNING ressourcenkarte.anmeldung" in text and "'anna'" in text and "falsches Passwort" in text
    assert "Geheim-Falsch-4711" not in text


@pytest.mark.parametrize(("stufe", "sichtbar"), [("WARNING", True), ("ERROR", False), ("INFO", True)])
def test_stufe_aus_der_einstellung(engine, wurzel, monkeypatch, stufe, sichtbar):
    monkeypatch.setenv("RESSOURCENKARTE_LOG_LEVEL", stufe)
    strom = io.StringIO()
    richte_ein(strom=strom)
    _fehlanmeldung(engine)
    assert ("Anmeldung fehlgeschlagen" in strom.getvalue()) is sichtbar
    assert wurzel.level == getattr(logging, stufe)


def test_json_format_eine_zeile_je_eintrag(engine, wurzel, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_LOG_FORMAT", "json")
    strom = io.StringIO()
    richte_ein(strom=strom)
    _fehlanmeldung(engine)
    (zeile,) = [json.loads(z) for z in strom.getvalue().splitlines()]
    assert zeile["level"] == "WARNING" and zeile["logger"] == "ressourcenkarte.anmeldung"
    assert "anna" in zeile["message"] and "Geheim-Falsch-4711" not in json.dumps(zeile) and zeile["time"]


def test_einmal_eingerichtet_und_unbekannte_werte_fallen_zurueck(wurzel, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_LOG_LEVEL", "LAUT")
    strom = io.StringIO()
    richte_ein(strom=strom)
    assert "LAUT" in strom.getvalue() and wurzel.level == logging.WARNING  # Warnung statt Abbruch, Standard gilt
    richte_ein(strom=strom)  # zweimal eingerichtet: ein Handler, keine doppelten Zeilen
    eigene = [h for h in wurzel.handlers if getattr(h, "_ressourcenkarte", False)]
    assert len(eigene) == 1
    strom.seek(0)
    strom.truncate()
    logging.getLogger("ressourcenkarte.test").warning("einmal")
    assert strom.getvalue().count("einmal") == 1


def test_geheime_einstellungen_werden_geschwaerzt(wurzel, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_SMTP_PASSWORT", "smtp-geheim-99")
    strom = io.StringIO()
    richte_ein(strom=strom)
    logging.getLogger("ressourcenkarte.test").warning("Versand mit %s fehlgeschlagen", "smtp-geheim-99")
    assert GESCHWAERZT in strom.getvalue() and "smtp-geheim-99" not in strom.getvalue()


def test_cli_richtet_die_protokollierung_ein(demo_sqlite_url, wurzel, monkeypatch, capsys):
    monkeypatch.setenv("RESSOURCENKARTE_LOG_LEVEL", "ERROR")
    assert main(["--db", demo_sqlite_url, "sitzungen", "--sozialraum", "Mombach"]) == 0
    assert wurzel.level == logging.ERROR
    assert [h for h in wurzel.handlers if getattr(h, "_ressourcenkarte", False)]


@pytest.mark.parametrize(("name", "wert", "gut"), [("LOG_LEVEL", "laut", False), ("LOG_LEVEL", "debug", True),
                                                  ("LOG_FORMAT", "xml", False), ("LOG_FORMAT", "JSON", True)])
def test_einstellungen_pruefen_stufe_und_format_deutsch(monkeypatch, name, wert, gut):
    from daten.einstellungen import lade_einstellungen
    from daten.fehler import KonfigurationsFehler

    monkeypatch.setenv(f"RESSOURCENKARTE_{name}", wert)
    if gut:
        assert lade_einstellungen()
    else:
        with pytest.raises(KonfigurationsFehler, match=f"RESSOURCENKARTE_{name}='{wert}' ist unbekannt. Erlaubt"):
            lade_einstellungen()


def test_json_zeile_je_aenderung_mit_login_aktion_objekt_ohne_inhalt(engine, wurzel, monkeypatch):
    from daten.politik import Akteur

    monkeypatch.setenv("RESSOURCENKARTE_LOG_FORMAT", "json")
    monkeypatch.setenv("RESSOURCENKARTE_LOG_LEVEL", "INFO")
    strom = io.StringIO()
    richte_ein(strom=strom)
    with sitzung(engine, akteur=Akteur("admin", "admin")) as s:
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == "anna"))
        b.anzeigename, bid = "Anna Geheimname-Müller", b.id
    zeilen = [json.loads(z) for z in strom.getvalue().splitlines()]
    (z,) = [z for z in zeilen if z["logger"] == "ressourcenkarte.aenderung"]
    assert (z["level"], z["login"], z["aktion"], z["objekt"]) == ("INFO", "admin", "aendern", f"benutzer/{bid}")
    assert "Geheimname" not in json.dumps(zeilen)  # Inhalte (vorher/nachher) nie im Betriebsprotokoll
    monkeypatch.setenv("RESSOURCENKARTE_LOG_LEVEL", "WARNING")  # Standard: Änderungen nicht im Protokoll
    strom2 = io.StringIO()
    richte_ein(strom=strom2)
    with sitzung(engine, akteur=Akteur("admin", "admin")) as s:
        s.scalar(select(m.Benutzer).where(m.Benutzer.login == "anna")).anzeigename = "Anna"
    assert strom2.getvalue() == ""
