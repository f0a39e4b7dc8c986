"""Schriftstücke, wie die Werkzeuge der Stadt sie öffnen: DOCX mit python-docx (A4, Fußzeile mit Seitenfeld,
Inhaltsverzeichnis-Feld, Spaltenbreiten), PDF mit pikepdf und pdftotext (Tags, /Lang, Lesezeichen, eingebettete
Schriften, Alternativtexte, Tabellenköpfe, „Seite N von M“, kein Wort mitten im Wort getrennt); fehlender
PDF-Satz als deutsche Meldung; eigene Vorlagen der Kommune; Namen statt Logins."""

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.shared import Cm
from PIL import Image

from berichte import dokument as d
from berichte.dokument import (
    Absatz,
    Bild,
    Dokument,
    Inhaltsverzeichnis,
    Liste,
    PdfFehler,
    Seitenumbruch,
    Tabelle,
    Ueberschrift,
    Vorlagen,
    als_docx,
    als_pdf,
    spaltenbreiten,
    speichere,
)
from daten.fehler import EingabeFehler

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Wörter, die eine gleich breite Spalte mitten im Wort bräche („Sozialra um“, „Beschlussv orlage“)
LANGE_WOERTER = ["Beschlussvorlage", "Versorgungsgrad", "Sozialraumgremium", "Halbjahre", "Hospitationen"]
TYPST_NUTZLAST = ['#emph[x] $a^2$ *fett* _k_', '<marke> @marke \\ #import "/etc/passwd"', "#{1+1} ```raw```"]


def _png(farbe=(200, 30, 30)) -> bytes:
    puffer = io.BytesIO()
    Image.new("RGB", (60, 30), farbe).save(puffer, format="PNG")
    return puffer.getvalue()


def _dok(**kw) -> Dokument:
    zeilen = [[f"Maßnahme {i}", "Kita-Ausbau im Sozialraum", "Beschlussvorlage", "Hospitationen", "1.234 €",
               "umgesetzt"] for i in range(60)]  # über zwei Seiten: Kopfzeile wiederholt sich
    return Dokument(titel="Jahresbericht 2025 – Test", untertitel="Stadt Test, Amt", autor="Jugendhilfeplanung",
                    **kw).add(
        Absatz("Deckblatt-Text."), Seitenumbruch(), Inhaltsverzeichnis(), Seitenumbruch(),
        Ueberschrift("1 Überblick", 1), Absatz(TYPST_NUTZLAST[0]), Liste(TYPST_NUTZLAST[1:]),
        Ueberschrift("Maßnahmen", 2),
        Tabelle(["Maßnahme", "Art", "Beschlussvorlage", "Versorgungsgrad", "Kosten geplant", "Status"], zeilen,
                breiten_cm=[1, 1, 1, 1, 1, 1]),
        Ueberschrift("2 Karte", 1), Bild(_png(), "Karte Sozialraum Test: Mitte Bedarf hoch", breite_cm=8),
        Seitenumbruch(), Ueberschrift("3 Anhang", 1), Absatz("Ende."))


@pytest.fixture(scope="module")
def pdf_pfad(tmp_path_factory) -> Path:
    pfad = tmp_path_factory.mktemp("pdf") / "b.pdf"
    pfad.write_bytes(als_pdf(_dok()))
    return pfad


