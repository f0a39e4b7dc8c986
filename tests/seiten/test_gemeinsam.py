"""Maskierung für Markdown-Stellen (Titel, Überschriften, Bildunterschriften)."""

import re

import pytest

from seiten.gemeinsam import md, zahl


@pytest.mark.parametrize("text", [
    "![t](http://x/track.png)", "[Link](javascript:alert(1))", "**fett** _kursiv_ `code`", "# Überschrift",
    "- Liste", "1. eins", "> Zitat", ":red[rot] :smile:", "$x^2$", "<b>fett</b>", "&lt;b&gt;", "~~durch~~",
    "a | b", "{{7*7}}", "\\*kein Stern",
])
def test_md_maskiert_jedes_sonderzeichen(text):
    aus = md(text)
    assert re.sub(r"\\(.)", r"\1", aus) == text  # nach dem Auflösen der Maskierung steht der Text wörtlich da
    assert not re.search(r"(?<!\\)[!\[\]()<>*_`#|~$:&\-]", aus.replace("\\\\", "")), aus  # nichts unmaskiert


def test_md_steuerzeichen_und_umbrueche_werden_leerzeichen():
    assert md("Zeile 1\nZeile 2\r\n\u2028x\x1b[31m") == "Zeile 1 Zeile 2 x \\[31m"
    assert md(None) == ""


def test_zahl_deutsch():
    assert zahl(1234567.891, 1) == "1.234.567,9"
    assert zahl(float("nan")) == "–" and zahl(None) == "–"
