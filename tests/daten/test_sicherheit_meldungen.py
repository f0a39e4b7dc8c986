"""Issue 6, Punkt 16: klare Meldungen über die Kommandozeile (eigener Prozess, eine deutsche Zeile, Exit ≠ 0)."""

import sqlite3

import pytest

from daten.config import KOMMUNE_STANDARD
from daten.db import GESPERRT
from tests.daten.test_cli import rk


def _eine_zeile(r) -> str:
    assert r.returncode != 0, r.stdout
    assert "Traceback" not in r.stderr + r.stdout and "unerwartet" not in r.stderr
    zeilen = [z for z in r.stderr.splitlines() if z.strip()]
    assert len(zeilen) == 1 and zeilen[0].startswith("Fehler: "), r.stderr
    return zeilen[0]


@pytest.fixture(scope="module")
def demo_datei(tmp_path_factory):
    """Eine frische Demo-Datenbank ohne WAL-Reste (zum Kopieren und Beschädigen)."""
    pfad = tmp_path_factory.mktemp("meldungen") / "demo.db"
    assert rk("init", "--demo", url=f"sqlite:///{pfad}").returncode == 0
    c = sqlite3.connect(pfad)
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.execute("PRAGMA journal_mode=DELETE")
    c.close()
    return pfad


@pytest.mark.parametrize("befehl", [["init"], ["export", "{tmp}/x.csv"]])
def test_keine_datenbank_datei_wird_als_beschaedigt_gemeldet(tmp_path, befehl):
    kaputt = tmp_path / "kaputt.db"
    kaputt.write_bytes(b"das ist keine Datenbank" * 100)
    zeile = _eine_zeile(rk(*[a.format(tmp=tmp_path) for a in befehl], url=f"sqlite:///{kaputt}"))
    assert "beschädigt" in zeile and str(kaputt) in zeile and "PostGIS" not in zeile


def test_init_erkennt_beschaedigte_seiten_mit_quick_check(tmp_path, demo_datei):
    """Beschädigt werden nur frühe Blattseiten von `aenderung` (ohne Fremdschlüssel), die `init` nie liest:
    das findet nur `PRAGMA quick_check`."""
    kaputt = tmp_path / "teilweise.db"
    kaputt.write_bytes(demo_datei.read_bytes())
    c = sqlite3.connect(kaputt)
    seiten = [nr for (nr,) in c.execute("SELECT pageno FROM dbstat WHERE name = 'aenderung' "
                                        "AND pagetype = 'leaf' ORDER BY pageno")]
    groesse = c.execute("PRAGMA page_size").fetchone()[0]
    c.close()
    assert len(seiten) > 4
    daten = bytearray(kaputt.read_bytes())
    for nr in seiten[1:4]:
        start = (nr - 1) * groesse
        daten[start:start + 12] = b"\x0d\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    kaputt.write_bytes(bytes(daten))
    zeile = _eine_zeile(rk("init", url=f"sqlite:///{kaputt}"))
    assert "beschädigt" in zeile


def test_gesperrte_datenbank(tmp_path, demo_datei):
    pfad = tmp_path / "gesperrt.db"
    pfad.write_bytes(demo_datei.read_bytes())
    halter = sqlite3.connect(pfad, isolation_level=None)
    halter.execute("BEGIN EXCLUSIVE")  # ein anderer Schreibvorgang läuft
    try:
        zeile = _eine_zeile(rk("init", url=f"sqlite:///{pfad}?timeout=0.5"))
    finally:
        halter.execute("ROLLBACK")
        halter.close()
    assert zeile == f"Fehler: {GESPERRT}"


def test_keine_berechtigung_und_ordner_statt_datei(tmp_path, demo_sqlite_url):
    zeile = _eine_zeile(rk("export", "/sys/x.csv", url=demo_sqlite_url))
    assert "Keine Berechtigung" in zeile and "/sys/x.csv" in zeile
    zeile = _eine_zeile(rk("export", "/sys/x.gpkg", url=demo_sqlite_url))
    assert "/sys/x.gpkg" in zeile and "Berechtigung" in zeile
    ordner = tmp_path / "ziel.csv"
    ordner.mkdir()
    assert "ist ein Ordner" in _eine_zeile(rk("export", str(ordner), url=demo_sqlite_url))
    assert "ist ein Ordner" in _eine_zeile(rk("export", str(tmp_path / "x.csv"), url=f"sqlite:///{tmp_path}"))


def test_unbekannter_epsg_code_in_der_konfiguration(tmp_path):
    kommune = tmp_path / "kommune.yaml"
    kommune.write_text(KOMMUNE_STANDARD.read_text(encoding="utf-8").replace("crs_metrisch: 25832",
                                                                            "crs_metrisch: 99999"), encoding="utf-8")
    zeile = _eine_zeile(rk("--kommune", str(kommune), "init", url=f"sqlite:///{tmp_path / 'x.db'}"))
    assert "EPSG:99999" in zeile and "crs_metrisch" in zeile


@pytest.mark.parametrize("jahr", ["0", "-5", "1800", "99999", "zwanzig"])
def test_absurde_jahre(tmp_path, demo_sqlite_url, jahr):
    zeile = _eine_zeile(rk("karte", str(tmp_path / "k.html"), f"--jahr={jahr}", url=demo_sqlite_url))
    assert "--jahr" in zeile and jahr in zeile
    assert not (tmp_path / "k.html").exists()


def test_export_auf_vertipptem_oder_leerem_pfad_legt_nichts_an(tmp_path):
    fehlt = tmp_path / "vertippt" / "rk.db"
    zeile = _eine_zeile(rk("export", str(tmp_path / "x.gpkg"), url=f"sqlite:///{fehlt}"))
    assert "gibt es nicht" in zeile and "init" in zeile
    assert not fehlt.parent.exists() and not (tmp_path / "x.gpkg").exists()
    leer = tmp_path / "leer.db"
    sqlite3.connect(leer).close()
    zeile = _eine_zeile(rk("export", str(tmp_path / "x.gpkg"), url=f"sqlite:///{leer}"))
    assert "noch nicht eingerichtet" in zeile and "ressourcenkarte init" in zeile
    assert not (tmp_path / "x.gpkg").exists()


def test_karte_auf_nicht_eingerichteter_datenbank(tmp_path):
    zeile = _eine_zeile(rk("karte", str(tmp_path / "k.html"), url=f"sqlite:///{tmp_path / 'nix.db'}"))
    assert "gibt es nicht" in zeile and not (tmp_path / "nix.db").exists()
