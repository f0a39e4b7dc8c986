"""Schriftstücke (Protokoll, Jahresbericht) als DOCX und PDF aus einem kleinen Bausteinmodell.

Die Bausteine tragen nur Text und Zahlen; kein Text läuft durch eine Vorlagen- oder Auszeichnungssprache:
für DOCX setzt python-docx ihn als Textlauf, für PDF wird er vor reportlabs Absatz-Auszeichnung
maskiert. Steuerzeichen, die XML nicht erlaubt, werden entfernt.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from daten.dateien import schreibe_atomar
from daten.fehler import EingabeFehler

_STEUERZEICHEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Ueberschrift:
    text: str
    ebene: int = 1  # 1–3


@dataclass(frozen=True)
class Absatz:
    text: str
    fett: bool = False
    klein: bool = False


@dataclass(frozen=True)
class Liste:
    punkte: Sequence[str]


@dataclass(frozen=True)
class Tabelle:
    kopf: Sequence[str]
    zeilen: Sequence[Sequence[object]]
    breiten_cm: Sequence[float] | None = None  # None = gleichmäßig über die Satzbreite


@dataclass(frozen=True)
class Bild:
    png: bytes
    beschreibung: str  # Textalternative (Barrierefreiheit)
    breite_cm: float = 16.0


@dataclass(frozen=True)
class Seitenumbruch:
    pass


Baustein = Ueberschrift | Absatz | Liste | Tabelle | Bild | Seitenumbruch


@dataclass
class Dokument:
    """Ein Schriftstück: Titel (Kopf und Metadaten), Untertitel, Bausteine in Lesereihenfolge."""

    titel: str
    untertitel: str = ""
    autor: str = ""
    bausteine: list[Baustein] = field(default_factory=list)

    def add(self, *bausteine: Baustein) -> Dokument:
        self.bausteine.extend(bausteine)
        return self


def rein(text: object) -> str:
    """Text ohne in XML verbotene Steuerzeichen (Zeilenumbruch und Tabulator bleiben)."""
    return _STEUERZEICHEN.sub("", "" if text is None else str(text))


# ---------------------------------------------------------------------------------------------- DOCX
def als_docx(dok: Dokument) -> bytes:
    """Das Dokument als DOCX: echte Überschriften-Formatvorlagen, Tabellenkopf, Bild mit Alternativtext."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    d.core_properties.title = rein(dok.titel)
    d.core_properties.author = rein(dok.autor)
    d.core_properties.language = "de-DE"
    stil = d.styles["Normal"]
    stil.font.name = "Arial"
    stil.font.size = Pt(10.5)
    stil.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    _docx_sprache(d, qn)
    # Formatvorlagen einmal nachschlagen: python-docx sucht eine per Name gegebene bei jedem Absatz neu
    # (über alle Vorlagen, ≈ 2 ms je Aufruf); als Objekt übergeben kostet es nichts.
    vorlagen: dict[str, object] = {}

    def vorlage(name: str) -> object:
        if name not in vorlagen:
            vorlagen[name] = d.styles[name]
        return vorlagen[name]

    d.add_paragraph(rein(dok.titel), style=vorlage("Title"))
    if dok.untertitel:
        d.add_paragraph(rein(dok.untertitel))
    for b in dok.bausteine:
        if isinstance(b, Ueberschrift):
            d.add_paragraph(rein(b.text), style=vorlage(f"Heading {min(max(b.ebene, 1), 3)}"))
        elif isinstance(b, Absatz):
            lauf = d.add_paragraph().add_run(rein(b.text))
            lauf.bold = b.fett
            if b.klein:
                lauf.font.size = Pt(9)
        elif isinstance(b, Liste):
            for p in b.punkte:
                d.add_paragraph(rein(p), style=vorlage("List Bullet"))
        elif isinstance(b, Tabelle):
            _docx_tabelle(d, b, Cm, vorlage("Table Grid"))
        elif isinstance(b, Bild):
            d.add_picture(io.BytesIO(b.png), width=Cm(b.breite_cm))
            d.inline_shapes[-1]._inline.docPr.set("descr", rein(b.beschreibung))
            d.add_paragraph(rein(b.beschreibung)).runs[0].italic = True
        elif isinstance(b, Seitenumbruch):
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    puffer = io.BytesIO()
    d.save(puffer)
    return puffer.getvalue()


def _docx_sprache(d, qn) -> None:  # noqa: ANN001
    from docx.oxml import OxmlElement

    rpr = d.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "de-DE")
    rpr.append(lang)


def _docx_tabelle(d, b: Tabelle, cm, vorlage) -> None:  # noqa: ANN001
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    n = len(b.kopf)
    # alle Zeilen auf einmal anlegen und die Zellen einmal holen (add_row/rows[i].cells sind je Aufruf teuer)
    t = d.add_table(rows=1 + len(b.zeilen), cols=n)
    t.style = vorlage
    trpr = t.rows[0]._tr.get_or_add_trPr()  # Kopfzeile wiederholt sich auf jeder Seite (und gilt als Kopf)
    wdh = OxmlElement("w:tblHeader")
    wdh.set(qn("w:val"), "true")
    trpr.append(wdh)
    zellen = t._cells
    for zelle, text in zip(zellen[:n], b.kopf, strict=True):
        zelle.paragraphs[0].add_run(rein(text)).bold = True
    for i, zeile in enumerate(b.zeilen, start=1):
        for zelle, wert in zip(zellen[i * n:(i + 1) * n], zeile, strict=True):
            zelle.text = rein(wert)
    if b.breiten_cm:
        breiten = [cm(x) for x in b.breiten_cm]
        for i, zelle in enumerate(zellen):
            zelle.width = breiten[i % n]


