"""Der eine Schreiber für Tabellen, die das Haus verlassen: Excel (XLSX) und CSV für deutsches Excel.

XLSX: deutsche Spaltenköpfe (kommen fertig vom Aufrufer), Zahlen als Zahlen mit deutschem Zahlenformat und
sinnvollen Nachkommastellen, Datum/Uhrzeit als echte Excel-Werte, fixierte Kopfzeile, Autofilter,
Spaltenbreiten nach Inhalt, Druck quer auf A4 in Seitenbreite mit wiederholter Kopfzeile und „Seite N von M“,
dazu ein Blatt „Erläuterungen“ (Quellen, Einheiten, Methode). Text, der mit = + - @ beginnt, steht als Text in
der Zelle (Zelltyp Zeichenkette, nie Formel) – ohne sichtbares Apostroph.
CSV: Trennzeichen `;`, Dezimalkomma, UTF-8 mit BOM, Datum TT.MM.JJJJ; hier bekommt Text, der mit einem
Formelzeichen beginnt, ein vorangestelltes ' (in CSV gibt es keinen Zelltyp, OWASP „CSV Injection“).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# OWASP „CSV Injection“: Zellen, die so beginnen, würden Tabellenprogramme als Formel lesen.
FORMEL_ANFANG = ("=", "+", "-", "@", "\t", "\r")
# Steuerzeichen, die XML (und damit XLSX) nicht speichern kann; sie werden zu „�“ statt die Datei zu verderben
_NICHT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EURO = '#,##0.00 "€"'
DATUM = "DD.MM.YYYY"
DATUM_ZEIT = "DD.MM.YYYY HH:MM"
UHRZEIT = "HH:MM"
GANZZAHL = "#,##0"
JAHR = "0"  # Jahreszahlen ohne Tausenderpunkt
ERLAEUTERUNGEN = "Erläuterungen"
ZEITZONE = ZoneInfo("Europe/Berlin")  # Zeitpunkte mit Zeitzone erscheinen in Ortszeit (Excel kennt keine Zonen)
_BLATT_VERBOTEN = re.compile(r"[\[\]:*?/\\]")
_BREITE_MIN, _BREITE_MAX = 8, 40  # längerer Text bricht in der Zelle um (Druck bleibt lesbar)


def zahlenformat(stellen: int) -> str:
    """Excel-Zahlenformat mit Tausenderpunkt und `stellen` Nachkommastellen (Excel zeigt es im deutschen
    Gebietsschema als 1.234,5)."""
    return GANZZAHL if stellen <= 0 else f"#,##0.{'0' * stellen}"


@dataclass(frozen=True)
class Blatt:
    """Eine Tabelle mit deutschen Spaltenköpfen; `formate`: Spaltenkopf → Excel-Zahlenformat (sonst nach Typ)."""

    tabelle: pd.DataFrame
    formate: Mapping[str, str] = field(default_factory=dict)


def sicherer_text(text: str, *, praefix: bool = True) -> str:
    """Für CSV: Text, der mit = + - @ Tab oder CR beginnt, bekommt ein vorangestelltes ' (nie als Formel gelesen)."""
    return "'" + text if praefix and text.startswith(FORMEL_ANFANG) else text


def _leer(wert: Any) -> bool:
    return wert is None or wert is pd.NA or wert is pd.NaT or (isinstance(wert, float) and math.isnan(wert))


def _zelle(wert: Any) -> Any:
    """Python-Wert für openpyxl: Zahlen, Datum, Uhrzeit bleiben, was sie sind; Text ohne XML-Steuerzeichen."""
    if _leer(wert):
        return None
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, str):
        return _NICHT_XML.sub("\ufffd", wert)
    if isinstance(wert, pd.Timestamp):
        wert = wert.to_pydatetime()
    if hasattr(wert, "item") and not isinstance(wert, date | time):  # numpy-Zahlen
        wert = wert.item()
    if isinstance(wert, datetime):
        return wert.astimezone(ZEITZONE).replace(tzinfo=None) if wert.tzinfo else wert
    if isinstance(wert, time):
        return wert.replace(tzinfo=None)
    if isinstance(wert, float) and math.isinf(wert):
        return None
    if isinstance(wert, date | int | float):
        return wert
    return _NICHT_XML.sub("\ufffd", str(wert))


