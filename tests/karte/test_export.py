"""Ausgabe der Karte: atomar geschrieben (Issue 6, Punkt 15), klare Meldungen beim PNG, Dokument deutsch."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from daten.fehler import EingabeFehler
from karte import BildFehler, Bildformat, baue_karte, html_text, speichere_html, speichere_karte, speichere_png
from karte import export as export_modul


@pytest.fixture
def karte(daten, kommune):  # noqa: ANN201
    return baue_karte(**daten, kommune=kommune, basemap="keine")


def _reste(ordner: Path) -> list[str]:
    return sorted(p.name for p in ordner.iterdir() if p.name.endswith(".teil"))


def test_html_ist_ein_deutsches_dokument_mit_titel(karte):
    text = html_text(karte)
    assert text.startswith('<!DOCTYPE html>\n<html lang="de">')
    assert "<title>Ressourcenkarte</title>" in text and '<meta charset="utf-8">' in text
    assert text.count('class="folium-map"') == 1 and text == html_text(karte)


def test_fehler_beim_bauen_laesst_die_alte_datei_stehen(karte, tmp_path, monkeypatch):
    ziel = tmp_path / "k.html"
    ziel.write_text("alt", encoding="utf-8")
    monkeypatch.setattr(export_modul, "teile", lambda m: (_ for _ in ()).throw(RuntimeError("kaputt")))
    with pytest.raises(RuntimeError):
        speichere_html(karte, ziel)
    assert ziel.read_text(encoding="utf-8") == "alt" and _reste(tmp_path) == []


def test_strg_c_mitten_im_schreiben_laesst_nichts_halbes(karte, tmp_path, monkeypatch):
    ziel = tmp_path / "k.html"
    ziel.write_text("alt", encoding="utf-8")
    original = Path.write_text

    def halb(self, text, *a, **k):  # noqa: ANN001, ANN202
        original(self, text[: len(text) // 2], *a, **k)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", halb)
    with pytest.raises(KeyboardInterrupt):
        speichere_html(karte, ziel)
    monkeypatch.undo()
    assert ziel.read_text(encoding="utf-8") == "alt" and _reste(tmp_path) == []
    speichere_html(karte, ziel)  # danach geht es wieder, ganz
    assert ziel.read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.parametrize(("html", "png", "meldung"), [
    ("k.txt", None, "HTML-Datei"),
    ("k.html", "x.txt", "Bild \\(.png\\)"),
    ("k.html", "fehlt/x.png", "Ordner .*fehlt existiert nicht"),
])
def test_ziele_werden_vor_dem_schreiben_geprueft(karte, tmp_path, html, png, meldung):
    alt = tmp_path / "k.html"
    alt.write_text("alt", encoding="utf-8")
    with pytest.raises(EingabeFehler, match=meldung):
        speichere_karte(karte, tmp_path / html, tmp_path / png if png else None)
    assert alt.read_text(encoding="utf-8") == "alt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.html"]


def test_fehlendes_chromium_sagt_wie_man_es_installiert(karte, tmp_path, monkeypatch):
    monkeypatch.setattr(export_modul, "CHROMIUM", str(tmp_path / "gibt-es-nicht"))
    (tmp_path / "k.html").write_text("alt", encoding="utf-8")
    with pytest.raises(BildFehler, match=r"fehlt der Browser Chromium .*apt-get install chromium"):
        speichere_karte(karte, tmp_path / "k.html", tmp_path / "k.png")
    # das Bild scheitert vor dem Ersetzen: die alte HTML-Datei bleibt, kein Bild, keine Reste
    assert (tmp_path / "k.html").read_text(encoding="utf-8") == "alt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.html"]


def test_fehlendes_playwright_wird_deutsch_gemeldet(karte, tmp_path, monkeypatch):
    html = speichere_html(karte, tmp_path / "k.html")
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import schlägt fehl
    with pytest.raises(BildFehler, match="Python-Paket playwright"):
        speichere_png(html, tmp_path / "k.png")
    assert not (tmp_path / "k.png").exists()


def test_png_ziel_ist_ein_ordner(karte, tmp_path):
    html = speichere_html(karte, tmp_path / "k.html")
    (tmp_path / "bild.png").mkdir()
    with pytest.raises(EingabeFehler, match="ist ein Ordner"):
        speichere_png(html, tmp_path / "bild.png")


@pytest.mark.parametrize(("papier", "quer", "dpi", "pixel"), [
    ("A4", True, 150, (1754, 1240)),
    ("A4", False, 150, (1240, 1754)),
    ("A4", True, 300, (3508, 2480)),
    ("A3", True, 150, (2480, 1754)),
    ("A3", False, 72, (842, 1191)),
])
def test_pixelgroesse_aus_papier_und_dpi(papier, quer, dpi, pixel):
    f = Bildformat(papier=papier, quer=quer, dpi=dpi)
    assert f.pixel == pixel
    assert f.skalierung == pytest.approx(dpi / 96)
    assert f"{pixel[0]} × {pixel[1]} Pixel" in f.beschreibung()


@pytest.mark.parametrize(("papier", "dpi", "meldung"), [
    ("A4", 71, "außerhalb von 72 bis 600 dpi"), ("A4", 601, "außerhalb von 72 bis 600 dpi"),
    ("A5", 150, "Papierformat 'A5' gibt es nicht"),
])
def test_ungueltiges_bildformat(papier, dpi, meldung):
    with pytest.raises(EingabeFehler, match=meldung):
        Bildformat(papier=papier, dpi=dpi)


@pytest.mark.parametrize("dpi", [72, 600])
def test_dpi_grenzen_sind_erlaubt(dpi):
    assert Bildformat(dpi=dpi).dpi == dpi


def test_druckansicht_blendet_bedienelemente_aus(karte, kommune):
    """Das PNG zeigt `…#druck`: CSS blendet jedes Bedienelement aus, das Skript legt sie gar nicht erst an."""
    text = html_text(karte)
    regel = re.search(r"([^{}]*\.rk-druck \.leaflet-control-zoom[^{}]*)\{([^}]*)\}", text)
    assert regel is not None and "display: none !important" in regel.group(2)
    for klasse in (".leaflet-control-zoom", ".rk-knopf", ".rk-suche", ".rk-ebenenwahl"):
        assert f".rk-druck {klasse}" in regel.group(1)
    assert "RK.istDruck" in text and "RK.nordpfeil(map)" in text
    assert export_modul.DRUCK_ANKER == "#druck"
    assert json.loads(re.search(r'"quelle":("[^"]*")', text).group(1)) == f"Daten: Ressourcenkarte {kommune.name}"


def test_standard_hintergrund_fragt_nichts_an(daten, kommune):
    """Ohne Einstellung keine Kacheln: kein Aufruf RK.kacheln, keine Adresse eines Kachelservers im Dokument."""
    text = html_text(baue_karte(**daten, kommune=kommune))
    assert "RK.kacheln(" not in text and "rk-ohne-kacheln" in text
    assert not re.search(r"https?://[^\s\"']*\{z\}", text)
    for host in ("tile.openstreetmap.org", "geodatenzentrum.de"):
        assert host not in text


def _png_info(pfad: Path) -> tuple[tuple[int, int], tuple[float, float]]:
    from PIL import Image

    with Image.open(pfad) as bild:
        return bild.size, bild.info.get("dpi", (0, 0))


@pytest.mark.browser
def test_png_a4_quer_150_dpi_ohne_bedienelemente(karte, kommune, tmp_path):
    from tests.karte.browser import braucht_chromium

    braucht_chromium()
    bericht = speichere_karte(karte, tmp_path / "k.html", tmp_path / "k.png",
                              bildformat=Bildformat(papier="A4", quer=True, dpi=150))
    assert bericht is not None and bericht.fehler == [] and bericht.blockiert == []
    groesse, dpi = _png_info(tmp_path / "k.png")
    assert groesse == (1754, 1240) and dpi == pytest.approx((150, 150), abs=0.5)
    assert bericht.bedienelemente == []  # kein Zoom, keine Suche, keine Ebenenwahl, kein Vollbild
    assert bericht.legende_offen and bericht.massstab and bericht.nordpfeil
    assert f"Daten: Ressourcenkarte {kommune.name}, erstellt am " in bericht.quelle
    assert (tmp_path / "k.html").read_text(encoding="utf-8") == html_text(karte)
    assert _reste(tmp_path) == []


@pytest.mark.browser
def test_png_hochformat_mit_titel_und_gegenprobe_ohne_druckansicht(daten, kommune, tmp_path):
    from tests.karte.browser import braucht_chromium, im_browser

    braucht_chromium()
    m = baue_karte(**daten, kommune=kommune, titel="Ressourcenkarte", auswahl_sozialraum="Ost", jahr=2024)
    bericht = speichere_karte(m, tmp_path / "k.html", tmp_path / "k.png",
                              bildformat=Bildformat(papier="A4", quer=False, dpi=96))
    assert _png_info(tmp_path / "k.png")[0] == (794, 1123)
    assert bericht.ueberschrift == "Ressourcenkarte – Sozialraum Ost – Stand 2024"
    assert bericht.bedienelemente == [] and bericht.legende_offen and bericht.nordpfeil
    # Gegenprobe: dieselbe Datei ohne #druck hat alle Bedienelemente und keinen Nordpfeil
    sichtbar = im_browser(tmp_path / "k.html", lambda s: s.page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-control-zoom, .rk-suche, .rk-ebenenwahl, .rk-knopf, "
        ".rk-nordpfeil')].map(e => e.className.split(' ').find(k => k.startsWith('rk-') || k.endsWith('-zoom')))"))
    assert set(sichtbar) == {"leaflet-control-zoom", "rk-suche", "rk-ebenenwahl", "rk-knopf"}
