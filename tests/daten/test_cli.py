"""Die Kommandozeile wie ein Mensch sie benutzt: eigener Prozess, deutsche Zeile, Exit-Code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from daten.demo import demo_jahre

RK = shutil.which("ressourcenkarte") or str(Path(sys.executable).parent / "ressourcenkarte")


def rk(*args: str, url: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env or {})}
    if url:
        env["RESSOURCENKARTE_DB_URL"] = url
    return subprocess.run([RK, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("args", [
    ["export", "{tmp}/x.unbekannt"],
    ["export", "/gibtsnicht/ordner/x.gpkg"],
    ["karte", "/gibtsnicht/ordner/x.html"],
    ["karte", "{tmp}/x.html", "--sozialraum", "Atlantis"],
    ["karte", "{tmp}/x.txt"],
    ["zaubern"],
    [],
])
def test_falsche_eingaben_eine_deutsche_zeile(args, demo_sqlite_url, tmp_path):
    r = rk(*[a.format(tmp=tmp_path) for a in args], url=demo_sqlite_url)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr + r.stdout
    zeilen = [z for z in r.stderr.splitlines() if z.strip()]
    assert len(zeilen) == 1 and zeilen[0].startswith("Fehler:"), r.stderr


def test_sozialraum_unbekannt_nennt_die_vorhandenen(demo_sqlite_url, tmp_path):
    r = rk("karte", str(tmp_path / "k.html"), "--sozialraum", "Atlantis", url=demo_sqlite_url)
    assert "Atlantis" in r.stderr and "Mombach" in r.stderr


def test_unerreichbare_datenbank(tmp_path):
    r = rk("init", url="postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert r.returncode == 1
    assert "nicht erreichbar" in r.stderr and "Traceback" not in r.stderr


def test_init_demo_zweimal_gleiche_zahlen_und_export(leere_db, tmp_path):
    """Auf SQLite und PostGIS: zweimal init --demo ergibt dieselben Zahlen, Export ist vollständig."""
    url = leere_db
    eins = rk("init", "--demo", url=url)
    zwei = rk("init", "--demo", url=url)
    assert eins.returncode == 0 and zwei.returncode == 0, eins.stderr + zwei.stderr
    assert "Demo-Daten geladen" in eins.stdout and "schon geladen" in zwei.stdout
    assert eins.stdout.split("Einrichtungen")[0] == zwei.stdout.split("Einrichtungen")[0]
    gpkg = tmp_path / "x.gpkg"
    assert rk("export", str(gpkg), url=url).returncode == 0
    ebenen = {n for n, _ in pyogrio.list_layers(gpkg)}
    assert {"sozialraeume", "stadtteile", "einrichtungen", "netzwerke"} <= ebenen
    sr = gpd.read_file(gpkg, layer="sozialraeume")
    st = gpd.read_file(gpkg, layer="stadtteile")
    ein = gpd.read_file(gpkg, layer="einrichtungen")
    assert (len(sr), len(st)) == (10, 15)
    assert {"name", "art", "traeger", "stadtteil", "sozialraum"} <= set(ein.columns)
    j = gpd.sjoin(ein[["sozialraum", "geometry"]], sr[["name", "geometry"]], predicate="within")
    assert len(j) == len(ein) and (j["sozialraum"] == j["name"]).all()


@pytest.mark.parametrize("endung", [".geojson", ".xlsx", ".csv"])
def test_export_formate(endung, demo_sqlite_url, tmp_path):
    ziel = tmp_path / f"x{endung}"
    r = rk("export", str(ziel), url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    assert ziel.stat().st_size > 1000
    if endung == ".csv":  # Einzelheiten: tests/daten/test_export.py
        kopf = ziel.read_text(encoding="utf-8-sig").splitlines()[0]
        assert kopf.startswith('"Name";"Art";"Trägerart"')  # Kopf in Anführungszeichen: „;“ bleibt erkennbar
    if endung == ".xlsx":
        import openpyxl

        blaetter = openpyxl.load_workbook(ziel, read_only=True).sheetnames
        assert {"Einrichtungen", "Indikatoren", "Sitzungen", "Maßnahmen", "Budgets"} <= set(blaetter)


@pytest.mark.browser
def test_karte_html_und_png(demo_sqlite_url, tmp_path):
    html, png = tmp_path / "k.html", tmp_path / "k.png"
    jahr = str(demo_jahre().vorjahr - 1)  # ein Indikatorjahr der (heute geladenen) Demo
    r = rk("karte", str(html), "--sozialraum", "Mombach", "--praesentation", "--jahr", jahr, "--png", str(png),
           url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    text = html.read_text(encoding="utf-8")
    assert "Mombach" in text and "cdn" not in text.lower()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_kaputte_kommune_datei_eine_zeile(tmp_path):
    kaputt = tmp_path / "kommune.yaml"
    kaputt.write_text("name: [\n", encoding="utf-8")
    r = rk("--kommune", str(kaputt), "init", url=f"sqlite:///{tmp_path / 'x.db'}")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "Zeile 2" in r.stderr and str(kaputt) in r.stderr