def _format(wert: Any, vorgabe: str | None) -> str | None:
    if isinstance(wert, datetime):
        return DATUM_ZEIT
    if isinstance(wert, date):
        return DATUM
    if isinstance(wert, time):
        return UHRZEIT
    if isinstance(wert, bool) or not isinstance(wert, int | float):
        return None
    if vorgabe:
        return vorgabe
    return GANZZAHL if isinstance(wert, int) or float(wert).is_integer() else zahlenformat(2)


def _anzeigelaenge(wert: Any, fmt: str | None) -> int:
    if wert is None:
        return 0
    if isinstance(wert, datetime):
        return 16
    if isinstance(wert, date):
        return 10
    if isinstance(wert, time):
        return 5
    if isinstance(wert, int | float) and not isinstance(wert, bool):
        stellen = len(fmt.split(".")[1].split(" ")[0]) if fmt and "." in fmt else 0
        ganz = len(f"{abs(wert):,.0f}") + (1 if wert < 0 else 0)
        return ganz + (stellen + 1 if stellen else 0) + (2 if fmt == EURO else 0)
    return max((len(z) for z in str(wert).splitlines()), default=0)


def _blattname(name: str, vergeben: set[str]) -> str:
    basis = _BLATT_VERBOTEN.sub(" ", name)[:31].strip("' ") or "Tabelle"
    kandidat, i = basis, 2
    while kandidat in vergeben:
        kandidat = f"{basis[:28]} {i}"
        i += 1
    vergeben.add(kandidat)
    return kandidat


def _kopfzeile_text(text: str) -> str:
    return text.replace("&", "&&")  # & leitet in Kopf-/Fußzeilen Steuercodes ein


