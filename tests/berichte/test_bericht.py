"""Jahresbericht aus den Demo-Frames: alle Sozialräume, Verteiler, Empfehlungen, Karte, keine Protokolltexte."""

import dataclasses
import io

import pandas as pd
import pytest

from analysen.vergleich import vergleiche
from berichte.bericht import Berichtsbild, baue_bericht, bericht_aus_daten
from berichte.dokument import Absatz, Bild, Liste, Tabelle, Ueberschrift, als_docx
from daten.demo import demo_jahre
from karte.berichtsbild import karte_png

JAHR = demo_jahre().vorjahr  # Berichtsjahr der Demo (mit heute geladen): das letzte abgeschlossene Jahr


def _text(dok) -> str:
    teile = [dok.titel, dok.untertitel]
    for b in dok.bausteine:
        if isinstance(b, Ueberschrift | Absatz):
            teile.append(b.text)
        elif isinstance(b, Liste):
            teile += list(b.punkte)
        elif isinstance(b, Tabelle):
            teile += [str(x) for x in b.kopf] + [str(x) for z in b.zeilen for x in z]
        elif isinstance(b, Bild):
            teile.append(b.beschreibung)
    return "\n".join(teile)


@pytest.fixture(scope="module")
def v(berichtsdaten, kommune):
    d = berichtsdaten
    return vergleiche(d.indikatoren, d.einrichtungen, kommune, jahr=JAHR, budgets=d.budgets)


def _mit_empfehlung(daten, sozialraum, text, status="entwurf"):
    e = pd.DataFrame([{"id": 1, "sozialraum": sozialraum, "jahr": JAHR, "text": text, "status": status,
                       "version": 1, "geaendert_von": "jhp", "geaendert_am": None}])
    return dataclasses.replace(daten, empfehlungen=e)


def test_jahresbericht_enthaelt_alle_teile(berichtsdaten, kommune, v):
    daten = _mit_empfehlung(berichtsdaten, "Mombach", "Mehr Krippenplätze schaffen\nJugendtreff am Wochenende")
    bild = Berichtsbild(karte_png(daten.stadtteile, daten.sozialraeume, crs_metrisch=kommune.crs_metrisch),
                        "Karte Mombach")
    schritte = []
    dok = baue_bericht(daten, v, kommune, bilder={"Mombach": bild}, fortschritt=lambda a, t: schritte.append(a))
    text = _text(dok)
    for sr in kommune.sozialraeume:
        assert f"Sozialraum {sr.name}" in text
    for empfaenger in kommune.verteiler.bericht:
        assert empfaenger in text
    assert "Mehr Krippenplätze schaffen" in text and "Jugendtreff am Wochenende" in text and "Entwurf" in text
    assert text.count("Noch keine Empfehlung erfasst.") == 10  # 9 Sozialräume ohne + stadtweit
    assert sum(isinstance(b, Bild) for b in dok.bausteine) == 1
    assert "noch nicht verfügbar" not in text  # Arbeit der Gremien aus den Sitzungen berechnet
    gremium = [b for b in dok.bausteine if isinstance(b, Tabelle) and "Ortswechsel" in b.kopf]
    assert [t.zeilen[0][0] for t in gremium] == [sr.name for sr in kommune.sozialraeume]  # je Sozialraum eine
    assert "Monitoring Soziale Stadtentwicklung" in text
    assert schritte[-1] == 1.0 and schritte == sorted(schritte)


