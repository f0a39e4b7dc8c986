"""Schriftstücke (Protokoll, Berichte) als DOCX und PDF aus einem kleinen Bausteinmodell.

Die Bausteine tragen nur Text und Zahlen; kein Text läuft durch eine Vorlagen- oder Auszeichnungssprache:
für DOCX setzt python-docx ihn als Textlauf, für PDF geht er als JSON-Zeichenkette in ein festes Typst-Layout
(`berichte/vorlagen/dokument.typ`), das ihn nur setzt und nie als Markup auswertet; Typst schreibt ein getaggtes
PDF/UA-1. Steuerzeichen, die XML nicht erlaubt, werden entfernt.

Beide Formate: A4, Kopfzeile mit dem Titel, Fußzeile „Seite N von M“, Titelseite (Titel, Untertitel, dann die
Bausteine bis zum ersten Seitenumbruch), Inhaltsverzeichnis (Baustein `Inhaltsverzeichnis`), Tabellen mit
Spaltenbreiten aus dem Inhalt (jedes Wort passt in seine Spalte, keines wird mitten im Wort umbrochen) und deutscher
Silbentrennung im Fließtext. Eine Kommune kann eine eigene DOCX-Vorlage und eine eigene PDF-Stildatei angeben
(`Vorlagen`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from daten.dateien import schreibe_atomar
from daten.fehler import EingabeFehler, RessourcenkarteFehler

_STEUERZEICHEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class PdfFehler(RessourcenkarteFehler):
    """Das PDF lässt sich nicht setzen (Satzprogramm fehlt, eigene Stildatei fehlerhaft)."""


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
    # Nur noch Hinweis älterer Aufrufer: die Breiten ergeben sich aus dem Inhalt (längstes Wort je Spalte passt
    # immer, der Rest der Satzbreite geht an die Spalten mit längeren Texten).
    breiten_cm: Sequence[float] | None = None


@dataclass(frozen=True)
class Bild:
    png: bytes
    beschreibung: str  # Textalternative (Barrierefreiheit)
    breite_cm: float = 16.0


@dataclass(frozen=True)
class Seitenumbruch:
    pass


@dataclass(frozen=True)
class Inhaltsverzeichnis:
    """Verzeichnis der Überschriften (Ebene 1–2); in DOCX ein TOC-Feld, im PDF mit Seitenzahlen."""

    titel: str = "Inhalt"


Baustein = Ueberschrift | Absatz | Liste | Tabelle | Bild | Seitenumbruch | Inhaltsverzeichnis


@dataclass(frozen=True)
class Vorlagen:
    """Corporate Design einer Kommune: eigene DOCX-Vorlage (Formatvorlagen, Seiten, Kopf/Fuß) und eigene
    Typst-Stildatei für das PDF (legt `stil` fest, eine Show-Regel über das ganze Dokument). Pfade aus der
    Konfiguration (`dokumente`)."""

    docx: Path | None = None
    pdf: Path | None = None


@dataclass
class Dokument:
    """Ein Schriftstück: Titel (Titelseite, Kopfzeile und Metadaten), Untertitel, Bausteine in Lesereihenfolge."""

    titel: str
    untertitel: str = ""
    autor: str = ""
    bausteine: list[Baustein] = field(default_factory=list)
    vorlagen: Vorlagen = field(default_factory=Vorlagen)
    titelseite: bool = True  # False: Titel oben auf der ersten Seite (Protokoll), sonst abgesetzte Titelseite

    def add(self, *bausteine: Baustein) -> Dokument:
        self.bausteine.extend(bausteine)
        return self


def rein(text: object) -> str:
    """Text ohne in XML verbotene Steuerzeichen (Zeilenumbruch und Tabulator bleiben)."""
    return _STEUERZEICHEN.sub("", "" if text is None else str(text))


def vorlagen_aus(kommune: object) -> Vorlagen:
    """Die Vorlagen aus der Kommune-Konfiguration (`dokumente.docx_vorlage`, `dokumente.pdf_stil`)."""
    konf = getattr(kommune, "dokumente", None)
    docx_pfad = getattr(konf, "docx_vorlage", None)
    pdf_pfad = getattr(konf, "pdf_stil", None)
    return Vorlagen(docx=Path(docx_pfad) if docx_pfad else None, pdf=Path(pdf_pfad) if pdf_pfad else None)


def _pruefe_vorlage(pfad: Path | None, was: str) -> None:
    if pfad is not None and not pfad.is_file():
        raise EingabeFehler(f"Die {was} {pfad} aus der Konfiguration (dokumente) gibt es nicht. Bitte den Pfad "
                            "korrigieren oder den Eintrag entfernen (dann gilt die mitgelieferte Vorlage).")


# --------------------------------------------------------------------------------------- Spaltenbreiten
_WORT = re.compile(r"[^\s/\-–]+[/\-–]?")  # Umbruch nur an Leerraum und nach Binde-/Schrägstrich


def woerter(text: str) -> list[str]:
    """Die Stücke, zwischen denen eine Zeile umbrechen darf (Leerraum, nach „-“, „–“ und „/“)."""
    return _WORT.findall(text)


def spaltenbreiten(kopf: Sequence[str], zeilen: Sequence[Sequence[str]], verfuegbar: float,
                   messen: Callable[[str, bool], float], polster: float) -> list[float] | None:
    """Spaltenbreiten aus dem Inhalt (Einheit wie `verfuegbar`): jede Spalte mindestens so breit wie ihr längstes
    Wort (+ `polster`), der Rest nach dem Bedarf der längeren Texte. None, wenn schon die längsten Wörter nicht
    nebeneinander passen (dann kleiner setzen)."""
    n = len(kopf)
    kleinst = [0.0] * n
    ganz = [0.0] * n
    for zeile, fett in [(list(kopf), True), *[(list(z), False) for z in zeilen]]:
        for i, text in enumerate(zeile[:n]):
            for stueck in text.split("\n"):
                kleinst[i] = max(kleinst[i], *(messen(w, fett) for w in woerter(stueck) or [""]))
                ganz[i] = max(ganz[i], messen(stueck, fett))
    kleinst = [k + polster for k in kleinst]
    ganz = [max(g + polster, k) for g, k in zip(ganz, kleinst, strict=True)]
    if sum(kleinst) > verfuegbar:
        return None
    if sum(ganz) <= verfuegbar:  # alles passt einzeilig: Rest gleichmäßig nach Bedarf verteilen
        return [g * verfuegbar / sum(ganz) for g in ganz]
    rest = verfuegbar - sum(kleinst)
    mehr = [g - k for g, k in zip(ganz, kleinst, strict=True)]
    return [k + rest * m / sum(mehr) for k, m in zip(kleinst, mehr, strict=True)]


def _helvetica(groesse: float) -> Callable[[str, bool], float]:
    """Textbreite in Punkt mit den Metriken von Helvetica/Arial (reportlab bringt sie mit), 4 % Reserve für
    metrisch gleiche Ersatzschriften (Liberation Sans in LibreOffice)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def messen(text: str, fett: bool) -> float:
        return 1.04 * stringWidth(text, "Helvetica-Bold" if fett else "Helvetica", groesse)

    return messen


