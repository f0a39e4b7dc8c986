"""Konten (nur Administration): anlegen, Rolle, sperren, Passwort; Teamleitung am Sozialraum; CLI."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from daten import dienste
from daten import modelle as m
from daten.db import sitzung
from daten.dienste import konten as dk
from daten.fehler import EingabeFehler, RechteFehler
from daten.passwort import pruefe_passwort
from daten.politik import Akteur

ADMIN = Akteur("admin", "admin")
PW = "ein-sehr-langes-Passwort"
RK = shutil.which("ressourcenkarte") or str(Path(sys.executable).parent / "ressourcenkarte")


def _konto(w, login):  # noqa: ANN001, ANN202
    with sitzung(w.engine, akteur=None) as s:
        return s.scalar(select(m.Benutzer).where(m.Benutzer.login == login))


def _teamleitung(w, sozialraum):  # noqa: ANN001, ANN202
    with sitzung(w.engine, akteur=None) as s:
        return s.get(m.Sozialraum, w.sozialraum[sozialraum]).teamleitung


def test_konto_lebenszyklus_mit_teamleitung_am_sozialraum(welt):
    sr = welt.sozialraum["Mombach"]
    dienste.ausfuehren(welt.engine, ADMIN, dk.lege_benutzer_an, login="A.Weber", anzeigename="Anna Weber",
                       rolle="teamleitung", sozialraum_id=sr, passwort=PW)
    b = _konto(welt, "a.weber")
    assert b.rolle == "teamleitung" and pruefe_passwort(PW, b.passwort_hash) and PW not in b.passwort_hash
    assert _teamleitung(welt, "Mombach") == "Anna Weber"
    dienste.ausfuehren(welt.engine, ADMIN, dk.aendere_rolle, login="a.weber", rolle="teamleitung",
                       sozialraum_id=welt.sozialraum["Neustadt"])
    assert _teamleitung(welt, "Mombach") is None and _teamleitung(welt, "Neustadt") == "Anna Weber"
    dienste.ausfuehren(welt.engine, ADMIN, dk.sperre_benutzer, login="a.weber")
    assert not _konto(welt, "a.weber").aktiv and _teamleitung(welt, "Neustadt") is None
    dienste.ausfuehren(welt.engine, ADMIN, dk.sperre_benutzer, login="a.weber", gesperrt=False)
    dienste.ausfuehren(welt.engine, ADMIN, dk.setze_passwort, login="a.weber", passwort="noch-ein-langes-Passwort")
    assert pruefe_passwort("noch-ein-langes-Passwort", _konto(welt, "a.weber").passwort_hash)
    assert _teamleitung(welt, "Neustadt") == "Anna Weber"


@pytest.mark.parametrize(("kw", "meldung"), [
    ({"login": "x"}, "Login „x“ ist ungültig"),
    ({"login": "admin"}, "gibt es schon"),
    ({"rolle": "chef"}, "Rolle „chef“ ist unbekannt. Erlaubt: admin"),
    ({"rolle": "teamleitung", "sozialraum_id": None}, "braucht einen Sozialraum"),
    ({"rolle": "jugendhilfeplanung", "sozialraum_id": 1}, "bitte keinen Sozialraum"),
    ({"passwort": "kurz"}, "mindestens 12 Zeichen"),
    ({"anzeigename": "  "}, "Name“ ist leer"),
])
def test_falsche_angaben(welt, kw, meldung):
    dienste.ausfuehren(welt.engine, ADMIN, dk.lege_benutzer_an, login="admin", anzeigename="Admin", rolle="admin",
                       passwort=PW)
    werte = {"login": "neu", "anzeigename": "Neu", "rolle": "mitglied", "sozialraum_id": 1, "passwort": PW} | kw
    with pytest.raises(EingabeFehler, match=meldung):
        dienste.ausfuehren(welt.engine, ADMIN, dk.lege_benutzer_an, **werte)


def test_nur_admin_und_letzter_admin_bleibt(welt):
    with pytest.raises(RechteFehler, match="nur die Administration"):
        dienste.ausfuehren(welt.engine, welt.tl("Mombach"), dk.lege_benutzer_an, login="neu", anzeigename="N",
                           rolle="admin", passwort=PW)
    dienste.ausfuehren(welt.engine, ADMIN, dk.lege_benutzer_an, login="chefin", anzeigename="Chefin", rolle="admin",
                       passwort=PW)
    chefin = Akteur("chefin", "admin")
    with pytest.raises(EingabeFehler, match="eigene Konto"):
        dienste.ausfuehren(welt.engine, chefin, dk.sperre_benutzer, login="chefin")
    with pytest.raises(EingabeFehler, match="letzte aktive Administrator"):
        dienste.ausfuehren(welt.engine, ADMIN, dk.aendere_rolle, login="chefin", rolle="lenkungsgruppe")
    with pytest.raises(EingabeFehler, match="gibt es nicht"):
        dienste.ausfuehren(welt.engine, ADMIN, dk.setze_passwort, login="niemand", passwort=PW)


def _rk(url, *args, eingabe=None):  # noqa: ANN001, ANN202
    env = dict(os.environ, RESSOURCENKARTE_DB_URL=url)
    return subprocess.run([RK, *args], capture_output=True, text=True, env=env, input=eingabe, timeout=120)


def test_kommandozeile_benutzer(welt):
    url = welt.engine.url.render_as_string(hide_password=False)
    r = _rk(url, "benutzer", "anlegen", "b.klein", "--rolle", "teamleitung", "--sozialraum", "mombach",
            "--name", "Bea Klein", "--passwort-stdin", eingabe=PW + "\n")
    assert r.returncode == 0 and "Konto b.klein angelegt" in r.stdout, r.stderr
    assert _teamleitung(welt, "Mombach") == "Bea Klein"
    r = _rk(url, "benutzer", "rolle", "b.klein", "mitglied", "--sozialraum", "Mombach")
    assert r.returncode == 0 and _konto(welt, "b.klein").rolle == "mitglied"
    r = _rk(url, "benutzer", "passwort", "b.klein", "--zufall")
    neu = r.stdout.rsplit(": ", 1)[1].strip()
    assert r.returncode == 0 and pruefe_passwort(neu, _konto(welt, "b.klein").passwort_hash)
    assert _rk(url, "benutzer", "sperren", "b.klein").returncode == 0 and not _konto(welt, "b.klein").aktiv
    assert "gesperrt" in _rk(url, "benutzer", "liste").stdout
    with sitzung(welt.engine, akteur=None) as s:
        wer = {z.benutzer for z in s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "benutzer"))}
    assert all(w.startswith("kommandozeile:") for w in wer)
    for args, eingabe in ((["benutzer", "anlegen", "x1", "--rolle", "teamleitung"], PW + "\n"),
                          (["benutzer", "anlegen", "x2", "--rolle", "mitglied", "--sozialraum", "Atlantis"], PW),
                          (["benutzer", "passwort", "b.klein", "--passwort-stdin"], "kurz\n"),
                          (["benutzer", "rolle", "niemand", "admin"], None),
                          (["benutzer", "zaubern"], None)):
        r = _rk(url, *args, eingabe=eingabe)
        zeilen = [z for z in r.stderr.splitlines() if z.strip()]
        assert r.returncode != 0 and len(zeilen) == 1 and zeilen[0].startswith("Fehler:"), (args, r.stderr)
        assert "Traceback" not in r.stderr
