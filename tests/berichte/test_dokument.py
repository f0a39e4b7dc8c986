"""Schriftstücke: DOCX und PDF tragen den Text als Text (nie als Auszeichnung), mit Bild und Tabellenkopf."""

import io
import shutil
import subprocess

import docx
import pytest
from PIL import Image

from berichte.dokument import Absatz, Bild, Dokument, Liste, Tabelle, Ueberschrift, als_docx, als_pdf, speichere
from daten.fehler import EingabeFehler

NUTZLAST = ["<b>fett</b>{{7*7}}", "<para>x</para>&amp;", "{% kaputt", "Zeile\x00mit\x1bSteuer\x07zeichen", "€ äöüß"]


def _png() -> bytes:
    puffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(puffer, format="PNG")
    return puffer.getvalue()


def _dok() -> Dokument:
    return Dokument(titel="Protokoll <Test>", untertitel="Neustadt · 2025", autor="tl01").add(
        Ueberschrift("1. Frage"), Absatz(NUTZLAST[0]), Liste(NUTZLAST[1:3]),
        Tabelle(["Kopf A", "Kopf B"], [[NUTZLAST[3], 1234.5], [NUTZLAST[4], None]]),
        Bild(_png(), "Karte des Sozialraums", breite_cm=5))


def _pdftext(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext fehlt (Debian: poppler-utils)")
    datei = tmp_path / "d.pdf"
    datei.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(datei), "-"], capture_output=True, text=True, check=True).stdout


def test_docx_text_bleibt_text_mit_bild_und_kopfzeile():
    d = docx.Document(io.BytesIO(als_docx(_dok())))
    text = "\n".join(p.text for p in d.paragraphs)
    zellen = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert "<b>fett</b>{{7*7}}" in text and "{% kaputt" in text and "49" not in text
    assert "ZeilemitSteuerzeichen" in zellen and "€ äöüß" in zellen and "1234.5" in zellen
    assert d.paragraphs[0].style.name == "Title" and any(p.style.name == "Heading 1" for p in d.paragraphs)
    assert len(d.inline_shapes) == 1
    assert d.inline_shapes[0]._inline.docPr.get("descr") == "Karte des Sozialraums"
    assert d.tables[0].rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert d.core_properties.title == "Protokoll <Test>" and d.core_properties.language == "de-DE"


def test_pdf_text_bleibt_text(tmp_path):
    text = _pdftext(als_pdf(_dok()), tmp_path)
    assert "<b>fett</b>{{7*7}}" in text
    assert "<para>x</para>&amp;" in text
    assert "ZeilemitSteuerzeichen" in text and "äöüß" in text and "Protokoll <Test>" in text


def test_speichere_nach_endung_und_atomar(tmp_path):
    alt = tmp_path / "p.docx"
    alt.write_bytes(b"alt")
    speichere(_dok(), alt)
    assert docx.Document(str(alt)).paragraphs[0].text == "Protokoll <Test>"
    with pytest.raises(EingabeFehler, match="Dateiendung"):
        speichere(_dok(), tmp_path / "p.txt")
    with pytest.raises(EingabeFehler, match="existiert nicht"):
        speichere(_dok(), tmp_path / "fehlt" / "p.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.docx"]