def test_einschaetzung_je_frage_statt_wortzaehlung_ohne_fallbesprechungen(berichtsdaten, kommune, v):
    """Je Sozialraum und Frage steht eine Einschätzung im Bericht: der Entwurf aus den Protokollpunkten (Texte nach
    Handlungsebene) – Fallbesprechungen nur gezählt; „Häufigste Begriffe“ gibt es nicht mehr."""
    dok = baue_bericht(berichtsdaten, v, kommune)
    text = _text(dok)
    p = berichtsdaten.protokollpunkte
    p = p[p["jahr"] == JAHR]
    assert len(p) > 50
    fall = p["fallbesprechung"].astype(bool)
    for satz in set(p.loc[fall, "text"]) - set(p.loc[~fall, "text"]):
        assert satz not in text
    assert all(" ".join(t.split()) in text for t in p.loc[~fall, "text"])  # der Entwurf gruppiert die Texte
    assert "Häufigste Begriffe" not in text and "Fallbesprechungen" in text
    koepfe = [b for b in dok.bausteine if isinstance(b, Ueberschrift) and b.text == "Einschätzung je Frage"]
    assert len(koepfe) == len(kommune.sozialraeume)


def test_gespeicherte_einschaetzung_ersetzt_den_entwurf(berichtsdaten, kommune, v):
    sr = kommune.sozialraeume[0].name
    eigene = "Die Jugendhilfeplanung sieht vor allem Beratungsbedarf bei Schulden."
    bew = pd.DataFrame([{"id": 1, "sozialraum": sr, "jahr": JAHR, "frage": 2, "text": eigene, "status": "entwurf",
                         "version": 1, "geaendert_von": "jhp", "geaendert_am": None}])
    dok = baue_bericht(dataclasses.replace(berichtsdaten, bewertungen=bew), v, kommune, sozialraum=sr)
    absaetze = [b.text for b in dok.bausteine if isinstance(b, Absatz)]
    i = absaetze.index(eigene)
    assert absaetze[i - 1] == f"2. {kommune.fragen[1]}"  # ohne den Vermerk „Entwurf aus den Protokollen“
    assert any(t.startswith("1. ") and t.endswith("noch nicht bearbeitet)") for t in absaetze)


def test_sitzungskonformitaet_wird_gezeigt(berichtsdaten, kommune, v):
    from analysen.gremium import sitzungskonformitaet_aus

    k = sitzungskonformitaet_aus(berichtsdaten, kommune, jahre=[JAHR]).set_index("sozialraum").loc["Mombach"]
    dok = baue_bericht(berichtsdaten, v, kommune, sozialraum="Mombach", art="bereich")
    tab = next(b for b in dok.bausteine if isinstance(b, Tabelle) and "Ortswechsel" in b.kopf)
    assert tab.kopf == ["Sozialraum", "Sitzungen", "Halbjahre ohne Sitzung", "Ortswechsel", "Anwesenheit",
                        "Hospitationen"]
    assert tab.zeilen == [["Mombach", str(k["sitzungen"]), "0", "ja", f"{100 * k['anwesenheitsquote']:.0f} %",
                           str(k["hospitationen"])]]
    assert k["sitzungen"] == 4 and k["hospitationen"] >= 1
    text = _text(dok)
    assert "Mitglieder der Lenkungsgruppe" in text and "Sozialraum Neustadt" not in text


def test_gremiumsarbeit_tabelle_ohne_sitzung_und_leer():
    from berichte.abschnitte import gremiumsarbeit

    k = pd.DataFrame([{"sozialraum": "Mombach", "jahr": 2027, "sitzungen": 0, "halbjahre_ohne_sitzung": 2,
                       "ortsrotation_ok": None, "anwesenheitsquote": float("nan"), "hospitationen": 0},
                      {"sozialraum": "Mombach", "jahr": 2026, "sitzungen": 2, "halbjahre_ohne_sitzung": 0,
                       "ortsrotation_ok": False, "anwesenheitsquote": 0.5, "hospitationen": 1}])
    assert gremiumsarbeit(k, jahr=2027, sozialraum="Mombach")[0].zeilen == [["Mombach", "0", "2", "–", "–", "0"]]
    assert gremiumsarbeit(k, jahr=2026, sozialraum=None)[0].zeilen == [["Mombach", "2", "0", "nein", "50 %", "1"]]
    assert "noch nicht verfügbar" in gremiumsarbeit(k, jahr=2025, sozialraum=None)[0].text


