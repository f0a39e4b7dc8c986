"""Sicherung und Wiederherstellung: SQLite → PostGIS → SQLite Zeile für Zeile gleich; alles oder nichts."""

import hashlib
import json
import re
import zipfile
from datetime import datetime

import pytest
import shapely
from sqlalchemy import inspect, select

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.fehler import EingabeFehler
from daten.geometrie import Geo
from daten.passwort import pruefe_passwort
from daten.politik import SYSTEM
from daten.sicherung import sichere, stelle_wieder_her
from tests.conftest import loesche_postgis, postgis_datenbank
from tests.daten.import_hilfen import stand

pytest_plugins = ["tests.daten.import_fixtures"]


def inhalt(engine) -> dict[str, list[tuple]]:
    """Alle Zeilen aller Tabellen, backendneutral: Geometrie als WKB, Zeitpunkte als Wanduhrzeit."""
    def norm(v):
        if isinstance(v, shapely.Geometry):
            return shapely.to_wkb(v, hex=True)
        if isinstance(v, datetime) and v.tzinfo is not None:
            return v.replace(tzinfo=None)  # PostgreSQL liefert in der Zeitzone der Sitzung: gleiche Wanduhrzeit
        return v

    with engine.connect() as c:
        return {t.name: [tuple(norm(v) for v in z) for z in c.execute(select(t).order_by(*t.primary_key.columns))]
                for t in m.Basis.metadata.sorted_tables}


@pytest.fixture
def pg_leer():
    url = postgis_datenbank()
    e = erstelle_engine(url)
    yield e
    e.dispose()
    loesche_postgis(url)


@pytest.mark.postgis
def test_sqlite_nach_postgis_und_zurueck_zeile_fuer_zeile(demo_sqlite, pg_leer, tmp_path):
    original = inhalt(demo_sqlite)
    assert sum(map(len, original.values())) > 3000 and original["aenderung"] and original["benutzer"]
    text = sichere(demo_sqlite, tmp_path / "a")
    assert (tmp_path / "a.zip").exists() and "Passwort-Hashes" in text
    assert oct((tmp_path / "a.zip").stat().st_mode & 0o777) == "0o600"
    stelle_wieder_her(pg_leer, tmp_path / "a.zip")
    assert inhalt(pg_leer) == original
    # Sequenzen stehen hinter max(id): neue Zeilen kollidieren nicht
    with sitzung(pg_leer, akteur=SYSTEM) as s:
        st = s.scalars(select(m.Stadtteil)).first()
        neu = m.Einrichtung(schluessel="nach-restore", name="Neu", art="kita", traeger_art="frei", stadtteil_id=st.id,
                            geometrie=shapely.Point(8.25, 50.0), zielgruppen=[], angebote=[])
        s.add(neu)
        s.flush()
        assert neu.id == max(z[0] for z in original["einrichtung"]) + 1
    # und zurück nach SQLite
    sichere(pg_leer, tmp_path / "b.zip")
    ziel = erstelle_engine(f"sqlite:///{tmp_path / 'zurueck.db'}")
    stelle_wieder_her(ziel, tmp_path / "b.zip")
    zurueck = inhalt(ziel)
    assert len(zurueck["einrichtung"]) == len(original["einrichtung"]) + 1
    assert len(zurueck["aenderung"]) > len(original["aenderung"])
    zurueck["einrichtung"] = [z for z in zurueck["einrichtung"] if z[1] != "nach-restore"]
    zurueck["aenderung"] = zurueck["aenderung"][: len(original["aenderung"])]
    assert zurueck == original
    ziel.dispose()


