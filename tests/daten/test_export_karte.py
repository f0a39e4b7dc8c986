"""`ressourcenkarte karte`: filtert wie das Dashboard, findet Sozialräume ohne Rücksicht auf Schreibweise,
schreibt HTML und PNG nur gemeinsam und nur ganz."""

from __future__ import annotations

import pytest

from befehle.kartenbefehl import finde_sozialraum
from daten.demo import demo_jahre
from tests.daten.test_cli import rk

NAMEN = ["Neustadt", "Drais, Lerchenberg, Marienborn", "Finthen (mit Layenhof)", "Mombach"]


@pytest.mark.parametrize(("eingabe", "name"), [
    ("mombach", "Mombach"), ("MOMBACH", "Mombach"), ("  finthen ", "Finthen (mit Layenhof)"),
    ("drais, lerchenberg, marienborn", "Drais, Lerchenberg, Marienborn"), ("Neu", "Neustadt"),
])
def test_sozialraum_gross_klein_egal(eingabe, name):
    assert finde_sozialraum(eingabe, NAMEN) == name


def test_sozialraum_mehrdeutig_oder_unbekannt():
    from daten.fehler import EingabeFehler

    with pytest.raises(EingabeFehler, match="nicht eindeutig"):
        finde_sozialraum("n", ["Neustadt", "Nordstadt"])
    with pytest.raises(EingabeFehler, match="Vorhanden: Neustadt"):
        finde_sozialraum("Atlantis", NAMEN)


def test_sozialraum_filtert_wie_das_dashboard(demo_sqlite_url, tmp_path):
    alle = rk("karte", str(tmp_path / "a.html"), url=demo_sqlite_url)
    eins = rk("karte", str(tmp_path / "m.html"), "--sozialraum", "mombach", url=demo_sqlite_url)
    assert alle.returncode == 0 and eins.returncode == 0, alle.stderr + eins.stderr
    anzahl = int(eins.stdout.split("Mombach, ")[1].split(" Einrichtungen")[0])
    gesamt = int(alle.stdout.split("(")[1].split(" Einrichtungen")[0])
    assert 5 < anzahl < gesamt / 5  # nur die Einrichtungen des Sozialraums, nicht nur hineingezoomt
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "Sozialraum Mombach" in html
    assert (tmp_path / "m.html").stat().st_size < (tmp_path / "a.html").stat().st_size


def test_jahr_nennt_den_stand(demo_sqlite_url, tmp_path):
    jahr = demo_jahre().vorjahr - 1  # ein Indikatorjahr der (heute geladenen) Demo
    r = rk("karte", str(tmp_path / "k.html"), "--jahr", str(jahr), url=demo_sqlite_url)
    assert r.returncode == 0 and f"Stand 31.12.{jahr}" in r.stdout, r.stderr


def test_falsche_png_endung_schreibt_gar_nichts(demo_sqlite_url, tmp_path):
    alt = tmp_path / "k.html"
    alt.write_text("alte Karte", encoding="utf-8")
    r = rk("karte", str(alt), "--png", str(tmp_path / "bild.txt"), url=demo_sqlite_url)
    assert r.returncode == 1 and r.stderr.startswith("Fehler:") and ".png" in r.stderr
    assert alt.read_text(encoding="utf-8") == "alte Karte"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.html"]


def test_png_fehler_laesst_alte_html_stehen(demo_sqlite_url, tmp_path, monkeypatch):
    """Scheitert das Bild, bleibt auch die alte HTML-Datei (beide nur gemeinsam ersetzt)."""
    import argparse

    import karte.export
    from befehle import kartenbefehl
    from daten.fehler import EingabeFehler

    alt = tmp_path / "k.html"
    alt.write_text("alte Karte", encoding="utf-8")

    def kaputt(html, png, **_):  # noqa: ANN001, ANN202
        assert html.exists()  # die neue Karte liegt schon vollständig in der temporären Datei
        raise EingabeFehler("Chromium fehlt.")

    monkeypatch.setattr(karte.export, "speichere_png", kaputt)
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", demo_sqlite_url)
    args = argparse.Namespace(pfad=alt, png=tmp_path / "k.png", sozialraum=None, praesentation=False, jahr=None,
                              db=None, kommune=None, papier="A4", quer=True, dpi=150)
    with pytest.raises(EingabeFehler):
        kartenbefehl._karte(args)
    assert alt.read_text(encoding="utf-8") == "alte Karte"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.html"]


def test_praesentation_schaltet_den_praesentationsmodus(demo_sqlite_url, tmp_path):
    normal, praes = tmp_path / "n.html", tmp_path / "p.html"
    assert rk("karte", str(normal), url=demo_sqlite_url).returncode == 0
    assert rk("karte", str(praes), "--praesentation", "--sozialraum", "neustadt", url=demo_sqlite_url).returncode == 0
    assert '"praesentation":true' in praes.read_text(encoding="utf-8")
    assert '"praesentation":false' in normal.read_text(encoding="utf-8")


@pytest.mark.parametrize(("optionen", "meldung"), [
    (["--dpi", "50"], "50 dpi liegt außerhalb von 72 bis 600 dpi"),
    (["--dpi", "601"], "601 dpi liegt außerhalb von 72 bis 600 dpi"),
])
def test_ungueltige_dpi_schreibt_gar_nichts(demo_sqlite_url, tmp_path, optionen, meldung):
    r = rk("karte", str(tmp_path / "k.html"), "--png", str(tmp_path / "k.png"), *optionen, url=demo_sqlite_url)
    assert r.returncode == 1 and meldung in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_format_und_ausrichtung_nur_wie_angeboten(demo_sqlite_url, tmp_path):
    r = rk("karte", str(tmp_path / "k.html"), "--format", "A5", url=demo_sqlite_url)
    assert r.returncode != 0 and "A4" in r.stderr and "A3" in r.stderr
    r = rk("karte", str(tmp_path / "k.html"), "--hoch", "--quer", url=demo_sqlite_url)
    assert r.returncode != 0 and "--quer" in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.browser
def test_png_a3_hoch_aus_der_kommandozeile(demo_sqlite_url, tmp_path):
    from PIL import Image

    from tests.karte.browser import braucht_chromium

    braucht_chromium()
    r = rk("karte", str(tmp_path / "k.html"), "--png", str(tmp_path / "k.png"), "--format", "a3", "--hoch",
           "--dpi", "96", "--sozialraum", "mombach", url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    assert "(A3 hoch, 96 dpi, 1123 × 1587 Pixel)" in r.stdout
    with Image.open(tmp_path / "k.png") as bild:
        assert bild.size == (1123, 1587)
    html = (tmp_path / "k.html").read_text(encoding="utf-8")
    assert "Ressourcenkarte – Sozialraum Mombach – Stand " in html  # Titel mit Gebiet und Jahr