def _druck(ws: Worksheet, titel: str) -> None:
    """A4 quer, auf Seitenbreite verkleinert (Höhe frei), Kopfzeile auf jeder Seite, „Seite N von M“."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.left.text = _kopfzeile_text(titel)
    ws.oddHeader.right.text = _kopfzeile_text(ws.title)
    ws.oddFooter.center.text = "Seite &P von &N"
    ws.oddFooter.right.text = "&D"


def _tabellenblatt(ws: Worksheet, blatt: Blatt, titel: str) -> None:
    df = blatt.tabelle
    koepfe = [str(c) for c in df.columns]
    ws.append(koepfe)
    fett, kopf_fuellung = Font(bold=True), PatternFill("solid", fgColor="DDE3EA")
    for zelle in ws[1]:
        zelle.font = fett
        zelle.fill = kopf_fuellung
        zelle.alignment = Alignment(wrap_text=True, vertical="top")
    # Kopf umbrechen, aber nie mitten im Wort: die Spalte ist mindestens so breit wie ihr längstes Wort
    breiten = [max([len(w) for w in k.split()] or [0]) for k in koepfe]
    for r, zeile in enumerate(df.itertuples(index=False, name=None), start=2):
        for c, roh in enumerate(zeile, start=1):
            wert = _zelle(roh)
            if wert is None:
                continue
            zelle = ws.cell(row=r, column=c, value=wert)
            if isinstance(wert, str):
                zelle.data_type = "s"  # Zeichenkette, nie Formel – ohne vorangestelltes '
            else:
                fmt = _format(wert, blatt.formate.get(koepfe[c - 1]))
                if fmt:
                    zelle.number_format = fmt
            breiten[c - 1] = max(breiten[c - 1], _anzeigelaenge(wert, zelle.number_format))
    umbruch = Alignment(wrap_text=True, vertical="top")
    for i, b in enumerate(breiten, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(_BREITE_MIN, min(_BREITE_MAX, b + 2))
        if b + 2 > _BREITE_MAX:  # Zeilenhöhe bestimmt das Tabellenprogramm beim Öffnen
            for (zelle,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(zelle.value, str) and len(zelle.value) > _BREITE_MAX - 2:
                    zelle.alignment = umbruch
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(koepfe)))}{max(1, len(df) + 1)}"
    _druck(ws, titel)


def _erlaeuterungsblatt(ws: Worksheet, erlaeuterungen: pd.DataFrame, titel: str) -> None:
    ws.append([str(c) for c in erlaeuterungen.columns])
    for zelle in ws[1]:
        zelle.font = Font(bold=True)
    for zeile in erlaeuterungen.itertuples(index=False, name=None):
        ws.append([_zelle(v) for v in zeile])
    for spalte in ws.iter_cols(min_row=2):
        for zelle in spalte:
            if isinstance(zelle.value, str):
                zelle.data_type = "s"
            zelle.alignment = Alignment(wrap_text=True, vertical="top")
    for i, _ in enumerate(erlaeuterungen.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 34 if i < len(erlaeuterungen.columns) else 100
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(erlaeuterungen.columns))}{len(erlaeuterungen) + 1}"
    _druck(ws, titel)
    ws.print_options.gridLines = False


def schreibe_xlsx(ziel: IO[bytes], blaetter: Mapping[str, pd.DataFrame | Blatt], *,
                  erlaeuterungen: pd.DataFrame | None = None, titel: str = "") -> None:
    """Je Tabelle ein Blatt, dazu (wenn gegeben) das Blatt „Erläuterungen“ am Ende. `titel` steht in der
    Kopfzeile jeder gedruckten Seite. Spalten ohne Format in `Blatt.formate`: ganze Zahlen 1.234, andere Zahlen
    zwei Nachkommastellen, Spalten mit „(€)“ im Kopf als Euro."""
    wb = Workbook()
    wb.remove(wb.active)
    vergeben: set[str] = {ERLAEUTERUNGEN}
    for name, inhalt in blaetter.items():
        blatt = inhalt if isinstance(inhalt, Blatt) else Blatt(inhalt)
        vorgaben = {str(k): EURO for k in blatt.tabelle.columns if "(€)" in str(k)}
        vorgaben |= {str(k): JAHR for k in blatt.tabelle.columns if re.match(r"Jahr\b", str(k))}
        blatt = Blatt(blatt.tabelle, {**vorgaben, **blatt.formate})
        _tabellenblatt(wb.create_sheet(title=_blattname(name, vergeben)), blatt, titel)
    if not wb.sheetnames:
        _tabellenblatt(wb.create_sheet("Leer"), Blatt(pd.DataFrame({"Hinweis": ["keine Daten"]})), titel)
    if erlaeuterungen is not None and len(erlaeuterungen):
        _erlaeuterungsblatt(wb.create_sheet(ERLAEUTERUNGEN), erlaeuterungen, titel)
    wb.save(ziel)


# ------------------------------------------------------------------------------------------------------ CSV
def _csv_zelle(v: object) -> object:
    if isinstance(v, bool):
        return "ja" if v else "nein"
    if isinstance(v, str):
        return sicherer_text(v)
    if isinstance(v, datetime):
        return f"{(v.astimezone(ZEITZONE) if v.tzinfo else v):%d.%m.%Y %H:%M}"
    if isinstance(v, date):
        return f"{v:%d.%m.%Y}"
    if isinstance(v, time):
        return f"{v:%H:%M}"
    return v


def textartig(s: pd.Series) -> bool:
    """Objekt- oder Textspalte (pandas 3 liest Text als eigenen Typ `str`, nicht mehr als object)."""
    return s.dtype == object or isinstance(s.dtype, pd.StringDtype)


def csv_text(df: pd.DataFrame) -> str:
    """CSV für deutsches Excel: `;`, Dezimalkomma, ja/nein, Datum TT.MM.JJJJ, Formeln entschärft."""
    aus = df.copy()
    for spalte in aus.columns:
        if textartig(aus[spalte]) or pd.api.types.is_bool_dtype(aus[spalte]):
            aus[spalte] = aus[spalte].astype(object).map(_csv_zelle)
    # Kopf immer in Anführungszeichen: ein Komma im Kopf („Kinder-, Jugend- …“) lässt sonst Programme, die das
    # Trennzeichen aus der ersten Zeile raten (Python csv.Sniffer, pandas sep=None), auf „,“ tippen
    kopf = ";".join('"' + sicherer_text(str(c)).replace('"', '""') + '"' for c in aus.columns)
    return kopf + "\r\n" + aus.to_csv(index=False, header=False, sep=";", decimal=",", lineterminator="\r\n")


def csv_bytes(df: pd.DataFrame) -> bytes:
    """`csv_text` als UTF-8 mit BOM (deutsches Excel erkennt damit Umlaute)."""
    return csv_text(df).encode("utf-8-sig")
