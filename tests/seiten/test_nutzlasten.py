"""Eigenschaftstest (hypothesis): Jinja-, HTML-, JS-, Markdown- und Steuerzeichen-Nutzlasten in jedem Textfeld.

Die Seiten Karte und Präsentation (AppTest) und jeder Export (GeoPackage, GeoJSON, CSV, XLSX) zeigen den Text
wörtlich: nichts wird ausgewertet (kein „49“ statt „{{7*7}}“, kein Bild, keine Formel), nichts bricht ab.
"""

from __future__ import annotations

import json
import re
from io import BytesIO
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from daten import export as ex
from daten import modelle as m
from daten.db import sitzung
from daten.politik import SYSTEM
from daten.xlsx import FORMEL_ANFANG
from tests.seiten.hilfen import demo_kopie

WURZEL = Path(__file__).resolve().parents[2]
NUTZLASTEN = [
    "{{7*7}}", "{% kaputt", "{{ lipsum.__globals__.os.popen(dict(id=1)|first).read() }}", "${7*7}",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>",
    "![t](http://127.0.0.1:9/t.png)", "**fett** _kursiv_ [Link](javascript:alert(1))", ":red[rot] $x^2$ :smile:",
    "# Überschrift\n- Liste\n1. eins", "=HYPERLINK(\"http://x\";\"klick\")", "@SUMME(A1)", "-1+2", "\tTab\rCR",
    "Zeile\u2028Trenner\u2029Absatz", "'; DROP TABLE einrichtung; --", "&amp; &lt;b&gt;",
]
# Steuerzeichen (außer Tabulator und Zeilenumbruch) nimmt die Datenschicht gar nicht erst an (eigener Test unten)
STEUERZEICHEN = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Ohne Steuerzeichen und ohne Surrogate (kein gültiges UTF-8)
TEXTE = hs.one_of(hs.sampled_from(NUTZLASTEN),
                  hs.text(hs.characters(blacklist_characters=STEUERZEICHEN, blacklist_categories=("Cs",)), min_size=1,
                          max_size=30))