def test_konten_und_protokoll_bleiben_erhalten(demo_sqlite, tmp_path):
    sichere(demo_sqlite, tmp_path / "s.zip")
    with zipfile.ZipFile(tmp_path / "s.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        konten = [json.loads(z) for z in zf.read("tabellen/benutzer.jsonl").splitlines()]
        assert "LIESMICH.txt" in zf.namelist()
    assert manifest["format"] == "ressourcenkarte-sicherung" and manifest["schema_revision"]
    assert all(k["passwort_hash"].startswith("$argon2id$") for k in konten)  # Hashes bleiben Hashes
    typen = {sp["name"]: sp["typ"] for t in manifest["tabellen"] if t["name"] == "stadtteil" for sp in t["spalten"]}
    assert typen["geometrie"] == "geometrie_wkb_hex"
    ziel = erstelle_engine(f"sqlite:///{tmp_path / 'z.db'}")
    stelle_wieder_her(ziel, tmp_path / "s.zip")
    with sitzung(ziel, akteur=None) as s:
        tl = s.scalar(select(m.Benutzer).where(m.Benutzer.login == "tl01"))
        assert pruefe_passwort("demo", tl.passwort_hash)
    assert inhalt(ziel) == inhalt(demo_sqlite)
    ziel.dispose()


def test_nicht_leeres_ziel_nur_mit_ersetzen(demo_db, tmp_path):
    sichere(demo_db, tmp_path / "s.zip")
    original = inhalt(demo_db)
    with sitzung(demo_db, akteur=SYSTEM) as s:
        s.scalars(select(m.Einrichtung)).first().name = "Geändert nach der Sicherung"
    davor = inhalt(demo_db)
    with pytest.raises(EingabeFehler, match="nicht leer.*--ersetzen"):
        stelle_wieder_her(demo_db, tmp_path / "s.zip")
    assert inhalt(demo_db) == davor
    stelle_wieder_her(demo_db, tmp_path / "s.zip", ersetzen=True)
    assert inhalt(demo_db) == original


def _manipuliere(quelle, ziel, tabelle: str, aendern) -> None:
    """Schreibt eine Sicherung mit geänderter Tabelle und passender Prüfsumme (Fehler erst beim Einfügen)."""
    with zipfile.ZipFile(quelle) as zq, zipfile.ZipFile(ziel, "w") as zz:
        manifest = json.loads(zq.read("manifest.json"))
        for name in zq.namelist():
            daten = zq.read(name)
            if name == f"tabellen/{tabelle}.jsonl":
                daten = aendern(daten)
                t = next(t for t in manifest["tabellen"] if t["name"] == tabelle)
                t["sha256"], t["zeilen"] = hashlib.sha256(daten).hexdigest(), daten.count(b"\n")
            if name != "manifest.json":
                zz.writestr(name, daten)
        zz.writestr("manifest.json", json.dumps(manifest))


def test_fehler_beim_einfuegen_laesst_alles_wie_vorher(demo_db, tmp_path):
    """Auch das Schema wird zurückgerollt (SQLite mit transaktionalem DDL), auch beim Ersetzen."""
    sichere(demo_db, tmp_path / "s.zip")
    # doppelter Primärschlüssel in der letzten Tabelle: scheitert erst ganz am Ende
    _manipuliere(tmp_path / "s.zip", tmp_path / "kaputt.zip", "protokollpunkt_bezug",
                 lambda d: d + d.splitlines(keepends=True)[0])
    davor = inhalt(demo_db)
    with pytest.raises(Exception):  # noqa: B017 - Datenbankfehler je Backend verschieden
        stelle_wieder_her(demo_db, tmp_path / "kaputt.zip", ersetzen=True)
    assert inhalt(demo_db) == davor
    leer = erstelle_engine(f"sqlite:///{tmp_path / 'leer.db'}")
    with pytest.raises(Exception):  # noqa: B017
        stelle_wieder_her(leer, tmp_path / "kaputt.zip")
    assert inspect(leer).get_table_names() == []
    leer.dispose()


@pytest.mark.parametrize("kaputt,meldung", [
    (lambda d: d.replace(b'"name"', b'"nahme"', 1), "Prüfsumme"),
    (None, "keine Zip-Datei"),
])
def test_beschaedigte_sicherung_wird_vorher_erkannt(demo_sqlite, tmp_path, kaputt, meldung):
    sichere(demo_sqlite, tmp_path / "s.zip")
    pfad = tmp_path / "s.zip"
    if kaputt is None:
        pfad.write_bytes(b"keine zip")
    else:
        with zipfile.ZipFile(tmp_path / "s.zip") as zq, zipfile.ZipFile(tmp_path / "k.zip", "w") as zz:
            for name in zq.namelist():
                d = zq.read(name)
                zz.writestr(name, kaputt(d) if name == "tabellen/einrichtung.jsonl" else d)
        pfad = tmp_path / "k.zip"
    leer = erstelle_engine(f"sqlite:///{tmp_path / 'leer.db'}")
    with pytest.raises(EingabeFehler, match=meldung):
        stelle_wieder_her(leer, pfad)
    assert inspect(leer).get_table_names() == []
    leer.dispose()


def test_typen_passen_zum_schema():
    """Jede Spalte jeder Tabelle hat eine Darstellung im Format (sonst fehlte sie in der Sicherung)."""
    from daten.sicherung import _typname

    for t in m.Basis.metadata.sorted_tables:
        for c in t.columns:
            assert _typname(c)
    assert isinstance(m.Stadtteil.__table__.c.geometrie.type, Geo)


def test_cli_backup_restore(demo_sqlite_url, tmp_path):
    from tests.daten.test_cli import rk

    r = rk("backup", str(tmp_path / "sich"), url=demo_sqlite_url)
    assert r.returncode == 0 and (tmp_path / "sich.zip").exists(), r.stderr
    ziel = f"sqlite:///{tmp_path / 'neu.db'}"
    r = rk("restore", str(tmp_path / "sich.zip"), url=ziel)
    assert r.returncode == 0 and "wiederhergestellt" in r.stdout, r.stderr
    erstellt = r.stdout.split("erstellt ")[1].split(",")[0]  # deutsch für Menschen, ISO nur im Manifest
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", erstellt), r.stdout
    r = rk("restore", str(tmp_path / "sich.zip"), url=ziel)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "--ersetzen" in r.stderr
    assert rk("restore", str(tmp_path / "sich.zip"), "--ersetzen", url=ziel).returncode == 0
    r = rk("restore", str(tmp_path / "gibtsnicht.zip"), url=ziel)
    assert r.returncode == 1 and "nicht gefunden" in r.stderr
    e = erstelle_engine(ziel)
    assert stand(e)["einrichtung"] > 200
    e.dispose()