def test_umsetzungsbericht(berichtsdaten, kommune, v):
    text = _text(baue_bericht(berichtsdaten, v, kommune, art="umsetzung"))
    assert "Reflexion" in text and "Sozialdezernat" in text
    assert all(sr.name in text for sr in kommune.sozialraeume)


def test_falsche_eingaben(berichtsdaten, kommune, v):
    from daten.fehler import EingabeFehler

    with pytest.raises(EingabeFehler, match="Berichtsart"):
        baue_bericht(berichtsdaten, v, kommune, art="roman")
    with pytest.raises(EingabeFehler, match="Atlantis"):
        baue_bericht(berichtsdaten, v, kommune, sozialraum="Atlantis")
    with pytest.raises(EingabeFehler, match="Sozialraum"):
        baue_bericht(berichtsdaten, v, kommune, art="bereich")


def test_bericht_aus_daten_mit_bildern_als_docx(berichtsdaten, kommune):
    import docx

    dok = bericht_aus_daten(berichtsdaten, kommune, jahr=JAHR, sozialraum="Mombach", art="bereich")
    d = docx.Document(io.BytesIO(als_docx(dok)))
    assert len(d.inline_shapes) == 1
    assert "Mombach" in d.inline_shapes[0]._inline.docPr.get("descr")
    # Arbeit des Gremiums steht als Tabelle im DOCX, nicht „noch nicht verfügbar“
    text = "\n".join(p.text for p in d.paragraphs)
    tabelle = next(t for t in d.tables if t.rows[0].cells[0].text == "Sozialraum"
                   and "Ortswechsel" in [c.text for c in t.rows[0].cells])
    assert [c.text for c in tabelle.rows[1].cells][:4] == ["Mombach", "4", "0", "ja"]
    assert "noch nicht verfügbar" not in text + "".join(c.text for t in d.tables for r in t.rows for c in r.cells)


def test_umsetzungsbericht_als_pdf_mit_arbeit_der_gremien(berichtsdaten, kommune, tmp_path):
    import shutil
    import subprocess

    from berichte.dokument import speichere

    dok = bericht_aus_daten(berichtsdaten, kommune, jahr=JAHR, art="umsetzung")
    speichere(dok, tmp_path / "u.pdf")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) fehlt")
    text = subprocess.run(["pdftotext", str(tmp_path / "u.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Anwesenheit" in text and "Halbjahre" in text and "noch nicht verfügbar" not in text


def test_kartenbild_ist_png(berichtsdaten, kommune):
    png = karte_png(berichtsdaten.stadtteile, berichtsdaten.sozialraeume, klassen={"Mombach": "hoch"},
                    crs_metrisch=kommune.crs_metrisch,
                    einrichtungen=berichtsdaten.einrichtungen, sozialraum="Mombach", titel="Mombach")
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG" and im.width > 300
        farben = {f for _, f in im.convert("RGB").getcolors(100_000)}
    assert (0xd7, 0x30, 0x1f) in farben  # Bedarf „hoch“ ist eingefärbt


def test_ohne_leserecht_keine_protokolltexte_im_entwurf(demo_sqlite_url, berichtsdaten, kommune, v):
    """Den Entwurf bildet der Bericht aus den Punkten, die die erstellende Person lesen darf (daten.protokolle):
    die Lenkungsgruppe liest keine Protokolle, also steht kein Protokolltext in ihrem Bericht."""
    from daten.berichtsdaten import lade_berichtsdaten
    from daten.db import erstelle_engine
    from daten.politik import Akteur

    engine = erstelle_engine(demo_sqlite_url)
    lenkung = lade_berichtsdaten(engine, kommune, akteur=Akteur("lenkung", "lenkungsgruppe"))
    engine.dispose()
    assert lenkung.protokollpunkte.empty
    sr = kommune.sozialraeume[0].name
    text = _text(baue_bericht(lenkung, v, kommune, sozialraum=sr))
    p = berichtsdaten.protokollpunkte
    p = p[(p["jahr"] == JAHR) & (p["sozialraum"] == sr)]
    assert len(p) and not any(" ".join(t.split()) in text for t in p["text"])
