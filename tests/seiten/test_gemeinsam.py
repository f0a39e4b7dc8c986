"""Maskierung für Markdown-Stellen (Titel, Überschriften, Bildunterschriften); deutsche Zahlen, Beträge, Daten."""

import re
from datetime import date, datetime

import pandas as pd
import pytest

from seiten.gemeinsam import WORTVERBINDER, daten_deutsch, datum, euro, md, zahl


@pytest.mark.parametrize("text", [
    "![t](http://x/track.png)", "[Link](javascript:alert(1))", "**fett** _kursiv_ `code`", "# Überschrift",
    "- Liste", "1. eins", "> Zitat", ":red[rot] :smile:", "$x^2$", "<b>fett</b>", "&lt;b&gt;", "~~durch~~",
    "a | b", "{{7*7}}", "\\*kein Stern",
])
def test_md_maskiert_jedes_sonderzeichen(text):
    aus = md(text)
    # nach dem Auflösen der Maskierung steht der Text wörtlich da (der Wortverbinder ist unsichtbar)
    assert re.sub(r"\\(.)", r"\1", aus).replace(WORTVERBINDER, "") == text
    assert not re.search(r"(?<!\\)[!\[\]()<>*_`#|~$:&\-]", aus.replace("\\\\", "")), aus  # nichts unmaskiert


def test_md_steuerzeichen_und_umbrueche_werden_leerzeichen():
    assert md("Zeile 1\nZeile 2\r\n\u2028x\x1b[31m") == "Zeile 1 Zeile 2 x \\[31m"
    assert md(None) == ""


def test_zahl_deutsch():
    assert zahl(1234567.891, 1) == "1.234.567,9"
    assert zahl(float("nan")) == "–" and zahl(None) == "–"


@pytest.mark.parametrize(("betrag", "text"), [
    (0, "0,00\u00a0€"), (0.0, "0,00\u00a0€"), (-0.001, "0,00\u00a0€"),  # nie „-0,00“ und nie „0.00“
    (1234.5, "1.234,50\u00a0€"), (-1234.5, "-1.234,50\u00a0€"), (0.005, "0,01\u00a0€"),
    (1_000_000, "1.000.000,00\u00a0€"), (999.999, "1.000,00\u00a0€"),
])
def test_euro_deutsch(betrag, text):
    assert euro(betrag) == text


def test_euro_fehlend_und_ohne_cent():
    assert euro(None) == "–" and euro(float("nan")) == "–"
    assert euro(1234.6, stellen=0) == "1.235\u00a0€"


@pytest.mark.parametrize(("wert", "text"), [
    (date(2026, 12, 6), "06.12.2026"), (datetime(2026, 1, 2, 13, 5), "02.01.2026"),
    (pd.Timestamp("2025-03-31"), "31.03.2025"), ("2024-02-29", "29.02.2024"), ("2024-02-29T10:00:00", "29.02.2024"),
    (None, "–"), (pd.NaT, "–"), (float("nan"), "–"), ("kein Datum", "kein Datum"), ("2024-13-45", "2024-13-45"),
])
def test_datum_deutsch(wert, text):
    assert datum(wert) == text


def test_daten_deutsch_wandelt_nur_genannte_spalten():
    df = pd.DataFrame({"datum": [date(2026, 5, 1), None], "text": ["2026-05-01", "x"]})
    aus = daten_deutsch(df, ["datum", "fehlt"])
    assert list(aus["datum"]) == ["01.05.2026", "–"] and list(aus["text"]) == ["2026-05-01", "x"]
    assert list(df["datum"]) == [date(2026, 5, 1), None]  # das Original bleibt