# ---------------------------------------------------------------------------------------------- DOCX
_SCHRIFT = "Arial"


def als_docx(dok: Dokument) -> bytes:
    """Das Dokument als DOCX: A4, Formatvorlagen (Titel, Überschriften, Tabellen), Kopf- und Fußzeile mit
    „Seite N von M“, Inhaltsverzeichnis als TOC-Feld, Spaltenbreiten aus dem Inhalt, Bilder mit Alternativtext."""
    import docx
    from docx.enum.text import WD_BREAK

    _pruefe_vorlage(dok.vorlagen.docx, "DOCX-Vorlage")
    d = docx.Document(str(dok.vorlagen.docx)) if dok.vorlagen.docx else docx.Document()
    eigene = dok.vorlagen.docx is not None
    if eigene:  # Inhalt der Vorlage (Beispieltext) weg, Formatvorlagen, Seiten, Kopf und Fuß bleiben
        koerper = d.element.body
        for kind in list(koerper):
            if not kind.tag.endswith("}sectPr"):
                koerper.remove(kind)
    else:
        _docx_formatvorlagen(d)
    d.core_properties.title = rein(dok.titel)
    d.core_properties.author = rein(dok.autor)
    d.core_properties.language = "de-DE"
    _docx_einstellungen(d)
    _docx_kopf_fuss(d, rein(dok.titel), eigene)
    # Formatvorlagen einmal nachschlagen und als ID setzen (`_absatz`): python-docx sucht eine per Name oder
    # Objekt gegebene bei jedem Absatz erneut unter allen Vorlagen (≈ 1–2 ms je Absatz).
    vorlagen: dict[str, object] = {}

    def vorlage(name: str, ersatz: str = "Normal") -> object:
        if name not in vorlagen:
            try:
                vorlagen[name] = d.styles[name]
            except KeyError:
                vorlagen[name] = d.styles[ersatz]
        return vorlagen[name]

    titel = _absatz(d, rein(dok.titel), vorlage("Title"))
    if not dok.titelseite:
        from docx.shared import Pt

        titel.paragraph_format.space_before = Pt(0)
    if dok.untertitel:
        _absatz(d, rein(dok.untertitel), vorlage("Subtitle"))
    satzbreite = d.sections[0].page_width - d.sections[0].left_margin - d.sections[0].right_margin
    ueberschriften = [b for b in dok.bausteine if isinstance(b, Ueberschrift)]
    for b in dok.bausteine:
        if isinstance(b, Ueberschrift):
            _absatz(d, rein(b.text), vorlage(f"Heading {min(max(b.ebene, 1), 3)}"))
        elif isinstance(b, Absatz):
            p = _absatz(d, "", vorlage("Kleiner Text") if b.klein else None)
            p.add_run(rein(b.text)).bold = b.fett
        elif isinstance(b, Liste):
            for punkt in b.punkte:
                _absatz(d, rein(punkt), vorlage("List Bullet"))
        elif isinstance(b, Tabelle):
            _docx_tabelle(d, b, satzbreite, vorlage)
        elif isinstance(b, Bild):
            from docx.shared import Cm

            breite = min(Cm(b.breite_cm), satzbreite)
            d.add_picture(io.BytesIO(b.png), width=breite)
            d.inline_shapes[-1]._inline.docPr.set("descr", rein(b.beschreibung))
            _absatz(d, rein(b.beschreibung), vorlage("Caption"))
        elif isinstance(b, Seitenumbruch):
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(b, Inhaltsverzeichnis):
            _docx_verzeichnis(d, b, ueberschriften, vorlage)
    puffer = io.BytesIO()
    d.save(puffer)
    return puffer.getvalue()


