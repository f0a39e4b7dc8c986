"""Datenschutzprüfung (R3): Genauigkeit auf den beschrifteten Schnipseln, Fundstellen und Fallen."""

import subprocess
import sys

import pytest

from befehle import main
from bench.datenschutz import kennzahlen, lade_beispiele
from daten.gremium.datenschutz import abschnitte, pruefe_text


@pytest.fixture(scope="module")
def beispiele():
    return lade_beispiele()


def test_beschriftete_schnipsel_genug_und_ausgewogen(beispiele):
    assert len(beispiele) >= 150
    mit = sum(b["personenbezug"] for b in beispiele)
    assert 0.4 < mit / len(beispiele) < 0.6
    assert {b["teil"] for b in beispiele} == {"entwicklung", "pruefung"}


@pytest.mark.parametrize("teil", ["entwicklung", "pruefung"])
def test_recall_und_precision_auf_beiden_teilen(beispiele, teil):
    k = kennzahlen([b for b in beispiele if b["teil"] == teil])
    assert k["recall"] >= 0.9 and k["precision"] >= 0.8, k


@pytest.mark.parametrize(("text", "art", "fund"), [
    ("Frau Dr. Weber, die Kinderärztin, hat Bedenken.", "name", "Frau Dr. Weber"),
    ("Familie Özdemir braucht Hilfe.", "name", "Familie Özdemir"),
    ("Leon K. fällt auf.", "name", "Leon K."),
    ("Mia, geb. 14.02.2017, braucht einen Platz.", "geburtsdatum", "14.02.2017"),
    ("Ahmad (14) kommt täglich.", "alter", "14"),
    ("Die Familie wohnt in der Goethestraße 7.", "adresse", "Goethestraße 7"),
    ("Rückruf unter 0176 23456789.", "telefon", "0176 23456789"),
    ("Mail an sabine.mueller@web.de", "email", "sabine.mueller@web.de"),
    ("Az. 51.01-2024/0815 läuft.", "aktenzeichen", "51.01-2024/0815"),
])
def test_fundstelle_und_art(text, art, fund):
    befunde = pruefe_text(text)
    assert any(b.art == art and b.text == fund and text[b.start:b.ende] == fund for b in befunde), befunde


@pytest.mark.parametrize("text", [
    "Die Städtische Kita Goethestraße bietet zusätzliche Krippenplätze an.",
    "Das Stadtteilbüro in der Rheinallee 32 ist dienstags geöffnet.",
    "Frau Bürgermeisterin eröffnet das Fest; Herr Dezernent ist entschuldigt.",
    "Nächste Sitzung am 12.03.2026 um 14:00 Uhr.",
    "Beschlussvorlage 0974/2015; Budget 12.500 €, davon 1.500 € Supervision; 85 Plätze.",
    "Die Kita Arche Noah und die Anne-Frank-Schule kooperieren.",
    "",
])
def test_fallen_ohne_befund(text):
    assert pruefe_text(text) == []


def test_abschnitte_zum_hervorheben_ergeben_den_text():
    text = "Bei Familie Kaya <b>in</b> der Hafenstraße 3."
    teile = abschnitte(text, pruefe_text(text))
    assert "".join(t for t, _ in teile) == text
    assert [a for _, a in teile if a] == ["name", "adresse"]


def test_cli_exit_1_mit_befund_0_ohne(tmp_path, capsys):
    mit = tmp_path / "mit.txt"
    mit.write_text("Zeile eins\nFrau Müller wohnt in der Goethestraße 5.", encoding="utf-8")
    with pytest.raises(SystemExit) as ende:
        main(["datenschutz", str(mit)])
    assert ende.value.code == 1
    aus = capsys.readouterr().out
    assert f"{mit}:2:1: Personenname" in aus and "»Goethestraße 5«" in aus
    ohne = tmp_path / "ohne.txt"
    ohne.write_text("Die Kita Sonnenblume hat 85 Plätze.", encoding="utf-8")
    assert main(["datenschutz", str(ohne)]) == 0
    assert main(["datenschutz", str(tmp_path / "fehlt.txt")]) == 1
    assert "nicht gefunden" in capsys.readouterr().err


def test_benchmark_skript_druckt_precision_und_recall():
    aus = subprocess.run([sys.executable, "bench/datenschutz.py"], capture_output=True, text=True, check=True).stdout
    assert "Precision" in aus and "pruefung" in aus and "entwicklung" in aus


@pytest.mark.parametrize(("text", "art"), [
    ("Bitte Rückmeldung an k.mustermann@example.org senden.", "email"),
    ("Rückruf erbeten unter 06131 123456.", "telefon"),
    ("Der Vorgang JA-2025-04711 wurde übergeben.", "aktenzeichen"),  # Aktenzeichen ohne Stichwort
    ("Das Kind ist geb. 03.05.2016 und besucht die Grundschule.", "geburtsdatum"),
    ("Nach dem Hausbesuch: sie ist in die Rheinallee 12 umgezogen.", "adresse"),
    ("Herr Yilmaz bittet um einen Termin.", "name"),
])
def test_jede_erkennung_allein(text, art):
    """Je Erkennung ein Text, den nur sie findet: fällt eine Erkennung aus, bleibt ihr Text ohne Befund."""
    assert {b.art for b in pruefe_text(text)} == {art}


def test_alter_nur_an_einem_namen_und_nur_durch_die_altersangabe():
    mit, ohne = pruefe_text("Jonas (11) kommt täglich."), pruefe_text("Jonas kommt täglich.")
    assert {b.art for b in mit} == {"name", "alter"} and {b.art for b in ohne} == {"name"}
    assert next(b.text for b in mit if b.art == "alter") == "11"