@pytest.fixture(scope="module")
def db(demo_sqlite_url, tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp, demo_kopie(mp, demo_sqlite_url, tmp_path_factory.mktemp("nutzlast")) as e:
        yield e


def _pflanze(engine, text: str) -> dict[str, str]:  # noqa: ANN001
    """Schreibt `text` in die Textfelder aller Arten von Datensätzen; gibt die gesetzten Namen zurück."""
    with sitzung(engine, akteur=SYSTEM) as s:
        sr = s.scalar(select(m.Sozialraum).where(m.Sozialraum.reihenfolge == 9))  # letzter Sozialraum
        sr.name, sr.teamleitung = f"{text} ·SR", text
        st_ = s.scalar(select(m.Stadtteil).where(m.Stadtteil.sozialraum_id == sr.id))
        st_.name = f"{text} ·ST"
        e = s.scalar(select(m.Einrichtung).where(m.Einrichtung.stadtteil_id == st_.id,
                                                 m.Einrichtung.art == "kita").order_by(m.Einrichtung.id))
        e.name, e.traeger, e.adresse, e.zielgruppen, e.angebote = text, text, text, [text], [text]
        n = s.scalar(select(m.Netzwerk).where(m.Netzwerk.sozialraum_id == sr.id))
        if n is not None:
            n.name, n.beschreibung = f"{text} ·NW", text
        sz = s.scalar(select(m.Sitzung).where(m.Sitzung.sozialraum_id == sr.id).order_by(m.Sitzung.id))
        sz.protokollfuehrung = text
        sz.teilnehmende = [{"bereich": text, "einrichtung": None, "name": text}]
        for p in sz.punkte[:1]:
            p.text = text
        for ma in s.scalars(select(m.Massnahme).where(m.Massnahme.sozialraum_id == sr.id)).all()[:1]:
            ma.titel, ma.durchfuehrung = text, text
        for iw in s.scalars(select(m.Indikatorwert).where(m.Indikatorwert.stadtteil_id == st_.id)).all()[:1]:
            iw.quelle = text
        return {"sozialraum": sr.name, "einrichtung": e.name}


def _ohne_md(text: str) -> str:
    """Was ein Mensch liest, wenn Markdown die Maskierung entfernt: Zeichen nach „\\“ wörtlich, ohne die unsichtbaren
    Wortverbinder (seiten.gemeinsam.md)."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _wie_angezeigt(text: str) -> str:
    """Steuerzeichen und Umbrüche werden in Überschriften zu Leerzeichen (seiten/gemeinsam.md)."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text).split())


def _seiten(namen: dict[str, str]) -> None:
    at = AppTest.from_file(str(WURZEL / "streamlit_app.py"), default_timeout=120)
    at.session_state["rk_tabellen"] = True  # Textfassung aufgeklappt
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    next(s for s in at.selectbox if s.label == "Sozialraum").select(namen["sozialraum"]).run()
    assert not at.exception, [e.value for e in at.exception]
    tab = next(d.value for d in at.dataframe if "Name" in d.value.columns)
    assert namen["einrichtung"] in set(tab["Name"])  # Tabellen zeigen den Text genau
    kopf = next(c.value for c in at.caption if c.value.startswith("Sozialraum "))
    assert _wie_angezeigt(namen["sozialraum"]) in _ohne_md(kopf)
    assert _ohne_md(at.title[0].value) == "Ressourcenkarte: " + _wie_angezeigt(namen["sozialraum"])
    assert not re.search(r"(?<!\\)[!\[\]<>*_`]", kopf.replace("Sozialraum", "")), kopf  # alles maskiert
    assert len(at.get("iframe")[0].proto.srcdoc) > 10_000  # die Karte wurde gebaut
    at.switch_page("seiten/praesentation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    for _ in range(10):  # bis zum Sozialraum mit der Nutzlast blättern
        if _wie_angezeigt(namen["sozialraum"]) in _ohne_md(at.title[0].value):
            break
        next(b for b in at.button if b.label.startswith("Nächster")).click().run()
    else:
        pytest.fail(f"Folie mit {namen['sozialraum']!r} nicht gefunden")


def _erwartet_tabelle(text: str) -> str:
    return ("'" + text) if text.startswith(FORMEL_ANFANG) else text


def _exporte(engine, kommune, ordner: Path, texte: list[str]) -> None:  # noqa: ANN001
    with sitzung(engine, akteur=None) as s:
        for endung in (".gpkg", ".geojson", ".csv", ".xlsx"):
            ex.exportiere(ordner / f"x{endung}", session=s, kommune=kommune, akteur=SYSTEM)
        roh = ex.excel_bytes(session=s, kommune=kommune, akteur=None)
    gpkg = set(pyogrio.read_dataframe(ordner / "x.gpkg", layer="einrichtungen")["name"])
    gj = {f["properties"]["name"] for f in json.loads((ordner / "x.geojson").read_text(encoding="utf-8"))["features"]}
    csv = set(pd.read_csv(ordner / "x.csv", sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False,
                          dtype=str)["Name"])
    xlsx = []
    for wb in (openpyxl.load_workbook(ordner / "x.xlsx"), openpyxl.load_workbook(BytesIO(roh))):
        ws = wb["Einrichtungen"]
        # ein einzelnes CR liest openpyxl je nach Schreibweise (_x000D_ oder roh) als CR oder als Zeilenumbruch
        xlsx.append({str(c.value).replace("\r\n", "\n").replace("\r", "\n")
                     for c in next(ws.iter_cols(min_col=1, max_col=1, min_row=2))})
        for zeile in ws.iter_rows(min_row=2):
            assert all(z.data_type != "f" for z in zeile)  # nie eine Formel
    for text in texte:
        assert text in gpkg and text in gj, text  # GIS-Formate: Daten, genau erhalten
        assert _erwartet_tabelle(text) in csv, text  # Tabellen: Formeln mit ' entschärft
        # XML kennt weder einzelnes CR noch die meisten Steuerzeichen: CR wird Zeilenumbruch, Rest „�“
        xml = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
        for werte in xlsx:  # XLSX: eine Textzelle ist nie eine Formel – genau der Text, ohne sichtbares Apostroph
            assert xml in werte, text


def _pflanze_namen(engine, texte: list[str]) -> None:  # noqa: ANN001
    """Je Nutzlast eine Einrichtung mit ihr als Name, Träger, Adresse, Zielgruppe und Angebot."""
    with sitzung(engine, akteur=SYSTEM) as s:
        kitas = s.scalars(select(m.Einrichtung).where(m.Einrichtung.art == "kita").order_by(m.Einrichtung.id))
        for e, text in zip(kitas, texte, strict=False):
            e.name, e.traeger, e.adresse, e.zielgruppen, e.angebote = text, text, text, [text], [text]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=True)
@given(text=TEXTE)
def test_nutzlasten_bleiben_text_auf_seiten_und_in_exporten(db, kommune, tmp_path_factory, text):
    namen = _pflanze(db, text)
    _seiten(namen)
    _exporte(db, kommune, tmp_path_factory.mktemp("x"), [text])


def test_alle_bekannten_nutzlasten_in_exporten(db, kommune, tmp_path):
    """Jede bekannte Nutzlast in einer eigenen Einrichtung, alle zusammen durch alle Exporte."""
    _pflanze_namen(db, NUTZLASTEN)
    _exporte(db, kommune, tmp_path, NUTZLASTEN)


@pytest.mark.parametrize("text", ["\x07\x1b[31mrot\x1b[0m", "NUL\x00Byte", "Rück\x08schritt"])
def test_steuerzeichen_werden_deutsch_abgelehnt_und_nichts_geschrieben(db, text):
    from daten.fehler import EingabeFehler

    with sitzung(db, akteur=None) as s:
        vorher = s.scalar(select(m.Sozialraum.name).where(m.Sozialraum.reihenfolge == 9))
    with pytest.raises(EingabeFehler, match=r"enthält das Steuerzeichen U\+00[0-9A-F]{2}.*Nichts wurde gespeichert"):
        _pflanze(db, text)
    with sitzung(db, akteur=None) as s:
        assert s.scalar(select(m.Sozialraum.name).where(m.Sozialraum.reihenfolge == 9)) == vorher


@pytest.mark.parametrize("text", NUTZLASTEN[:8])
def test_bekannte_nutzlasten_auf_den_seiten(db, text):
    """Die Nutzlasten, die Jinja, HTML und Markdown am ehesten auslösen, auf Karte und Präsentation."""
    _seiten(_pflanze(db, text))