def _absatz(d, text: str, stil):  # noqa: ANN001, ANN202
    """Neuer Absatz mit Formatvorlage (als ID gesetzt, ohne Suche); `stil` None = Standard."""
    p = d.add_paragraph(text)
    if stil is not None:
        p._p.style = stil.style_id
    return p


def _rpr_schrift(rpr, name: str) -> None:  # noqa: ANN001
    """Schrift fest setzen (ohne Designschrift: die ginge in Word sonst vor)."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _docx_formatvorlagen(d) -> None:  # noqa: ANN001
    """Die mitgelieferte Vorlage, in Code gebaut: A4 mit deutschen Rändern, Arial, Überschriften 16/13/11 pt,
    Tabellen- und Kleintext, Sprache Deutsch (Rechtschreibprüfung, Silbentrennung)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    for s in d.sections:
        s.page_width, s.page_height = Cm(21.0), Cm(29.7)
        s.left_margin, s.right_margin = Cm(2.5), Cm(2.0)
        s.top_margin, s.bottom_margin = Cm(2.5), Cm(2.0)
        s.header_distance, s.footer_distance = Cm(1.2), Cm(1.0)
    # Voreinstellung für alle Läufe: Arial, Deutsch
    rpr_default = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _rpr_schrift(rpr_default, _SCHRIFT)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "de-DE")
    dunkel = RGBColor(0x1A, 0x1A, 0x1A)
    normal = d.styles["Normal"]
    normal.font.size = Pt(10.5)
    _rpr_schrift(normal.element.get_or_add_rPr(), _SCHRIFT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, groesse, vor, nach in (("Title", 24, 120, 12), ("Subtitle", 13, 0, 24), ("Heading 1", 16, 18, 6),
                                     ("Heading 2", 13, 12, 4), ("Heading 3", 11, 10, 4)):
        s = d.styles[name]
        s.font.size = Pt(groesse)
        s.font.bold = name != "Subtitle"
        s.font.italic = False
        s.font.color.rgb = dunkel
        _rpr_schrift(s.element.get_or_add_rPr(), _SCHRIFT)
        s.paragraph_format.space_before = Pt(vor)
        s.paragraph_format.space_after = Pt(nach)
        s.paragraph_format.keep_with_next = True
        ppr = s.element.get_or_add_pPr()  # Titel ohne Rahmenlinie der Standardvorlage
        for rand in ppr.findall(qn("w:pBdr")):
            ppr.remove(rand)
    for name, groesse, fett in (("Tabellentext", 9, False), ("Tabellenkopf", 9, True), ("Kleiner Text", 9, False)):
        s = d.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        if name.startswith("Tabelle"):  # Breiten sind so gewählt, dass jedes Wort passt: nicht trennen
            s.element.get_or_add_pPr().append(OxmlElement("w:suppressAutoHyphens"))  # vor w:spacing (Schema)
        s.font.size = Pt(groesse)
        s.font.bold = fett
        s.paragraph_format.space_after = Pt(0 if name != "Kleiner Text" else 6)
        s.paragraph_format.line_spacing = 1.0
    for ebene in (1, 2):
        s = d.styles.add_style(f"TOC {ebene}", WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        s.paragraph_format.left_indent = Cm(0.6 * (ebene - 1))
        s.paragraph_format.space_after = Pt(2)
        s.font.bold = ebene == 1
    cap = d.styles["Caption"]
    cap.font.size, cap.font.bold, cap.font.italic = Pt(9), False, True
    cap.font.color.rgb = RGBColor(0x40, 0x40, 0x40)


# Elemente, die in w:settings nach w:autoHyphenation bzw. w:updateFields stehen (ECMA-376, CT_Settings)
_NACH_SILBENTRENNUNG = (
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope", "w:summaryLength",
    "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders", "w:bookFoldRevPrinting",
    "w:bookFoldPrinting", "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery", "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin", "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData", "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
    "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent", "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt",
    "w:showXMLTags", "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
_NACH_FELDAKTUALISIERUNG = _NACH_SILBENTRENNUNG[_NACH_SILBENTRENNUNG.index("w:updateFields") + 1:]


def _docx_einstellungen(d) -> None:  # noqa: ANN001
    """Silbentrennung an, Felder (Inhaltsverzeichnis, Seitenzahlen) beim Öffnen aktualisieren, Sprache Deutsch."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    einst = d.settings.element
    # an ihrer Stelle in der Reihenfolge des Schemas (Word lehnt Einstellungen an falscher Stelle ab)
    for name, vor in (("w:autoHyphenation", _NACH_SILBENTRENNUNG), ("w:updateFields", _NACH_FELDAKTUALISIERUNG)):
        if einst.find(qn(name)) is not None:
            continue
        e = OxmlElement(name)
        e.set(qn("w:val"), "true")
        nachfolger = next((k for k in einst if k.tag in {qn(n) for n in vor}), None)
        if nachfolger is None:
            einst.append(e)
        else:
            nachfolger.addprevious(e)
    sprache = einst.find(qn("w:themeFontLang"))
    if sprache is not None:
        sprache.set(qn("w:val"), "de-DE")


def _feld(absatz, anweisung: str, anzeige: str) -> None:  # noqa: ANN001
    """Ein Feld (PAGE, NUMPAGES …) als Lauffolge begin – instrText – separate – Ergebnis – end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def lauf(kind) -> None:  # noqa: ANN001
        r = OxmlElement("w:r")
        r.append(kind)
        absatz._p.append(r)

    def zeichen(art: str):  # noqa: ANN202
        f = OxmlElement("w:fldChar")
        f.set(qn("w:fldCharType"), art)
        return f

    lauf(zeichen("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {anweisung} "
    lauf(instr)
    lauf(zeichen("separate"))
    absatz.add_run(anzeige)
    lauf(zeichen("end"))


def _docx_kopf_fuss(d, titel: str, eigene: bool) -> None:  # noqa: ANN001
    """Kopfzeile: Titel rechts; Fußzeile: „Seite N von M“ mittig (PAGE/NUMPAGES-Felder). Eine eigene Vorlage
    behält ihren Kopf; die Seitenzahl kommt dazu, wenn ihr Fuß keine hat."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    s = d.sections[0]
    if not eigene or not "".join(p.text for p in s.header.paragraphs).strip():
        kopf = s.header.paragraphs[0]
        kopf.text = titel
        kopf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for r in kopf.runs:
            r.font.size = Pt(8.5)
    fuss_xml = "".join(p._p.xml for p in s.footer.paragraphs)
    if eigene and "PAGE" in fuss_xml:
        return
    fuss = s.footer.paragraphs[0] if not eigene else s.footer.add_paragraph()
    fuss.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fuss.add_run("Seite ")
    _feld(fuss, "PAGE", "1")
    fuss.add_run(" von ")
    _feld(fuss, "NUMPAGES", "1")
    for r in fuss.runs:
        r.font.size = Pt(8.5)


def _docx_verzeichnis(d, b: Inhaltsverzeichnis, ueberschriften: list[Ueberschrift], vorlage) -> None:  # noqa: ANN001
    """TOC-Feld über Überschrift 1–3; als vorläufiges Ergebnis die Überschriften 1–2 ohne Seitenzahlen (Word
    aktualisiert beim Öffnen, LibreOffice über Extras › Aktualisieren)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d.add_paragraph().add_run(rein(b.titel)).bold = True
    eintraege = [u for u in ueberschriften if u.ebene <= 2] or [Ueberschrift("(keine Überschriften)")]
    absaetze = [_absatz(d, "", vorlage(f"TOC {min(u.ebene, 2)}")) for u in eintraege]
    erster, letzter = absaetze[0], absaetze[-1]

    def zeichen(absatz, art: str) -> None:  # noqa: ANN001
        r = OxmlElement("w:r")
        f = OxmlElement("w:fldChar")
        f.set(qn("w:fldCharType"), art)
        r.append(f)
        absatz._p.append(r)

    zeichen(erster, "begin")
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    r.append(instr)
    erster._p.append(r)
    zeichen(erster, "separate")
    for absatz, u in zip(absaetze, eintraege, strict=True):
        absatz.add_run(rein(u.text))
    zeichen(letzter, "end")


def _docx_tabelle(d, b: Tabelle, satzbreite: int, vorlage) -> None:  # noqa: ANN001
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Emu, Pt

    n = len(b.kopf)
    kopf = [rein(k) for k in b.kopf]
    zeilen = [[rein(w) for w in z] for z in b.zeilen]
    punkt = 12700  # EMU je Punkt
    breiten, groesse = None, 9.0
    for groesse in (9.0, 8.0, 7.0):  # notfalls kleiner setzen, damit jedes Wort in seine Spalte passt
        breiten = spaltenbreiten(kopf, zeilen, satzbreite / punkt, _helvetica(groesse), polster=2 * 5.4 + 1)
        if breiten:
            break
    if breiten is None:  # auch in 7 pt zu breit: gleichmäßig, Word trennt dann
        breiten = [satzbreite / punkt / n] * n
    # alle Zeilen auf einmal anlegen und die Zellen einmal holen (add_row/rows[i].cells sind je Aufruf teuer)
    t = d.add_table(rows=1 + len(zeilen), cols=n)
    t.style = vorlage("Table Grid")
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False  # w:tblLayout fixed: Word und LibreOffice übernehmen die Breiten, statt neu zu rechnen
    trpr = t.rows[0]._tr.get_or_add_trPr()  # Kopfzeile wiederholt sich auf jeder Seite (und gilt als Kopf)
    for name in ("w:cantSplit", "w:tblHeader"):
        e = OxmlElement(name)
        e.set(qn("w:val"), "true")
        trpr.append(e)
    emu = [Emu(int(w * punkt)) for w in breiten]
    for spalte, w in zip(t.columns, emu, strict=True):
        spalte.width = w
    zellen = t._cells
    # Formatvorlage als ID direkt ins XML (python-docx sucht eine als Objekt gegebene bei jedem Absatz erneut
    # unter allen Vorlagen: ≈ 1 ms je Zelle)
    text_stil, kopf_stil = vorlage("Tabellentext").style_id, vorlage("Tabellenkopf").style_id
    for i, zelle in enumerate(zellen):
        zelle.width = emu[i % n]
    for zelle, text in zip(zellen[:n], kopf, strict=True):
        p = zelle.paragraphs[0]
        p._p.style = kopf_stil
        p.add_run(text).bold = True
        schatten = OxmlElement("w:shd")
        schatten.set(qn("w:val"), "clear")
        schatten.set(qn("w:color"), "auto")
        schatten.set(qn("w:fill"), "E8E8E8")
        zelle._tc.get_or_add_tcPr().append(schatten)
    for i, zeile in enumerate(zeilen, start=1):
        for zelle, wert in zip(zellen[i * n:(i + 1) * n], zeile, strict=True):
            p = zelle.paragraphs[0]
            p._p.style = text_stil
            p.add_run(wert)
    if groesse < 9.0:
        for zelle in zellen:
            for r in zelle.paragraphs[0].runs:
                r.font.size = Pt(groesse)
    _absatz(d, "", vorlage("Kleiner Text"))  # Abstand nach der Tabelle


# ----------------------------------------------------------------------------------------------- PDF
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_SATZBREITE_PT = (21.0 - 4.5) / 2.54 * 72  # A4 abzüglich der Ränder des mitgelieferten Layouts (2,5 + 2 cm)
_STADT_LEER = "#let stil(body) = body\n"
_BEILAGEN = {".png", ".jpg", ".jpeg", ".svg", ".ttf", ".otf"}


def _dejavu(groesse: float) -> Callable[[str, bool], float]:
    """Textbreite in Punkt in DejaVu Sans (Schrift des PDFs); ohne die Schriftdatei Helvetica-Maße + 15 %."""
    normal, fett = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if not (normal.exists() and fett.exists()):
        breite = _helvetica(groesse)
        return lambda text, ist_fett: 1.15 * breite(text, ist_fett)
    from PIL import ImageFont

    # in 10-facher Größe messen (ganzzahlige Pixel) und zurückrechnen
    schnitte = {False: ImageFont.truetype(str(normal), 100), True: ImageFont.truetype(str(fett), 100)}
    return lambda text, ist_fett: schnitte[ist_fett].getlength(text) * groesse / 100 * 1.02


def _pdf_tabelle(b: Tabelle) -> dict:
    kopf = [rein(k) for k in b.kopf]
    zeilen = [[rein(w) for w in z] for z in b.zeilen]
    for schrift in (8.0, 7.5, 7.0):  # notfalls kleiner setzen, damit jedes Wort in seine Spalte passt
        breiten = spaltenbreiten(kopf, zeilen, _SATZBREITE_PT, _dejavu(schrift), polster=2 * 3 + 1.5)
        if breiten:
            return {"art": "tabelle", "kopf": kopf, "zeilen": zeilen, "breiten": breiten, "schrift": schrift,
                    "trennen": False}
    # passt auch in 7 pt nicht: gleich breite Spalten, dann trennt die deutsche Silbentrennung
    return {"art": "tabelle", "kopf": kopf, "zeilen": zeilen, "breiten": [1.0] * len(kopf), "schrift": 7.0,
            "trennen": True}


def pdf_daten(dok: Dokument) -> tuple[dict, list[bytes]]:
    """Das Dokument als Daten für das Typst-Layout (nur Zeichenketten, Zahlen, Wahrheitswerte) und die Bilder."""
    bilder: list[bytes] = []
    bausteine: list[dict] = []
    vorige = 0  # PDF/UA: Überschriften beginnen mit Ebene 1 und überspringen keine Ebene
    for b in dok.bausteine:
        if isinstance(b, Ueberschrift):
            vorige = min(max(b.ebene, 1), 3, vorige + 1)
            bausteine.append({"art": "ueberschrift", "text": rein(b.text), "ebene": vorige})
        elif isinstance(b, Absatz):
            bausteine.append({"art": "absatz", "text": rein(b.text), "fett": b.fett, "klein": b.klein})
        elif isinstance(b, Liste):
            bausteine.append({"art": "liste", "punkte": [rein(x) for x in b.punkte]})
        elif isinstance(b, Tabelle):
            bausteine.append(_pdf_tabelle(b))
        elif isinstance(b, Bild):
            bausteine.append({"art": "bild", "datei": f"bild-{len(bilder)}.png", "alt": rein(b.beschreibung),
                              "breite_cm": min(b.breite_cm, 16.5)})
            bilder.append(b.png)
        elif isinstance(b, Seitenumbruch):
            bausteine.append({"art": "umbruch"})
        elif isinstance(b, Inhaltsverzeichnis):
            bausteine.append({"art": "verzeichnis", "titel": rein(b.titel)})
    daten = {"titel": rein(dok.titel), "untertitel": rein(dok.untertitel), "autor": [rein(dok.autor)] if dok.autor
             else [], "titelseite": dok.titelseite, "bausteine": bausteine}
    return daten, bilder


def _typst():  # noqa: ANN202
    try:
        import typst
    except ImportError as exc:  # Rad für diese Plattform fehlt oder Installation unvollständig
        raise PdfFehler("PDF-Export nicht möglich: Der Satz für PDF (Python-Paket „typst“) ist nicht installiert. "
                        "Bitte `pip install -e .` im Projektordner ausführen oder den Bericht als .docx "
                        "speichern.") from exc
    return typst


def als_pdf(dok: Dokument) -> bytes:
    """Das Dokument als barrierefreies PDF (PDF/UA-1, Typst): Tags, /Lang de-DE, Titel, Lesezeichen aus den
    Überschriften, eingebettete Schriften, Alternativtexte, Tabellenköpfe, „Seite N von M“.

    Der Text geht als JSON-Daten in ein festes Layout (`berichte/vorlagen/dokument.typ`) und wird dort nur als
    Zeichenkette gesetzt, nie als Markup ausgewertet."""
    import json
    import shutil
    import tempfile

    _pruefe_vorlage(dok.vorlagen.pdf, "PDF-Stilvorlage")
    typst = _typst()
    daten, bilder = pdf_daten(dok)
    layout = resources.files("berichte").joinpath("vorlagen/dokument.typ").read_text("utf-8")
    stadt = dok.vorlagen.pdf.read_text("utf-8") if dok.vorlagen.pdf else _STADT_LEER
    with tempfile.TemporaryDirectory(prefix="rk-pdf-") as ordner:
        wurzel = Path(ordner)
        (wurzel / "dokument.typ").write_text(layout, encoding="utf-8")
        (wurzel / "stadt.typ").write_text(stadt, encoding="utf-8")
        (wurzel / "daten.json").write_text(json.dumps(daten, ensure_ascii=False), encoding="utf-8")
        for i, png in enumerate(bilder):
            (wurzel / f"bild-{i}.png").write_bytes(png)
        schriften = [str(p) for p in (_DEJAVU,) if p.is_dir()]
        if dok.vorlagen.pdf:  # Logo und Schriften neben der Stildatei der Kommune (Typst liest nur unter `root`)
            beilagen = wurzel / "stadt"
            beilagen.mkdir()
            for datei in dok.vorlagen.pdf.parent.iterdir():
                if datei.is_file() and datei.suffix.lower() in _BEILAGEN:
                    shutil.copy(datei, beilagen / datei.name)
            schriften.append(str(beilagen))
        try:
            return typst.compile(str(wurzel / "dokument.typ"), root=ordner, font_paths=schriften,
                                 pdf_standards="ua-1")
        except typst.TypstError as exc:
            raise PdfFehler(f"PDF ließ sich nicht setzen: {exc.message}. Wenn eine eigene Stilvorlage "
                            "(dokumente.pdf_stil) eingetragen ist, bitte sie prüfen; sonst den Bericht als .docx "
                            "speichern und den Fehler melden.") from exc


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