# ----------------------------------------------------------------------------------------------- PDF
def _schriften() -> tuple[str, str, bool]:
    """DejaVu (volle Unicode-Abdeckung), wenn installiert; sonst Helvetica (nur Windows-1252)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    normal, fett = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if normal.exists() and fett.exists():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(normal)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(fett)))
        return "DejaVuSans", "DejaVuSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False


def _pdf_text(text: object, unicode_ok: bool) -> str:
    t = rein(text)
    if not unicode_ok:  # Standardschrift kennt nur Windows-1252: Unbekanntes als '?'
        t = t.encode("cp1252", errors="replace").decode("cp1252")
    return escape(t).replace("\n", "<br/>")


def als_pdf(dok: Dokument) -> bytes:
    """Das Dokument als PDF (reportlab, A4): Titel/Autor/Sprache in den Metadaten, Tabellenkopf wiederholt."""
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.useA85 = 0  # Bilder binär statt ASCII85: kleiner und schneller (reines Python-ASCII85 ist langsam)
    normal, fett, uni = _schriften()
    basis = getSampleStyleSheet()
    st = {
        "titel": ParagraphStyle("t", parent=basis["Title"], fontName=fett, fontSize=18, leading=22),
        1: ParagraphStyle("h1", parent=basis["Heading1"], fontName=fett, fontSize=14, leading=18),
        2: ParagraphStyle("h2", parent=basis["Heading2"], fontName=fett, fontSize=12, leading=15),
        3: ParagraphStyle("h3", parent=basis["Heading3"], fontName=fett, fontSize=10.5, leading=13),
        "text": ParagraphStyle("p", parent=basis["Normal"], fontName=normal, fontSize=10, leading=13),
        "fett": ParagraphStyle("pf", parent=basis["Normal"], fontName=fett, fontSize=10, leading=13),
        "klein": ParagraphStyle("pk", parent=basis["Normal"], fontName=normal, fontSize=8.5, leading=11),
        "zelle": ParagraphStyle("z", parent=basis["Normal"], fontName=normal, fontSize=8.5, leading=10.5),
        "kopf": ParagraphStyle("zk", parent=basis["Normal"], fontName=fett, fontSize=8.5, leading=10.5),
    }
    puffer = io.BytesIO()
    satz = SimpleDocTemplate(puffer, pagesize=A4, title=rein(dok.titel), author=rein(dok.autor), lang="de-DE",
                             leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm)
    breite = A4[0] - 4 * cm
    fluss: list = [Paragraph(_pdf_text(dok.titel, uni), st["titel"])]
    if dok.untertitel:
        fluss.append(Paragraph(_pdf_text(dok.untertitel, uni), st["text"]))
    for b in dok.bausteine:
        if isinstance(b, Ueberschrift):
            fluss.append(Paragraph(_pdf_text(b.text, uni), st[min(max(b.ebene, 1), 3)]))
        elif isinstance(b, Absatz):
            stil = st["fett"] if b.fett else st["klein"] if b.klein else st["text"]
            fluss += [Paragraph(_pdf_text(b.text, uni), stil), Spacer(1, 4)]
        elif isinstance(b, Liste):
            fluss += [Paragraph("• " + _pdf_text(p, uni), st["text"]) for p in b.punkte]
            fluss.append(Spacer(1, 4))
        elif isinstance(b, Tabelle):
            daten = [[Paragraph(_pdf_text(k, uni), st["kopf"]) for k in b.kopf]]
            daten += [[Paragraph(_pdf_text(w, uni), st["zelle"]) for w in z] for z in b.zeilen]
            breiten = ([w * cm for w in b.breiten_cm] if b.breiten_cm else [breite / len(b.kopf)] * len(b.kopf))
            t = Table(daten, colWidths=breiten, repeatRows=1)
            t.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            fluss += [t, Spacer(1, 6)]
        elif isinstance(b, Bild):
            fluss += _pdf_bild(b, breite, Image, cm)
            fluss.append(Paragraph(_pdf_text(b.beschreibung, uni), st["klein"]))
        elif isinstance(b, Seitenumbruch):
            fluss.append(PageBreak())
    satz.build(fluss)
    return puffer.getvalue()


def _pdf_bild(b: Bild, satzbreite: float, image_cls, cm: float) -> list:  # noqa: ANN001
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(b.png)) as im:
        w, h = im.size
    breite = min(b.breite_cm * cm, satzbreite)
    return [image_cls(io.BytesIO(b.png), width=breite, height=breite * h / w)]


# -------------------------------------------------------------------------------------------- Datei
FORMATE = (".docx", ".pdf")


def speichere(dok: Dokument, pfad: str | Path) -> Path:
    """Schreibt nach Dateiendung (.docx/.pdf) atomar: erst eine Temporärdatei, dann umbenennen."""
    pfad = Path(pfad)
    endung = pfad.suffix.lower()
    if endung not in FORMATE:
        raise EingabeFehler(f"{pfad}: Dateiendung '{pfad.suffix or '(keine)'}' geht nicht; möglich: .docx, .pdf.")
    if not pfad.parent.is_dir():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen oder anderen Pfad wählen.")
    inhalt = als_docx(dok) if endung == ".docx" else als_pdf(dok)
    schreibe_atomar(pfad, inhalt)
    return pfad
