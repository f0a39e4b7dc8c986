"""Excel-Arbeitsmappe aus Tabellen: fixierte Kopfzeile, Autofilter, €- und Datumsformat, entschärfte Formeln."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from daten.export_tabellen import GELD

# OWASP „CSV Injection“: Zellen, die so beginnen, würden Tabellenprogramme als Formel lesen.
FORMEL_ANFANG = ("=", "+", "-", "@", "\t", "\r")
# Steuerzeichen, die XML (und damit XLSX) nicht speichern kann; sie werden zu „�“ statt die Datei zu verderben
_NICHT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EURO = '#,##0.00 "€"'
DATUM = "DD.MM.YYYY"
_BLATT_VERBOTEN = re.compile(r"[\[\]:*?/\\]")


def sicherer_text(text: str, *, praefix: bool = True) -> str:
    """Text, der mit = + - @ Tab oder CR beginnt, bekommt ein vorangestelltes ' (wird nie als Formel gelesen)."""
    return "'" + text if praefix and text.startswith(FORMEL_ANFANG) else text


def _zelle(wert: Any) -> Any:
    if wert is None or wert is pd.NA or (isinstance(wert, float) and math.isnan(wert)):
        return None
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, str):
        return sicherer_text(_NICHT_XML.sub("\ufffd", wert))
    if isinstance(wert, pd.Timestamp):
        return wert.to_pydatetime()
    if hasattr(wert, "item"):  # numpy-Zahlen
        return wert.item()
    if isinstance(wert, date | datetime | int | float):
        return wert
    return sicherer_text(_NICHT_XML.sub("\ufffd", str(wert)))


def _blattname(name: str, vergeben: set[str]) -> str:
    basis = _BLATT_VERBOTEN.sub(" ", name)[:31] or "Tabelle"
    kandidat, i = basis, 2
    while kandidat in vergeben:
        kandidat = f"{basis[:28]} {i}"
        i += 1
    vergeben.add(kandidat)
    return kandidat


def schreibe_xlsx(ziel: IO[bytes], blaetter: dict[str, pd.DataFrame]) -> None:
    """Je Tabelle ein Blatt: Kopfzeile fett und fixiert, Autofilter, Geldspalten in €, Datum TT.MM.JJJJ."""
    wb = Workbook()
    wb.remove(wb.active)
    vergeben: set[str] = set()
    for name, df in blaetter.items():
        ws = wb.create_sheet(title=_blattname(name, vergeben))
        ws.append([str(c) for c in df.columns])
        for zelle in ws[1]:
            zelle.font = Font(bold=True)
        breiten = [len(str(c)) for c in df.columns]
        for zeile in df.itertuples(index=False, name=None):
            werte = [_zelle(v) for v in zeile]
            ws.append(werte)
            breiten = [max(b, len(str(v)) if v is not None else 0) for b, v in zip(breiten, werte, strict=True)]
        for i, spalte in enumerate(df.columns, start=1):
            buchstabe = get_column_letter(i)
            ws.column_dimensions[buchstabe].width = max(8, min(60, breiten[i - 1] + 2))
            format_ = EURO if spalte in GELD else None
            for (zelle,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(zelle.value, str):
                    zelle.data_type = "s"  # nie als Formel speichern
                elif format_ and isinstance(zelle.value, int | float):
                    zelle.number_format = format_
                elif isinstance(zelle.value, date | datetime):
                    zelle.number_format = DATUM
        ws.freeze_panes = "A2"
        if ws.max_row >= 1 and ws.max_column >= 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    if not wb.sheetnames:
        wb.create_sheet("Leer")
    wb.save(ziel)