def _seiten(pfad: Path) -> list[str]:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext fehlt (Debian: poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(pfad), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [s for s in text.split("\f") if s.strip()]


# ---------------------------------------------------------------------------------------------- DOCX
def test_docx_a4_fusszeile_mit_seitenfeldern_und_inhaltsverzeichnis():
    d_ = docx.Document(io.BytesIO(als_docx(_dok())))
    s = d_.sections[0]
    assert abs(s.page_width - Cm(21)) < Cm(0.05) and abs(s.page_height - Cm(29.7)) < Cm(0.05)
    fuss = s.footer._element.xml
    anweisungen = [t.text.strip() for t in s.footer._element.iter(f"{W}instrText")]
    assert anweisungen == ["PAGE", "NUMPAGES"] and "Seite " in fuss and " von " in fuss
    assert "Jahresbericht 2025 – Test" in "".join(p.text for p in s.header.paragraphs)
    koerper = d_.element.body
    toc = [t.text for t in koerper.iter(f"{W}instrText") if "TOC" in t.text]
    assert len(toc) == 1 and '\\o "1-3"' in toc[0]
    arten = [f.get(f"{W}fldCharType") for f in koerper.iter(f"{W}fldChar")]
    assert arten == ["begin", "separate", "end"]  # ein vollständiges Feld
    eintraege = [p.text for p in d_.paragraphs if p.style.name.startswith("TOC")]
    assert eintraege == ["1 Überblick", "Maßnahmen", "2 Karte", "3 Anhang"]
    einst = [k.tag.removeprefix(W) for k in d_.settings.element]
    # an ihrer Stelle im Schema (Word meldet sonst „unlesbarer Inhalt“)
    assert einst[einst.index("defaultTabStop") + 1] == "autoHyphenation"
    assert einst.index("savePreviewPicture") < einst.index("updateFields") < einst.index("compat")
    assert 'w:val="de-DE"' in d_.styles.element.xml  # Sprache der Voreinstellung
    assert d_.inline_shapes[0]._inline.docPr.get("descr") == "Karte Sozialraum Test: Mitte Bedarf hoch"


def test_docx_spalten_so_breit_wie_das_laengste_wort():
    d_ = docx.Document(io.BytesIO(als_docx(_dok())))
    t = d_.tables[0]
    breiten = [int(g.get(f"{W}w")) for g in t._tbl.tblGrid.iter(f"{W}gridCol")]  # twips
    messen = d._helvetica(9)
    for i, kopf in enumerate(["Maßnahme", "Art", "Beschlussvorlage", "Versorgungsgrad", "Kosten geplant",
                              "Status"]):
        laengstes = max(messen(w, True) for w in d.woerter(kopf))
        assert breiten[i] / 20 >= laengstes + 10, kopf  # Punkt; 10 pt Innenabstand der Zelle
    satz = (Cm(21) - Cm(4.5)) / 12700 * 20
    assert abs(sum(breiten) - satz) < 30  # volle Satzbreite
    assert breiten[1] > breiten[5] and breiten[2] > breiten[5]  # nicht gleich verteilt: nach Inhalt
    assert t.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert t._tbl.tblPr.xml.count("<w:tblLayout") == 1 and 'w:type="fixed"' in t._tbl.tblPr.xml
    assert "suppressAutoHyphens" in d_.styles["Tabellenkopf"].element.xml


def test_spaltenbreiten_beide_seiten():
    messen = lambda text, fett: 6.0 * len(text)  # noqa: E731
    # passt einzeilig: Rest nach Bedarf, Summe = verfügbar
    b = spaltenbreiten(["A", "B"], [["kurz", "etwas länger"]], 200, messen, polster=4)
    assert abs(sum(b) - 200) < 1e-6 and b[1] > b[0]
    # passt nur umbrochen: jede Spalte mindestens ihr längstes Wort
    b = spaltenbreiten(["Beschlussvorlage", "x"], [["a", "ein sehr langer Text mit vielen Wörtern " * 3]], 250,
                       messen, polster=4)
    assert b[0] >= 6 * 16 + 4 and abs(sum(b) - 250) < 1e-6
    # längste Wörter passen nicht nebeneinander → None (kleiner setzen)
    assert spaltenbreiten(["Beschlussvorlage", "Versorgungsgrad"], [], 150, messen, polster=4) is None
    assert d.woerter("Kita-Ausbau im/ Sozialraum") == ["Kita-", "Ausbau", "im/", "Sozialraum"]


def test_docx_eigene_vorlage_der_kommune(tmp_path):
    vorlage = docx.Document()
    vorlage.sections[0].header.paragraphs[0].text = "Stadt Musterstadt – Corporate Design"
    vorlage.add_paragraph("Beispieltext der Vorlage")
    pfad = tmp_path / "cd.docx"
    vorlage.save(pfad)
    d_ = docx.Document(io.BytesIO(als_docx(_dok(vorlagen=Vorlagen(docx=pfad)))))
    assert d_.sections[0].header.paragraphs[0].text == "Stadt Musterstadt – Corporate Design"
    assert "Beispieltext der Vorlage" not in "\n".join(p.text for p in d_.paragraphs)
    assert [t.text.strip() for t in d_.sections[0].footer._element.iter(f"{W}instrText")] == ["PAGE", "NUMPAGES"]
    with pytest.raises(EingabeFehler, match="DOCX-Vorlage .* gibt es nicht"):
        als_docx(_dok(vorlagen=Vorlagen(docx=tmp_path / "fehlt.docx")))


# ----------------------------------------------------------------------------------------------- PDF
def test_pdf_getaggt_sprache_titel_lesezeichen(pdf_pfad):
    with pikepdf.open(pdf_pfad) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root and bool(root.MarkInfo.Marked)
        assert str(root.Lang) == "de-DE"
        assert str(pdf.docinfo["/Title"]) == "Jahresbericht 2025 – Test"
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        with pdf.open_metadata() as xmp:
            assert "pdfuaid:part" in str(xmp) or xmp.get("pdfuaid:part") == "1"
        with pdf.open_outline() as o:
            titel = [e.title for e in o.root] + [k.title for e in o.root for k in e.children]
    assert {"1 Überblick", "Maßnahmen", "2 Karte", "3 Anhang"} <= set(titel)


def _struktur(pdf) -> list:  # noqa: ANN001
    """Alle Strukturelemente (Tiefensuche) des Strukturbaums."""
    gefunden, stapel = [], [pdf.Root.StructTreeRoot]
    while stapel:
        k = stapel.pop()
        if isinstance(k, pikepdf.Dictionary):
            if "/S" in k:
                gefunden.append(k)
            kinder = k.get("/K")
            if isinstance(kinder, pikepdf.Array):
                stapel.extend(kinder)
            elif isinstance(kinder, pikepdf.Dictionary):
                stapel.append(kinder)
    return gefunden


def test_pdf_abbildung_mit_alternativtext_und_tabellenkoepfe(pdf_pfad):
    with pikepdf.open(pdf_pfad) as pdf:
        elemente = _struktur(pdf)
        arten = [str(e.S) for e in elemente]
        figuren = [e for e in elemente if str(e.S) == "/Figure"]
        assert figuren and all(str(f.get("/Alt", "")) == "Karte Sozialraum Test: Mitte Bedarf hoch"
                               for f in figuren)
        assert arten.count("/TH") == 6  # Kopfzellen als Tabellenkopf (in der Struktur einmal)
        assert "/Table" in arten and "/TD" in arten


def test_pdf_alle_schriften_eingebettet(pdf_pfad):
    with pikepdf.open(pdf_pfad) as pdf:
        schriften = []
        for seite in pdf.pages:
            for _, f in seite.Resources.get("/Font", {}).items():
                nachfahren = f.get("/DescendantFonts")
                beschr = (nachfahren[0] if nachfahren else f).get("/FontDescriptor")
                schriften.append(beschr is not None and any(k in beschr for k in ("/FontFile", "/FontFile2",
                                                                                 "/FontFile3")))
    assert schriften and all(schriften)
    if shutil.which("pdffonts"):
        zeilen = subprocess.run(["pdffonts", str(pdf_pfad)], capture_output=True, text=True).stdout.splitlines()[2:]
        assert zeilen and all(z.split()[-5] == "yes" for z in zeilen)


def test_pdf_seite_n_von_m_auf_jeder_seite_und_kein_wort_getrennt(pdf_pfad):
    seiten = _seiten(pdf_pfad)
    assert len(seiten) >= 4
    for i, s in enumerate(seiten, start=1):
        assert re.search(rf"Seite {i} von {len(seiten)}\b", s), i
    text = "\n".join(seiten)
    for wort in ("Beschlussvorlage", "Hospitationen", "Sozialraum"):
        assert text.count(wort) >= 60, wort  # in jeder Zeile ganz, nicht „Beschlussv orlage“
    assert re.search(r"Beschlussv\s+orlage|Beschluss-\s|Hospita-\s|Versorgungs-\s", text) is None
    tabellenseiten = [s for s in seiten if "Maßnahme 3" in s or "Maßnahme 59" in s]
    assert len(tabellenseiten) == 2  # über zwei Seiten …
    assert all("Versorgungsgrad" in s and "Beschlussvorlage" in s for s in tabellenseiten)  # … Kopf wiederholt
    # Inhaltsverzeichnis mit Seitenzahlen
    assert re.search(r"2 Karte[ .\u2060]+\d", seiten[1])


def test_pdf_text_bleibt_text_auch_typst_markup(pdf_pfad):
    text = subprocess.run(["pdftotext", str(pdf_pfad), "-"], capture_output=True, text=True).stdout
    for nutzlast in TYPST_NUTZLAST:
        assert re.sub(r"\s+", " ", nutzlast) in re.sub(r"\s+", " ", text), nutzlast
    assert "root:" not in text


def test_pdf_eigene_stildatei(tmp_path):
    stil = tmp_path / "stadt.typ"
    (tmp_path / "logo.png").write_bytes(_png((0, 94, 168)))
    stil.write_text('#let stil(body) = { set text(fill: rgb("#005ea8")); [Stadt Musterstadt]; '
                    'image("stadt/logo.png", width: 2cm, alt: "Logo der Stadt"); body }\n')
    pfad = tmp_path / "s.pdf"
    pfad.write_bytes(als_pdf(_dok(vorlagen=Vorlagen(pdf=stil))))
    assert "Stadt Musterstadt" in _seiten(pfad)[0]
    with pikepdf.open(pfad) as pdf:
        assert "Logo der Stadt" in [str(e.get("/Alt", "")) for e in _struktur(pdf)]
    stil.write_text("#let stil(body) = { undefiniert(body) }\n")
    with pytest.raises(PdfFehler, match="PDF ließ sich nicht setzen: .*dokumente.pdf_stil"):
        als_pdf(_dok(vorlagen=Vorlagen(pdf=stil)))
    with pytest.raises(EingabeFehler, match="PDF-Stilvorlage .* gibt es nicht"):
        als_pdf(_dok(vorlagen=Vorlagen(pdf=tmp_path / "fehlt.typ")))


def test_ohne_pdf_satz_deutsche_meldung_docx_geht(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "typst", None)  # „import typst“ scheitert wie ohne installiertes Paket
    with pytest.raises(PdfFehler, match="PDF-Export nicht möglich.*als .docx"):
        speichere(_dok(), tmp_path / "b.pdf")
    assert not (tmp_path / "b.pdf").exists()
    speichere(_dok(), tmp_path / "b.docx")
    assert docx.Document(str(tmp_path / "b.docx")).paragraphs[0].text == "Jahresbericht 2025 – Test"


def test_cli_ohne_pdf_satz_meldet_deutsch_ohne_traceback(monkeypatch, tmp_path, demo_sqlite_url, capsys):
    from befehle import main

    monkeypatch.setitem(sys.modules, "typst", None)
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", demo_sqlite_url)
    code = main(["bericht", "--jahr", "2025", "--art", "umsetzung", str(tmp_path / "u.docx"),
                 str(tmp_path / "u.pdf")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Fehler: PDF-Export nicht möglich") and "Traceback" not in err
    assert (tmp_path / "u.docx").exists() and not (tmp_path / "u.pdf").exists()
