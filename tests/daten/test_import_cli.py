"""`ressourcenkarte import …` wie ein Mensch es benutzt: eigener Prozess, Bericht auf stdout, eine Fehlerzeile."""

import csv
import io
import os
import pty
import subprocess

import pytest

from daten import modelle as m
from daten.db import erstelle_engine
from tests.conftest import realdata
from tests.daten.import_hilfen import kopiere_sqlite, zaehle
from tests.daten.test_cli import RK, rk


@pytest.fixture
def url(tmp_path, demo_sqlite_url):
    return kopiere_sqlite(demo_sqlite_url, tmp_path / "demo.db")


def _eine_fehlerzeile(r) -> str:
    zeilen = [z for z in r.stderr.splitlines() if z.strip()]
    assert r.returncode == 1 and len(zeilen) == 1 and zeilen[0].startswith("Fehler:"), r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    return zeilen[0]


@pytest.mark.realdata
def test_probe_dann_import_mit_bericht_csv(url, tmp_path):
    schulen = str(realdata("mainz_schulen_jedeschule_subset.geojson"))
    bericht = tmp_path / "bericht.csv"
    r = rk("import", "einrichtungen", schulen, "--probe", "--bericht", str(bericht), url=url)
    zeile = _eine_fehlerzeile(r)
    assert "Probelauf, nichts geschrieben" in zeile and "46 neu" in zeile
    assert "Zeile ohne Koordinaten" in r.stdout and "Vorschau" in r.stdout
    zeilen = list(csv.reader(io.StringIO(bericht.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert zeilen[0] == ["Zeile", "Stufe", "Feld", "Problem", "Was tun"]
    assert zeilen[-1][:3] == ["6", "Fehler", "Lage"]
    e = erstelle_engine(url)
    vorher = zaehle(e, m.Einrichtung)
    zeile = _eine_fehlerzeile(rk("import", "einrichtungen", schulen, url=url))
    assert "Nichts geschrieben" in zeile and "--zeilen-ueberspringen" in zeile
    assert zaehle(e, m.Einrichtung) == vorher
    r = rk("import", "einrichtungen", schulen, "--zeilen-ueberspringen", url=url)
    assert r.returncode == 0 and "46 neu" in r.stdout and "1 übersprungen" in r.stdout, r.stderr
    assert r.stderr == ""  # ohne Terminal kein Fortschrittsbalken auf stderr
    assert zaehle(e, m.Einrichtung) == vorher + 46
    e.dispose()


@pytest.mark.realdata
def test_stadtteile_mit_zuordnung_und_als_konto(url):
    raw = str(realdata("mainz_ortsbezirke_lageinfo_raw.geojson"))
    r = rk("import", "stadtteile", raw, "--namen-nach-lage", "--als", "jhp", url=url)
    assert "darf Stadtteil-Grenzen nicht ändern" in r.stdout and _eine_fehlerzeile(r)
    r = rk("import", "stadtteile", raw, "--namen-nach-lage", "--luecke-bis", "60", "--als", "admin", url=url)
    assert r.returncode == 0, r.stderr
    assert "Flächen je Stadtteil (m², EPSG:25832)" in r.stdout and "Einrichtungen mit neuem Stadtteil" in r.stdout
    r = rk("import", "stadtteile", raw, "--name-feld", "OBJECTID", "--zuordnung", "809=Altstdt", "--probe", url=url)
    assert "Meinten Sie 'Altstadt'" in r.stdout and _eine_fehlerzeile(r)


@pytest.mark.parametrize("args,meldung", [
    (["import", "einrichtungen", "/gibt/es/nicht.csv"], "nicht gefunden"),
    (["import", "einrichtungen", "{tmp}/x.csv", "--spalte", "name"], "ZIEL=QUELLE"),
    (["import", "einrichtungen", "{tmp}/x.csv", "--spalte", "gibtsnicht=a"], "Zielfeld 'gibtsnicht'"),
    (["import", "einrichtungen", "{tmp}/x.csv", "--crs", "quatsch"], "unbekannt"),
    (["import", "einrichtungen", "{tmp}/x.csv", "--als", "niemand"], "Konto 'niemand'"),
    (["import", "indikatoren", "{tmp}/x.csv", "--merkmal", "A=gibtsnicht"], "WORT=SCHLÜSSEL"),
    (["import", "stadtteile", "{tmp}/x.csv"], "nicht unterstützt"),
    (["import", "einrichtungen", "{tmp}/x.csv", "--bericht", "/gibt/es/nicht/b.csv"], "existiert nicht"),
    (["import", "wolken", "{tmp}/x.csv"], "unbekannte Auswahl"),
])
def test_falsche_eingaben(url, tmp_path, args, meldung, monkeypatch, capsys):
    """Im selben Prozess (schneller); Exit-Code und die eine Zeile auf stderr wie beim echten Aufruf."""
    from befehle import main

    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", url)
    (tmp_path / "x.csv").write_text("name,lat,lon\nA,49.99,8.25\n", encoding="utf-8")
    try:
        code = main([a.format(tmp=tmp_path) for a in args])
    except SystemExit as exc:  # argparse
        code = exc.code
    fehler = capsys.readouterr().err
    assert meldung in fehler and code != 0
    assert len([z for z in fehler.splitlines() if z.strip()]) == 1 and fehler.startswith("Fehler:")


def test_fortschrittsbalken_am_terminal(url, tmp_path):
    lat, lon = 49.99, 8.25
    (tmp_path / "x.csv").write_text("name,art,lat,lon\n" + "".join(f"K{i},kita,{lat + i / 1e4},{lon}\n"
                                                                  for i in range(30)), encoding="utf-8")
    herr, knecht = pty.openpty()
    env = dict(os.environ, RESSOURCENKARTE_DB_URL=url)
    p = subprocess.run([RK, "import", "einrichtungen", str(tmp_path / "x.csv"), "--probe"], stdout=subprocess.PIPE,
                       stderr=knecht, env=env, timeout=300)
    os.close(knecht)
    ausgabe = os.read(herr, 100_000).decode()
    os.close(herr)
    assert p.returncode == 0 and "100%" in ausgabe and "[####" in ausgabe
