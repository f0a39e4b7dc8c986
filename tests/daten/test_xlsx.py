"""Der eine Tabellenschreiber (daten/xlsx.py), geöffnet mit openpyxl und pandas wie ein Tabellenprogramm sie liest."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

import openpyxl
import pandas as pd
import pytest

from daten.xlsx import EURO, GANZZAHL, JAHR, Blatt, csv_bytes, schreibe_xlsx, zahlenformat


def _mappe(blaetter, **kw):  # noqa: ANN001, ANN003, ANN202
    puffer = io.BytesIO()
    schreibe_xlsx(puffer, blaetter, **kw)
    return openpyxl.load_workbook(io.BytesIO(puffer.getvalue()))


@pytest.fixture(scope="module")
def mappe():
    df = pd.DataFrame({
        "Name": ["=1+1", "+49 6131 123", "-Minus", "@SUMME(A1)", "Normal"],
        "Jahr": [2025, 2025, 2024, 2024, 2023],
        "Einwohner (Personen)": [30897, 1200, 0, 5, 70000],
        "Anteil (%)": [23.456789, 1.0, 0.05, 99.95, None],
        "Betrag (€)": [1500.0, 0.5, 0.0, 12.345, 99.0],
        "Datum": [date(2025, 3, 18)] * 5,
        "Beginn": [time(14, 0), time(9, 30), None, time(0, 0), time(23, 59)],
        "Versendet am": [datetime(2025, 7, 1, 10, 0, tzinfo=UTC)] * 5,
        "Im Gremium": [True, False, True, False, True],
    })
    erkl = pd.DataFrame([("Quelle", "Test"), ("Einheit", "%")], columns=["Stichwort", "Erläuterung"])
    return _mappe({"Tabelle": Blatt(df, {"Anteil (%)": zahlenformat(1)})}, erlaeuterungen=erkl, titel="A & B")


def _spalte(ws, kopf: str) -> list:  # noqa: ANN001
    i = [c.value for c in ws[1]].index(kopf)
    return [z[i] for z in ws.iter_rows(min_row=2)]


def test_text_mit_formelzeichen_bleibt_text_ohne_hochkomma(mappe):
    ws = mappe["Tabelle"]
    namen = _spalte(ws, "Name")
    assert [z.value for z in namen] == ["=1+1", "+49 6131 123", "-Minus", "@SUMME(A1)", "Normal"]
    assert all(z.data_type == "s" for z in namen)  # Zeichenkette, keine Formel
    assert not any(str(z.value).startswith("'") for z in namen)


def test_zahlen_als_zahlen_mit_deutschem_format(mappe):
    ws = mappe["Tabelle"]
    ew = _spalte(ws, "Einwohner (Personen)")
    assert [z.value for z in ew] == [30897, 1200, 0, 5, 70000]
    assert all(isinstance(z.value, int) and z.number_format == GANZZAHL for z in ew)
    anteil = _spalte(ws, "Anteil (%)")
    assert anteil[0].value == pytest.approx(23.456789) and anteil[0].number_format == "#,##0.0"
    assert anteil[4].value is None  # fehlend = leer, nicht „nan“
    geld = _spalte(ws, "Betrag (€)")
    assert all(z.number_format == EURO and isinstance(z.value, int | float) for z in geld)
    assert [z.value for z in geld][:2] == [1500, 0.5]
    jahr = _spalte(ws, "Jahr")
    assert jahr[0].value == 2025 and jahr[0].number_format == JAHR  # 2025, nicht 2.025


def test_datum_uhrzeit_zeitpunkt_sind_excel_werte(mappe):
    ws = mappe["Tabelle"]
    d = _spalte(ws, "Datum")[0]
    assert d.is_date and d.number_format == "DD.MM.YYYY"
    b = _spalte(ws, "Beginn")
    assert b[0].value == time(14, 0) and b[0].number_format == "HH:MM"
    assert b[2].value is None
    v = _spalte(ws, "Versendet am")[0]
    assert v.value == datetime(2025, 7, 1, 12, 0)  # Ortszeit Europe/Berlin (Sommerzeit), ohne Zone
    assert v.number_format == "DD.MM.YYYY HH:MM"
    assert [z.value for z in _spalte(ws, "Im Gremium")][:2] == ["ja", "nein"]


def test_kopf_filter_breiten_und_druck(mappe):
    ws = mappe["Tabelle"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I6"
    assert all(c.font.bold and c.alignment.wrap_text for c in ws[1])
    # jede Spalte mindestens so breit wie das längste Wort ihres Kopfs (kein Umbruch mitten im Wort)
    for c in ws[1]:
        breite = ws.column_dimensions[c.column_letter].width
        assert breite >= max(len(w) for w in c.value.split()), c.value
    assert ws.column_dimensions["A"].width < 50
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.oddHeader.left.text == "A && B"  # & ist in Kopfzeilen ein Steuerzeichen


def test_erlaeuterungen_als_letztes_blatt(mappe):
    assert mappe.sheetnames == ["Tabelle", "Erläuterungen"]
    ws = mappe["Erläuterungen"]
    assert [c.value for c in ws[1]] == ["Stichwort", "Erläuterung"]
    assert ws["A2"].value == "Quelle" and ws["B2"].value == "Test"


def test_ohne_erlaeuterungen_kein_leeres_blatt():
    wb = _mappe({"A": pd.DataFrame({"x": [1]})})
    assert wb.sheetnames == ["A"]
    wb = _mappe({"A": pd.DataFrame({"x": [1]})}, erlaeuterungen=pd.DataFrame(columns=["Stichwort", "Erläuterung"]))
    assert wb.sheetnames == ["A"]


def test_csv_gleiche_koepfe_formeln_entschaerft_trennzeichen_erkennbar():
    df = pd.DataFrame({"Zielgruppe Kinder-, Jugend- und Kulturzentrum (Personen)": [1200, 30897],
                       "Name": ["=1+1", "Neustadt"], "Anteil (%)": [23.5, 1.25]})
    roh = csv_bytes(df)
    assert roh.startswith(b"\xef\xbb\xbf")
    text = roh.decode("utf-8-sig")
    # das Komma im Kopf führt Programme, die das Trennzeichen raten, nicht in die Irre
    assert csv.Sniffer().sniff(text.splitlines()[0]).delimiter == ";"
    gelesen = pd.read_csv(io.StringIO(text), sep=None, engine="python", decimal=",")
    assert list(gelesen.columns) == list(df.columns)
    assert gelesen["Name"].tolist() == ["'=1+1", "Neustadt"]  # CSV hat keinen Zelltyp: Hochkomma nötig
    assert gelesen["Anteil (%)"].tolist() == [23.5, 1.25]


def test_langer_text_bricht_um_statt_die_seite_zu_sprengen():
    lang = "Beratung; Elterncafé; Hausaufgabenhilfe; offene Sprechstunde; Ferienfreizeit; Sprachkurs"
    wb = _mappe({"A": pd.DataFrame({"Angebote": [lang, "kurz"], "Name": ["x", "y"]})})
    ws = wb["A"]
    assert ws.column_dimensions["A"].width == 40  # Höchstbreite
    assert ws["A2"].alignment.wrap_text and not ws["A3"].alignment.wrap_text
    assert ws.column_dimensions["B"].width == 8  # Mindestbreite
