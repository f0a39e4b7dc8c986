"""Ausgabe der Karte: atomar geschrieben (Issue 6, Punkt 15), klare Meldungen beim PNG, Dokument deutsch."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from daten.fehler import EingabeFehler
from karte import BildFehler, baue_karte, html_text, speichere_html, speichere_karte, speichere_png
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


@pytest.mark.browser
def test_html_und_png_zusammen(karte, tmp_path):
    from tests.karte.browser import braucht_chromium

    braucht_chromium()
    bericht = speichere_karte(karte, tmp_path / "k.html", tmp_path / "k.png", breite=900, hoehe=600)
    assert bericht is not None and bericht.fehler == []
    assert (tmp_path / "k.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "k.html").read_text(encoding="utf-8") == html_text(karte)
    assert _reste(tmp_path) == []
